/**
 * Runs once before the jest workers start:
 * - gives the run its own temp folder (TMPDIR), which global-teardown.ts removes, so the
 *   hundreds of scratch folders the tests make never pile up in the system's temp folder;
 *   in memory when the machine has room there (runTempBase);
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
import { accessSync, constants, mkdtempSync, statfsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectTypeNames } from "./provider-schema";
import { SYNTH_CACHE_ENV } from "./synth-cache";
import { mirroredProviderBinary, providerMirror, SharedProvider, terraformAvailability } from "./terraform";

/** Room a run's temp folder needs, with a wide margin (measured: 117 MB at the peak of a full run). */
export const RUN_TEMP_BYTES = 2 * 1024 ** 3;

/**
 * Where the run's temp folder goes: PLK_TEST_TMPDIR if set; else /dev/shm (memory) when it is
 * a writable folder with RUN_TEMP_BYTES free; else the system's temp folder. The tests make
 * and remove many files (project copies, Terraform roots, plans); on a disk mounted with
 * `discard`, each removal waits for the device. A container's /dev/shm is often
 * 64 MB: too small, so such a run stays on disk.
 */
export function runTempBase(env: NodeJS.ProcessEnv = process.env, memory = "/dev/shm"): string {
  if (env.PLK_TEST_TMPDIR) return env.PLK_TEST_TMPDIR;
  try {
    accessSync(memory, constants.W_OK);
    const fs = statfsSync(memory);
    if (statSync(memory).isDirectory() && fs.bavail * fs.bsize >= RUN_TEMP_BYTES) return memory;
  } catch {
    // No such folder, or not ours to write: the system's temp folder.
  }
  return tmpdir();
}

export default async function globalSetup(): Promise<void> {
  const temp = mkdtempSync(join(runTempBase(), "privatelink-tests-"));
  (globalThis as { runTemp?: string }).runTemp = temp;
  process.env.TMPDIR = temp;
  // Test files share what they synthesize during this run (see stacksFolder).
  process.env[SYNTH_CACHE_ENV] = join(temp, "synth-cache");
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
