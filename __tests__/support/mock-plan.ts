/**
 * Builds one Terraform root that calls several synthesized stacks as modules, so a single
 * `terraform validate` and a single mock `terraform test` check them all. Each Terraform
 * process spends seconds loading the AWS provider's schema; one process for every example
 * stack keeps the suite fast.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One stack folder to include, under a module name. */
export interface StackFolder {
  readonly module: string;
  readonly dir: string;
  /** The module whose outputs this stack's `terraform_remote_state` reads. */
  readonly remoteStateFrom?: string;
}

/** Mock values that stand in for what AWS would report at plan time. */
export const MOCK_AZ_IDS = ["apne1-az1", "apne1-az4"];
export const MOCK_SERVICE_NAME = "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0";

/**
 * A root module calling every stack. With `forPlan`, each module copy loses its `provider`
 * and `backend` blocks: a module's own provider block would bypass `mock_provider` and reach
 * for real credentials, and backends only apply to a root. The provider blocks are checked
 * by `terraform validate` on the unmodified copy.
 */
export function aggregateRoot(stacks: readonly StackFolder[], forPlan: boolean): string {
  const root = mkdtempSync(join(tmpdir(), forPlan ? "tf-agg-plan-" : "tf-agg-validate-"));
  const modules: Record<string, { source: string }> = {};
  for (const { module, dir } of stacks) {
    const target = join(root, "stacks", module);
    cpSync(dir, target, { recursive: true });
    if (forPlan) {
      const json = JSON.parse(readFileSync(join(target, "cdk.tf.json"), "utf8"));
      delete json.provider;
      delete json.terraform.backend;
      delete json.terraform.cloud;
      writeFileSync(join(target, "cdk.tf.json"), JSON.stringify(json));
    }
    modules[module] = { source: `./stacks/${module}` };
  }
  const rootConfig: Record<string, unknown> = { module: modules };
  if (forPlan) {
    // The modules inherit this default provider, which `mock_provider "aws"` then replaces.
    rootConfig.terraform = { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } };
    rootConfig.provider = { aws: [{ region: "ap-northeast-1" }] };
  }
  writeFileSync(join(root, "main.tf.json"), JSON.stringify(rootConfig, null, 2));
  return root;
}

const hcl = (value: unknown): string => JSON.stringify(value).replace(/\$\{/g, "$${");

/**
 * A `terraform test` file that plans every module against a mock AWS provider. Data
 * sources get plausible values: existing subnets alternate between two AZ IDs (in the
 * order they are declared), remote states return the producer's outputs as those mocks
 * would make them, and an outside endpoint service reports two AZs.
 */
export function mockPlanTestFile(
  stacks: readonly StackFolder[],
  /** AZ IDs to force for some existing subnets, keyed `<module>/<data source name>`. */
  azOverrides: Readonly<Record<string, string>> = {},
): string {
  const overrides: string[] = [];
  const subnetAz = new Map<string, string>();
  const jsonOf = (dir: string) => JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
  for (const { module, dir } of stacks) {
    const json = jsonOf(dir);
    Object.keys(json.data?.aws_subnet ?? {}).forEach((name, i) => {
      const az = azOverrides[`${module}/${name}`] ?? MOCK_AZ_IDS[i % MOCK_AZ_IDS.length];
      subnetAz.set(`${module}/${name}`, az);
      overrides.push(
        override(`module.${module}.data.aws_subnet.${name}`, {
          availability_zone_id: az,
          availability_zone: `zone-of-${az}`,
          // A /24 with room: the ALB's subnet checks pass.
          cidr_block: `10.9.${i}.0/24`,
          available_ip_address_count: 250,
        }),
      );
    });
    for (const name of Object.keys(json.data?.aws_vpc_endpoint_service ?? {})) {
      overrides.push(
        override(`module.${module}.data.aws_vpc_endpoint_service.${name}`, { availability_zones: ["ap-northeast-1a", "ap-northeast-1c"] }),
      );
    }
    for (const name of Object.keys(json.data?.aws_partition ?? {})) {
      overrides.push(override(`module.${module}.data.aws_partition.${name}`, { partition: "aws", dns_suffix: "amazonaws.com" }));
    }
  }
  for (const { module, dir, remoteStateFrom } of stacks) {
    const producer = stacks.find((s) => s.module === remoteStateFrom);
    if (!producer) continue;
    const outputs: Record<string, unknown> = {};
    for (const [name, output] of Object.entries<{ value: unknown }>(jsonOf(producer.dir).output ?? {})) {
      outputs[name] = mockValue(producer.module, output.value, subnetAz);
    }
    for (const name of Object.keys(jsonOf(dir).data?.terraform_remote_state ?? {})) {
      overrides.push(override(`module.${module}.data.terraform_remote_state.${name}`, { outputs }));
    }
  }
  return [MOCK_PROVIDER, ...overrides, 'run "plan" {\n  command = plan\n}\n'].join("\n");
}

function override(target: string, values: Record<string, unknown>): string {
  const body = Object.entries(values).map(([k, v]) => `    ${k} = ${hcl(v)}`);
  return `override_data {\n  target = ${target}\n  values = {\n${body.join("\n")}\n  }\n}\n`;
}

/** What a producer output would hold after a mock apply: AZ IDs of subnets, or a service name. */
function mockValue(module: string, expression: unknown, subnetAz: Map<string, string>): unknown {
  const text = String(expression);
  const azRefs = [...text.matchAll(/data\.aws_subnet\.([\w-]+)\.availability_zone_id/g)].map((m) => subnetAz.get(`${module}/${m[1]}`));
  if (azRefs.length > 0) return text.startsWith("${distinct(") ? [...new Set(azRefs)] : azRefs[0];
  if (Array.isArray(expression)) return expression;
  return text.includes("service_name") ? MOCK_SERVICE_NAME : `mock-${text.replace(/\W+/g, "-")}`;
}

const arn = (service: string, resource: string) => `arn:aws:${service}:ap-northeast-1:111111111111:${resource}`;

/** ARN-shaped defaults wherever the AWS provider validates an ARN downstream. */
const MOCK_PROVIDER = `mock_provider "aws" {
  mock_resource "aws_lb" {
    defaults = { arn = "${arn("elasticloadbalancing", "loadbalancer/app/mock/0000000000000000")}" }
  }
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "${arn("elasticloadbalancing", "targetgroup/mock/0000000000000000")}" }
  }
  mock_resource "aws_lb_listener" {
    defaults = { arn = "${arn("elasticloadbalancing", "listener/app/mock/0000000000000000/0000000000000000")}" }
  }
  mock_resource "aws_lb_listener_rule" {
    defaults = { arn = "${arn("elasticloadbalancing", "listener-rule/app/mock/0000000000000000/0000000000000000/0000000000000000")}" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "${arn("lambda", "function:mock")}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/mock" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "${arn("sns", "mock-alarms")}" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "${arn("kms", "key/00000000-0000-0000-0000-000000000000")}", key_id = "00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_cloudwatch_metric_alarm" {
    defaults = { arn = "${arn("cloudwatch", "alarm:mock")}" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}" }
  }
  mock_resource "aws_vpc_endpoint" {
    defaults = {
      dns_entry = [{ dns_name = "vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.ap-northeast-1.vpce.amazonaws.com", hosted_zone_id = "Z2E726K9Y6RL4W" }]
    }
  }
}
`;
