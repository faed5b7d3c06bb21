/**
 * Plans a synthesized stack with the real hashicorp/aws provider, offline: its own
 * validators run (the mock provider skips them), and any AWS API call fails at once.
 *
 * The stack folder is copied, and an override file gives the provider fake static
 * credentials, the skip_* switches, one retry, and every endpoint at http://127.0.0.1:1
 * (AWS_ENDPOINT_URL covers every service; the services the stacks use are also listed in
 * the override itself). State goes to a local file in the copy.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TerraformRunner } from "./terraform";

/** Where every AWS API call goes: a closed port on loopback, refused at once. */
export const DEAD_ENDPOINT = "http://127.0.0.1:1";

/** Services the stacks call, named as the provider's `endpoints` block names them. */
const SERVICES = [
  "acm",
  "cloudwatch",
  "ec2",
  "elbv2",
  "iam",
  "kms",
  "lambda",
  "logs",
  "route53",
  "s3",
  "sns",
  "ssm",
  "secretsmanager",
  "sts",
];

/** What makes a provider configuration offline: fake credentials, no checks, dead endpoints. */
export function offlineProviderSettings(): Record<string, unknown> {
  return {
    access_key: "AKIAIOSFODNN7EXAMPLE",
    secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    max_retries: 1,
    endpoints: [Object.fromEntries(SERVICES.map((s) => [s, DEAD_ENDPOINT]))],
  };
}

/** The override file that makes the provider offline; `region` as the stack has it. */
export function offlineOverride(): string {
  return JSON.stringify({ terraform: { backend: { local: { path: "terraform.tfstate" } } }, ...offlineProvider() }, null, 2);
}

/** The override file that makes a module's own provider block offline (no backend: a root's business). */
export function offlineModuleOverride(): string {
  return JSON.stringify(offlineProvider(), null, 2);
}

function offlineProvider() {
  return {
    provider: {
      aws: [
        {
          ...offlineProviderSettings(),
          // The account can't be read offline; allowed_account_ids would refuse the empty ID.
          allowed_account_ids: null,
          // The stack's own credentials (a profile, a role to assume) are replaced; an
          // assume_role block without a role assumes nothing.
          profile: null,
          assume_role: [{ role_arn: null }],
        },
      ],
    },
  };
}

/** The environment of offline plans: every SDK endpoint on the closed port. */
export const OFFLINE_ENV = { AWS_ENDPOINT_URL: DEAD_ENDPOINT, AWS_MAX_ATTEMPTS: "1" };

/** A plan in `terraform show -json` form. */
export interface PlanJson {
  readonly resource_changes?: { address: string; type: string; change: { actions: string[]; after: Record<string, unknown> } }[];
  readonly planned_values?: unknown;
  readonly [key: string]: unknown;
}

/** Plans a copy of `stackDir` offline; `extraFiles` are written into the copy first. */
export async function planOffline(
  runner: TerraformRunner,
  stackDir: string,
  extraFiles: Readonly<Record<string, string>> = {},
): Promise<{ dir: string; plan: PlanJson }> {
  const dir = runner.workspace(stackDir, { "zz_offline_override.tf.json": offlineOverride(), ...extraFiles });
  await runner.mustRun(dir, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
  await runner.mustRun(dir, ["plan", "-refresh=false", "-input=false", "-no-color", "-out=plan.bin"], OFFLINE_ENV);
  const shown = await runner.mustRun(dir, ["show", "-json", "plan.bin"], OFFLINE_ENV);
  return { dir, plan: JSON.parse(shown.stdout) as PlanJson };
}

/** The text of a stack folder's Terraform JSON. */
export const stackJson = (dir: string): string => readFileSync(join(dir, "cdk.tf.json"), "utf8");
