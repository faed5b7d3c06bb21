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
 *         old/       the previous output, moved here by the swap, then removed
 *
 * The swap is two renames (POSIX has no portable exchange of two folders): `cdktf.out` →
 * `old`, then `out` → `cdktf.out`. A run killed between the two leaves no `cdktf.out` for
 * those microseconds; the next run (even one refused for a bad config) puts `old` back
 * before it does anything else, and removes the work folders of runs that died.
 *
 * Terraform's own files in a stack folder (`.terraform/`, `.terraform.lock.hcl`) are
 * carried into the new output by hard links, so a swap never forces `terraform init` and
 * never touches the previous output until it is replaced.
 */
import * as realFs from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

/** The file-system calls publishing makes; tests pass a wrapper that injects faults. */
export const FILE_OPS = [
  "existsSync",
  "lstatSync",
  "statSync",
  "realpathSync",
  "mkdirSync",
  "mkdtempSync",
  "readdirSync",
  "readFileSync",
  "readlinkSync",
  "symlinkSync",
  "linkSync",
  "copyFileSync",
  "writeFileSync",
  "renameSync",
  "rmSync",
  "unlinkSync",
  "chmodSync",
] as const;
/** The subset of `node:fs` that publishing uses. */
export type FileOps = Pick<typeof realFs, (typeof FILE_OPS)[number]>;

/** What a synth writes into a stack folder; everything else there is carried over. */
export const GENERATED = ["assets", "cdk.tf.json", "cdk.tf", "metadata.json", ".trivyignore.yaml", ".checkov.yaml"];
/** What a synth writes at the top of the output folder. */
const GENERATED_TOP = ["manifest.json", "stacks"];

/** A problem with the output folder or the disk: one line for the user, never a stack trace. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputError";
  }
}

const ERRNO: Record<string, string> = {
  ENOSPC: "no space left on the device. Free some space (or set CDKTF_OUTDIR to a folder on another disk) and synth again",
  EDQUOT: "the disk quota is used up. Free some space and synth again",
  EACCES: "permission denied. Check that path's permissions (ls -ld), or set CDKTF_OUTDIR to a writable folder",
  EPERM: "operation not permitted. Check that path's permissions and attributes, or set CDKTF_OUTDIR to a writable folder",
  EROFS: "the file system is read-only. Set CDKTF_OUTDIR to a folder on a writable disk",
  ENOTDIR: "a part of the path is a file, not a folder. Move that file away, or set CDKTF_OUTDIR to another path",
  EEXIST: "something is already there. Move it away, or set CDKTF_OUTDIR to another path",
  EISDIR: "a folder is where a file should be. Move it away, or set CDKTF_OUTDIR to another path",
  ENAMETOOLONG: "the path is too long. Set CDKTF_OUTDIR to a shorter path",
  ELOOP: "too many symbolic links. Set CDKTF_OUTDIR to a plain folder",
  EMFILE: "too many open files. Raise the limit (ulimit -n) and synth again",
  ENFILE: "too many open files on this system. Close some programs and synth again",
  EIO: "an input/output error on the disk. Check the disk and synth again",
  ENOENT: "a folder on the way disappeared. Check the path and synth again",
  EBUSY: "the path is in use (a mount point?). Set CDKTF_OUTDIR to another path",
  EXDEV: "it is on another file system than its parent folder. Set CDKTF_OUTDIR to a plain folder",
};

/** True for Node's file-system errors (they carry an errno `code` and the `syscall`). */
export function isFileSystemError(err: unknown): err is NodeJS.ErrnoException {
  // Duck-typed: errors from another realm (a vm context, say) are no `instanceof Error` here.
  const e = err as NodeJS.ErrnoException | null;
  return typeof e === "object" && e !== null && typeof e.code === "string" && typeof e.syscall === "string";
}

/**
 * One line: what was being done, the path, the cause, what to do, and that nothing changed.
 * The failing path is left out when it is `about` or inside it (already named in `doing`).
 */
export function describeFileSystemError(err: NodeJS.ErrnoException, doing: string, about?: string): string {
  const path = (err as { dest?: string }).dest ?? err.path;
  const shown = path && !(about && path.startsWith(about)) ? ` (${path})` : "";
  const cause = ERRNO[err.code ?? ""] ?? `${err.code}: ${err.message}`;
  return `Cannot ${doing}${shown}: ${cause}. The previous output is unchanged.`;
}

/** The sibling paths of output folder `outdir`. */
export function siblingsOf(outdir: string) {
  const parent = dirname(outdir);
  const base = basename(outdir);
  return {
    parent,
    lock: join(parent, `.${base}.lock`),
    workPrefix: `.${base}.synth-`,
  };
}

/** Process liveness on this host; on Linux a zombie or a reused PID counts as gone. */
function processAlive(pid: number, startTicks?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  const stat = procStat(pid);
  if (!stat) return true;
  if (stat.state === "Z" || stat.state === "X") return false;
  return startTicks === undefined || stat.startTicks === startTicks;
}

/** State and start time (clock ticks since boot) from /proc/<pid>/stat, on Linux. */
function procStat(pid: number): { state: string; startTicks: string } | undefined {
  try {
    const text = realFs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0], startTicks: fields[19] };
  } catch {
    return undefined;
  }
}

/** Who holds a lock, as written in the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  /** /proc start time of the holder, to tell a reused PID from the holder. */
  readonly startTicks?: string;
}

/** Options of {@link OutputLock.acquire}. */
export interface LockOptions {
  /** How long to wait for another synth to finish. @default 10 s */
  readonly waitMs?: number;
  /** A lock older than this is stale whatever its holder. @default 10 minutes */
  readonly maxAgeMs?: number;
  /** Called once when the run starts waiting. */
  readonly onWait?: (holder: LockHolder) => void;
  readonly fs?: FileOps;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const randomSuffix = () => Math.random().toString(36).slice(2, 10);

/**
 * One synth at a time per output folder: a lock file beside it, created atomically (written
 * under a private name, then hard-linked into place, which fails if a lock exists). A lock
 * whose holder is gone (killed, say) is taken over: renamed away, then checked to be the
 * one judged stale, so two runs taking over at once cannot both win.
 */
export class OutputLock {
  private constructor(
    private readonly fs: FileOps,
    /** The lock file's path. */
    public readonly path: string,
    private readonly content: string,
  ) {}

  /** Takes the lock of `outdir`, waiting up to `waitMs` for a live holder to finish. */
  public static async acquire(outdir: string, options: LockOptions = {}): Promise<OutputLock> {
    const fs = options.fs ?? realFs;
    const { lock } = siblingsOf(outdir);
    const waitMs = options.waitMs ?? 10_000;
    const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    const stat = procStat(process.pid);
    const holder: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), startTicks: stat?.startTicks };
    const content = `${JSON.stringify(holder)}\n`;
    const deadline = Date.now() + waitMs;
    let waiting = false;
    for (;;) {
      if (OutputLock.tryCreate(fs, lock, content)) return new OutputLock(fs, lock, content);
      const seen = OutputLock.read(fs, lock);
      if (seen === undefined) continue; // released just now
      const other = OutputLock.parse(seen.text);
      // A lock file is written whole (see tryCreate): one that cannot be read is not a lock.
      const stale = !other || seen.ageMs > maxAgeMs || (other.host === hostname() && !processAlive(other.pid, other.startTicks));
      if (stale) {
        OutputLock.takeOver(fs, lock, seen.text);
        continue;
      }
      if (Date.now() >= deadline) {
        throw new OutputError(
          `Another synth is writing ${outdir} (process ${other.pid} on ${other.host}, started ${other.started}); this one waited ${Math.round(waitMs / 1000)} s. Wait for it to finish or stop it, then synth again. Lock file: ${lock}`,
        );
      }
      if (!waiting) options.onWait?.(other);
      waiting = true;
      await sleep(Math.min(100, Math.max(0, deadline - Date.now())));
    }
  }

  private static tryCreate(fs: FileOps, lock: string, content: string): boolean {
    const temp = `${lock}.${process.pid}.${randomSuffix()}`;
    try {
      fs.writeFileSync(temp, content, { flag: "wx" });
      fs.linkSync(temp, lock);
      return true;
    } catch (err) {
      // EEXIST: held. ENOENT: a run cleaning up after dead runs took our attempt for one.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST" || code === "ENOENT") return false;
      throw err;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }

  private static read(fs: FileOps, lock: string): { text: string; ageMs: number } | undefined {
    try {
      const ageMs = Date.now() - fs.statSync(lock).mtimeMs;
      return { text: fs.readFileSync(lock, "utf8"), ageMs };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }

  private static parse(text: string): LockHolder | undefined {
    try {
      const holder = JSON.parse(text) as LockHolder;
      return Number.isInteger(holder.pid) && typeof holder.host === "string" ? holder : undefined;
    } catch {
      return undefined;
    }
  }

  /** Moves a stale lock away; puts it back if another run replaced it in the meantime. */
  private static takeOver(fs: FileOps, lock: string, staleText: string): void {
    const moved = `${lock}.stale.${process.pid}.${randomSuffix()}`;
    try {
      fs.renameSync(lock, moved);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // another run took it over first
      throw err;
    }
    try {
      if (fs.readFileSync(moved, "utf8") !== staleText) {
        // A live lock was moved by mistake: restore it unless a newer one is in place.
        try {
          fs.linkSync(moved, lock);
        } catch {
          /* a newer lock exists; ours was already superseded */
        }
      }
    } finally {
      fs.rmSync(moved, { force: true });
    }
  }

  /** Releases the lock if it is still this run's. */
  public release(): void {
    try {
      if (this.fs.readFileSync(this.path, "utf8") === this.content) this.fs.unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }
}

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
  const { parent, workPrefix } = siblingsOf(outdir);
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
  if (!fs.existsSync(outdir)) {
    const interrupted = work
      .map((dir) => join(dir, "old"))
      .filter((old) => fs.existsSync(old))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    if (interrupted.length > 0) fs.renameSync(interrupted[0], outdir);
  }
  for (const dir of work) removeTree(fs, dir);
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
  try {
    return fs.realpathSync(absolute);
  } catch (err) {
    if (isFileSystemError(err)) throw new OutputError(describeFileSystemError(err, "use the output folder"));
    throw err;
  }
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
}

/** Folders a build step writes into. */
export interface WorkFolders {
  /** Where the complete new output goes (cdktf's `outdir`). */
  readonly staging: string;
  /** Scratch space beside it (the Lambda zip before cdktf copies it), removed afterwards. */
  readonly scratch: string;
}

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
  const lock = await OutputLock.acquire(target, options).catch((err: unknown) => {
    const { lock } = siblingsOf(target);
    if (isFileSystemError(err)) throw new OutputError(describeFileSystemError(err, `create the lock file ${lock}`, lock));
    throw err;
  });
  let work: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (work) removeTree(fs, work);
    lock.release();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    recoverInterrupted(target, fs);
    work = fs.mkdtempSync(join(dirname(target), siblingsOf(target).workPrefix + `${process.pid}-`));
    const folders: WorkFolders = { staging: join(work, "out"), scratch: join(work, "package") };
    fs.mkdirSync(folders.scratch);
    await build(folders);
    carryOver(fs, target, folders.staging);
    if (options.underCli) placeholdersForCli(fs, target, folders.staging);
    // The swap: from here to the second rename is the only moment without a cdktf.out.
    const old = join(work, "old");
    const hadPrevious = fs.existsSync(target);
    if (hadPrevious) fs.renameSync(target, old);
    try {
      fs.renameSync(folders.staging, target);
    } catch (err) {
      if (hadPrevious) fs.renameSync(old, target);
      throw err;
    }
    return target;
  } catch (err) {
    if (isFileSystemError(err)) throw new OutputError(describeFileSystemError(err, `write the new output for ${target}`));
    throw err;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    if (work) removeTree(fs, work);
    lock.release();
  }
}
