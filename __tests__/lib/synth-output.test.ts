/**
 * All-or-nothing publishing, one writer at a time, and recovery after interrupted runs.
 *
 * Interruption is tested at every file-system call of a publish: a wrapper around `node:fs`
 * copies the whole parent folder right before call k (what a kill -9 at that moment leaves
 * on disk), or makes call k fail with ENOSPC or EACCES.
 */
import { execFileSync, spawn } from "node:child_process";
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
import { constants, hostname, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import {
  carryOver,
  FILE_OPS,
  FileOps,
  foreignFolderProblem,
  OutputError,
  OutputLock,
  publishSynth,
  recoverInterrupted,
  repairInterrupted,
  resolveOutdir,
  siblingsOf,
  STOP_SIGNALS,
  WorkFolders,
} from "../../lib/synth-output";
import { escapeRegExp } from "../fixtures";
import { listTree, treeHash, writeTree } from "../support/trees";

/** A PID above Linux's largest pid_max: no process has it. */
const DEAD_PID = 4_194_305;

/** An earlier synth's manifest, as cdktf writes it: what makes a folder one a synth may replace. */
const EARLIER_MANIFEST = JSON.stringify({ version: "0.21.0", stacks: {} });

/** A stand-in for the app's synth: a manifest and a file per stack, plus a scratch file. */
function fakeBuild(stacks: readonly string[], tag: string) {
  return ({ staging, scratch }: WorkFolders): Promise<void> => {
    writeFileSync(join(scratch, "hello.zip"), `zip ${tag}`);
    const manifest = { version: "0.21.0", stacks: Object.fromEntries(stacks.map((stack) => [stack, { name: stack }])), tag };
    const files: Record<string, string> = { "manifest.json": JSON.stringify(manifest) };
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

  // The publish has no branch for any of these codes (ENOENT, EEXIST and EPERM are the ones
  // that change what it does: output-lock.test.ts): each call fails once, with the codes in
  // turn, so every code fails calls all through the publish, and names its own cause.
  const CAUSES: Record<string, string> = {
    ENOSPC: "no space left on the device",
    EACCES: "permission denied",
    EROFS: "the file system is read-only",
    EIO: "an input/output error",
  };
  const CODES = Object.keys(CAUSES);
  test.each(CODES.map((code, i) => [code, i]))(
    "a call failing with %s (every fourth call, in turn with the others): one line, exit path clean, the old output intact (or the new one, if only cleanup failed)",
    async (code, first) => {
      let refused = 0;
      for (let k = first + 1; k <= calls; k += CODES.length) {
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
          expect(message).toContain(CAUSES[code]);
          refused++;
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
      expect(refused).toBeGreaterThan(3);
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

  test.each([
    ["~/x", "~ is expanded only by a shell, and was not here"],
    ["~", "~ is expanded only by a shell, and was not here"],
    [" cdktf.out", "the path has white space at its start or end"],
    ["cdktf.out\n", "the path has white space at its start or end"],
  ])("an output folder %j (a ~ no shell expanded, pasted white space) is refused before anything is made", (outdir, why) => {
    const base = mkdtempSync(join(tmpdir(), "plk-out-"));
    const cwd = process.cwd();
    process.chdir(base);
    try {
      expect(() => resolveOutdir(outdir)).toThrow(
        new OutputError(
          `Cannot use the output folder ${JSON.stringify(outdir)}: ${why}. Set CDKTF_OUTDIR to the full path. Nothing was changed.`,
        ),
      );
      expect(readdirSync(base)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  test("a ~ inside a path, or as part of a name, is an ordinary character", () => {
    const base = mkdtempSync(join(tmpdir(), "plk-out-"));
    expect(resolveOutdir(join(base, "~backup", "out"))).toBe(join(fs.realpathSync(base), "~backup", "out"));
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
    writeTree(join(base, "cdktf.out"), { "manifest.json": EARLIER_MANIFEST });
    writeTree(join(base, ".cdktf.out.synth-9-ro", "old", "stacks", "p"), { "cdk.tf.json": "{}" });
    fs.chmodSync(join(base, ".cdktf.out.synth-9-ro", "old", "stacks", "p"), 0o500);
    recoverInterrupted(join(base, "cdktf.out"));
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
  });
});

describe("a process working in the previous output (a Terraform run during a synth)", () => {
  /** A child process working in `dir` that, once `go` exists, writes `state/written` through `../../../state/`. */
  const terraformLike = (dir: string, go: string) =>
    spawn(
      process.execPath,
      [
        "-e",
        `const fs = require("node:fs");
         const t = setInterval(() => { if (fs.existsSync(${JSON.stringify(go)})) { clearInterval(t);
           try { fs.writeFileSync("../../../state/written", "state"); } catch (e) { fs.writeFileSync(${JSON.stringify(go + ".failed")}, e.code); }
           process.exit(0); } }, 10);`,
      ],
      { cwd: dir, stdio: "ignore" },
    );

  test("keeps it at the output folder's depth until the process is done, so its relative state path still resolves", async () => {
    // GIVEN a previous output and a process working in one of its stack folders
    const { base, outdir } = await projectWithOldOutput();
    mkdirSync(join(base, "state"));
    const go = join(base, "go");
    const child = terraformLike(join(outdir, "stacks", "provider"), go);
    const exited = new Promise((done) => child.on("exit", done));
    try {
      await new Promise((done) => setTimeout(done, 300));
      // WHEN a synth publishes a new output
      const kept: { dir: string; pids: number[] }[] = [];
      await publishSynth(outdir, fakeBuild(NEW_STACKS, "new"), {
        onKept: (dir, users) => kept.push({ dir, pids: users.map((u) => u.pid) }),
      });
      // THEN the new output is published, and the previous one stays beside it, named for the process
      expect(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).tag).toBe("new");
      expect(kept).toEqual([{ dir: expect.stringMatching(/\/\.cdktf\.out\.old-\d+-\w+$/), pids: [child.pid] }]);
      expect(dirname(kept[0].dir)).toBe(base);
      expect(JSON.parse(readFileSync(join(kept[0].dir, "manifest.json"), "utf8")).tag).toBe("old");
      // AND the process, going on, still reaches the project's state folder
      writeFileSync(go, "");
      await exited;
      expect(existsSync(`${go}.failed`) ? readFileSync(`${go}.failed`, "utf8") : "no failure").toBe("no failure");
      expect(readFileSync(join(base, "state", "written"), "utf8")).toBe("state");
      // AND once it is done, the next synth removes the previous output
      await publishSynth(outdir, fakeBuild(NEW_STACKS, "newer"));
      expect(readdirSync(base).sort()).toEqual(["cdktf.out", "go", "state"]);
    } finally {
      child.kill();
    }
  });

  test("with no process in it, the previous output is removed at once", async () => {
    const { base, outdir } = await projectWithOldOutput();
    const kept: string[] = [];
    await publishSynth(outdir, fakeBuild(NEW_STACKS, "new"), { onKept: (dir) => kept.push(dir) });
    expect(kept).toEqual([]);
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
  });

  test("an interrupted swap is repaired from the previous output beside the output folder; a kept one is never put back", () => {
    // GIVEN a run that died between the renames (its work folder and its previous output left)
    // and a previous output kept for a process that has since finished (no work folder)
    const base = mkdtempSync(join(tmpdir(), "plk-out-"));
    writeTree(join(base, ".cdktf.out.synth-1-abc", "out"), { "manifest.json": "never published" });
    writeTree(join(base, ".cdktf.out.old-1-abc"), { "manifest.json": "previous" });
    writeTree(join(base, ".cdktf.out.old-2-kept"), { "manifest.json": "older, kept" });
    const t = Date.now() / 1000;
    utimesSync(join(base, ".cdktf.out.old-1-abc"), t - 3600, t - 3600);
    // WHEN recovery runs; THEN the interrupted run's previous output is back, and the rest is gone
    recoverInterrupted(join(base, "cdktf.out"));
    expect(readFileSync(join(base, "cdktf.out", "manifest.json"), "utf8")).toBe("previous");
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
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(Object.keys(manifest.stacks).sort());
    expect(leftovers(base)).toEqual([]);
  });
});

/** A `node:fs` wrapper that logs every call (operation and arguments) and runs `hook` first. */
function loggedFs(hook: (op: string, args: unknown[]) => void = () => undefined): { fs: FileOps; log: Array<[string, ...unknown[]]> } {
  const log: Array<[string, ...unknown[]]> = [];
  const { fs: wrapped } = instrumentedFs((call, op, args) => {
    log.push([op, ...args]);
    if (call > 500) throw new Error("runaway: more than 500 file-system calls");
    hook(op, args);
  });
  return { fs: wrapped, log };
}

describe("removing work folders", () => {
  test("a work folder is removed in one call, without touching permissions", () => {
    // GIVEN an output folder and a dead run's work folder with files in nested folders
    const base = mkdtempSync(join(tmpdir(), "plk-rm-"));
    writeTree(join(base, "cdktf.out"), { "manifest.json": EARLIER_MANIFEST });
    const work = join(base, ".cdktf.out.synth-9-abc");
    writeTree(work, { "out/stacks/p/cdk.tf.json": "{}", "package/hello.zip": "zip" });
    const { fs: logged, log } = loggedFs();
    // WHEN recovery removes it
    recoverInterrupted(join(base, "cdktf.out"), logged);
    // THEN one recursive removal did it
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
    expect(log.filter(([, path]) => path === work).map(([op]) => op)).toEqual(["rmSync"]);
    expect(log.filter(([op]) => op === "chmodSync" || op === "lstatSync")).toEqual([]);
  });

  test("a work folder that vanishes meanwhile (another run removed it) is no error and needs no second try", () => {
    // GIVEN a dead run's work folder that someone else removes right before this run does
    const base = mkdtempSync(join(tmpdir(), "plk-rm-"));
    writeTree(join(base, "cdktf.out"), { "manifest.json": EARLIER_MANIFEST });
    const work = join(base, ".cdktf.out.synth-9-abc");
    writeTree(work, { "out/manifest.json": "{}" });
    const { fs: logged, log } = loggedFs((op, args) => {
      if (op === "rmSync" && args[0] === work) fs.rmSync(work, { recursive: true, force: true });
    });
    // WHEN recovery removes it; THEN that is no error, and nothing more is tried on it
    expect(() => recoverInterrupted(join(base, "cdktf.out"), logged)).not.toThrow();
    expect(log.filter(([, path]) => path === work).map(([op]) => op)).toEqual(["rmSync"]);
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
  });

  test("a read-only folder deep inside that blocks removal is opened up (only folders), then the whole is removed", () => {
    // GIVEN a work folder whose removal is refused until its read-only folder is made writable again
    const base = mkdtempSync(join(tmpdir(), "plk-rm-"));
    writeTree(join(base, "cdktf.out"), { "manifest.json": EARLIER_MANIFEST });
    const work = join(base, ".cdktf.out.synth-9-ro");
    const readOnly = join(work, "old", "stacks", "p");
    writeTree(work, { "old/manifest.json": "{}", "old/stacks/p/cdk.tf.json": "{}", "old/stacks/p/.terraform/x": "y" });
    fs.chmodSync(readOnly, 0o500);
    const opened = new Map<string, unknown>();
    const { fs: logged } = loggedFs((op, args) => {
      if (op === "chmodSync") opened.set(String(args[0]), args[1]);
      // (root may remove anything: the refusal a user would see is simulated)
      if (op === "rmSync" && args[0] === work && opened.get(readOnly) !== 0o700)
        throw errnoError("EACCES", op, join(readOnly, "cdk.tf.json"));
    });
    // WHEN recovery removes it
    recoverInterrupted(join(base, "cdktf.out"), logged);
    // THEN it is gone; every folder on the way was opened up, no file was
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
    expect([...opened.keys()].sort()).toEqual(
      [work, join(work, "old"), join(work, "old", "stacks"), readOnly, join(readOnly, ".terraform")].sort(),
    );
    expect(new Set(opened.values())).toEqual(new Set([0o700]));
  });
});

describe("recovery after killed runs", () => {
  test("lock attempts of dead processes go; those of live ones, the lock and look-alikes stay", () => {
    // GIVEN files beside the output folder: attempts and moved locks of a dead and a live process, and others
    const base = mkdtempSync(join(tmpdir(), "plk-rec-"));
    writeTree(join(base, "cdktf.out"), { "manifest.json": EARLIER_MANIFEST });
    const dead = [`.cdktf.out.lock.${DEAD_PID}.ab12cd34`, `.cdktf.out.lock.stale.${DEAD_PID}.ef56gh78`];
    const kept = [
      ".cdktf.out.lock",
      `.cdktf.out.lock.${process.pid}.ab12cd34`,
      `.cdktf.out.lock.stale.${process.pid}.ef56gh78`,
      `.cdktf.out.lockX${DEAD_PID}.ab12cd34`,
      `.cdktf.out.lock.4194stale.305`,
      `.cdktf.out.lock.notes.txt`,
      `.other.out.lock.${DEAD_PID}.ab12cd34`,
      "cdktf.out",
      "notes.txt",
    ];
    for (const name of [...dead, ...kept]) if (name !== "cdktf.out") writeFileSync(join(base, name), "x");
    // WHEN recovery runs
    recoverInterrupted(join(base, "cdktf.out"));
    // THEN only the dead process's files are gone
    expect(readdirSync(base).sort()).toEqual([...kept].sort());
  });

  test("a dead run's attempt file that vanishes meanwhile (another run cleaned it) is no error", () => {
    // GIVEN a dead process's attempt file that someone else removes right before this run does
    const base = mkdtempSync(join(tmpdir(), "plk-rec-"));
    writeTree(join(base, "cdktf.out"), { "manifest.json": EARLIER_MANIFEST });
    const attempt = join(base, `.cdktf.out.lock.${DEAD_PID}.ab12cd34`);
    writeFileSync(attempt, "x");
    const { fs: logged } = loggedFs((op, args) => {
      if (op === "rmSync" && args[0] === attempt) fs.rmSync(attempt);
    });
    // WHEN recovery runs; THEN it completes
    expect(() => recoverInterrupted(join(base, "cdktf.out"), logged)).not.toThrow();
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
  });

  test.each([
    ["the first", "first"],
    ["the second", "second"],
  ])("of two interrupted swaps, the newest previous output is put back (%s newer)", (_what, newest) => {
    // GIVEN two work folders holding a previous output each, one of them written later
    const base = mkdtempSync(join(tmpdir(), "plk-rec-"));
    const works = { first: join(base, ".cdktf.out.synth-1-aaaaaa"), second: join(base, ".cdktf.out.synth-2-bbbbbb") };
    for (const [name, work] of Object.entries(works)) writeTree(join(work, "old"), { "manifest.json": name });
    const t = Date.now() / 1000;
    for (const [name, work] of Object.entries(works)) {
      const when = name === newest ? t - 60 : t - 3600;
      utimesSync(join(work, "old"), when, when);
    }
    // WHEN recovery runs
    recoverInterrupted(join(base, "cdktf.out"));
    // THEN the newer one is the output again, and both work folders are gone
    expect(readFileSync(join(base, "cdktf.out", "manifest.json"), "utf8")).toBe(newest);
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
  });
});

describe("carrying over Terraform's files", () => {
  test("without a previous output, nothing is listed or linked", () => {
    // GIVEN a new output and no previous one
    const base = mkdtempSync(join(tmpdir(), "plk-carry-"));
    writeTree(join(base, "new"), { "manifest.json": "{}", "stacks/a/cdk.tf.json": "{}" });
    const { fs: logged, log } = loggedFs();
    // WHEN carried over; THEN only the check for the previous output was made
    carryOver(logged, join(base, "old"), join(base, "new"));
    expect(log).toEqual([["existsSync", join(base, "old")]]);
    expect(listTree(join(base, "new"))).toEqual(["manifest.json", "stacks", "stacks/a", "stacks/a/cdk.tf.json"]);
  });

  test("the previous manifest and stacks are never carried, even when the new output lacks them", () => {
    // GIVEN a previous output with a manifest, a stack and an extra; a new output with only a file of its own
    const base = mkdtempSync(join(tmpdir(), "plk-carry-"));
    writeTree(join(base, "old"), { "manifest.json": "old", "stacks/a/cdk.tf.json": "old", "notes.txt": "mine", "extra.txt": "old" });
    writeTree(join(base, "new"), { "extra.txt": "new" });
    // WHEN carried over
    carryOver(fs, join(base, "old"), join(base, "new"));
    // THEN only the extra the new output does not have came along
    expect(listTree(join(base, "new"))).toEqual(["extra.txt", "notes.txt"]);
    expect(readFileSync(join(base, "new", "extra.txt"), "utf8")).toBe("new");
  });

  test("neither output with a stacks folder is fine", () => {
    // GIVEN two outputs without stacks
    const base = mkdtempSync(join(tmpdir(), "plk-carry-"));
    writeTree(join(base, "old"), { "notes.txt": "mine" });
    writeTree(join(base, "new"), { "manifest.json": "{}" });
    // WHEN carried over; THEN only the extra came along
    carryOver(fs, join(base, "old"), join(base, "new"));
    expect(listTree(join(base, "new"))).toEqual(["manifest.json", "notes.txt"]);
  });

  test("a file where a stack folder was is skipped", () => {
    // GIVEN a previous output whose `stacks/a` is a file, and a new output with stack a
    const base = mkdtempSync(join(tmpdir(), "plk-carry-"));
    writeTree(join(base, "old"), { "stacks/a": "a file", "stacks/b/.terraform.lock.hcl": "lock" });
    writeTree(join(base, "new"), { "stacks/a/cdk.tf.json": "{}", "stacks/b/cdk.tf.json": "{}" });
    // WHEN carried over; THEN stack a is as built, stack b got its lock file
    carryOver(fs, join(base, "old"), join(base, "new"));
    expect(listTree(join(base, "new"))).toEqual([
      "stacks",
      "stacks/a",
      "stacks/a/cdk.tf.json",
      "stacks/b",
      "stacks/b/.terraform.lock.hcl",
      "stacks/b/cdk.tf.json",
    ]);
  });

  test("files are hard-linked, copied where links are refused; links stay links; FIFOs are left behind", () => {
    // GIVEN a stack's Terraform files: a plain file, one on a file system that refuses links, a symlink and a FIFO
    const base = mkdtempSync(join(tmpdir(), "plk-carry-"));
    writeTree(join(base, "old"), { "stacks/a/.terraform/plugin": "binary", "stacks/a/.terraform.lock.hcl": "lock" });
    symlinkSync("/opt/plugins/x", join(base, "old", "stacks/a/.terraform/link"));
    execFileSync("mkfifo", [join(base, "old", "stacks/a/.terraform/fifo")]);
    writeTree(join(base, "new"), { "stacks/a/cdk.tf.json": "{}" });
    const refused = join(base, "old", "stacks/a/.terraform.lock.hcl");
    const { fs: logged } = loggedFs((op, args) => {
      if (op === "linkSync" && args[0] === refused) throw errnoError("EXDEV", op, args[0]);
    });
    // WHEN carried over
    carryOver(logged, join(base, "old"), join(base, "new"));
    // THEN the plain file is the same inode, the refused one a copy, the symlink a symlink, the FIFO absent
    const to = join(base, "new", "stacks/a");
    expect(listTree(to)).toEqual([".terraform", ".terraform.lock.hcl", ".terraform/link", ".terraform/plugin", "cdk.tf.json"]);
    expect(statSync(join(to, ".terraform/plugin")).ino).toBe(statSync(join(base, "old", "stacks/a/.terraform/plugin")).ino);
    expect(statSync(join(to, ".terraform.lock.hcl")).ino).not.toBe(statSync(refused).ino);
    expect(readFileSync(join(to, ".terraform.lock.hcl"), "utf8")).toBe("lock");
    expect(fs.readlinkSync(join(to, ".terraform/link"))).toBe("/opt/plugins/x");
  });
});

describe("resolving the output folder", () => {
  test("missing parent folders, several levels deep, are created; the output folder itself is not", () => {
    // GIVEN a path whose parent and grandparent do not exist
    const base = mkdtempSync(join(tmpdir(), "plk-res-"));
    const out = join(base, "a", "b", "out");
    // WHEN resolved; THEN the parents exist and the path comes back
    expect(resolveOutdir(out)).toBe(out);
    expect(statSync(join(base, "a", "b")).isDirectory()).toBe(true);
    expect(existsSync(out)).toBe(false);
  });

  test("a parent that cannot be created: one line naming it", () => {
    // GIVEN parents that cannot be made
    const base = mkdtempSync(join(tmpdir(), "plk-res-"));
    const { fs: logged } = loggedFs((op, args) => {
      if (op === "mkdirSync") throw errnoError("EACCES", op, args[0]);
    });
    // WHEN resolved; THEN the user reads what failed where
    expect(() => resolveOutdir(join(base, "a", "out"), logged)).toThrow(
      new OutputError(
        `Cannot create the output folder's parent (${join(base, "a")}): permission denied. Check that path's permissions (ls -ld), or set CDKTF_OUTDIR to a writable folder. The previous output is unchanged.`,
      ),
    );
  });

  test("an error that is no file-system error is passed on as it is", () => {
    // GIVEN a mkdir and a stat that fail with a plain error
    const base = mkdtempSync(join(tmpdir(), "plk-res-"));
    const bug = new TypeError("a bug");
    const { fs: failingMkdir } = loggedFs((op) => {
      if (op === "mkdirSync") throw bug;
    });
    const { fs: failingStat } = loggedFs((op) => {
      if (op === "statSync") throw bug;
    });
    // WHEN resolved; THEN the same error comes out
    expect(() => resolveOutdir(join(base, "a", "out"), failingMkdir)).toThrow(bug);
    expect(() => resolveOutdir(join(base, "out"), failingStat)).toThrow(bug);
  });

  test("a path through a file: one line with the path and the cause", () => {
    // GIVEN a path through a file
    const base = mkdtempSync(join(tmpdir(), "plk-res-"));
    writeFileSync(join(base, "file"), "");
    // WHEN resolved; THEN the exact line
    expect(() => resolveOutdir(join(base, "file", "cdktf.out"))).toThrow(
      new OutputError(
        `Cannot use the output folder (${join(base, "file", "cdktf.out")}): a part of the path is a file, not a folder. Move that file away, or set CDKTF_OUTDIR to another path. The previous output is unchanged.`,
      ),
    );
  });

  test("a real path that cannot be read: one line with the cause", () => {
    // GIVEN an output folder whose real path cannot be resolved
    const base = mkdtempSync(join(tmpdir(), "plk-res-"));
    mkdirSync(join(base, "out"));
    const { fs: logged } = loggedFs((op, args) => {
      if (op === "realpathSync") throw errnoError("ELOOP", op, args[0]);
    });
    // WHEN resolved; THEN the exact line
    expect(() => resolveOutdir(join(base, "out"), logged)).toThrow(
      new OutputError(
        `Cannot use the output folder (${join(base, "out")}): too many symbolic links. Set CDKTF_OUTDIR to a plain folder. The previous output is unchanged.`,
      ),
    );
  });
});

describe("a folder that is not a synth's output is never replaced", () => {
  /** A user's project: source in stacks/, a web app's manifest.json, notes. */
  const PROJECT = {
    "stacks/provider-stack.ts": "export class ProviderStack {}",
    "manifest.json": JSON.stringify({ name: "my web app", icons: [] }),
    "README.md": "mine",
  };

  test("a user's folder is refused with one line naming it, and left byte-identical", async () => {
    // GIVEN CDKTF_OUTDIR pointing at a project folder (CDKTF_OUTDIR=., say)
    const dir = join(mkdtempSync(join(tmpdir(), "plk-own-")), "project");
    writeTree(dir, PROJECT);
    const before = treeHash(dir);
    // WHEN a synth would publish there; THEN the exact line, and nothing moved or written
    const refusal = new OutputError(
      `Cannot write the output folder ${dir}: it holds README.md, manifest.json, stacks, and is no synth's output (no cdktf manifest.json in it), and a synth replaces its output folder whole. Set CDKTF_OUTDIR to a new or empty folder, or to an earlier synth's output. Nothing was changed.`,
    );
    expect(() => resolveOutdir(dir)).toThrow(refusal);
    await expect(publishSynth(dir, fakeBuild(NEW_STACKS, "new"))).rejects.toThrow(refusal);
    expect(treeHash(dir)).toBe(before);
    expect(readdirSync(dirname(dir))).toEqual(["project"]);
  });

  test.each<[string, string]>([
    ["a web app's", JSON.stringify({ name: "app", stacks: {} })],
    ["a list", JSON.stringify([{ version: "0.21.0", stacks: {} }])],
    ["stacks as a list", JSON.stringify({ version: "0.21.0", stacks: ["provider"] })],
    ["null stacks", JSON.stringify({ version: "0.21.0", stacks: null })],
    ["not JSON", "{ version: 0.21.0"],
  ])("a manifest.json that is not cdktf's (%s) does not make a folder an output", (_, manifest) => {
    const dir = mkdtempSync(join(tmpdir(), "plk-own-"));
    writeTree(dir, { "manifest.json": manifest });
    expect(foreignFolderProblem(dir)).toBe("it holds manifest.json, and is no synth's output (no cdktf manifest.json in it)");
  });

  test("many entries are counted, not all listed; a folder named manifest.json is no manifest", () => {
    const dir = mkdtempSync(join(tmpdir(), "plk-own-"));
    writeTree(dir, { "a.txt": "", "b.txt": "", "c.txt": "", "d.txt": "", "manifest.json/x": "" });
    expect(foreignFolderProblem(dir)).toBe(
      "it holds a.txt, b.txt, c.txt, and 2 more, and is no synth's output (no cdktf manifest.json in it)",
    );
  });

  test("the folder the command runs in, or one holding it, is refused even when it is an output", () => {
    const base = mkdtempSync(join(tmpdir(), "plk-own-"));
    const dir = join(base, "out");
    writeTree(dir, { "manifest.json": EARLIER_MANIFEST, "..sub/x": "" });
    const holds = (cwd: string) => `it holds the folder this command runs in (${cwd})`;
    expect(foreignFolderProblem(dir, fs, dir)).toBe(holds(dir));
    expect(foreignFolderProblem(dir, fs, join(dir, "..sub"))).toBe(holds(join(dir, "..sub")));
    // A sibling whose name starts like the folder's is not inside it.
    expect(foreignFolderProblem(dir, fs, join(base, "out..x"))).toBeUndefined();
    expect(foreignFolderProblem(dir, fs, base)).toBeUndefined();
  });

  test("an empty folder, an earlier synth's output and a new path are accepted", async () => {
    const base = mkdtempSync(join(tmpdir(), "plk-own-"));
    mkdirSync(join(base, "empty"));
    writeTree(join(base, "earlier"), { "manifest.json": EARLIER_MANIFEST, "notes.txt": "mine" });
    expect(foreignFolderProblem(join(base, "empty"))).toBeUndefined();
    expect(foreignFolderProblem(join(base, "earlier"))).toBeUndefined();
    for (const name of ["empty", "earlier", "new"]) {
      await publishSynth(join(base, name), fakeBuild(NEW_STACKS, "new"));
      expect(JSON.parse(readFileSync(join(base, name, "manifest.json"), "utf8")).tag).toBe("new");
    }
    // The earlier output's own extra is carried over, as ever.
    expect(readFileSync(join(base, "earlier", "notes.txt"), "utf8")).toBe("mine");
  });

  test("a manifest the disk fails to read is the disk's error, not a refusal of the folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "plk-own-"));
    writeTree(dir, { "manifest.json": EARLIER_MANIFEST });
    const { fs: failing } = loggedFs((op, args) => {
      if (op === "readFileSync" && String(args[0]).endsWith("manifest.json")) throw errnoError("EIO", op, args[0]);
    });
    expect(() => resolveOutdir(dir, failing)).toThrow(/^Cannot use the output folder \(.*\): .*The previous output is unchanged\.$/);
    expect(() => resolveOutdir(dir, failing)).not.toThrow(/no synth's output/);
  });
});

describe("repairing before an early stop", () => {
  test("an interrupted swap is repaired, the lock released, the work folder gone", async () => {
    // GIVEN a killed run's work folder holding the previous output, and no output folder
    const base = mkdtempSync(join(tmpdir(), "plk-rep-"));
    writeTree(join(base, ".cdktf.out.synth-1-abcdef", "old"), { "manifest.json": "previous" });
    // WHEN a run that stops early repairs
    await repairInterrupted(join(base, "cdktf.out"));
    // THEN the previous output is back and nothing else is there
    expect(readFileSync(join(base, "cdktf.out", "manifest.json"), "utf8")).toBe("previous");
    expect(readdirSync(base)).toEqual(["cdktf.out"]);
  });

  test("a symlinked output folder is repaired where it points", async () => {
    // GIVEN an output folder reached by a symlink, beside a leftover work folder of a dead run
    const base = mkdtempSync(join(tmpdir(), "plk-rep-"));
    writeTree(join(base, "real", "cdktf.out"), { "manifest.json": EARLIER_MANIFEST });
    writeTree(join(base, "real", ".cdktf.out.synth-1-abcdef", "out"), { "manifest.json": "half" });
    symlinkSync(join(base, "real", "cdktf.out"), join(base, "link"));
    // WHEN repaired through the link; THEN the work folder beside the real folder is gone
    await repairInterrupted(join(base, "link"));
    expect(readdirSync(join(base, "real"))).toEqual(["cdktf.out"]);
    expect(readdirSync(base).sort()).toEqual(["link", "real"]);
  });

  test("while a live synth holds the lock, nothing is touched and nothing is awaited", async () => {
    // GIVEN a live holder of the lock and an interrupted swap it may be in the middle of
    const base = mkdtempSync(join(tmpdir(), "plk-rep-"));
    writeTree(join(base, ".cdktf.out.synth-1-abcdef", "old"), { "manifest.json": "previous" });
    const lock = siblingsOf(join(base, "cdktf.out")).lock;
    const held = JSON.stringify({ pid: process.pid, host: hostname(), started: "2026-01-01T00:00:00.000Z" });
    writeFileSync(lock, held);
    // WHEN a run that stops early repairs
    const started = Date.now();
    await repairInterrupted(join(base, "cdktf.out"));
    // THEN it returned at once and left everything as it was
    expect(Date.now() - started).toBeLessThan(2000);
    expect(readFileSync(lock, "utf8")).toBe(held);
    expect(readdirSync(base).sort()).toEqual([".cdktf.out.lock", ".cdktf.out.synth-1-abcdef"]);
  });

  test("without the parent folder, nothing is created or tried", async () => {
    // GIVEN an output path whose parent does not exist
    const base = mkdtempSync(join(tmpdir(), "plk-rep-"));
    const { fs: logged, log } = loggedFs();
    // WHEN repaired; THEN only the parent was looked for
    await repairInterrupted(join(base, "missing", "cdktf.out"), logged);
    expect(log).toEqual([["existsSync", join(base, "missing")]]);
    expect(readdirSync(base)).toEqual([]);
  });
});

describe("the publish itself", () => {
  test("the work folder is named after this process, beside the output folder", async () => {
    // GIVEN an output folder
    const base = mkdtempSync(join(tmpdir(), "plk-pub-"));
    let seen: WorkFolders | undefined;
    // WHEN a synth is published
    await publishSynth(join(base, "cdktf.out"), async (folders) => {
      seen = folders;
      await fakeBuild(NEW_STACKS, "new")(folders);
    });
    // THEN the build wrote into .cdktf.out.synth-<pid>-<rand>/out, with package/ as scratch
    const work = dirname(seen!.staging);
    expect(dirname(work)).toBe(base);
    expect(basename(work)).toMatch(new RegExp(`^\\.cdktf\\.out\\.synth-${process.pid}-[A-Za-z0-9]{6}$`));
    expect(seen).toEqual({ staging: join(work, "out"), scratch: join(work, "package") });
  });

  test.each([true, false])("SIGHUP, SIGINT and SIGTERM handlers are there during the build only (build succeeds: %s)", async (succeeds) => {
    // GIVEN the signal listeners before
    const base = mkdtempSync(join(tmpdir(), "plk-pub-"));
    const counts = () => ({
      SIGHUP: process.listenerCount("SIGHUP"),
      SIGINT: process.listenerCount("SIGINT"),
      SIGTERM: process.listenerCount("SIGTERM"),
    });
    const before = counts();
    let during: typeof before | undefined;
    // WHEN a synth is published
    const run = publishSynth(join(base, "cdktf.out"), async (folders) => {
      during = counts();
      await fakeBuild(NEW_STACKS, "new")(folders);
      if (!succeeds) throw new Error("policy finding");
    });
    await (succeeds ? run : expect(run).rejects.toThrow("policy finding"));
    // THEN one more of each during the build, and as before afterwards
    expect(during).toEqual({ SIGHUP: before.SIGHUP + 1, SIGINT: before.SIGINT + 1, SIGTERM: before.SIGTERM + 1 });
    expect(counts()).toEqual(before);
  });

  test("the stop signals' numbers are the system's", () => {
    for (const [signal, number] of Object.entries(STOP_SIGNALS))
      expect([signal, number]).toEqual([signal, constants.signals[signal as NodeJS.Signals]]);
  });

  test.each<[NodeJS.Signals, number]>([
    ["SIGHUP", 129],
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ])("%s during the build: the work folder goes, the lock is released, exit code %d", async (signal, code) => {
    // GIVEN a previous output, and process.exit held back so the test survives the handler
    const base = mkdtempSync(join(tmpdir(), "plk-pub-"));
    const out = join(base, "cdktf.out");
    await publishSynth(out, fakeBuild(OLD_STACKS, "old"));
    const oldTree = treeHash(out);
    const exit = jest.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const before = process.listeners(signal);
    let state: { work: boolean; lock: boolean } | undefined;
    try {
      // WHEN the signal arrives in the middle of the build
      await expect(
        publishSynth(out, async (folders) => {
          await fakeBuild(NEW_STACKS, "new")(folders);
          const added = process.listeners(signal).filter((l) => !before.includes(l));
          expect(added).toHaveLength(1);
          added[0](signal);
          state = { work: existsSync(dirname(folders.staging)), lock: existsSync(siblingsOf(out).lock) };
          throw new Error("stopped");
        }),
      ).rejects.toThrow("stopped");
      // THEN the handler cleaned up and exited with 128 + the signal number; the old output is whole
      expect(state).toEqual({ work: false, lock: false });
      expect(exit).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledWith(code);
      expect(treeHash(out)).toBe(oldTree);
      expect(leftovers(base)).toEqual([]);
    } finally {
      exit.mockRestore();
    }
  });

  test("a lock file that cannot be created: one line naming it", async () => {
    // GIVEN a parent folder where the lock file cannot be written
    const base = mkdtempSync(join(tmpdir(), "plk-pub-"));
    const out = join(base, "cdktf.out");
    const lock = siblingsOf(out).lock;
    const { fs: logged } = loggedFs((op, args) => {
      if (op === "writeFileSync" && String(args[0]).startsWith(lock)) throw errnoError("EACCES", op, args[0]);
    });
    // WHEN a synth is published; THEN the line names the lock file once
    await expect(publishSynth(out, fakeBuild(NEW_STACKS, "new"), { fs: logged })).rejects.toThrow(
      new OutputError(
        `Cannot create the lock file ${lock}: permission denied. Check that path's permissions (ls -ld), or set CDKTF_OUTDIR to a writable folder. The previous output is unchanged.`,
      ),
    );
    expect(readdirSync(base)).toEqual([]);
  });

  test("a first synth whose output cannot be moved into place: one line with that cause, nothing left", async () => {
    // GIVEN no previous output, and the rename into place refused
    const base = mkdtempSync(join(tmpdir(), "plk-pub-"));
    const out = join(base, "cdktf.out");
    const { fs: logged } = loggedFs((op, args) => {
      if (op === "renameSync" && args[1] === out) throw errnoError("EACCES", op, args[0]);
    });
    // WHEN a synth is published; THEN the line tells that cause, and nothing is left
    const error = await publishSynth(out, fakeBuild(NEW_STACKS, "new"), { fs: logged }).catch((err: Error) => err);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Cannot write the new output for ${escapeRegExp(out)} \\(${escapeRegExp(base)}/\\.cdktf\\.out\\.synth-${process.pid}-\\w{6}/out\\): permission denied\\. Check that path's permissions \\(ls -ld\\), or set CDKTF_OUTDIR to a writable folder\\. The previous output is unchanged\\.$`,
      ),
    );
    expect(readdirSync(base)).toEqual([]);
  });

  test("the new output refused at the last rename: the previous one is put back whole", async () => {
    // GIVEN a previous output, and the rename of the new one into place refused
    const base = mkdtempSync(join(tmpdir(), "plk-pub-"));
    const out = join(base, "cdktf.out");
    await publishSynth(out, fakeBuild(OLD_STACKS, "old"));
    const oldTree = treeHash(out);
    const { fs: logged } = loggedFs((op, args) => {
      if (op === "renameSync" && args[1] === out && String(args[0]).endsWith("/out")) throw errnoError("ENOSPC", op, args[0]);
    });
    // WHEN a synth is published; THEN it fails and the previous output is there as it was
    await expect(publishSynth(out, fakeBuild(NEW_STACKS, "new"), { fs: logged })).rejects.toThrow(/no space left on the device/);
    expect(treeHash(out)).toBe(oldTree);
    expect(leftovers(base)).toEqual([]);
  });
});
