/** Repairs for cdktf 0.21's `synth --hcl` output, applied to each stack's `cdk.tf`. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REQUIRED_TERRAFORM } from "./constructs/state-backend";

/**
 * cdktf writes `depends_on` entries as quoted strings (`"aws_lb.alb"`), which Terraform
 * accepts with a "Quoted references are deprecated" warning per entry. Unquote them.
 */
export function unquoteDependsOn(hcl: string): string {
  return hcl.replace(
    /(depends_on = \[\n)((?:\s*"[^"\n]+",?\n)+)(\s*\])/g,
    (_m, open: string, entries: string, close: string) => `${open}${entries.replace(/"([A-Za-z0-9_.\-[\]]+)"/g, "$1")}${close}`,
  );
}

/**
 * cdktf renders the `terraform` block's `required_version` (set by an override: cdktf has no
 * API for it) as `0 = "required_version"`, losing the value, which Terraform refuses. Write
 * the constraint every stack sets.
 */
export function restoreRequiredVersion(hcl: string): string {
  return hcl.replace(/^(\s*)0 = "required_version"$/m, `$1required_version = "${REQUIRED_TERRAFORM}"`);
}

/** Applies every repair to the `cdk.tf` of each stack under `outdir` (a JSON synth has none). */
export function repairHclOutput(outdir: string): void {
  const stacksDir = join(outdir, "stacks");
  for (const stack of readdirSync(stacksDir)) {
    const file = join(stacksDir, stack, "cdk.tf");
    if (existsSync(file)) writeFileSync(file, restoreRequiredVersion(unquoteDependsOn(readFileSync(file, "utf8"))));
  }
}
