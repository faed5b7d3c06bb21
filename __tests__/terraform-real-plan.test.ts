/**
 * The real hashicorp/aws provider plans every configuration, offline: the default config,
 * the examples that read no existing AWS resources, and a matrix of variants, all as modules
 * of one root in one `terraform plan` (see support/real-plan.ts). Unlike the mock provider, it
 * runs the provider's own validators: names, ARNs, enums, conflicting arguments.
 *
 * The example with existing VPCs (data.aws_subnet) and the consumer of an outside service
 * (data.aws_vpc_endpoint_service) read AWS at plan time; offline, those reads fail, so those
 * two stay on the mock plan (terraform-examples.test.ts), where the reads are mocked.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configWith, ROOT, synthExample, synthFolders } from "./helpers";
import type { StackFolder } from "./support/mock-plan";
import { OFFLINE_ENV, stackJson } from "./support/offline-plan";
import { projectTypeNames } from "./support/provider-schema";
import { realPlan, realPlanRoot } from "./support/real-plan";
import { TerraformError, TerraformRunner } from "./support/terraform";
import { availability, describeWithTerraform, newRunner } from "./support/terraform-suite";

const ACCOUNT = "111111111111";
const REGION = "ap-northeast-1";

/** Variants of the default config, each a setting the default leaves off. */
const VARIANTS: Readonly<Record<string, (raw: Record<string, any>) => void>> = {
  https: (raw) => {
    raw.service.certificateArn = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/0123abcd-0123-4567-89ab-0123456789ab`;
    raw.service.hostname = "hello.example.com";
    delete raw.service.port;
  },
  acceptance: (raw) => {
    raw.service.acceptanceRequired = true;
    raw.service.acceptEndpointIds = ["vpce-0123456789abcdef0"];
  },
  inbound_off: (raw) => {
    raw.service.privateLinkInboundRules = "off";
  },
  egress: (raw) => {
    raw.lambda.egress = [{ cidr: "10.20.0.0/16", port: 443, description: "Internal API" }];
  },
  kms: (raw) => {
    raw.lambda.logKmsKeyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0123abcd-0123-4567-89ab-0123456789ab`;
    raw.provider.network.create.flowLogs = { kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/0123abcd-0123-4567-89ab-0123456789ab` };
  },
  access_logs: (raw) => {
    raw.loadBalancers = { accessLogs: { bucket: "example-elb-logs", prefix: "privatelink" } };
  },
  signed_package: (raw) => {
    raw.lambda.codeSigningConfigArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:code-signing-config:csc-0123456789abcdef0`;
    raw.lambda.signedPackage = { bucket: "example-signed", key: "signed/hello.zip", objectVersion: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY" };
  },
  unprotected_x86: (raw) => {
    raw.loadBalancers = { deletionProtection: false };
    raw.lambda.architecture = "x86_64";
    raw.lambda.reservedConcurrency = 5;
    raw.lambda.tracing = "PassThrough";
  },
};

/** Examples whose stacks read existing AWS resources at plan time (see the file comment). */
const READS_AWS = ["consumer-of-outside-service.json", "existing-vpcs-s3-state.json"];

describeWithTerraform("the real AWS provider plans every configuration offline", () => {
  /** Attaches to the run's shared provider: a process per provider configuration. */
  let runner: TerraformRunner;
  let stacks: StackFolder[];

  beforeAll(async () => {
    if (availability.mode !== "run") return;
    runner = await newRunner(true);
    const variants = await Promise.all(
      Object.entries(VARIANTS).map(async ([name, edit]) => {
        const folders = await synthFolders(configWith(edit), name);
        // Only HTTPS changes the consumer (its port and URL); other variants change the
        // provider alone, and their consumers would plan what the default's already does.
        return name === "https" ? folders : folders.filter((f) => f.module === `${name}_provider`);
      }),
    );
    const examples = await Promise.all(
      ["many-consumers-cross-region-hcp.json", "two-functions-routes.json", "https-private-dns.json"]
        .filter((f) => !READS_AWS.includes(f))
        .map(synthExample),
    );
    // The functions example differs from the default in its provider alone.
    const examplesStacks = examples.flat().filter((f) => !f.module.startsWith("two_functions_routes_") || f.module.endsWith("_provider"));
    stacks = [...(await synthFolders(configWith(), "default")), ...examplesStacks, ...variants.flat()];
  });

  test("every stack plans: the default, the examples that read nothing, and every variant", async () => {
    const plan = await realPlan(runner, stacks);
    const modules = new Set((plan.resource_changes ?? []).map((c) => c.address.split(".")[1]));
    expect([...modules].sort()).toEqual(stacks.map((s) => s.module).sort());
    // Everything is new: a create for every resource; data sources that wait for new
    // resources are read during the apply.
    const actions = (plan.resource_changes ?? []).map(
      (c) => `${c.address.includes(".data.") ? "data" : "resource"}:${c.change.actions.join("+")}`,
    );
    expect(new Set(actions)).toEqual(new Set(["resource:create", "data:read"]));
    // Each module planned with its own provider configuration (the shared provider runs one
    // process per configuration): its resources carry its default tags, and no other's.
    const defaultTags = new Map(stacks.map((s) => [s.module, JSON.parse(stackJson(s.dir)).provider.aws[0].default_tags?.[0]?.tags ?? {}]));
    expect(new Set([...defaultTags.values()].map((t) => JSON.stringify(t))).size).toBeGreaterThan(2);
    const tagged = (plan.resource_changes ?? []).filter((c) => c.change.after?.tags_all);
    expect(tagged.length).toBeGreaterThan(stacks.length);
    const mixed = tagged.filter((c) => {
      const want = { ...defaultTags.get(c.address.split(".")[1]), ...(c.change.after.tags ?? {}) };
      return JSON.stringify(Object.entries(c.change.after.tags_all as object).sort()) !== JSON.stringify(Object.entries(want).sort());
    });
    expect(mixed.map((c) => `${c.address}: ${JSON.stringify(c.change.after.tags_all)}`)).toEqual([]);
    const fn = (plan.resource_changes ?? []).find((c) => c.address === "module.signed_package_provider.aws_lambda_function.lambda");
    expect(fn?.change.after).toMatchObject({ s3_bucket: "example-signed", s3_key: "signed/hello.zip", filename: null });
  });

  test("Terraform gets the schemas of the project's types only, and every type a stack writes is among them", async () => {
    const root = realPlanRoot(stacks.slice(0, 1));
    await runner.mustRun(root, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
    const shown = JSON.parse((await runner.mustRun(root, ["providers", "schema", "-json"], OFFLINE_ENV)).stdout);
    const schema = shown.provider_schemas["registry.terraform.io/hashicorp/aws"];
    const given = [...Object.keys(schema.resource_schemas), ...Object.keys(schema.data_source_schemas)];
    const kept = new Set(projectTypeNames(ROOT));
    expect(given.filter((t) => !kept.has(t))).toEqual([]);
    // The provider has some 1,500 types; Terraform got the project's.
    expect(given.length).toBeLessThan(kept.size * 2);
    const written = new Set(
      stacks.flatMap((s) => {
        const json = JSON.parse(stackJson(s.dir));
        return [...Object.keys(json.resource ?? {}), ...Object.keys(json.data ?? {})].filter((t) => t.startsWith("aws_"));
      }),
    );
    expect(written.size).toBeGreaterThan(20);
    expect([...written].filter((t) => !given.includes(t))).toEqual([]);
  });

  test("proof: a type the project names nowhere fails loudly, and the error says why", async () => {
    // GIVEN the default provider stack with one more resource, of a type written nowhere
    // in the project (so the schema Terraform gets leaves it out)
    const [provider] = (await synthFolders(configWith(), "unnamed")).filter((s) => s.module === "unnamed_provider");
    const type = ["aws", "ec2", "host"].join("_");
    const json = JSON.parse(readFileSync(join(provider.dir, "cdk.tf.json"), "utf8"));
    json.resource[type] = { extra: { availability_zone: "ap-northeast-1a", instance_type: "mac1.metal" } };
    writeFileSync(join(provider.dir, "cdk.tf.json"), JSON.stringify(json));
    // WHEN Terraform validates it; THEN it names the type, and the error says where to look
    const root = realPlanRoot([provider]);
    await runner.mustRun(root, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
    const failure = runner.mustRun(root, ["validate", "-no-color"], OFFLINE_ENV);
    await expect(failure).rejects.toThrow(new RegExp(`does not support resource type "${type}"`));
    await expect(failure).rejects.toThrow(/support\/provider-schema\.ts/);
  });

  test("proof: a name the provider's validator refuses fails the real plan (the mock plan would pass it)", async () => {
    // GIVEN the default provider stack with a security group name AWS refuses
    const [provider] = (await synthFolders(configWith(), "broken")).filter((s) => s.module === "broken_provider");
    const json = JSON.parse(readFileSync(join(provider.dir, "cdk.tf.json"), "utf8"));
    json.resource.aws_security_group.alb.name = "sg-refused";
    writeFileSync(join(provider.dir, "cdk.tf.json"), JSON.stringify(json));
    // WHEN planned with the real provider; THEN its validator refuses it
    const failure = realPlan(runner, [provider]);
    await expect(failure).rejects.toThrow(TerraformError);
    await expect(failure).rejects.toThrow(/sg-/);
  });

  test("destroy with deletion protection on stops at the plan, before anything is removed", async () => {
    // GIVEN the default provider stack, with its load balancers in the state
    const [provider] = (await synthFolders(configWith(), "guarded")).filter((s) => s.module === "guarded_provider");
    const root = realPlanRoot([provider]);
    await runner.mustRun(root, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
    const alias = JSON.parse(readFileSync(join(root, "main.tf.json"), "utf8")).module.guarded_provider.providers.aws.replace(/^aws\./, "");
    writeFileSync(join(root, "terraform.tfstate"), fabricatedLoadBalancerState("guarded_provider", alias));
    // WHEN a destroy is planned
    const result = await runner.run(root, ["plan", "-destroy", "-refresh=false", "-input=false", "-no-color"], OFFLINE_ENV);
    // THEN the plan fails on the guard, so no apply can start
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Instance cannot be destroyed/);
    expect(result.stderr).toMatch(/aws_lb\.(alb|nlb)/);
  });
});

/** A state holding the stack's two load balancers, as a deployed provider would. */
function fabricatedLoadBalancerState(module: string, alias: string): string {
  const lb = (name: string, type: string) => ({
    module: `module.${module}`,
    mode: "managed",
    type: "aws_lb",
    name,
    provider: `provider["registry.terraform.io/hashicorp/aws"].${alias}`,
    instances: [
      {
        schema_version: 0,
        attributes: {
          id: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/${type}/hello-privatelink-${name}/0123456789abcdef`,
          arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/${type}/hello-privatelink-${name}/0123456789abcdef`,
          name: `hello-privatelink-${name}`,
          enable_deletion_protection: true,
        },
      },
    ],
  });
  return JSON.stringify({
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "00000000-0000-0000-0000-000000000000",
    outputs: {},
    resources: [lb("alb", "app"), lb("nlb", "net")],
  });
}
