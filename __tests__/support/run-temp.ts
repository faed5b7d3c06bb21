/**
 * The temp folder of one jest run (`npm test` and `npm run test:quick` alike): every scratch
 * folder the tests make goes in it (TMPDIR), and global-teardown.ts removes it, so the hundreds
 * of scratch folders a run makes never pile up in the system's temp folder. A run stopped
 * before its teardown (Ctrl-C, a cancelled CI job) leaves its folder behind; the next run
 * removes it (removeAbandonedRuns). Also jest's `globalSetup` of `npm run test:quick`.
 */
import { accessSync, constants, mkdtempSync, readdirSync, rmSync, statfsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SYNTH_CACHE_ENV } from "./synth-cache";

/** Room a run's temp folder needs, with a wide margin (measured: 117 MB at the peak of a full run). */
export const RUN_TEMP_BYTES = 2 * 1024 ** 3;

/**
 * A run's folder is named after the process that owns it: `privatelink-tests-<pid>-<random>`
 * (`privatelink-mutation-<pid>-<random>` for `npm run test:mutation`).
 */
const RUN_FOLDER = /^privatelink-(?:tests|mutation)-(\d+)-[^/]+$/;

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

/** Whether process `pid` is running (EPERM: it is, as another user's). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the run folders in `base` whose owner process is gone: runs stopped before their
 * teardown. A folder of a run still going (this user's or another's) is left alone, and so is
 * one this user may not remove. Returns the names removed.
 */
export function removeAbandonedRuns(base: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return removed;
  }
  for (const name of names) {
    const owner = RUN_FOLDER.exec(name)?.[1];
    if (owner === undefined || running(Number(owner))) continue;
    try {
      rmSync(join(base, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Another user's folder in a shared /tmp: theirs to remove.
    }
  }
  return removed;
}

/**
 * Makes this run's temp folder (after removing abandoned ones) and points TMPDIR and the
 * synth cache at it; the jest workers inherit both through the environment.
 */
export function makeRunTemp(env: NodeJS.ProcessEnv = process.env): string {
  const base = runTempBase(env);
  removeAbandonedRuns(base);
  const temp = mkdtempSync(join(base, `privatelink-tests-${process.pid}-`));
  (globalThis as { runTemp?: string }).runTemp = temp;
  env.TMPDIR = temp;
  // Test files share what they synthesize during this run (see stacksFolder in helpers.ts).
  env[SYNTH_CACHE_ENV] = join(temp, "synth-cache");
  return temp;
}

export default function quickSetup(): void {
  makeRunTemp();
}
