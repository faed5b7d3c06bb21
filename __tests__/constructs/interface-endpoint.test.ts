/** InterfaceEndpoint: the consumer's endpoint, its own security group and its plan-time AZ check. */
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { TerraformOutput } from "../../lib/cdktf";
import { InterfaceEndpoint, InterfaceEndpointProps } from "../../lib/constructs/interface-endpoint";
import type { SubnetGroup } from "../../lib/constructs/network";
import { resourceOf, scope, synth } from "./harness";

const SERVICE_NAME = "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0";
const subnets = (): SubnetGroup => ({
  subnetIds: ["subnet-a", "subnet-b"],
  azIds: ["apne1-az1", "apne1-az4"],
  azNames: ["ap-northeast-1a", "ap-northeast-1c"],
  azIdsKnown: true,
});

function props(overrides: Partial<InterfaceEndpointProps> = {}): InterfaceEndpointProps {
  return {
    name: "hello-consumer",
    vpcId: "vpc-0123",
    subnets: subnets(),
    serviceName: SERVICE_NAME,
    port: 8080,
    clientCidrs: ["10.1.0.0/16"],
    ...overrides,
  };
}

const WHY =
  "The endpoint's subnets must be in AZs where the service's NLB has a subnet, or AWS refuses with \"The VPC endpoint service does not support the availability zone of the subnet\"";

describe("InterfaceEndpoint: the aws_vpc_endpoint", () => {
  test("an Interface endpoint in the given subnets, behind its own group, without private DNS", () => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN an endpoint is built
    new InterfaceEndpoint(stack, "endpoint", props());
    // THEN it is an Interface endpoint to the service, in both subnets, with its own group only
    const { text, json } = synth(stack);
    expect(text).toHaveResourceWithProperties(VpcEndpoint, {
      vpc_endpoint_type: "Interface",
      vpc_id: "vpc-0123",
      service_name: SERVICE_NAME,
      subnet_ids: ["subnet-a", "subnet-b"],
      security_group_ids: ["${aws_security_group.endpoint.id}"],
      private_dns_enabled: false,
      tags: { Name: "hello-consumer" },
    });
    expect(Object.keys(json.resource.aws_vpc_endpoint)).toEqual(["endpoint"]);
  });

  test.each([
    ["not given: the consumer's own Region", undefined],
    ["us-east-1", "us-east-1"],
    ["ap-northeast-3", "ap-northeast-3"],
  ])("service_region %s", (_, serviceRegion) => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the endpoint is built with that service Region
    new InterfaceEndpoint(stack, "endpoint", props({ serviceRegion }));
    // THEN service_region is written only when given
    const endpoint = resourceOf(synth(stack).json, "aws_vpc_endpoint", "endpoint");
    if (serviceRegion === undefined) expect(endpoint).not.toHaveProperty("service_region");
    else expect(endpoint.service_region).toBe(serviceRegion);
  });

  test("the subnet list is copied: later changes to the caller's group do not reach the endpoint", () => {
    // GIVEN a subnet group
    const { stack } = scope();
    const group = subnets();
    // WHEN the endpoint is built and the group's list is changed afterwards
    new InterfaceEndpoint(stack, "endpoint", props({ subnets: group }));
    group.subnetIds.push("subnet-c");
    // THEN the endpoint keeps the subnets given at construction
    expect(resourceOf(synth(stack).json, "aws_vpc_endpoint", "endpoint").subnet_ids).toEqual(["subnet-a", "subnet-b"]);
  });
});

describe("InterfaceEndpoint: its security group", () => {
  test("named after the endpoint, described, in the consumer VPC", () => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN an endpoint is built
    new InterfaceEndpoint(stack, "endpoint", props());
    // THEN its group is <name>-endpoint in the VPC, with a description of what it allows
    expect(synth(stack).text).toHaveResourceWithProperties(SecurityGroup, {
      name: "hello-consumer-endpoint",
      description: "Interface endpoint hello-consumer: service port from client CIDRs only",
      vpc_id: "vpc-0123",
      tags: { Name: "hello-consumer-endpoint" },
    });
  });

  test.each([
    [["10.1.0.0/16"], 80, ["endpoint_client_10_1_0_0_16"]],
    [["10.20.0.0/16", "172.16.8.0/22"], 8080, ["endpoint_client_10_20_0_0_16", "endpoint_client_172_16_8_0_22"]],
    [
      ["10.1.0.0/16", "10.2.0.0/16", "192.168.0.0/24"],
      443,
      ["endpoint_client_10_1_0_0_16", "endpoint_client_10_2_0_0_16", "endpoint_client_192_168_0_0_24"],
    ],
  ])("client CIDRs %j on port %d: one ingress rule each, no egress", (clientCidrs, port, addresses) => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN an endpoint is built for those clients and that port
    new InterfaceEndpoint(stack, "endpoint", props({ clientCidrs, port }));
    // THEN each CIDR has one TCP rule on the port, named after it; nothing goes out
    const { text, json } = synth(stack);
    expect(Object.keys(json.resource.aws_vpc_security_group_ingress_rule)).toEqual([...addresses, "endpoint_clients"]);
    clientCidrs.forEach((cidr, i) => {
      expect(resourceOf(json, "aws_vpc_security_group_ingress_rule", addresses[i])).toEqual({
        security_group_id: "${aws_security_group.endpoint.id}",
        ip_protocol: "tcp",
        from_port: port,
        to_port: port,
        cidr_ipv4: cidr,
        description: `Clients in ${cidr} to the PrivateLink service port`,
      });
    });
    expect(text).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { cidr_ipv4: clientCidrs[0], from_port: port });
    // The endpoint's group has no egress; the only egress rule is the client group's, to it.
    expect(Object.keys(json.resource.aws_vpc_security_group_egress_rule)).toEqual(["endpoint_clients_endpoint"]);
    expect(resourceOf(json, "aws_vpc_security_group_egress_rule", "endpoint_clients_endpoint")).toMatchObject({
      security_group_id: "${aws_security_group.endpoint_clients.id}",
      referenced_security_group_id: "${aws_security_group.endpoint.id}",
      from_port: port,
      to_port: port,
    });
    expect(resourceOf(json, "aws_security_group", "endpoint")).not.toHaveProperty("egress");
    expect(resourceOf(json, "aws_security_group", "endpoint")).not.toHaveProperty("ingress");
  });

  test("no client CIDRs: the group opens to members of the client group only", () => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the endpoint is built without client CIDRs
    new InterfaceEndpoint(stack, "endpoint", props({ clientCidrs: [] }));
    // THEN the endpoint's group lets in the client group and nothing else
    const { json } = synth(stack);
    expect(resourceOf(json, "aws_security_group", "endpoint")).toBeDefined();
    expect(Object.keys(json.resource.aws_vpc_security_group_ingress_rule)).toEqual(["endpoint_clients"]);
    expect(resourceOf(json, "aws_vpc_security_group_ingress_rule", "endpoint_clients")).not.toHaveProperty("cidr_ipv4");
    expect(Object.keys(json.resource.aws_vpc_security_group_egress_rule)).toEqual(["endpoint_clients_endpoint"]);
  });

  test("the client group: no ingress, and egress only to the endpoint's group on the service port", () => {
    const { stack } = scope();
    new InterfaceEndpoint(stack, "endpoint", props({ port: 8443 }));
    const { json } = synth(stack);
    expect(resourceOf(json, "aws_security_group", "endpoint_clients")).toMatchObject({
      name: expect.stringMatching(/-clients$/),
      vpc_id: expect.any(String),
    });
    const rules = (kind: string) =>
      Object.values(json.resource[kind] as Record<string, Record<string, unknown>>).filter(
        (r) => r.security_group_id === "${aws_security_group.endpoint_clients.id}",
      );
    expect(rules("aws_vpc_security_group_ingress_rule")).toEqual([]);
    expect(rules("aws_vpc_security_group_egress_rule")).toEqual([
      expect.objectContaining({
        referenced_security_group_id: "${aws_security_group.endpoint.id}",
        from_port: 8443,
        to_port: 8443,
        ip_protocol: "tcp",
      }),
    ]);
  });

  test("private DNS: on only when asked, and an existing VPC's DNS attributes are checked at plan", () => {
    const { stack } = scope();
    new InterfaceEndpoint(
      stack,
      "endpoint",
      props({
        privateDnsEnabled: true,
        vpcDns: {
          support: "${data.aws_vpc.vpc.enable_dns_support}" as never,
          hostnames: "${data.aws_vpc.vpc.enable_dns_hostnames}" as never,
        },
      }),
    );
    const endpoint = resourceOf(synth(stack).json, "aws_vpc_endpoint", "endpoint");
    expect(endpoint.private_dns_enabled).toBe(true);
    const checks = endpoint.lifecycle.precondition as { condition: string; error_message: string }[];
    const dns = checks.find((c) => c.error_message.includes("enableDnsSupport"));
    expect(dns?.condition).toContain("data.aws_vpc.vpc.enable_dns_support");
    expect(dns?.condition).toContain("data.aws_vpc.vpc.enable_dns_hostnames");

    const plain = scope();
    new InterfaceEndpoint(plain.stack, "endpoint", props());
    const off = resourceOf(synth(plain.stack).json, "aws_vpc_endpoint", "endpoint");
    expect(off.private_dns_enabled).toBe(false);
    expect(JSON.stringify(off.lifecycle ?? {})).not.toContain("enableDnsSupport");
  });

  test("the same client CIDR twice is refused", () => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN one CIDR is listed twice
    const build = () => new InterfaceEndpoint(stack, "endpoint", props({ clientCidrs: ["10.1.0.0/16", "10.1.0.0/16"] }));
    // THEN construction fails on the second rule
    expect(build).toThrow("There is already a Construct with name 'in-client_10_1_0_0_16'");
  });

  test("two endpoints taking the same addresses in one stack are refused, naming both", () => {
    // GIVEN an endpoint "endpoint" at the stack's root
    const { stack } = scope();
    new InterfaceEndpoint(stack, "endpoint", props());
    // WHEN another construct holds an endpoint with the same ID
    const second = () => new InterfaceEndpoint(new Construct(stack, "other"), "endpoint", props());
    // THEN the second is refused at its security group, naming both construct paths
    expect(second).toThrow(
      "Terraform address aws_security_group.endpoint is chosen twice in stack test: by test/endpoint/firewall/group and by test/other/endpoint/firewall/group",
    );
  });
});

describe("InterfaceEndpoint: plan-time AZ precondition", () => {
  test("none without supportedAzs", () => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the endpoint is built without the service's AZs
    new InterfaceEndpoint(stack, "endpoint", props());
    // THEN the endpoint has no lifecycle block
    expect(resourceOf(synth(stack).json, "aws_vpc_endpoint", "endpoint")).not.toHaveProperty("lifecycle");
  });

  test.each([
    {
      by: "AZ ID",
      supportedAzs: { azIds: ["apne1-az4", "apne1-az1", "apne1-az2"] },
      condition: '${(length(setsubtract(["apne1-az1", "apne1-az4"], ["apne1-az4", "apne1-az1", "apne1-az2"])) < 1)}',
      errorMessage: `${WHY}; compared by AZ ID (\${join(", ", ["apne1-az1", "apne1-az4"])} not all within \${join(", ", ["apne1-az4", "apne1-az1", "apne1-az2"])}).`,
    },
    {
      by: "AZ name",
      supportedAzs: { azNames: ["ap-northeast-1a", "ap-northeast-1d"] },
      condition: '${(length(setsubtract(["ap-northeast-1a", "ap-northeast-1c"], ["ap-northeast-1a", "ap-northeast-1d"])) < 1)}',
      errorMessage: `${WHY}; compared by this account's AZ names (\${join(", ", ["ap-northeast-1a", "ap-northeast-1c"])} not all within \${join(", ", ["ap-northeast-1a", "ap-northeast-1d"])}).`,
    },
  ])("by $by: the subnets' AZs must be within the service's", ({ supportedAzs, condition, errorMessage }) => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the endpoint is built with the service's AZs
    new InterfaceEndpoint(stack, "endpoint", props({ supportedAzs }));
    // THEN one precondition compares the subnets' AZs with them and explains AWS's refusal
    const { precondition } = resourceOf(synth(stack).json, "aws_vpc_endpoint", "endpoint").lifecycle;
    expect(precondition).toEqual([{ condition, error_message: errorMessage }]);
  });

  test("AZ IDs read at plan are compared as references", () => {
    // GIVEN existing subnets, whose AZ IDs Terraform reads at plan
    const { stack } = scope();
    const a = new DataAwsSubnet(stack, "subnet_a", { id: "subnet-a" });
    const b = new DataAwsSubnet(stack, "subnet_b", { id: "subnet-b" });
    const planned: SubnetGroup = { ...subnets(), azIds: [a.availabilityZoneId, b.availabilityZoneId], azIdsKnown: false };
    // WHEN the endpoint is built with the service's AZ IDs
    new InterfaceEndpoint(stack, "endpoint", props({ subnets: planned, supportedAzs: { azIds: ["apne1-az1", "apne1-az4"] } }));
    // THEN the condition reads the lookups' AZ IDs rather than literals
    const [check] = resourceOf(synth(stack).json, "aws_vpc_endpoint", "endpoint").lifecycle.precondition;
    expect(check.condition).toBe(
      '${(length(setsubtract([data.aws_subnet.subnet_a.availability_zone_id, data.aws_subnet.subnet_b.availability_zone_id], ["apne1-az1", "apne1-az4"])) < 1)}',
    );
    expect(check.error_message).toContain('compared by AZ ID (${join(", ", [data.aws_subnet.subnet_a.availability_zone_id, ');
  });
});

describe("InterfaceEndpoint: what it exposes", () => {
  test("endpointId and dnsName reference the endpoint", () => {
    // GIVEN an endpoint
    const { stack } = scope();
    const endpoint = new InterfaceEndpoint(stack, "endpoint", props());
    // WHEN its ID and DNS name are used as outputs
    new TerraformOutput(stack, "endpoint_id", { value: endpoint.endpointId });
    new TerraformOutput(stack, "dns_name", { value: endpoint.dnsName });
    // THEN they reference its id and the first DNS entry's name
    const { json } = synth(stack);
    expect(json.output.endpoint_id.value).toBe("${aws_vpc_endpoint.endpoint.id}");
    expect(json.output.dns_name.value).toBe("${aws_vpc_endpoint.endpoint.dns_entry[0].dns_name}");
  });
});
