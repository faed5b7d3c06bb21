/**
 * The app in child processes under faults and odd input: config switches, two synths at
 * once, kill -9 at any moment, a full or read-only disk, a blocked output path, an unusable
 * TMPDIR, no Terraform on PATH. Output trees are compared by hash before and after.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { defaultRawConfig, escapeRegExp, examples, projectCopy, ROOT } from "./fixtures";
import { finished, oneLine, runApp, startApp } from "./support/app-process";
import { treeHash, writeTree } from "./support/trees";

const work = mkdtempSync(join(tmpdir(), "plk-faults-"));
const CONFIG_A = join(ROOT, "config", "default.json");
const CONFIG_B = join(work, "two-consumers.json");
const raw = defaultRawConfig();
raw.consumers.push({ ...raw.consumers[0], name: "second", accountId: "333333333333" });
writeFileSync(CONFIG_B, JSON.stringify(raw, null, 2));

/** Leftovers of runs beside an output folder. */
const leftovers = (parent: string) => readdirSync(parent).filter((n) => n.startsWith(".cdktf.out."));

let refA: string;
let refB: string;

beforeAll(() => {
  for (const [config, name] of [
    [CONFIG_A, "a"],
    [CONFIG_B, "b"],
  ]) {
    const run = runApp(ROOT, join(work, `ref-${name}`, "cdktf.out"), { PRIVATELINK_CONFIG: config });
    expect(run.stderr).toBe("");
  }
  refA = treeHash(join(work, "ref-a", "cdktf.out"));
  refB = treeHash(join(work, "ref-b", "cdktf.out"));
  expect(refA).not.toBe(refB);
});

test("switching configs: the stack folders are exactly the manifest's, Terraform's files of kept stacks stay", () => {
  const out = join(mkdtempSync(join(work, "switch-")), "cdktf.out");
  expect(runApp(ROOT, out, { PRIVATELINK_CONFIG: CONFIG_B }).status).toBe(0);
  expect(readdirSync(join(out, "stacks")).sort()).toEqual(["consumer", "consumer-second", "provider"]);
  writeTree(join(out, "stacks", "provider"), { ".terraform.lock.hcl": "# lock", ".terraform/terraform.tfstate": "{}" });
  expect(runApp(ROOT, out, { PRIVATELINK_CONFIG: CONFIG_A }).status).toBe(0);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  expect(readdirSync(join(out, "stacks")).sort()).toEqual(Object.keys(manifest.stacks).sort());
  expect(readFileSync(join(out, "stacks", "provider", ".terraform.lock.hcl"), "utf8")).toBe("# lock");
  execFileSync("rm", ["-r", join(out, "stacks", "provider", ".terraform.lock.hcl"), join(out, "stacks", "provider", ".terraform")]);
  expect(treeHash(out)).toBe(refA);
});

test("another environment's config over the same local state: the synth warns once, naming the state file", () => {
  // GIVEN a provider stack deployed from the default config, its local state beside the output
  const parent = mkdtempSync(join(work, "state-"));
  const nlbArn = "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:loadbalancer/net/hello-privatelink-nlb/0123456789abcdef";
  const deployed = {
    version: 4,
    resources: [
      { mode: "managed", type: "aws_lb", name: "nlb", instances: [{ attributes: { arn: nlbArn, name: "hello-privatelink-nlb" } }] },
    ],
  };
  writeTree(parent, { "state/terraform.provider.tfstate": JSON.stringify(deployed) });
  const out = join(parent, "cdktf.out");
  // WHEN the default config is synthesized there: nothing to say
  expect(runApp(ROOT, out, { PRIVATELINK_CONFIG: CONFIG_A }).stderr).toBe("");
  // AND WHEN a config of another account and name is synthesized into a new output folder beside it
  const other = defaultRawConfig();
  Object.assign(other, { name: "orders-stg" });
  other.provider.accountId = "999999999999";
  const configFile = join(parent, "staging.json");
  writeFileSync(configFile, JSON.stringify(other));
  const run = runApp(ROOT, join(parent, "cdktf.out"), { PRIVATELINK_CONFIG: configFile });
  // THEN it succeeds; into a folder of its own beside the state, with one warning that names
  // the state file and the other account (none where no state is)
  expect(run.status).toBe(0);
  // (told from the previous output in that folder already, so not again from the state)
  expect(run.stderr).toMatch(/^Warning: Stack provider moves to another account or Region/);
  expect(run.stderr).not.toContain("its state");
  const fresh = runApp(ROOT, join(parent, "fresh", "cdktf.out"), { PRIVATELINK_CONFIG: configFile });
  expect(fresh.stderr).toBe("");
  const besideState = runApp(ROOT, join(parent, "cdktf.out.staging"), { PRIVATELINK_CONFIG: configFile });
  expect(besideState.status).toBe(0);
  expect(besideState.stderr.trim().split("\n")).toEqual([
    expect.stringMatching(
      /^Warning: Stack provider: its state \(.*state\/terraform\.provider\.tfstate\) holds resources in account 111111111111, Region ap-northeast-1; this config deploys the stack to 999999999999/,
    ),
  ]);
});

test("two synths of different configs at once: both succeed, the output is one of them whole", async () => {
  const parent = mkdtempSync(join(work, "concurrent-"));
  const out = join(parent, "cdktf.out");
  const runs = await Promise.all([CONFIG_A, CONFIG_B].map((config) => finished(startApp(out, { PRIVATELINK_CONFIG: config }))));
  expect(runs.map((r) => r.code)).toEqual([0, 0]);
  expect([refA, refB]).toContain(treeHash(out));
  expect(leftovers(parent)).toEqual([]);
});

test("kill -9 at any moment of a synth: the output is always a whole one, and the next run cleans up", async () => {
  const parent = mkdtempSync(join(work, "kill-"));
  const out = join(parent, "cdktf.out");
  expect(runApp(ROOT, out, { PRIVATELINK_CONFIG: CONFIG_A }).status).toBe(0);
  // How long a synth takes here, so the kills spread over all of it.
  const started = Date.now();
  expect(runApp(ROOT, out, { PRIVATELINK_CONFIG: CONFIG_A }).status).toBe(0);
  const duration = Date.now() - started;
  const states: string[] = [];
  for (let i = 0; i < 8; i++) {
    const child = startApp(out, { PRIVATELINK_CONFIG: i % 2 ? CONFIG_A : CONFIG_B });
    const done = finished(child);
    setTimeout(() => child.kill("SIGKILL"), Math.round((duration * 1.2 * i) / 7));
    await done;
    const state = treeHash(out);
    states.push(state === refA ? "A" : state === refB ? "B" : state);
    expect({ i, state: states[i] }).toEqual({ i, state: expect.stringMatching(/^[AB]$/) });
  }
  expect(runApp(ROOT, out, { PRIVATELINK_CONFIG: CONFIG_B }).status).toBe(0);
  expect(treeHash(out)).toBe(refB);
  expect(leftovers(parent)).toEqual([]);
});

test("SIGTERM, Ctrl-C or a closed terminal (SIGHUP) during a synth: the run stops, the output is whole, nothing is left beside it", async () => {
  const parent = mkdtempSync(join(work, "term-"));
  const out = join(parent, "cdktf.out");
  expect(runApp(ROOT, out, { PRIVATELINK_CONFIG: CONFIG_A }).status).toBe(0);
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    const child = startApp(out, { PRIVATELINK_CONFIG: CONFIG_B });
    const done = finished(child);
    // The signal arrives once the run holds the lock and its work folder: in the middle.
    const started = Date.now();
    const midway = () => leftovers(parent).includes(".cdktf.out.lock") && leftovers(parent).some((n) => n.startsWith(".cdktf.out.synth-"));
    while (!midway() && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 5));
    expect(midway()).toBe(true);
    child.kill(signal);
    const run = await done;
    expect([signal, run.code]).toEqual([signal, 128 + constants.signals[signal]]);
    expect(treeHash(out)).toBe(refA);
    expect(leftovers(parent)).toEqual([]);
  }
});

describe("a disk that refuses writes (tmpfs in a private mount namespace)", () => {
  /** Runs `script` as root in a new mount namespace with a 2 MiB tmpfs at $M; returns stdout. */
  function inTmpfs(script: string): string {
    const run = spawnSync(
      "unshare",
      ["-m", "bash", "-euc", `M=$(mktemp -d); mount -t tmpfs -o size=2m tmpfs "$M"; cd "${ROOT}"; ${script}`],
      {
        encoding: "utf8",
        env: { ...process.env, PRIVATELINK_CONFIG: CONFIG_A },
      },
    );
    if (run.status !== 0) throw new Error(`the tmpfs script failed (unshare and mount need root):\n${run.stderr}`);
    return run.stdout;
  }

  test("disk full: exit 1, one line naming the cause, the previous output byte-identical", () => {
    const out = inTmpfs(`
      CDKTF_OUTDIR="$M/cdktf.out" node scripts/app.js
      before=$(cd "$M" && find . -type f | sort | xargs sha256sum | sha256sum)
      free=$(df -k "$M" | tail -1 | awk '{print $4}')
      dd if=/dev/zero of="$M/fill" bs=1k count=$((free - 40)) 2>/dev/null || true
      set +e; CDKTF_OUTDIR="$M/cdktf.out" node scripts/app.js 2>"$M/err"; echo "rc=$?"; set -e
      rm "$M/fill"; after=$(cd "$M" && find . -type f ! -name err | sort | xargs sha256sum | sha256sum)
      echo "same=$([ "$before" = "$after" ] && echo yes || echo no)"
      echo "stderr=$(cat "$M/err")"; echo "beside=$(ls -A "$M" | tr '\\n' ' ')"; echo "at=$M"`);
    expect(out).toContain("rc=1");
    expect(out).toContain("same=yes");
    const at = /^at=(.+)$/m.exec(out)?.[1] ?? "(no mount point printed)";
    expect(out).toMatch(
      // (the file being written when the disk filled up may be named after the folder)
      new RegExp(
        `stderr=Cannot write the new output for ${escapeRegExp(at)}/cdktf\\.out( \\([^)]*\\))?: no space left on the device\\. .*The previous output is unchanged\\.\n`,
      ),
    );
    expect(out).toMatch(/beside=cdktf\.out err \n/);
  });

  test("read-only file system: exit 1, one line, the previous output intact", () => {
    const out = inTmpfs(`
      CDKTF_OUTDIR="$M/cdktf.out" node scripts/app.js
      mount -o remount,ro "$M"
      set +e; CDKTF_OUTDIR="$M/cdktf.out" node scripts/app.js 2>/tmp/plk-rofs-err.$$; echo "rc=$?"; set -e
      echo "stderr=$(cat /tmp/plk-rofs-err.$$)"; rm /tmp/plk-rofs-err.$$; ls "$M/cdktf.out/stacks"`);
    expect(out).toContain("rc=1");
    expect(out).toMatch(/stderr=Cannot create the lock file .*\.cdktf\.out\.lock: the file system is read-only\. .*\n/);
    expect(out).toContain("consumer\nprovider\n");
  });
});

test("a run refused for a bad config still repairs a swap that a killed run left half done", () => {
  const parent = mkdtempSync(join(work, "repair-"));
  expect(runApp(ROOT, join(parent, "cdktf.out")).status).toBe(0);
  const before = treeHash(join(parent, "cdktf.out"));
  // What a kill between the two renames of a swap leaves: the previous output in the work folder.
  mkdirSync(join(parent, ".cdktf.out.synth-4194305-killed"));
  execFileSync("mv", [join(parent, "cdktf.out"), join(parent, ".cdktf.out.synth-4194305-killed", "old")]);
  const bad = join(parent, "bad.json");
  writeFileSync(bad, "{");
  const run = runApp(ROOT, join(parent, "cdktf.out"), { PRIVATELINK_CONFIG: bad });
  expect(run.status).toBe(1);
  expect(treeHash(join(parent, "cdktf.out"))).toBe(before);
  expect(leftovers(parent)).toEqual([]);
});

test("the output path is a file: exit 1, one line, the file untouched", () => {
  const parent = mkdtempSync(join(work, "file-"));
  writeFileSync(join(parent, "cdktf.out"), "mine");
  const run = runApp(ROOT, join(parent, "cdktf.out"));
  expect(run.status).toBe(1);
  expect(oneLine(run.stderr)).toBe(true);
  expect(run.stderr).toContain("it is a file, not a folder");
  expect(readFileSync(join(parent, "cdktf.out"), "utf8")).toBe("mine");
  expect(readdirSync(parent)).toEqual(["cdktf.out"]);
});

test("the output path is a folder of the user's (CDKTF_OUTDIR=., say): exit 1, one line, the folder byte-identical", () => {
  const project = join(mkdtempSync(join(work, "own-")), "project");
  writeTree(project, { "stacks/provider-stack.ts": "export {};", "manifest.json": '{"name":"web app"}', "notes.md": "mine" });
  const before = treeHash(project);
  const run = runApp(ROOT, project);
  expect(run.status).toBe(1);
  expect(oneLine(run.stderr)).toBe(true);
  expect(run.stderr).toContain(
    `Cannot write the output folder ${project}: it holds manifest.json, notes.md, stacks, and is no synth's output`,
  );
  expect(treeHash(project)).toBe(before);
  expect(readdirSync(join(project, ".."))).toEqual(["project"]);
});

test.each<[string, () => string]>([
  ["missing", () => join(work, "no-such-tmp")],
  [
    "a file",
    () => {
      writeFileSync(join(work, "tmp-file"), "");
      return join(work, "tmp-file");
    },
  ],
])("TMPDIR %s: synth does not need it and writes the same output", (_name, tmp) => {
  const out = join(mkdtempSync(join(work, "tmpdir-")), "cdktf.out");
  const run = runApp(ROOT, out, { TMPDIR: tmp() });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(treeHash(out)).toBe(refA);
});

test.each(["config/default.json", ...examples.map((f) => `config/examples/${f}`)])(
  "%s synthesizes with no Terraform on PATH (every backend; nothing runs terraform)",
  (config) => {
    const bin = mkdtempSync(join(work, "bin-"));
    symlinkSync(process.execPath, join(bin, "node"));
    const out = join(mkdtempSync(join(work, "noterraform-")), "cdktf.out");
    const run = spawnSync(process.execPath, [join(ROOT, "scripts", "app.js")], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: bin, HOME: work, CDKTF_OUTDIR: out, PRIVATELINK_CONFIG: join(ROOT, config) },
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(existsSync(join(out, "manifest.json"))).toBe(true);
  },
);

describe("odd config files through the app: exit 1, one line, the last output byte-identical", () => {
  let parent: string;
  let out: string;
  let before: string;
  beforeAll(() => {
    parent = mkdtempSync(join(work, "odd-"));
    out = join(parent, "cdktf.out");
    expect(runApp(ROOT, out).status).toBe(0);
    before = treeHash(out);
  });
  const text = readFileSync(CONFIG_A, "utf8");
  test.each<[string, (file: string) => void, RegExp]>([
    ["a FIFO (would block forever)", (f) => execFileSync("mkfifo", [f]), /is a FIFO \(named pipe\), not a regular file/],
    ["a directory", (f) => mkdirSync(f), /is a directory, not a regular file/],
    ["UTF-16", (f) => writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])), /is UTF-16 LE/],
    [
      "a duplicate key",
      (f) => writeFileSync(f, text.replace('"name": "main",', '"name": "main", "name": "other",')),
      /has the key "name" twice/,
    ],
    [
      "deep nesting",
      (f) => writeFileSync(f, `${"[".repeat(200000)}${"]".repeat(200000)}`),
      /nests objects and arrays more than 32 levels deep/,
    ],
    [
      "a cdktf token marker",
      (f) => writeFileSync(f, text.replace('"Project": "hello-privatelink"', '"Project": "${TfToken[TOKEN.1]}"')),
      /tags\.Project = "\$\{TfToken\[TOKEN\.1\]\}": contains a cdktf token marker/,
    ],
  ])("%s", (_name, make, message) => {
    const file = join(mkdtempSync(join(parent, "in-")), "config.json");
    make(file);
    const run = runApp(ROOT, out, { PRIVATELINK_CONFIG: file });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(treeHash(out)).toBe(before);
    expect(leftovers(parent)).toEqual([]);
  });
});

describe("function code the synth cannot package: exit 1, every problem by field, the last output byte-identical", () => {
  let project: string;
  let parent: string;
  let out: string;
  let before: string;
  beforeAll(() => {
    project = projectCopy();
    writeTree(join(project, "lambda-src"), {
      "broken-ts/index.ts": "export const handler = async (event: unknown) => {\n  return event;\n",
      "needs-deps/app.py": "import requests\n\ndef handler(event, context):\n    return {}\n",
      "needs-deps/requirements.txt": "requests==2.32.3\n",
      "linked/app.py": "def handler(event, context):\n    return {}\n",
      "huge/app.py": "def handler(event, context):\n    return {}\n",
    });
    // A link the zip would leave out; 51 MB of files (sparse: no room taken) over Lambda's 50 MB.
    symlinkSync("app.py", join(project, "lambda-src", "linked", "shared.py"));
    writeFileSync(join(project, "lambda-src", "huge", "model.bin"), "");
    truncateSync(join(project, "lambda-src", "huge", "model.bin"), 51 * 1024 * 1024);
    parent = mkdtempSync(join(work, "code-"));
    out = join(parent, "cdktf.out");
    expect(runApp(project, out).status).toBe(0);
    before = treeHash(out);
  });
  const SEED = { name: "main", source: "hello", runtime: "python3.13", handler: "lambda_function.lambda_handler" };
  test.each<[string, unknown[], RegExp[]]>([
    [
      "a missing folder, handler file and handler function, and unvendored requirements, all at once",
      [
        SEED,
        { name: "a", source: "no-such-folder", runtime: "python3.13", handler: "app.handler", routes: [{ paths: ["/a"] }] },
        { name: "b", source: "hello", runtime: "python3.13", handler: "missing.handler", routes: [{ paths: ["/b"] }] },
        { name: "c", source: "hello", runtime: "python3.13", handler: "lambda_function.nope", routes: [{ paths: ["/c"] }] },
        {
          name: "d",
          source: "needs-deps",
          runtime: "python3.12",
          handler: "app.handler",
          architecture: "x86_64",
          routes: [{ paths: ["/d"] }],
        },
      ],
      [
        /functions\[1\]\.source = "no-such-folder": is not a folder: lambda-src\/no-such-folder does not exist/,
        /functions\[2\]\.handler = "missing\.handler": needs lambda-src\/hello\/missing\.py, which does not exist/,
        /functions\[3\]\.handler = "lambda_function\.nope": names function nope, which lambda-src\/hello\/lambda_function\.py does not define/,
        /functions\[4\]\.source = "needs-deps": has requirements\.txt asking for requests, not vendored .* --platform manylinux2014_x86_64 --implementation cp --python-version 3\.12/,
      ],
    ],
    [
      "a Python folder with a symbolic link, and one over Lambda's 50 MB",
      [
        SEED,
        { name: "e", source: "linked", runtime: "python3.13", handler: "app.handler", routes: [{ paths: ["/e"] }] },
        { name: "f", source: "huge", runtime: "python3.13", handler: "app.handler", routes: [{ paths: ["/f"] }] },
      ],
      [
        /functions\[1\]\.source = "linked": holds symbolic links, which its package would leave out \(shared\.py -> app\.py\)/,
        /functions\[2\]\.source = "huge": holds 51\.0 MB \(53477419 bytes\) of files to package; Lambda takes at most 50 MB/,
      ],
    ],
    [
      "TypeScript that does not compile",
      [SEED, { name: "api", source: "broken-ts", runtime: "nodejs22.x", handler: "index.handler", routes: [{ paths: ["/api/*"] }] }],
      [/^functions\[1\]\.source = "broken-ts": esbuild could not bundle the function: index\.ts:3: Unexpected end of file\n?$/],
    ],
  ])("%s", (_name, functions, messages) => {
    const config = defaultRawConfig();
    config.functions = functions;
    const file = join(mkdtempSync(join(parent, "in-")), "config.json");
    writeFileSync(file, JSON.stringify(config));
    const run = runApp(project, out, { PRIVATELINK_CONFIG: file });
    expect(run.status).toBe(1);
    for (const message of messages) expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(treeHash(out)).toBe(before);
    expect(leftovers(parent)).toEqual([]);
  });
});
