/**
 * All-or-nothing publishing of a synth into its output folder (`cdktf.out`).
 *
 * A run builds the complete new output in a work folder beside the output folder, then
 * swaps the two with renames, so that `cdktf.out` is always either the previous complete
 * output or the new one, whatever stops the run (kill -9, a full disk, a permission error):
 *
 *     <parent>/.cdktf.out.lock                 one writer at a time (see OutputLock)
 *     <parent>/.cdktf.out.synth-<pid>-<rand>/  this run's work folder
 *         package/   the Lambda zip before cdktf copies it into the output
 *         out/       the new output, built completely here
 *     <parent>/.cdktf.out.old-<pid>-<rand>/    the previous output, moved here by the swap
 *
 * The swap is two renames (POSIX has no portable exchange of two folders): `cdktf.out` →
 * `.cdktf.out.old-…`, then `out` → `cdktf.out`. A run killed between the two leaves no
 * `cdktf.out` for those microseconds; the next run (even one refused for a bad config) puts
 * the previous output back before it does anything else, and removes the work folders of
 * runs that died.
 *
 * The previous output moves beside the output folder, at its depth, and is removed only when
 * no process works in it: a Terraform run in a stack folder (a deploy while another terminal
 * synthesizes) reaches its local state through `../../../state/…`, which resolves the same
 * from there, and finishes with the files it started with. A later synth removes it.
 *
 * Terraform's own files in a stack folder (`.terraform/`, `.terraform.lock.hcl`) are
 * carried into the new output by hard links, so a swap never forces `terraform init` and
 * never touches the previous output until it is replaced.
 */
import * as realFs from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { describeFileSystemError, isFileSystemError, OutputError } from "./output-errors";
import { FileOps, LockOptions, OutputLock, processAlive, processesWorkingIn, siblingsOf } from "./output-lock";
import { firstFew, pathMistake } from "./text";

export { describeFileSystemError, isFileSystemError, OutputError } from "./output-errors";
export { FILE_OPS, lockWaitMs, OutputLock, siblingsOf, waitingLine } from "./output-lock";
export type { FileOps, LockHolder, LockOptions } from "./output-lock";

/** What a synth writes into a stack folder; everything else there is carried over. */
export const GENERATED = ["assets", "cdk.tf.json", "cdk.tf", "metadata.json", ".trivyignore.yaml", ".checkov.yaml"];
/** What a synth writes at the top of the output folder. */
const GENERATED_TOP = ["manifest.json", "stacks"];

/** Removes `path` whatever its permissions; true when it is gone. */
function removeTree(fs: FileOps, path: string): boolean {
  try {
    fs.rmSync(path, { recursive: true, force: true });
    return true;
  } catch {
    try {
      // A read-only folder inside (a user's chmod, say) blocks removal: open it up, retry.
      const open = (p: string) => {
        const st = fs.lstatSync(p);
        if (!st.isDirectory()) return;
        fs.chmodSync(p, 0o700);
        for (const name of fs.readdirSync(p)) open(join(p, name));
      };
      open(path);
      fs.rmSync(path, { recursive: true, force: true });
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Repairs what killed runs left: an output folder missing because a run died between the
 * two renames of its swap gets its previous content back; work folders of dead runs go.
 * Call only while holding the lock.
 */
export function recoverInterrupted(outdir: string, fs: FileOps = realFs): void {
  const { parent, workPrefix, oldPrefix } = siblingsOf(outdir);
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  const work = names.filter((n) => n.startsWith(workPrefix)).map((n) => join(parent, n));
  // Files of lock attempts (`.cdktf.out.lock.<pid>.<rand>`, `….lock.stale.<pid>.<rand>`) whose process is gone.
  const lockName = basename(siblingsOf(outdir).lock);
  for (const name of names) {
    const pid = name.startsWith(`${lockName}.`)
      ? Number(
          name
            .slice(lockName.length + 1)
            .replace(/^stale\./, "")
            .split(".")[0],
        )
      : NaN;
    if (Number.isInteger(pid) && !processAlive(pid)) fs.rmSync(join(parent, name), { force: true });
  }
  const olds = names.filter((n) => n.startsWith(oldPrefix)).map((n) => join(parent, n));
  if (!fs.existsSync(outdir)) {
    // The previous output of a run that died between the two renames: its work folder is
    // still there (`old/` inside it, from earlier versions of this app).
    const interrupted = [
      ...olds.filter((old) => work.includes(join(parent, workPrefix + basename(old).slice(oldPrefix.length)))),
      ...work.map((dir) => join(dir, "old")).filter((old) => fs.existsSync(old)),
    ].sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    if (interrupted.length > 0) fs.renameSync(interrupted[0], outdir);
  }
  for (const dir of work) removeTree(fs, dir);
  for (const old of olds) if (fs.existsSync(old)) removeUnlessInUse(fs, old);
}

/**
 * Removes the previous output `old` unless a process works in it; returns those processes
 * (none when it was removed).
 */
function removeUnlessInUse(fs: FileOps, old: string): { pid: number; command: string }[] {
  // Best effort, after the swap: whatever fails here is left to the next synth.
  try {
    const users = processesWorkingIn(old);
    if (users.length === 0) removeTree(fs, old);
    return users;
  } catch {
    return [];
  }
}

/** Recreates `from` at `to` with hard links (copies where links are refused); symlinks stay symlinks. */
function linkTree(fs: FileOps, from: string, to: string): void {
  const st = fs.lstatSync(from);
  if (st.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(from), to);
  } else if (st.isDirectory()) {
    fs.mkdirSync(to);
    for (const name of fs.readdirSync(from)) linkTree(fs, join(from, name), join(to, name));
  } else if (st.isFile()) {
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to);
    }
  }
}

const listDir = (fs: FileOps, dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

/**
 * Completes `staging` with what is not ours in the previous output: top-level extras, and in
 * every stack folder that survives, Terraform's working files. Stack folders of stacks that
 * are gone are not carried: after a swap, `stacks/` holds exactly the manifest's stacks.
 */
export function carryOver(fs: FileOps, previous: string, staging: string): void {
  if (!fs.existsSync(previous)) return;
  for (const name of listDir(fs, previous)) {
    if (!GENERATED_TOP.includes(name) && !fs.existsSync(join(staging, name))) linkTree(fs, join(previous, name), join(staging, name));
  }
  const stacks = new Set(listDir(fs, join(staging, "stacks")));
  for (const stack of listDir(fs, join(previous, "stacks"))) {
    if (!stacks.has(stack)) continue;
    const from = join(previous, "stacks", stack);
    if (!fs.lstatSync(from).isDirectory()) continue;
    for (const name of fs.readdirSync(from)) {
      const to = join(staging, "stacks", stack, name);
      if (!GENERATED.includes(name) && !fs.existsSync(to)) linkTree(fs, join(from, name), to);
    }
  }
}

/**
 * The cdktf CLI lists the stack folders before it runs the app and, after a successful
 * synth, deletes those the manifest no longer names, with an `rmSync` that fails on a
 * folder that is already gone. Under the CLI, each such folder is left empty for it.
 */
function placeholdersForCli(fs: FileOps, previous: string, staging: string): void {
  const stacks = new Set(listDir(fs, join(staging, "stacks")));
  for (const stack of listDir(fs, join(previous, "stacks"))) {
    if (!stacks.has(stack)) fs.mkdirSync(join(staging, "stacks", stack));
  }
}

/** The output folder as an absolute real path; refused when it is not a folder. */
export function resolveOutdir(outdir: string, fs: FileOps = realFs): string {
  // A folder named "~", or " cdktf.out", would be made in the project without a word.
  const mistake = pathMistake(outdir);
  if (mistake !== undefined) {
    throw new OutputError(
      `Cannot use the output folder ${JSON.stringify(outdir)}: ${mistake}. Set CDKTF_OUTDIR to the full path. Nothing was changed.`,
    );
  }
  const absolute = resolve(outdir);
  let st: realFs.Stats;
  try {
    st = fs.statSync(absolute);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      try {
        // The parent folders of a new output folder (CDKTF_OUTDIR=build/out, say).
        fs.mkdirSync(dirname(absolute), { recursive: true });
      } catch (mkdirErr) {
        if (isFileSystemError(mkdirErr)) throw new OutputError(describeFileSystemError(mkdirErr, "create the output folder's parent"));
        throw mkdirErr;
      }
      return absolute;
    }
    if (isFileSystemError(err)) throw new OutputError(describeFileSystemError(err, "use the output folder"));
    throw err;
  }
  if (!st.isDirectory()) {
    throw new OutputError(
      `Cannot write the output folder ${absolute}: it is a file, not a folder. Move the file away, or set CDKTF_OUTDIR to another path.`,
    );
  }
  // A symlinked output folder stays a symlink: the swap happens where it points.
  let real: string;
  let problem: string | undefined;
  try {
    real = fs.realpathSync(absolute);
    problem = foreignFolderProblem(real, fs);
  } catch (err) {
    if (isFileSystemError(err)) throw new OutputError(describeFileSystemError(err, "use the output folder"));
    throw err;
  }
  if (problem) {
    throw new OutputError(
      `Cannot write the output folder ${real}: ${problem}, and a synth replaces its output folder whole. Set CDKTF_OUTDIR to a new or empty folder, or to an earlier synth's output. Nothing was changed.`,
    );
  }
  return real;
}

/** True when `file` is a cdktf manifest: a JSON object with a version and its stacks. */
function isSynthManifest(file: string, fs: FileOps): boolean {
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    // No such file, or not JSON: no manifest. A disk that fails to read it is its own error.
    const code = (err as NodeJS.ErrnoException).code;
    if (err instanceof SyntaxError || code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return false;
    throw err;
  }
  if (manifest === null || typeof manifest !== "object") return false;
  const { version, stacks } = manifest as Record<string, unknown>;
  return typeof version === "string" && stacks !== null && typeof stacks === "object" && !Array.isArray(stacks);
}

/**
 * Why the existing folder `dir` must not become a synth's output, or undefined when it may:
 * it is empty, or an earlier synth's output. The swap replaces the output folder whole, so
 * a folder of the user's (`CDKTF_OUTDIR=.`, a build folder, a home folder) would lose its
 * `stacks/` and `manifest.json` and be moved away under the command running in it.
 */
export function foreignFolderProblem(dir: string, fs: FileOps = realFs, cwd = process.cwd()): string | undefined {
  const up = relative(dir, cwd);
  const outside = up === ".." || up.startsWith(`..${sep}`) || isAbsolute(up);
  if (!outside) return `it holds the folder this command runs in (${cwd})`;
  const entries = fs.readdirSync(dir).sort();
  if (entries.length === 0 || isSynthManifest(join(dir, "manifest.json"), fs)) return undefined;
  return `it holds ${firstFew(entries)}, and is no synth's output (no cdktf manifest.json in it)`;
}

/**
 * Repairs an interrupted swap of `outdir` if no other synth is running, without waiting and
 * without creating anything; for runs that stop early (a bad config), so that even they
 * leave a complete output behind. Best effort: any problem is left to the next synth.
 */
export async function repairInterrupted(outdir: string, fs: FileOps = realFs): Promise<void> {
  const absolute = resolve(outdir);
  if (!fs.existsSync(dirname(absolute))) return;
  try {
    const target = fs.existsSync(absolute) ? fs.realpathSync(absolute) : absolute;
    const lock = await OutputLock.acquire(target, { waitMs: 0, fs });
    try {
      recoverInterrupted(target, fs);
    } finally {
      lock.release();
    }
  } catch {
    /* another synth holds the lock, or the folder is not writable: nothing to repair here */
  }
}

/** Options of {@link publishSynth}. */
export interface PublishOptions extends LockOptions {
  /** The cdktf CLI runs the app (it removes orphaned stack folders itself afterwards). */
  readonly underCli?: boolean;
  /** Called when the previous output stays, at `kept`, because `users` work in it. */
  readonly onKept?: (kept: string, users: { pid: number; command: string }[]) => void;
}

/** Folders a build step writes into. */
export interface WorkFolders {
  /** Where the complete new output goes (cdktf's `outdir`). */
  readonly staging: string;
  /** Scratch space beside it (the Lambda zip before cdktf copies it), removed afterwards. */
  readonly scratch: string;
}

/**
 * The signals that stop a synth, with their numbers (the exit code is 128 + the number, as a
 * shell reports it): Ctrl-C, `kill`, and a closed terminal or dropped SSH session.
 */
export const STOP_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof STOP_SIGNALS;
const stopSignals = Object.keys(STOP_SIGNALS) as StopSignal[];

/**
 * Runs `build` into a fresh work folder beside `outdir`, then swaps its output in. If `build`
 * or anything before the swap fails, `outdir` is untouched. Returns the real output path.
 */
export async function publishSynth(
  outdir: string,
  build: (folders: WorkFolders) => Promise<void>,
  options: PublishOptions = {},
): Promise<string> {
  const fs = options.fs ?? realFs;
  const target = resolveOutdir(outdir, fs);
  let work: string | undefined;
  let lock: OutputLock | undefined;
  // Installed before the lock is tried: a signal then waits for the current (synchronous)
  // lock attempt to finish and remove its attempt file, instead of killing the run mid-way.
  const onSignal = (signal: NodeJS.Signals) => {
    if (work) removeTree(fs, work);
    lock?.release();
    process.exit(128 + STOP_SIGNALS[signal as StopSignal]);
  };
  for (const signal of stopSignals) process.once(signal, onSignal);
  try {
    lock = await OutputLock.acquire(target, options).catch((err: unknown) => {
      const { lock: file } = siblingsOf(target);
      if (isFileSystemError(err)) throw new OutputError(describeFileSystemError(err, `create the lock file ${file}`, file));
      throw err;
    });
    recoverInterrupted(target, fs);
    work = fs.mkdtempSync(join(dirname(target), siblingsOf(target).workPrefix + `${process.pid}-`));
    const folders: WorkFolders = { staging: join(work, "out"), scratch: join(work, "package") };
    fs.mkdirSync(folders.scratch);
    await build(folders);
    carryOver(fs, target, folders.staging);
    if (options.underCli) placeholdersForCli(fs, target, folders.staging);
    // The swap: from here to the second rename is the only moment without a cdktf.out.
    const { workPrefix, oldPrefix } = siblingsOf(target);
    const old = join(dirname(target), oldPrefix + basename(work).slice(workPrefix.length));
    const hadPrevious = fs.existsSync(target);
    if (hadPrevious) fs.renameSync(target, old);
    try {
      fs.renameSync(folders.staging, target);
    } catch (err) {
      if (hadPrevious) fs.renameSync(old, target);
      throw err;
    }
    const users = hadPrevious ? removeUnlessInUse(fs, old) : [];
    if (users.length > 0) options.onKept?.(old, users);
    return target;
  } catch (err) {
    if (isFileSystemError(err)) throw new OutputError(describeFileSystemError(err, `write the new output for ${target}`));
    throw err;
  } finally {
    for (const signal of stopSignals) process.removeListener(signal, onSignal);
    if (work) removeTree(fs, work);
    lock?.release();
  }
}
