/**
 * Writes a synth into `cdktf.out` only when it succeeded: the app synthesizes into a staging
 * folder, then its generated files replace the previous ones. A failure anywhere (a policy
 * finding, say) leaves the last good output exactly as it was.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What a synth writes into a stack folder; everything else there (`.terraform/`, the lock file) stays. */
const GENERATED = ["assets", "cdk.tf.json", "cdk.tf", "metadata.json", ".trivyignore.yaml", ".checkov.yaml"];

/**
 * Copies a finished synth from `staging` into `outdir`, replacing each stack's generated
 * files (so a JSON synth after an `--hcl` one leaves no stale `cdk.tf` behind).
 */
export function publish(staging: string, outdir: string): void {
  if (existsSync(outdir)) {
    for (const stack of readdirSync(join(staging, "stacks"))) {
      for (const name of GENERATED) rmSync(join(outdir, "stacks", stack, name), { recursive: true, force: true });
    }
  }
  cpSync(staging, outdir, { recursive: true, force: true });
}

/** Runs `work` with a temporary folder that is removed afterwards, whatever happens. */
export async function withWorkDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "privatelink-lambda-"));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
