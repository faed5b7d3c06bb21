/**
 * One synth at a time per output folder: a lock file beside it (`.cdktf.out.lock`), with
 * the holder's PID, host and start time, so a lock left by a killed process is taken over.
 */
import * as realFs from "node:fs";
import { hostname } from "node:os";
import { spawnSync } from "node:child_process";
import { basename, dirname, join, sep } from "node:path";
import { OutputError } from "./output-errors";

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

/** The sibling paths of output folder `outdir`. */
export function siblingsOf(outdir: string) {
  const parent = dirname(outdir);
  const base = basename(outdir);
  return {
    parent,
    lock: join(parent, `.${base}.lock`),
    workPrefix: `.${base}.synth-`,
    /** The previous output after a swap: beside the output folder, at the same depth. */
    oldPrefix: `.${base}.old-`,
  };
}

/**
 * The processes (PID and command name) whose working folder is `dir` or inside it: a
 * Terraform run in a stack folder, say. Read from /proc on Linux (every process), from `lsof`
 * elsewhere (Terraform's and OpenTofu's); none where neither answers.
 */
export function processesWorkingIn(dir: string): { pid: number; command: string }[] {
  if (realFs.existsSync("/proc/self/cwd")) {
    const found: { pid: number; command: string }[] = [];
    for (const name of realFs.readdirSync("/proc")) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
      try {
        if (!within(realFs.readlinkSync(`/proc/${name}/cwd`), dir)) continue;
        found.push({ pid: Number(name), command: realFs.readFileSync(`/proc/${name}/comm`, "utf8").trim() });
      } catch {
        /* gone, or another user's: not ours to wait for */
      }
    }
    return found;
  }
  // macOS and the BSDs: lsof lists working folders (p<pid>, c<command>, n<path>); asked about
  // Terraform's processes only (what works in a stack folder), it answers in a fraction of the time.
  const commands = ["terraform", "tofu"].flatMap((c) => ["-c", c]);
  const run = spawnSync("lsof", ["-a", "-d", "cwd", ...commands, "-F", "pcn"], { encoding: "utf8", timeout: 5000 });
  return run.status !== 0 && !run.stdout ? [] : lsofWorkingIn(run.stdout, dir);
}

/** The processes (but this one) `lsof -F pcn` output lists with a working folder in `dir`. */
export function lsofWorkingIn(output: string, dir: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  let current = { pid: 0, command: "" };
  for (const line of output.split("\n")) {
    if (line.startsWith("p")) current = { pid: Number(line.slice(1)), command: "" };
    else if (line.startsWith("c")) current.command = line.slice(1);
    else if (line.startsWith("n") && within(line.slice(1), dir) && current.pid !== process.pid) found.push({ ...current });
  }
  return found;
}

/** Whether `path` is `dir` or inside it. */
function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** Process liveness on this host; on Linux a zombie or a reused PID counts as gone. */
export function processAlive(pid: number, startTicks?: string): boolean {
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
  /** What holds it: a synth, or `npm run deploy`/`diff`/`destroy` for its whole run. @default "synth" */
  readonly what?: string;
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
  /** What takes the lock, as the lock file and other runs' messages name it. @default "synth" */
  readonly what?: string;
  /**
   * The PID of a parent process (`npm run deploy`) that holds the lock for this run: a lock of
   * that process, on this host, is this run's own, taken and released by that process.
   */
  readonly heldBy?: number;
}

/** The line a run prints when it starts waiting for `holder`. */
export function waitingLine(holder: LockHolder): string {
  return holder.what
    ? `Waiting for npm run ${holder.what} (process ${holder.pid}, started ${holder.started}) to finish...`
    : `Waiting for the synth of process ${holder.pid} (started ${holder.started}) to finish...`;
}

/** How long a run waits for the output folder's lock: PRIVATELINK_LOCK_WAIT_SECONDS, 10 s by default. */
export function lockWaitMs(env: NodeJS.ProcessEnv): number {
  const text = env.PRIVATELINK_LOCK_WAIT_SECONDS;
  if (text === undefined || text === "") return 10_000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
    throw new OutputError(`PRIVATELINK_LOCK_WAIT_SECONDS = ${JSON.stringify(text)}: must be a number of seconds from 0 to 3600`);
  }
  return seconds * 1000;
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
    /** What this run wrote into it; undefined when a parent process holds it for this run. */
    private readonly content: string | undefined,
  ) {}

  /** Takes the lock of `outdir`, waiting up to `waitMs` for a live holder to finish. */
  public static async acquire(outdir: string, options: LockOptions = {}): Promise<OutputLock> {
    const fs = options.fs ?? realFs;
    const { lock } = siblingsOf(outdir);
    const waitMs = options.waitMs ?? 10_000;
    const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    const stat = procStat(process.pid);
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      started: new Date().toISOString(),
      startTicks: stat?.startTicks,
      ...(options.what && options.what !== "synth" ? { what: options.what } : {}),
    };
    const content = `${JSON.stringify(holder)}\n`;
    const deadline = Date.now() + waitMs;
    let waiting = false;
    for (;;) {
      if (OutputLock.tryCreate(fs, lock, content)) return new OutputLock(fs, lock, content);
      const seen = OutputLock.read(fs, lock);
      if (seen === undefined) continue; // released just now
      const other = OutputLock.parse(seen.text);
      // The parent that runs this synth (npm run deploy) holds it for us: its lock is ours.
      if (other && other.pid === options.heldBy && other.host === hostname() && processAlive(other.pid, other.startTicks)) {
        return new OutputLock(fs, lock, undefined);
      }
      // A lock file is written whole (see tryCreate): one that cannot be read is not a lock.
      const stale = !other || seen.ageMs > maxAgeMs || (other.host === hostname() && !processAlive(other.pid, other.startTicks));
      if (stale) {
        OutputLock.takeOver(fs, lock, seen.text);
        continue;
      }
      if (Date.now() >= deadline) {
        const holding =
          (other.what ?? "synth") === "synth"
            ? `Another synth is writing ${outdir}`
            : `npm run ${other.what} is using ${outdir} until its last stack is done`;
        throw new OutputError(
          `${holding} (process ${other.pid} on ${other.host}, started ${other.started}); this one waited ${Math.round(waitMs / 1000)} s. Wait for it to finish or stop it, then synth again. Lock file: ${lock}`,
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
      // A folder where no file can be made (gone, read-only, not a real folder such as /proc)
      // fails here, with its own error: never taken for a lock held by another run.
      fs.writeFileSync(temp, content, { flag: "wx" });
    } catch (err) {
      // EEXIST: something already has this attempt's name (a planted link): try another name.
      if ((err as NodeJS.ErrnoException).code === "EEXIST") {
        fs.rmSync(temp, { force: true });
        return false;
      }
      throw err;
    }
    try {
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

  /** Releases the lock if it is still this run's (never a parent's). */
  public release(): void {
    try {
      if (this.content !== undefined && this.fs.readFileSync(this.path, "utf8") === this.content) this.fs.unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }

  /**
   * Marks the lock as still held (its modification time), so that a hold longer than the
   * stale age (a deploy of many minutes) is not taken over.
   */
  public refresh(): void {
    try {
      if (this.content !== undefined && this.fs.readFileSync(this.path, "utf8") === this.content) {
        realFs.utimesSync(this.path, new Date(), new Date());
      }
    } catch {
      /* gone: nothing to keep */
    }
  }
}
