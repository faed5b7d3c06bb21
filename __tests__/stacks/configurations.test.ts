/**
 * Real-world configurations: existing VPCs, credentials, backends, many consumers across
 * Regions, and consumers of services managed outside this app.
 */
import { join } from "node:path";
import { loadConfig } from "../../config/load";
import { supportedRegions } from "../../stacks/provider-stack";
import { addresses, configWith, EXAMPLES_DIR, resource, synthAll } from "../helpers";

const example = (file: string) => synthAll(loadConfig(join(EXAMPLES_DIR, file)));

describe("existing VPCs (config/examples/existing-vpcs-s3-state.json)", () => {
  let all: Awaited<ReturnType<typeof synthAll>>;
  beforeAll(async () => {
    all = await example("existing-vpcs-s3-state.json");
  });

  test("creates no VPC or subnet; looks each subnet up once, filtered by the configured VPC", () => {
    const provider = all.byName.provider.json;
    expect(provider.resource.aws_vpc).toBeUndefined();
    expect(provider.resource.aws_subnet).toBeUndefined();
    expect(Object.values(provider.data.aws_subnet).map((s: any) => [s.id, s.vpc_id])).toEqual([
      ["subnet-0a1b2c3d4e5f60711", "vpc-0a1b2c3d4e5f60718"],
      ["subnet-0a1b2c3d4e5f60712", "vpc-0a1b2c3d4e5f60718"],
      ["subnet-0a1b2c3d4e5f60721", "vpc-0a1b2c3d4e5f60718"],
      ["subnet-0a1b2c3d4e5f60722", "vpc-0a1b2c3d4e5f60718"],
    ]);
  });

  test("each role gets its own subnets", () => {
    const provider = all.byName.provider.json;
    expect(resource(provider, "aws_lambda_function", "lambda").vpc_config.subnet_ids).toEqual([
      "subnet-0a1b2c3d4e5f60711",
      "subnet-0a1b2c3d4e5f60712",
    ]);
    expect(resource(provider, "aws_lb", "alb").subnets).toEqual(["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"]);
    expect(resource(provider, "aws_lb", "nlb").subnets).toEqual(["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"]);
    expect(resource(provider, "aws_security_group", "alb").vpc_id).toBe("vpc-0a1b2c3d4e5f60718");
  });

  test("plan-time preconditions guard the ALB, NLB and function placement by AZ ID", () => {
    const provider = all.byName.provider.json;
    const albCheck = resource(provider, "aws_lb", "alb").lifecycle.precondition[0];
    expect(albCheck.condition).toContain("length(distinct([data.aws_subnet.network_subnet_0a1b2c3d4e5f60721.availability_zone_id");
    expect(albCheck.error_message).toContain(
      "The ALB's subnets (provider.network.existing.albSubnetIds) must be in at least 2 different AZs",
    );
    expect(resource(provider, "aws_lb", "nlb").lifecycle.precondition[0].condition).toMatch(/^\$\{\(length\(setsubtract\(/);
    expect(resource(provider, "aws_lambda_function", "lambda").lifecycle.precondition).toHaveLength(1);
  });

  test("the consumer's endpoint checks its subnets' AZ IDs against the NLB's, read through remote state", () => {
    const consumer = all.byName["consumer-billing"].json;
    const check = resource(consumer, "aws_vpc_endpoint", "endpoint").lifecycle.precondition[0];
    expect(check.condition).toContain("data.aws_subnet.network_subnet_0f1e2d3c4b5a69781.availability_zone_id");
    expect(check.condition).toContain("data.terraform_remote_state.cross-stack-reference-input-provider.outputs");
    expect(check.error_message).toContain("compared by AZ ID");
  });

  test("client CIDRs open the endpoint and the NLB, one described rule each", () => {
    const rules = (json: any, prefix: string) =>
      Object.entries<any>(json.resource.aws_vpc_security_group_ingress_rule)
        .filter(([name]) => name.startsWith(prefix))
        .map(([, r]) => [r.cidr_ipv4, r.from_port]);
    expect(rules(all.byName["consumer-billing"].json, "endpoint_client_")).toEqual([
      ["10.20.0.0/16", 8080],
      ["172.16.8.0/22", 8080],
    ]);
    // And the client security group's members, by group.
    expect(all.byName["consumer-billing"].json.resource.aws_vpc_security_group_ingress_rule.endpoint_clients).toMatchObject({
      referenced_security_group_id: "${aws_security_group.endpoint_clients.id}",
      from_port: 8080,
    });
    expect(rules(all.byName.provider.json, "nlb_client")).toEqual([
      ["10.20.0.0/16", 8080],
      ["172.16.8.0/22", 8080],
    ]);
  });

  test("credentials: the provider assumes a role, the consumer uses a profile; both pin their accounts", () => {
    expect(all.byName.provider.json.provider.aws[0]).toMatchObject({
      allowed_account_ids: ["111111111111"],
      assume_role: [
        {
          role_arn: "arn:aws:iam::111111111111:role/terraform-deploy",
          external_id: "orders-api-provider",
          session_name: "privatelink-provider",
        },
      ],
    });
    expect(all.byName["consumer-billing"].json.provider.aws[0]).toMatchObject({
      allowed_account_ids: ["222222222222"],
      profile: "billing-admin",
    });
    expect(all.byName["consumer-billing"].json.provider.aws[0]).not.toHaveProperty("assume_role");
  });

  test("S3 state: one key per stack, S3-native locking, and the consumer reads the provider's key", () => {
    expect(all.byName.provider.json.terraform.backend.s3).toEqual({
      bucket: "example-terraform-state",
      key: "privatelink/orders-api/provider.tfstate",
      region: "ap-northeast-1",
      encrypt: true,
      use_lockfile: true,
      profile: "state-admin",
    });
    expect(all.byName["consumer-billing"].json.terraform.backend.s3.key).toBe("privatelink/orders-api/consumer-billing.tfstate");
    expect(all.byName["consumer-billing"].json.data.terraform_remote_state["cross-stack-reference-input-provider"]).toMatchObject({
      backend: "s3",
      config: { bucket: "example-terraform-state", key: "privatelink/orders-api/provider.tfstate", region: "ap-northeast-1" },
    });
  });
});

describe("many consumers across Regions (config/examples/many-consumers-cross-region-hcp.json)", () => {
  let all: Awaited<ReturnType<typeof synthAll>>;
  beforeAll(async () => {
    all = await example("many-consumers-cross-region-hcp.json");
  });

  test("one stack per consumer, named consumer-<name>", () => {
    expect(Object.keys(all.byName).sort()).toEqual(["consumer-osaka", "consumer-tokyo", "provider"]);
  });

  test("every consumer account and the extra role are allowed principals", () => {
    expect(resource(all.byName.provider.json, "aws_vpc_endpoint_service", "service").allowed_principals).toEqual([
      "arn:${data.aws_partition.current.partition}:iam::222222222222:root",
      "arn:${data.aws_partition.current.partition}:iam::333333333333:root",
      "arn:aws:iam::444444444444:role/partner-integration",
    ]);
  });

  test("the cross-Region consumer sets service_region; the service lists both Regions", () => {
    expect(resource(all.byName.provider.json, "aws_vpc_endpoint_service", "service").supported_regions).toEqual([
      "ap-northeast-1",
      "ap-northeast-3",
    ]);
    expect(resource(all.byName["consumer-osaka"].json, "aws_vpc_endpoint", "endpoint").service_region).toBe("ap-northeast-1");
    expect(resource(all.byName["consumer-tokyo"].json, "aws_vpc_endpoint", "endpoint")).not.toHaveProperty("service_region");
    expect(all.byName["consumer-osaka"].json.provider.aws[0]).toMatchObject({
      region: "ap-northeast-3",
      allowed_account_ids: ["333333333333"],
    });
  });

  test("every consumer VPC's CIDR is allowed through the NLB", () => {
    const cidrs = Object.values<any>(all.byName.provider.json.resource.aws_vpc_security_group_ingress_rule)
      .map((r) => r.cidr_ipv4)
      .filter(Boolean);
    // The consumers' VPCs, then the partner principal's client CIDRs.
    expect(cidrs).toEqual(["10.1.0.0/16", "10.2.0.0/16", "10.44.0.0/16"]);
  });

  test("HCP Terraform: a named workspace per stack, and remote state through the remote backend", () => {
    expect(all.byName.provider.json.terraform.cloud).toEqual({
      organization: "example-org",
      workspaces: { name: "hello-privatelink-provider", project: "privatelink" },
    });
    expect(all.byName["consumer-osaka"].json.terraform.cloud.workspaces.name).toBe("hello-privatelink-consumer-osaka");
    expect(all.byName["consumer-tokyo"].json.data.terraform_remote_state["cross-stack-reference-input-provider"]).toEqual({
      backend: "remote",
      config: { organization: "example-org", workspaces: { name: "hello-privatelink-provider" } },
    });
    expect(JSON.stringify(all.byName)).not.toContain("token");
  });

  test("created networks on both sides in one Region need no plan-time AZ check (synth checked them)", () => {
    expect(resource(all.byName["consumer-tokyo"].json, "aws_vpc_endpoint", "endpoint")).not.toHaveProperty("lifecycle");
    expect(resource(all.byName["consumer-tokyo"].json, "aws_subnet", "network_private_apne1_az1").cidr_block).toBe("10.1.10.0/24");
  });

  test("supported Regions: none when every consumer is local, else home first and the rest sorted", () => {
    expect(supportedRegions("ap-northeast-1", ["ap-northeast-1"])).toBeUndefined();
    expect(supportedRegions("ap-northeast-1", ["us-east-1", "ap-northeast-3", "us-east-1"])).toEqual([
      "ap-northeast-1",
      "ap-northeast-3",
      "us-east-1",
    ]);
  });
});

describe("consumer of a service managed outside this app (config/examples/consumer-of-outside-service.json)", () => {
  let all: Awaited<ReturnType<typeof synthAll>>;
  beforeAll(async () => {
    all = await example("consumer-of-outside-service.json");
  });

  test("there is no provider stack and no remote state; the service name is taken as given", () => {
    expect(Object.keys(all.byName)).toEqual(["consumer-partner"]);
    const consumer = all.byName["consumer-partner"].json;
    expect(consumer.data.terraform_remote_state).toBeUndefined();
    expect(resource(consumer, "aws_vpc_endpoint", "endpoint").service_name).toBe(
      "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0",
    );
  });

  test("the endpoint checks its subnets' AZs against the service's, as this account names them", () => {
    const consumer = all.byName["consumer-partner"].json;
    expect(addresses(consumer)).toContain("data.aws_vpc_endpoint_service.service");
    const check = resource(consumer, "aws_vpc_endpoint", "endpoint").lifecycle.precondition[0];
    expect(check.condition).toContain("data.aws_vpc_endpoint_service.service.availability_zones");
    expect(check.error_message).toContain("compared by this account's AZ names");
  });

  test("an outside service in another Region gets service_region and no lookup (the data source cannot)", async () => {
    const config = configWith((r) => {
      delete r.provider;
      r.consumers[0].serviceName = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
      r.consumers[0].serviceRegion = "us-east-1";
    });
    const consumer = (await synthAll(config)).byName.consumer.json;
    expect(resource(consumer, "aws_vpc_endpoint", "endpoint").service_region).toBe("us-east-1");
    expect(consumer.data?.aws_vpc_endpoint_service).toBeUndefined();
  });
});

describe("local state in another folder", () => {
  test("the relative path follows backend.local.directory for every stack and remote state", async () => {
    const all = await synthAll(configWith((r) => (r.backend = { local: { directory: "infra/state" } })));
    expect(all.byName.provider.json.terraform.backend.local.path).toBe("../../../infra/state/terraform.provider.tfstate");
    expect(all.byName.consumer.json.data.terraform_remote_state["cross-stack-reference-input-provider"].config.path).toBe(
      "../../../infra/state/terraform.provider.tfstate",
    );
  });
});
