/**
 * End to end: the app as users run it (`npm run synth` / `cdktf synth`), in child processes.
 */
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { APP_COMMAND, projectCopy, ROOT } from "./helpers";

/** Runs the app command in `cwd` (a shell, as cdktf does), writing to `outdir`. */
function runApp(cwd: string, outdir: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync("/bin/sh", ["-c", APP_COMMAND], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: outdir, PRIVATELINK_CONFIG: "", ...env },
  });
}

/** Every file under `dir` as relative path → contents. */
function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full).split(sep).join("/"), readFileSync(full));
    }
  };
  walk(dir);
  return files;
}

describe("synth end to end", () => {
  test("`npm run synth` runs the same command as cdktf.json's app, which type-checks nothing at synth", () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
    expect(APP_COMMAND).toBe(scripts.synth);
    expect(APP_COMMAND).toBe("node scripts/app.js");
    // esbuild bundles without type-checking; tsx or ts-node are not involved at synth.
    expect(readFileSync(join(ROOT, "scripts", "app.js"), "utf8")).toContain('require("esbuild").buildSync({ ...options');
    // The type gate: `npm test` type-checks first (scripts/static-checks.js runs tsc -p .).
    expect(scripts.test).toMatch(/^node scripts\/static-checks\.js && jest$/);
    expect(readFileSync(join(ROOT, "scripts", "static-checks.js"), "utf8")).toContain('["tsc", [bin("tsc"), "-p", "."]]');
  });

  let outA: string;
  let tree: Map<string, Buffer>;

  beforeAll(() => {
    outA = join(mkdtempSync(join(tmpdir(), "plk-e2e-")), "cdktf.out");
    const run = runApp(ROOT, outA);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    tree = readTree(outA);
  });

  test("writes both stacks, the manifest and the zip inside the provider's folder", () => {
    const names = [...tree.keys()];
    expect(names).toEqual(expect.arrayContaining(["manifest.json", "stacks/provider/cdk.tf.json", "stacks/consumer/cdk.tf.json"]));
    expect(names.filter((n) => n.endsWith(".zip"))).toEqual([expect.stringMatching(/^stacks\/provider\/assets\/.+\/hello\.zip$/)]);
    const manifest = JSON.parse(tree.get("manifest.json")!.toString());
    expect(Object.keys(manifest.stacks).sort()).toEqual(["consumer", "provider"]);
    expect(manifest.stacks.consumer.dependencies).toEqual(["provider"]);
  });

  test("the function's filename resolves, from its stack folder, to the zip in the output", () => {
    const stackDir = join(outA, "stacks", "provider");
    const stack = JSON.parse(tree.get("stacks/provider/cdk.tf.json")!.toString());
    const filename: string = stack.resource.aws_lambda_function.lambda.filename;
    expect(existsSync(resolve(stackDir, filename))).toBe(true);
  });

  test("no absolute path anywhere in the output", () => {
    const forbidden = [ROOT, outA, tmpdir(), homedir(), process.cwd()];
    for (const [name, bytes] of tree) {
      if (name.endsWith(".zip")) continue;
      const text = bytes.toString("utf8");
      for (const path of forbidden) expect({ name, hit: text.includes(path) }).toEqual({ name, hit: false });
      // Any JSON string value starting with "/" that is not a URL path or log group name.
      const absolute = [...text.matchAll(/"(\/(?:tmp|home|root|work|Users|var|opt|private)\/[^"]*)"/g)].map((m) => m[1]);
      expect({ name, absolute }).toEqual({ name, absolute: [] });
    }
  });

  test("state paths of backends and remote states resolve outside cdktf.out", () => {
    const paths: Array<[string, string]> = [];
    for (const stackName of ["provider", "consumer"]) {
      const stack = JSON.parse(tree.get(`stacks/${stackName}/cdk.tf.json`)!.toString());
      paths.push([stackName, stack.terraform.backend.local.path]);
      for (const remote of Object.values<any>(stack.data?.terraform_remote_state ?? {})) {
        paths.push([stackName, remote.config.path]);
      }
    }
    expect(paths).toHaveLength(3);
    for (const [stackName, path] of paths) {
      const absolute = resolve(outA, "stacks", stackName, path);
      expect(relative(outA, absolute).startsWith("..")).toBe(true);
      expect(absolute).toBe(resolve(outA, "..", "state", `terraform.${path.match(/terraform\.(\w+)\.tfstate$/)![1]}.tfstate`));
    }
  });

  test("a second synth, from another checkout path and time zone, is byte-identical", () => {
    const copy = projectCopy();
    const outB = join(copy, "cdktf.out");
    const run = runApp(copy, outB, { TZ: "Pacific/Chatham" });
    expect(run.status).toBe(0);
    const second = readTree(outB);
    expect([...second.keys()]).toEqual([...tree.keys()]);
    for (const [name, bytes] of tree) expect({ name, same: second.get(name)!.equals(bytes) }).toEqual({ name, same: true });
  });

  test("`cdktf synth` (the CLI) writes the same tree as the app alone", () => {
    const outC = join(mkdtempSync(join(tmpdir(), "plk-cli-")), "cdktf.out");
    const cli = spawnSync(join(ROOT, "node_modules", ".bin", "cdktf"), ["synth", "--output", outC], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", PRIVATELINK_CONFIG: "", CI: "1" },
    });
    expect(cli.status).toBe(0);
    const viaCli = readTree(outC);
    expect([...viaCli.keys()]).toEqual([...tree.keys()]);
    for (const [name, bytes] of tree) expect({ name, same: viaCli.get(name)!.equals(bytes) }).toEqual({ name, same: true });
  });

  test("a bad config: one message naming field and value, exit 1, no stack trace, previous output untouched", () => {
    const dir = mkdtempSync(join(tmpdir(), "plk-bad-"));
    const out = join(dir, "cdktf.out");
    mkdirSync(out);
    writeFileSync(join(out, "marker"), "last good synth");
    const config = JSON.parse(readFileSync(join(ROOT, "config", "default.json"), "utf8"));
    config.provider.accountId = "12345";
    writeFileSync(join(dir, "bad.json"), JSON.stringify(config));
    const run = runApp(ROOT, out, { PRIVATELINK_CONFIG: join(dir, "bad.json") });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('provider.accountId = "12345": must be a 12-digit AWS account ID');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(out)).toEqual(["marker"]);
  });
});
