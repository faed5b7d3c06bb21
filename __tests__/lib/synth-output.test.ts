/**
 * All-or-nothing publishing, one writer at a time, and recovery after interrupted runs.
 *
 * Interruption is tested at every file-system call of a publish: a wrapper around `node:fs`
 * copies the whole parent folder right before call k (what a kill -9 at that moment leaves
 * on disk), or makes call k fail with ENOSPC or EACCES.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import {
  carryOver,
  FILE_OPS,
  FileOps,
  OutputError,
  OutputLock,
  publishSynth,
  recoverInterrupted,
  resolveOutdir,
  siblingsOf,
  WorkFolders,
} from "../../lib/synth-output";
import { listTree, treeHash, writeTree } from "../support/trees";

/** A PID above Linux's largest pid_max: no process has it. */
const DEAD_PID = 4_194_305;

/** A stand-in for the app's synth: a manifest and a file per stack, plus a scratch file. */
function fakeBuild(stacks: readonly string[], tag: string) {
  return ({ staging, scratch }: WorkFolders): Promise<void> => {
    writeFileSync(join(scratch, "hello.zip"), `zip ${tag}`);
    const files: Record<string, string> = { "manifest.json": JSON.stringify({ stacks, tag }) };
    for (const stack of stacks) {
      files[`stacks/${stack}/cdk.tf.json`] = JSON.stringify({ stack, tag });
      files[`stacks/${stack}/assets/lambda/hello.zip`] = `zip ${tag}`;
    }
    writeTree(staging, files);
    return Promise.resolve();
  };
}

const OLD_STACKS = ["provider", "consumer-a", "consumer-b"];
const NEW_STACKS = ["provider", "consumer-a"];

/** A project folder whose cdktf.out holds the old synth, with Terraform's files in two stacks. */
async function projectWithOldOutput(): Promise<{ base: string; outdir: string }> {
  const base = mkdtempSync(join(tmpdir(), "plk-out-"));
  const outdir = join(base, "cdktf.out");
  await publishSynth(outdir, fakeBuild(OLD_STACKS, "old"));
  writeTree(outdir, {
    "stacks/provider/.terraform/providers/registry/aws": "provider binary",
    "stacks/provider/.terraform/terraform.tfstate": "backend cache",
    "stacks/provider/.terraform.lock.hcl": "lock",
    "stacks/provider/cdk.tf": "stale HCL from an --hcl synth",
    "stacks/consumer-b/.terraform.lock.hcl": "lock of a stack that goes away",
  });
  symlinkSync("/opt/tf-plugins/some/provider", join(outdir, "stacks/provider/.terraform/providers/link"));
  return { base, outdir };
}

/** A copy of `base`, with any lock left in it made to look like its holder died. */
function copyAsKilled(base: string, to: string): string {
  cpSync(base, to, { recursive: true, verbatimSymlinks: true });
  const lock = siblingsOf(join(to, "cdktf.out")).lock;
  if (existsSync(lock)) writeFileSync(lock, readFileSync(lock, "utf8").replace(/"pid":\d+/, `"pid":${DEAD_PID}`));
  // Lock attempts carry their process's PID in their names.
  for (const name of readdirSync(to)) {
    const dead = name.replace(`.${process.pid}.`, `.${DEAD_PID}.`);
    if (dead !== name) fs.renameSync(join(to, name), join(to, dead));
  }
  return to;
}

/** Leftovers of runs beside the output folder (lock, work folders). */
const leftovers = (base: string) => readdirSync(base).filter((n) => n.startsWith(".cdktf.out."));

/** A `node:fs` wrapper that calls `hook` before each call (1-based count) and counts them. */
function instrumentedFs(hook: (call: number, op: string, args: unknown[]) => void): { fs: FileOps; calls: () => number } {
  let calls = 0;
  const wrapped: Record<string, unknown> = {};
  for (const op of FILE_OPS) {
    wrapped[op] = (...args: unknown[]) => {
      calls++;
      hook(calls, op, args);
      return (fs[op] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return { fs: wrapped as unknown as FileOps, calls: () => calls };
}

/** An error as Node's fs raises it. */
function errnoError(code: string, op: string, path: unknown): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${op} '${String(path)}'`), { code, syscall: op, path: String(path) });
}

class Killed extends Error {}

describe("publishing a synth", () => {
  let base: string;
  let outdir: string;
  let oldHash: string;
  let newHash: string;
  let calls: number;

  beforeAll(async () => {
    ({ base, outdir } = await projectWithOldOutput());
    oldHash = treeHash(outdir);
    const clean = copyAsKilled(base, join(mkdtempSync(join(tmpdir(), "plk-out-")), "p"));
    const counting = instrumentedFs(() => undefined);
    await publishSynth(join(clean, "cdktf.out"), fakeBuild(NEW_STACKS, "new"), { fs: counting.fs });
    newHash = treeHash(join(clean, "cdktf.out"));
    calls = counting.calls();
  });

  test("replaces the output as a whole: stacks of the manifest only, Terraform's files kept, stale generated files gone", async () => {
    const copy = copyAsKilled(base, join(mkdtempSync(join(tmpdir(), "plk-out-")), "p"));
    const out = join(copy, "cdktf.out");
    const before = statSync(join(out, "stacks/provider/.terraform/providers/registry/aws")).ino;
    await publishSynth(out, fakeBuild(NEW_STACKS, "new"));
    expect(readdirSync(join(out, "stacks")).sort()).toEqual(["consumer-a", "provider"]);
    expect(listTree(join(out, "stacks/provider"))).toEqual([
      ".terraform",
      ".terraform.lock.hcl",
      ".terraform/providers",
      ".terraform/providers/link",
      ".terraform/providers/registry",
      ".terraform/providers/registry/aws",
      ".terraform/terraform.tfstate",
      "assets",
      "assets/lambda",
      "assets/lambda/hello.zip",
      "cdk.tf.json",
    ]);
    // Hard links, not copies: a provider binary of 600 MB costs nothing to carry.
    expect(statSync(join(out, "stacks/provider/.terraform/providers/registry/aws")).ino).toBe(before);
    expect(fs.readlinkSync(join(out, "stacks/provider/.terraform/providers/link"))).toBe("/opt/tf-plugins/some/provider");
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toContain('"new"');
    expect(leftovers(copy)).toEqual([]);
    expect(treeHash(out)).toBe(newHash);
  });

  test("the previous output differs from the new one (so the checks below can tell them apart)", () => {
    expect(oldHash).not.toBe(newHash);
    expect(calls).toBeGreaterThan(30);
  });

  test("killed before any file-system call of the publish: the output is the old or the new whole, and the next run repairs", async () => {
    const seen = new Map<string, number>();
    for (let k = 1; k <= calls; k++) {
      const root = mkdtempSync(join(tmpdir(), "plk-kill-"));
      const copy = copyAsKilled(base, join(root, "p"));
      const snapshot = join(root, "snapshot");
      const { fs: faulty } = instrumentedFs((call) => {
        if (call !== k) return;
        cpSync(copy, snapshot, { recursive: true, verbatimSymlinks: true });
        throw new Killed(`killed before call ${k}`);
      });
      await publishSynth(join(copy, "cdktf.out"), fakeBuild(NEW_STACKS, "new"), { fs: faulty }).catch((err: unknown) => {
        if (!(err instanceof Killed)) throw err;
      });
      // What a kill -9 before call k leaves on disk.
      const state = treeHash(join(snapshot, "cdktf.out"));
      const verdict = state === oldHash ? "old" : state === newHash ? "new" : state === "absent" ? "absent" : "MIXED";
      seen.set(verdict, (seen.get(verdict) ?? 0) + 1);
      expect({ k, verdict }).toEqual({ k, verdict: expect.stringMatching(/^(old|new|absent)$/) });
      // The next run, whatever it does, first puts a complete output back...
      const revived = copyAsKilled(snapshot, join(root, "revived"));
      const { lock } = siblingsOf(join(revived, "cdktf.out"));
      const taken = await OutputLock.acquire(join(revived, "cdktf.out"), { waitMs: 0 });
      recoverInterrupted(join(revived, "cdktf.out"));
      expect({ k, state: treeHash(join(revived, "cdktf.out")) }).toEqual({ k, state: verdict === "new" ? newHash : oldHash });
      taken.release();
      expect(existsSync(lock)).toBe(false);
      // ...and a full run publishes the new output and leaves nothing behind.
      await publishSynth(join(revived, "cdktf.out"), fakeBuild(NEW_STACKS, "new"));
      expect({ k, state: treeHash(join(revived, "cdktf.out")), leftovers: leftovers(revived) }).toEqual({
        k,
        state: newHash,
        leftovers: [],
      });
    }
    // Only the instant between the two renames of the swap has no output folder.
    expect(seen.get("absent")).toBe(1);
    expect(seen.get("old")).toBeGreaterThan(20);
    expect(seen.get("new")).toBeGreaterThan(0);
  });

  test.each(["ENOSPC", "EACCES", "EROFS", "EIO"])(
    "a call failing with %s: one line, exit path clean, the old output intact (or the new one, if only cleanup failed)",
    async (code) => {
      for (let k = 1; k <= calls; k++) {
        const copy = copyAsKilled(base, join(mkdtempSync(join(tmpdir(), "plk-fail-")), "p"));
        const out = join(copy, "cdktf.out");
        const { fs: faulty } = instrumentedFs((call, op, args) => {
          if (call === k) throw errnoError(code, op, args[0]);
        });
        let message: string | undefined;
        await publishSynth(out, fakeBuild(NEW_STACKS, "new"), { fs: faulty }).catch((err: unknown) => {
          expect(err).toBeInstanceOf(OutputError);
          message = (err as Error).message;
        });
        if (message !== undefined) {
          expect({ k, message: message.includes("\n"), unchanged: treeHash(out) === oldHash }).toEqual({
            k,
            message: false,
            unchanged: true,
          });
          expect(message).toMatch(/^Cannot .+\. The previous output is unchanged\.$/);
        } else {
          expect({ k, state: treeHash(out) }).toEqual({ k, state: newHash });
        }
        // A later run cleans up whatever this one could not.
        const revived = copyAsKilled(copy, join(mkdtempSync(join(tmpdir(), "plk-fail-")), "p"));
        await publishSynth(join(revived, "cdktf.out"), fakeBuild(NEW_STACKS, "new"));
        expect({ k, leftovers: leftovers(revived), state: treeHash(join(revived, "cdktf.out")) }).toEqual({
          k,
          leftovers: [],
          state: newHash,
        });
      }
    },
  );

  test("a failing build (a policy finding, say) leaves the output untouched and nothing beside it", async () => {
    const copy = copyAsKilled(base, join(mkdtempSync(join(tmpdir(), "plk-out-")), "p"));
    const out = join(copy, "cdktf.out");
    await expect(
      publishSynth(out, async (folders) => {
        await fakeBuild(NEW_STACKS, "new")(folders);
        throw new Error("policy finding");
      }),
    ).rejects.toThrow("policy finding");
    expect(treeHash(out)).toBe(oldHash);
    expect(leftovers(copy)).toEqual([]);
  });

  test("under the cdktf CLI, each dropped stack leaves an empty folder for the CLI's own removal", async () => {
    const copy = copyAsKilled(base, join(mkdtempSync(join(tmpdir(), "plk-out-")), "p"));
    const out = join(copy, "cdktf.out");
    await publishSynth(out, fakeBuild(NEW_STACKS, "new"), { underCli: true });
    expect(readdirSync(join(out, "stacks")).sort()).toEqual(["consumer-a", "consumer-b", "provider"]);
    expect(readdirSync(join(out, "stacks", "consumer-b"))).toEqual([]);
  });
});

describe("the output folder", () => {
  test("a file where the output folder should be is refused, untouched", async () => {
    const base = mkdtempSync(join(tmpdir(), "plk-out-"));
    writeFileSync(join(base, "cdktf.out"), "a file");
    await expect(publishSynth(join(base, "cdktf.out"), fakeBuild(NEW_STACKS, "new"))).rejects.toThrow(
      /^Cannot write the output folder .*cdktf\.out: it is a file, not a folder\. Move the file away, or set CDKTF_OUTDIR to another path\.$/,
    );
    expect(readFileSync(join(base, "cdktf.out"), "utf8")).toBe("a file");
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
  });

  test("a path through a file is refused with the cause", () => {
    const base = mkdtempSync(join(tmpdir(), "plk-out-"));
    writeFileSync(join(base, "file"), "");
    expect(() => resolveOutdir(join(base, "file", "cdktf.out"))).toThrow(/a part of the path is a file, not a folder/);
  });

  test("missing parent folders are created; a symlinked output folder keeps its link", async () => {
    const base = mkdtempSync(join(tmpdir(), "plk-out-"));
    await publishSynth(join(base, "build", "out"), fakeBuild(NEW_STACKS, "new"));
    expect(existsSync(join(base, "build", "out", "manifest.json"))).toBe(true);
    symlinkSync(join(base, "build", "out"), join(base, "link"));
    await publishSynth(join(base, "link"), fakeBuild(["provider"], "again"));
    expect(fs.lstatSync(join(base, "link")).isSymbolicLink()).toBe(true);
    expect(readdirSync(join(base, "link", "stacks"))).toEqual(["provider"]);
  });

  test("carries top-level extras, never a dropped stack", () => {
    const base = mkdtempSync(join(tmpdir(), "plk-out-"));
    writeTree(join(base, "old"), { "notes.txt": "mine", "stacks/gone/.terraform.lock.hcl": "x", "manifest.json": "{}" });
    writeTree(join(base, "new"), { "manifest.json": "{}", "stacks/kept/cdk.tf.json": "{}" });
    carryOver(fs, join(base, "old"), join(base, "new"));
    expect(listTree(join(base, "new"))).toEqual(["manifest.json", "notes.txt", "stacks", "stacks/kept", "stacks/kept/cdk.tf.json"]);
  });

  test("an interrupted swap is repaired from the work folder it left", () => {
    const base = mkdtempSync(join(tmpdir(), "plk-out-"));
    writeTree(join(base, ".cdktf.out.synth-1-abc", "old"), { "manifest.json": "previous" });
    writeTree(join(base, ".cdktf.out.synth-1-abc", "out"), { "manifest.json": "never published" });
    writeTree(join(base, ".cdktf.out.synth-2-def", "out"), { "manifest.json": "half-built" });
    recoverInterrupted(join(base, "cdktf.out"));
    expect(readFileSync(join(base, "cdktf.out", "manifest.json"), "utf8")).toBe("previous");
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
  });

  test("a work folder with a read-only folder inside is still removed", () => {
    const base = mkdtempSync(join(tmpdir(), "plk-out-"));
    writeTree(join(base, "cdktf.out"), { "manifest.json": "x" });
    writeTree(join(base, ".cdktf.out.synth-9-ro", "old", "stacks", "p"), { "cdk.tf.json": "{}" });
    fs.chmodSync(join(base, ".cdktf.out.synth-9-ro", "old", "stacks", "p"), 0o500);
    recoverInterrupted(join(base, "cdktf.out"));
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
  });
});

describe("one writer at a time", () => {
  let base: string;
  let outdir: string;
  let lock: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), "plk-lock-"));
    outdir = join(base, "cdktf.out");
    mkdirSync(outdir);
    lock = siblingsOf(outdir).lock;
  });
  const holderLock = (pid: number, extra: Record<string, unknown> = {}) =>
    writeFileSync(lock, JSON.stringify({ pid, host: hostname(), started: "2026-01-01T00:00:00.000Z", ...extra }));
  const liveProcess = () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    return child;
  };

  test("a live holder: waits the bounded time, then one line naming the process; the output is untouched", async () => {
    const holder = liveProcess();
    try {
      holderLock(holder.pid!);
      const waited: number[] = [];
      const started = Date.now();
      const error = await publishSynth(outdir, fakeBuild(NEW_STACKS, "new"), {
        waitMs: 400,
        onWait: (h) => waited.push(h.pid),
      }).catch((err: Error) => err);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect(error).toBeInstanceOf(OutputError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^Another synth is writing .*cdktf\\.out \\(process ${holder.pid} on .+, started 2026-01-01T00:00:00\\.000Z\\); this one waited 0 s\\.`,
        ),
      );
      expect((error as Error).message).not.toContain("\n");
      expect(waited).toEqual([holder.pid]);
      expect(readdirSync(outdir)).toEqual([]);
      expect(existsSync(lock)).toBe(true);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  test("a live holder that finishes while we wait: this run goes ahead", async () => {
    const holder = liveProcess();
    holderLock(holder.pid!);
    setTimeout(() => fs.rmSync(lock), 300);
    try {
      await publishSynth(outdir, fakeBuild(NEW_STACKS, "new"), { waitMs: 5000 });
      expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["consumer-a", "provider"]);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  test.each<[string, () => void]>([
    ["a killed holder (no such process)", () => holderLock(DEAD_PID)],
    ["a reused PID (the process's start time differs)", () => holderLock(process.pid, { startTicks: "1" })],
    ["an unreadable lock file", () => writeFileSync(lock, "\0garbage")],
    [
      "a lock older than the maximum age",
      () => {
        holderLock(process.pid);
        const old = new Date(Date.now() - 11 * 60_000);
        utimesSync(lock, old, old);
      },
    ],
  ])("%s is taken over at once", async (_name, leave) => {
    leave();
    const started = Date.now();
    await publishSynth(outdir, fakeBuild(NEW_STACKS, "new"), { waitMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["consumer-a", "provider"]);
    expect(leftovers(base)).toEqual([]);
  });

  test("a live holder of this host is never taken over, however many runs try at once", async () => {
    const holder = liveProcess();
    try {
      holderLock(holder.pid!);
      const results = await Promise.allSettled([1, 2, 3].map(() => publishSynth(outdir, fakeBuild(NEW_STACKS, "new"), { waitMs: 200 })));
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
      expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(holder.pid);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  test("runs started together take turns: one build at a time, each output whole", async () => {
    holderLock(DEAD_PID);
    let active = 0;
    let most = 0;
    const build = (tag: string) => async (folders: WorkFolders) => {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 50));
      await fakeBuild(tag === "a" ? OLD_STACKS : NEW_STACKS, tag)(folders);
      active--;
    };
    await Promise.all(["a", "b", "c", "d"].map((tag) => publishSynth(outdir, build(tag), { waitMs: 10_000 })));
    expect(most).toBe(1);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual([...manifest.stacks].sort());
    expect(leftovers(base)).toEqual([]);
  });
});
