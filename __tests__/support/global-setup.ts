/**
 * Runs once before the jest workers start:
 * - gives the run its own temp folder (TMPDIR), which global-teardown.ts removes
 *   (run-temp.ts), in memory when the machine has room there;
 * - gives test files a cache of synthesized configs for this run (helpers.ts, stacksFolder);
 * - starts the shared AWS provider for the whole run (when Terraform and the mirror are
 *   here): Terraform in every test file attaches to it instead of starting its own provider
 *   processes, and each provider configuration's process is started once for all of them.
 *   The provider's validation of each provider configuration is kept across runs in the
 *   project's `.build/provider-answers` (support/provider-proxy.ts says why, and the key),
 *   and Terraform gets the schemas of the resource types the project names only
 *   (support/provider-schema.ts says why).
 * The workers inherit both through the environment.
 */
import { join } from "node:path";
import { projectTypeNames } from "./provider-schema";
import { makeRunTemp } from "./run-temp";
import { mirroredProviderBinary, providerMirror, SharedProvider, terraformAvailability } from "./terraform";

export default async function globalSetup(): Promise<void> {
  makeRunTemp();
  const mirror = providerMirror();
  const binary = mirror && mirroredProviderBinary(mirror);
  if (terraformAvailability().mode !== "run" || !binary) return;
  const root = join(__dirname, "..", "..");
  const shared = await SharedProvider.start(binary, {
    answersDir: join(root, ".build", "provider-answers"),
    types: projectTypeNames(root),
  });
  (globalThis as { sharedProvider?: SharedProvider }).sharedProvider = shared;
  process.env.TF_SHARED_PROVIDER_REATTACH = shared.reattach;
}
