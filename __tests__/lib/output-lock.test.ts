/**
 * The lock beside the output folder: what it records, when a holder counts as gone, how long
 * a run waits, and the races of taking over a stale lock (simulated with a `node:fs` wrapper
 * that acts right before a chosen call).
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import {
  FILE_OPS,
  FileOps,
  lockWaitMs,
  lsofWorkingIn,
  OutputLock,
  processAlive,
  processesWorkingIn,
  siblingsOf,
  waitingLine,
} from "../../lib/output-lock";
import { OutputError } from "../../lib/output-errors";
import { escapeRegExp } from "../fixtures";

/** A PID above Linux's largest pid_max: no process has it. */
const DEAD_PID = 4_194_305;

/** Field 22 of /proc/<pid>/stat (the start time), read independently of the code under test. */
function startTicksOf(pid: number): string {
  const match = /^\d+ \(.*\) (.*)$/s.exec(readFileSync(`/proc/${pid}/stat`, "utf8"));
  if (!match) throw new Error(`test setup: unexpected /proc/${pid}/stat`);
  return match[1].split(" ")[19];
}

/** The process state letter of `pid` (R, S, Z, ...). */
const stateOf = (pid: number): string => /\) (\S) /.exec(readFileSync(`/proc/${pid}/stat`, "utf8"))![1];

/** An error as Node's fs raises it. */
function errnoError(code: string, op: string, path: unknown): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${op} '${String(path)}'`), { code, syscall: op, path: String(path) });
}

/**
 * A `node:fs` wrapper: `hook` runs before each call (it may act on the disk or throw), and a
 * run that loops instead of finishing is stopped after 200 calls.
 */
function hookedFs(hook: (op: string, args: unknown[]) => void): { fs: FileOps; log: Array<[string, ...unknown[]]> } {
  const log: Array<[string, ...unknown[]]> = [];
  const wrapped: Record<string, unknown> = {};
  for (const op of FILE_OPS) {
    wrapped[op] = (...args: unknown[]) => {
      log.push([op, ...args]);
      if (log.length > 200) throw new Error("runaway: more than 200 file-system calls");
      hook(op, args);
      return (fs[op] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return { fs: wrapped as unknown as FileOps, log };
}

/** Runs `once` the first time `when` holds. */
function firstTime(when: (op: string, args: unknown[]) => boolean, once: (op: string, args: unknown[]) => void) {
  let done = false;
  return (op: string, args: unknown[]) => {
    if (done || !when(op, args)) return;
    done = true;
    once(op, args);
  };
}

let base: string;
let outdir: string;
let lock: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "plk-lock-"));
  outdir = join(base, "cdktf.out");
  mkdirSync(outdir);
  lock = siblingsOf(outdir).lock;
});

afterEach(() => {
  jest.restoreAllMocks();
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

/** The text of a lock held by `pid` on this host (or `host`). */
const holderText = (pid: number, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ pid, host: hostname(), started: "2026-01-01T00:00:00.000Z", ...extra })}\n`;

/** Files beside the output folder other than the lock itself (attempts, moved locks). */
const attempts = () => readdirSync(base).filter((n) => n.startsWith(".cdktf.out.lock."));

describe("the lock file", () => {
  test("sits beside the output folder and names this process, its host, start and /proc start time; release removes it", async () => {
    // GIVEN no lock
    const before = Date.now();
    // WHEN taken
    const taken = await OutputLock.acquire(outdir, { waitMs: 0 });
    // THEN the file records who holds it
    expect(taken.path).toBe(join(base, ".cdktf.out.lock"));
    const text = readFileSync(lock, "utf8");
    expect(text.endsWith("}\n")).toBe(true);
    const holder = JSON.parse(text);
    expect(holder).toEqual({ pid: process.pid, host: hostname(), started: expect.any(String), startTicks: startTicksOf(process.pid) });
    expect(Date.parse(holder.started)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(holder.started)).toBeLessThanOrEqual(Date.now());
    expect(attempts()).toEqual([]);
    // ...and releasing it removes the file
    taken.release();
    expect(existsSync(lock)).toBe(false);
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
  });

  test("release leaves a lock that is no longer this run's", async () => {
    // GIVEN a lock taken, then replaced by another run's lock
    const taken = await OutputLock.acquire(outdir, { waitMs: 0 });
    writeFileSync(lock, holderText(DEAD_PID));
    // WHEN this run releases
    taken.release();
    // THEN the other run's lock stays
    expect(readFileSync(lock, "utf8")).toBe(holderText(DEAD_PID));
  });

  test("release after the lock is gone is no error", async () => {
    // GIVEN a lock taken and then removed by someone else
    const taken = await OutputLock.acquire(outdir, { waitMs: 0 });
    fs.rmSync(lock);
    // WHEN released; THEN nothing happens
    expect(() => taken.release()).not.toThrow();
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
  });

  test("attempts and moved locks are named <lock>.<pid>.<rand> and <lock>.stale.<pid>.<rand>, as recovery expects", async () => {
    // GIVEN a stale lock to take over
    writeFileSync(lock, holderText(DEAD_PID));
    const { fs: hooked, log } = hookedFs(() => undefined);
    // WHEN the lock is taken
    const taken = await OutputLock.acquire(outdir, { waitMs: 0, fs: hooked });
    // THEN each attempt's file and the moved lock carry this PID and a short random suffix
    const written = log.filter(([op]) => op === "writeFileSync").map(([, path]) => path);
    expect(written.length).toBeGreaterThanOrEqual(2);
    for (const path of written) expect(path).toMatch(new RegExp(`^${escapeRegExp(lock)}\\.${process.pid}\\.[a-z0-9]{1,8}$`));
    const moved = log.filter(([op, from]) => op === "renameSync" && from === lock).map(([, , to]) => to);
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatch(new RegExp(`^${escapeRegExp(lock)}\\.stale\\.${process.pid}\\.[a-z0-9]{1,8}$`));
    expect(attempts()).toEqual([]);
    taken.release();
  });

  test("an attempt file planted as a symlink is never written through", async () => {
    // GIVEN a symlink to a victim file where this run's first attempt file will be
    jest.spyOn(Math, "random").mockReturnValueOnce(0.5); // suffix "i"
    const victim = join(base, "victim.txt");
    writeFileSync(victim, "precious");
    symlinkSync(victim, `${lock}.${process.pid}.i`);
    // WHEN the lock is taken
    const taken = await OutputLock.acquire(outdir, { waitMs: 0 });
    // THEN the victim is untouched and the lock is a real file of this run
    expect(readFileSync(victim, "utf8")).toBe("precious");
    expect(fs.lstatSync(lock).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(process.pid);
    taken.release();
  });
});

describe("processAlive", () => {
  test("this process is alive, with its own start time, not with another", () => {
    // GIVEN this process; WHEN asked with no, the right and a wrong start time; THEN only the wrong one is gone
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(process.pid, startTicksOf(process.pid))).toBe(true);
    expect(processAlive(process.pid, "1")).toBe(false);
  });

  test("no such process is gone", () => {
    expect(processAlive(DEAD_PID)).toBe(false);
  });

  test("the start time is read right even when the command name holds spaces and parentheses", async () => {
    // GIVEN a live process whose command name is `a) b (c`
    const dir = mkdtempSync(join(tmpdir(), "plk-comm-"));
    const exe = join(dir, "a) b (c");
    symlinkSync(process.execPath, exe);
    const child = spawn(exe, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    children.push(child);
    await new Promise((r) => child.once("spawn", r));
    expect(readFileSync(`/proc/${child.pid}/stat`, "utf8")).toContain("(a) b (c)");
    // WHEN asked with its start time, and with another
    // THEN it is alive with its own only
    expect(processAlive(child.pid!, startTicksOf(child.pid!))).toBe(true);
    expect(processAlive(child.pid!, String(Number(startTicksOf(child.pid!)) + 1))).toBe(false);
  });

  test("a zombie (exited, not yet reaped) is gone", async () => {
    // GIVEN a process that exited under a parent that never reaps it
    const parent = spawn("sh", ["-c", "sleep 0.05 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    children.push(parent);
    const pid = Number(await new Promise<string>((r) => parent.stdout.once("data", (d: Buffer) => r(d.toString().trim()))));
    for (let i = 0; i < 100 && stateOf(pid) !== "Z"; i++) await new Promise((r) => setTimeout(r, 20));
    expect(stateOf(pid)).toBe("Z");
    // WHEN asked, with or without its start time; THEN it is gone
    expect(processAlive(pid)).toBe(false);
    expect(processAlive(pid, startTicksOf(pid))).toBe(false);
  });

  test("a process this user may not signal (EPERM) is alive; any other refusal means gone", () => {
    // GIVEN kill(pid, 0) refused with EPERM, as for another user's process
    const kill = jest.spyOn(process, "kill").mockImplementation(() => {
      throw errnoError("EPERM", "kill", "");
    });
    // WHEN asked; THEN it is alive
    expect(processAlive(1)).toBe(true);
    expect(kill).toHaveBeenCalledWith(1, 0);
    // ...and with ESRCH it is gone
    kill.mockImplementation(() => {
      throw errnoError("ESRCH", "kill", "");
    });
    expect(processAlive(1)).toBe(false);
  });

  test("a process that answers but has no /proc entry (not Linux) is alive", () => {
    // GIVEN kill(pid, 0) succeeding for a PID that /proc does not list
    jest.spyOn(process, "kill").mockImplementation(() => true);
    // WHEN asked, even with a start time; THEN it is alive
    expect(processAlive(DEAD_PID)).toBe(true);
    expect(processAlive(DEAD_PID, "12345")).toBe(true);
  });
});

describe("waiting for a live holder", () => {
  /** Date.now and setTimeout replaced by a clock that moves only when acquire sleeps. */
  function fakeClock(): { delays: number[] } {
    let now = Date.now();
    const delays: number[] = [];
    jest.spyOn(Date, "now").mockImplementation(() => now);
    jest.spyOn(global, "setTimeout").mockImplementation(((fn: () => void, ms: number) => {
      delays.push(ms);
      if (delays.length > 20) throw new Error(`runaway: slept ${delays.join(", ")}`);
      now += ms;
      setImmediate(fn);
      return undefined;
    }) as unknown as typeof setTimeout);
    return { delays };
  }

  test("polls every 100 ms, the last sleep cut to the deadline, then gives up at the deadline; onWait once", async () => {
    // GIVEN a lock held by a live process of this host
    writeFileSync(lock, holderText(process.pid));
    const { delays } = fakeClock();
    const waited: number[] = [];
    // WHEN a run waits up to 250 ms
    const error = await OutputLock.acquire(outdir, { waitMs: 250, onWait: (h) => waited.push(h.pid) }).catch((err: Error) => err);
    // THEN it slept 100 + 100 + 50 ms, told once that it waits, and failed naming the holder
    expect(delays).toEqual([100, 100, 50]);
    expect(waited).toEqual([process.pid]);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toBe(
      `Another synth is writing ${outdir} (process ${process.pid} on ${hostname()}, started 2026-01-01T00:00:00.000Z); this one waited 0 s. Wait for it to finish or stop it, then synth again. Lock file: ${lock}`,
    );
    expect(readFileSync(lock, "utf8")).toBe(holderText(process.pid));
  });

  test("waitMs 0: fails at once, without waiting", async () => {
    // GIVEN a lock held by a live process of this host
    writeFileSync(lock, holderText(process.pid));
    const { delays } = fakeClock();
    const onWait = jest.fn();
    // WHEN a run may not wait; THEN it fails at once
    await expect(OutputLock.acquire(outdir, { waitMs: 0, onWait })).rejects.toThrow(OutputError);
    expect(delays).toEqual([]);
    expect(onWait).not.toHaveBeenCalled();
  });

  test("a lock exactly maxAgeMs old is still the holder's; a millisecond older is stale", async () => {
    // GIVEN a clock standing at a whole second, and a live holder's lock exactly a minute old
    const now = Math.floor(Date.now() / 1000) * 1000;
    jest.spyOn(Date, "now").mockImplementation(() => now);
    writeFileSync(lock, holderText(process.pid));
    utimesSync(lock, (now - 60_000) / 1000, (now - 60_000) / 1000);
    // WHEN a run with maxAgeMs one minute tries; THEN the lock is not stale yet
    await expect(OutputLock.acquire(outdir, { waitMs: 0, maxAgeMs: 60_000 })).rejects.toThrow(OutputError);
    expect(readFileSync(lock, "utf8")).toBe(holderText(process.pid));
    // ...but one millisecond older, it is taken over
    utimesSync(lock, (now - 60_001) / 1000, (now - 60_001) / 1000);
    const taken = await OutputLock.acquire(outdir, { waitMs: 0, maxAgeMs: 60_000 });
    expect(JSON.parse(readFileSync(lock, "utf8")).started).not.toBe("2026-01-01T00:00:00.000Z");
    taken.release();
  });

  test("a lock of another host is never taken over before its maximum age, even with a PID unused here", async () => {
    // GIVEN a fresh lock of another machine (a shared folder)
    writeFileSync(lock, holderText(DEAD_PID, { host: "build-agent-7" }));
    // WHEN a run may not wait; THEN it fails naming that host, and the lock stays
    await expect(OutputLock.acquire(outdir, { waitMs: 0 })).rejects.toThrow(`(process ${DEAD_PID} on build-agent-7, started`);
    expect(readFileSync(lock, "utf8")).toBe(holderText(DEAD_PID, { host: "build-agent-7" }));
  });

  test.each([
    ["an empty object", "{}\n"],
    ["null", "null\n"],
    ["a PID that is a string", `{"pid":"${process.pid}","host":"build-agent-7"}\n`],
    ["a PID that is no integer", `{"pid":1.5,"host":"build-agent-7"}\n`],
    ["a host that is no string", `{"pid":${process.pid},"host":7}\n`],
    ["no host", `{"pid":${process.pid}}\n`],
    ["half a file", `{"pid":${process.pid},"ho`],
  ])("a lock file with %s is no lock: taken over at once", async (_what, text) => {
    // GIVEN a lock file that names no holder
    writeFileSync(lock, text);
    // WHEN a run may not wait; THEN it takes the lock
    const taken = await OutputLock.acquire(outdir, { waitMs: 0 });
    expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(process.pid);
    expect(attempts()).toEqual([]);
    taken.release();
  });
});

describe("races", () => {
  test("a stale lock replaced by a live one just before it is moved is put back", async () => {
    // GIVEN a stale lock, replaced by another run's live lock right before this run moves it away
    writeFileSync(lock, holderText(DEAD_PID));
    const live = holderText(process.pid, { started: "2026-02-02T00:00:00.000Z" });
    const { fs: hooked } = hookedFs(
      firstTime(
        (op, args) => op === "renameSync" && args[0] === lock,
        () => writeFileSync(lock, live),
      ),
    );
    // WHEN this run tries, without waiting
    const error = await OutputLock.acquire(outdir, { waitMs: 0, fs: hooked }).catch((err: Error) => err);
    // THEN the live lock is back in place and this run gave way to it
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toContain("started 2026-02-02T00:00:00.000Z");
    expect(readFileSync(lock, "utf8")).toBe(live);
    expect(attempts()).toEqual([]);
  });

  test("a stale lock another run moved away first: this run takes the lock", async () => {
    // GIVEN a stale lock that another run renames away right before this run does
    writeFileSync(lock, holderText(DEAD_PID));
    const { fs: hooked } = hookedFs(
      firstTime(
        (op, args) => op === "renameSync" && args[0] === lock,
        () => fs.rmSync(lock),
      ),
    );
    // WHEN this run tries; THEN it holds the lock
    const taken = await OutputLock.acquire(outdir, { waitMs: 0, fs: hooked });
    expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(process.pid);
    expect(attempts()).toEqual([]);
    taken.release();
  });

  test("the moved-away lock already cleaned up by another run is no error", async () => {
    // GIVEN a stale lock whose moved copy vanishes before this run removes it
    writeFileSync(lock, holderText(DEAD_PID));
    const { fs: hooked } = hookedFs((op, args) => {
      if (op === "rmSync" && String(args[0]).startsWith(`${lock}.stale.`)) fs.rmSync(String(args[0]), { force: true });
    });
    // WHEN this run takes over; THEN it holds the lock
    const taken = await OutputLock.acquire(outdir, { waitMs: 0, fs: hooked });
    expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(process.pid);
    taken.release();
  });

  test("this run's attempt file removed before it is linked (a cleanup took it for a dead run's): it tries again", async () => {
    // GIVEN a cleanup that removes the first attempt file right before it becomes the lock
    const { fs: hooked } = hookedFs(
      firstTime(
        (op, args) => op === "linkSync" && args[1] === lock,
        (_op, args) => fs.rmSync(String(args[0])),
      ),
    );
    // WHEN this run takes the lock; THEN the second attempt holds it
    const taken = await OutputLock.acquire(outdir, { waitMs: 0, fs: hooked });
    expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(process.pid);
    expect(attempts()).toEqual([]);
    taken.release();
  });

  test("a live lock released between this run's attempt and its look at the lock: this run takes it", async () => {
    // GIVEN a live holder that releases right when this run reads who holds the lock
    writeFileSync(lock, holderText(process.pid));
    const { fs: hooked } = hookedFs(
      firstTime(
        (op, args) => op === "statSync" && args[0] === lock,
        () => fs.rmSync(lock),
      ),
    );
    // WHEN this run tries, without waiting; THEN it holds the lock
    const taken = await OutputLock.acquire(outdir, { waitMs: 0, fs: hooked });
    expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(process.pid);
    taken.release();
  });

  test.each<[string, string, (args: unknown[]) => boolean, string]>([
    ["writing the attempt", "writeFileSync", () => true, "EACCES"],
    ["linking the attempt", "linkSync", () => true, "EPERM"],
    ["reading the lock's age", "statSync", () => true, "EACCES"],
    ["reading the lock", "readFileSync", () => true, "EIO"],
    ["moving a stale lock away", "renameSync", () => true, "EACCES"],
  ])("a failure %s is the result, not a loop", async (_what, failing, matches, code) => {
    // GIVEN a stale lock, and one kind of call that always fails
    writeFileSync(lock, holderText(DEAD_PID));
    const { fs: hooked } = hookedFs((op, args) => {
      if (op === failing && matches(args)) throw errnoError(code, op, args[0]);
    });
    // WHEN this run tries; THEN that error is what it gets
    await expect(OutputLock.acquire(outdir, { waitMs: 0, fs: hooked })).rejects.toMatchObject({ code, syscall: failing });
  });
});

describe("processes working in a folder", () => {
  test("a child working inside is found by PID and command; a folder that only shares the name's start is not", async () => {
    // GIVEN a child process whose working folder is a/stacks, and a sibling folder a2
    const base = mkdtempSync(join(tmpdir(), "plk-cwd-"));
    mkdirSync(join(base, "a", "stacks"), { recursive: true });
    mkdirSync(join(base, "a2"));
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { cwd: join(base, "a", "stacks"), stdio: "ignore" });
    try {
      await new Promise((done) => setTimeout(done, 200));
      // WHEN asked; THEN a holds the child (this process is never listed), and a2 and b hold none
      expect(processesWorkingIn(join(base, "a"))).toEqual([{ pid: child.pid, command: expect.stringMatching(/node/) }]);
      expect(processesWorkingIn(join(base, "a", "stacks")).map((p) => p.pid)).toEqual([child.pid]);
      expect(processesWorkingIn(join(base, "a2"))).toEqual([]);
      expect(processesWorkingIn(join(base, "b"))).toEqual([]);
      expect(processesWorkingIn(process.cwd()).map((p) => p.pid)).not.toContain(process.pid);
    } finally {
      child.kill();
    }
  });
});

test("lsof's answer (macOS) is read the same way: the processes working in the folder, never this one", () => {
  // GIVEN what `lsof -a -d cwd -c terraform -c tofu -F pcn` prints: a process, its command, then its files
  const output = [
    "p101",
    "cterraform",
    "fcwd",
    "n/p/cdktf.out/stacks/provider",
    "p102",
    "ctofu",
    "fcwd",
    "n/p/cdktf.out2",
    `p${process.pid}`,
    "cnode",
    "fcwd",
    "n/p/cdktf.out",
    "p103",
    "cterraform",
    "fcwd",
    "n/p/cdktf.out",
    "",
  ].join("\n");
  // WHEN read for /p/cdktf.out; THEN the two inside, in order (not the sibling with a longer name, not this process)
  expect(lsofWorkingIn(output, "/p/cdktf.out")).toEqual([
    { pid: 101, command: "terraform" },
    { pid: 103, command: "terraform" },
  ]);
  expect(lsofWorkingIn("", "/p/cdktf.out")).toEqual([]);
});

describe("a lock held for a whole deploy", () => {
  const setup = () => {
    const base = mkdtempSync(join(tmpdir(), "plk-held-"));
    const outdir = join(base, "cdktf.out");
    mkdirSync(outdir);
    return { outdir, lock: siblingsOf(outdir).lock };
  };

  test("the run it holds it for (heldBy: its PID) goes on at once, and leaves the holder's lock in place", async () => {
    // GIVEN a lock taken for npm run deploy by this process (the parent, for the test)
    const { outdir, lock } = setup();
    const parent = await OutputLock.acquire(outdir, { what: "deploy" });
    const text = readFileSync(lock, "utf8");
    expect(JSON.parse(text)).toMatchObject({ pid: process.pid, what: "deploy" });
    // WHEN the synth it runs asks, naming it; THEN it is not kept waiting, and its release keeps the lock
    const started = Date.now();
    const child = await OutputLock.acquire(outdir, { waitMs: 5000, heldBy: process.pid });
    expect(Date.now() - started).toBeLessThan(1000);
    child.release();
    expect(readFileSync(lock, "utf8")).toBe(text);
    // AND anyone else waits, then is told what holds it
    await expect(OutputLock.acquire(outdir, { waitMs: 200, heldBy: DEAD_PID })).rejects.toThrow(
      `npm run deploy is using ${outdir} until its last stack is done (process ${process.pid}`,
    );
    parent.release();
    expect(existsSync(lock)).toBe(false);
  });

  test("refresh keeps a long hold from looking stale; a synth's own lock file names no holder kind", async () => {
    const { outdir, lock } = setup();
    const held = await OutputLock.acquire(outdir, { what: "deploy" });
    const old = new Date(Date.now() - 3600_000);
    utimesSync(lock, old, old);
    held.refresh();
    expect(Date.now() - fs.statSync(lock).mtimeMs).toBeLessThan(60_000);
    // (an hour-old lock would be taken over: maxAgeMs 10 minutes)
    await expect(OutputLock.acquire(outdir, { waitMs: 100 })).rejects.toThrow(/npm run deploy is using/);
    held.release();
    const synth = await OutputLock.acquire(outdir);
    expect(JSON.parse(readFileSync(lock, "utf8"))).not.toHaveProperty("what");
    synth.release();
  });

  test.each([
    [undefined, 10_000],
    ["", 10_000],
    ["0", 0],
    ["2.5", 2500],
  ])("PRIVATELINK_LOCK_WAIT_SECONDS=%s waits %i ms", (value, ms) => {
    expect(lockWaitMs({ PRIVATELINK_LOCK_WAIT_SECONDS: value })).toBe(ms);
  });

  test.each(["-1", "3601", "ten"])("PRIVATELINK_LOCK_WAIT_SECONDS=%s is one line naming it", (value) => {
    expect(() => lockWaitMs({ PRIVATELINK_LOCK_WAIT_SECONDS: value })).toThrow(
      new OutputError(`PRIVATELINK_LOCK_WAIT_SECONDS = "${value}": must be a number of seconds from 0 to 3600`),
    );
  });
});

test.each(["ENOENT", "EACCES", "EROFS"])(
  "a folder where the lock's file cannot be made (%s: gone, read-only, /proc) is that error, not a lock held forever",
  async (code) => {
    // GIVEN every file made beside the output folder failing with `code`
    const { fs: failing, log } = hookedFs((op, args) => {
      if (op === "writeFileSync") throw errnoError(code, "open", args[0]);
    });
    // WHEN the lock is asked for; THEN that error, after one attempt (the old loop never ended)
    await expect(OutputLock.acquire(outdir, { fs: failing, waitMs: 60_000 })).rejects.toMatchObject({ code });
    expect(log.filter(([op]) => op === "writeFileSync")).toHaveLength(1);
  },
  5000,
);

test("the waiting line names a synth, or the npm run command that holds the lock", () => {
  const holder = { pid: 42, host: "h", started: "2026-01-01T00:00:00.000Z" };
  expect(waitingLine(holder)).toBe("Waiting for the synth of process 42 (started 2026-01-01T00:00:00.000Z) to finish...");
  expect(waitingLine({ ...holder, what: "deploy" })).toBe(
    "Waiting for npm run deploy (process 42, started 2026-01-01T00:00:00.000Z) to finish...",
  );
});
