/**
 * Resource names checked against AWS's rules (lib/aws/names.ts), across every stack of the
 * app: each name follows its kind's rule (length, characters, reserved prefixes), and no two
 * stacks in one account (and Region) create two resources of one kind with the same name,
 * which would fail the second apply with "already exists".
 */
import { TerraformResource, TerraformStack } from "../cdktf";
import { NAME_RULES, NameKind, nameProblem } from "./names";

/** Which attribute of which resource type holds a name of which kind (the policy rule PLK_AWS_NAMES reads it too). */
export const NAMED: readonly { readonly type: string; readonly attribute: string; readonly kind: NameKind }[] = [
  { type: "aws_iam_role", attribute: "name", kind: "iamRole" },
  { type: "aws_cloudwatch_log_group", attribute: "name", kind: "logGroup" },
  { type: "aws_lb", attribute: "name", kind: "loadBalancer" },
  { type: "aws_lb_target_group", attribute: "name", kind: "targetGroup" },
  { type: "aws_lambda_function", attribute: "function_name", kind: "lambdaFunction" },
  { type: "aws_cloudwatch_metric_alarm", attribute: "alarm_name", kind: "metricAlarm" },
  { type: "aws_cloudwatch_dashboard", attribute: "dashboard_name", kind: "dashboard" },
  { type: "aws_sns_topic", attribute: "name", kind: "snsTopic" },
  { type: "aws_kms_alias", attribute: "name", kind: "kmsAlias" },
];

/** The resource types whose names must be unique. */
export const NAMED_TYPES: readonly string[] = NAMED.map((n) => n.type);

/**
 * The resources of `types` in `stack`, as Terraform JSON would hold them (unresolved: a name
 * built from literals is a literal, one holding a reference is a token).
 */
export function resourcesOf(stack: TerraformStack, types: readonly string[]): DeployedStack["json"] {
  const resource: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const element of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(element) || !types.includes(element.terraformResourceType)) continue;
    const json = element.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> };
    for (const [type, byName] of Object.entries(json.resource)) Object.assign((resource[type] ??= {}), byName);
  }
  return { resource };
}

/** One synthesized stack: where it deploys, and its Terraform JSON. */
export interface DeployedStack {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly json: { readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>> };
}

/**
 * One message per name AWS would refuse: a name that breaks its kind's rule (length,
 * characters, reserved prefix), or one that two resources would share. Empty when all pass.
 */
export function refusedNames(stacks: readonly DeployedStack[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const stack of stacks) {
    for (const { type, attribute, kind } of NAMED) {
      for (const [address, resource] of Object.entries(stack.json.resource?.[type] ?? {})) {
        const name = resource[attribute];
        // Names Terraform computes (references) can't be compared here; the app writes literals.
        if (typeof name !== "string" || name.includes("${")) continue;
        const rule = NAME_RULES[kind];
        const broken = nameProblem(kind, name);
        if (broken) problems.push(`${stack.name}'s ${type}.${address} is named "${name}", which ${broken}`);
        const scope = rule.unique === "account" ? stack.accountId : `${stack.accountId}/${stack.region}`;
        // IAM role names are unique regardless of letter case.
        const key = `${kind}|${scope}|${kind === "iamRole" ? name.toLowerCase() : name}`;
        const here = `${stack.name}'s ${type}.${address}`;
        const first = seen.get(key);
        if (first) {
          const where = rule.unique === "account" ? `account ${stack.accountId}` : `account ${stack.accountId} in ${stack.region}`;
          problems.push(
            `${rule.what} "${name}" is used by both ${first} and ${here} in ${where}; AWS requires it to be unique per ${rule.unique} (${rule.source})`,
          );
        } else {
          seen.set(key, here);
        }
      }
    }
  }
  return problems;
}
