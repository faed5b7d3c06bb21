/**
 * End to end: the app as users run it (`npm run synth` / `cdktf synth`), in child processes.
 */
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { APP_COMMAND, projectCopy, ROOT } from "./fixtures";
import { treeHash } from "./support/trees";

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
  test("`npm run synth` runs cdktf.json's app command, which type-checks nothing: a type error still synthesizes", () => {
    // GIVEN the scripts, and a copy of the project whose main.ts has a type error
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
    expect(APP_COMMAND).toBe(scripts.synth);
    expect(scripts.test).toMatch(/^node scripts\/static-checks\.js && jest$/);
    const copy = projectCopy();
    writeFileSync(join(copy, "lib", "type-error.ts"), 'export const broken: number = "not a number";\n');
    writeFileSync(join(copy, "main.ts"), `import "./lib/type-error";\n${readFileSync(join(copy, "main.ts"), "utf8")}`);
    // WHEN the app command runs
    const run = runApp(copy, join(copy, "cdktf.out"));
    // THEN it synthesizes anyway (the type gate is npm test's static checks, see guards.test.ts)
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(existsSync(join(copy, "cdktf.out", "manifest.json"))).toBe(true);
  });

  test("the app run from another folder builds its bundle from the project folder and synthesizes", () => {
    // GIVEN a copy of the project with no bundle yet, and a current folder outside it
    const copy = projectCopy();
    const elsewhere = mkdtempSync(join(tmpdir(), "plk-cwd-"));
    // WHEN its app script runs from there (a CI step or a script in another folder)
    const run = spawnSync(process.execPath, [join(copy, "scripts", "app.js"), "--quiet"], {
      cwd: elsewhere,
      encoding: "utf8",
      env: { ...process.env, PRIVATELINK_CONFIG: join(copy, "config", "default.json"), CDKTF_OUTDIR: join(elsewhere, "out") },
    });
    // THEN it builds and synthesizes, with the same stacks as from the project folder
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(readFileSync(join(elsewhere, "out", "stacks", "provider", "cdk.tf.json"), "utf8")).toBe(
      tree.get("stacks/provider/cdk.tf.json")!.toString(),
    );
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
    expect(names.filter((n) => n.endsWith(".zip"))).toEqual([
      expect.stringMatching(/^stacks\/consumer\/assets\/.+\/probe\.zip$/),
      expect.stringMatching(/^stacks\/provider\/assets\/.+\/hello\.zip$/),
    ]);
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

  test("a synth over a previous output names a renamed stack and a replaced traffic path, and still writes", () => {
    // GIVEN the default output, and a config whose consumer has another name and whose provider VPC another CIDR
    const dir = mkdtempSync(join(tmpdir(), "plk-notice-"));
    const out = join(dir, "cdktf.out");
    expect(runApp(ROOT, out).status).toBe(0);
    const config = JSON.parse(readFileSync(join(ROOT, "config", "default.json"), "utf8"));
    config.consumers[0].name = "east";
    config.provider.network.create.vpcCidr = "10.5.0.0/16";
    writeFileSync(join(dir, "changed.json"), JSON.stringify(config));
    // WHEN it is synthesized into the same folder
    const run = runApp(ROOT, out, { PRIVATELINK_CONFIG: join(dir, "changed.json") });
    // THEN both are named, one warning line each, and the new output is written
    expect(run.status).toBe(0);
    const warnings = run.stderr.trim().split("\n");
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Warning: Stack consumer is gone and consumer-east is new: .*stackName/),
        'Warning: Stack provider: aws_vpc.network is replaced (cidr_block "10.0.0.0/16" → "10.5.0.0/16"); every consumer reconnects.',
      ]),
    );
    expect(warnings.every((w) => w.startsWith("Warning: "))).toBe(true);
    expect(readdirSync(join(out, "stacks")).sort()).toEqual(["consumer-east", "provider"]);
  });

  test("a bad config: one message naming field and value, exit 1, no stack trace, previous output byte-identical", () => {
    const dir = mkdtempSync(join(tmpdir(), "plk-bad-"));
    const out = join(dir, "cdktf.out");
    expect(runApp(ROOT, out).status).toBe(0);
    const before = treeHash(out);
    const config = JSON.parse(readFileSync(join(ROOT, "config", "default.json"), "utf8"));
    config.provider.accountId = "12345";
    writeFileSync(join(dir, "bad.json"), JSON.stringify(config));
    const run = runApp(ROOT, out, { PRIVATELINK_CONFIG: join(dir, "bad.json") });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('provider.accountId = "12345": must be a 12-digit AWS account ID');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(treeHash(out)).toBe(before);
  });

  test("a client CIDR overlapping the provider VPC synthesizes, with one warning naming both", () => {
    const dir = mkdtempSync(join(tmpdir(), "plk-warn-"));
    const config = JSON.parse(readFileSync(join(ROOT, "config", "default.json"), "utf8"));
    config.consumers[0].clientCidrs = ["10.0.128.0/17"];
    config.consumers[0].probe = false;
    writeFileSync(join(dir, "overlap.json"), JSON.stringify(config));
    const run = runApp(ROOT, join(dir, "cdktf.out"), { PRIVATELINK_CONFIG: join(dir, "overlap.json") });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(
      'Warning: consumers[0].clientCidrs[0] = "10.0.128.0/17" overlaps the provider VPC (provider.network.create.vpcCidr = "10.0.0.0/16"): the NLB\'s client rule lets hosts in that overlap, inside the provider VPC, reach the service too. Narrow the client CIDR if that is not meant.\n',
    );
  });

  test("a policy finding: the findings listed, exit 1, no stack trace, previous output byte-identical", () => {
    // GIVEN a last good output, and a copy of the project whose ALB a change made internet-facing
    const copy = projectCopy();
    const out = join(copy, "cdktf.out");
    expect(runApp(copy, out).status).toBe(0);
    const before = treeHash(out);
    const file = join(copy, "lib", "constructs", "lambda-alb.ts");
    const source = readFileSync(file, "utf8");
    expect(source).toContain("internal: true,");
    writeFileSync(file, source.replace("internal: true,", "internal: false,"));
    // WHEN the app synthesizes
    const run = runApp(copy, out);
    // THEN it refuses with the finding, and the output is as it was
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^Policy check failed with 1 finding\(s\):\n {2}- \[provider\] PLK_LB_INTERNAL aws_lb\.alb: is internet-facing\n/,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(treeHash(out)).toBe(before);
  });

  test("the scanner ignore files written into each stack folder hold exactly that stack's suppressions", () => {
    // GIVEN each stack's JSON as written, and the suppressions recorded in its "//" metadata
    for (const stack of ["provider", "consumer"]) {
      const json = JSON.parse(tree.get(`stacks/${stack}/cdk.tf.json`)!.toString());
      const recorded = Object.values<Record<string, any>>(json.resource).flatMap((byName) =>
        Object.values<any>(byName).flatMap((r) => Object.keys(r["//"]?.policy_suppressions ?? {})),
      );
      expect(recorded.length).toBeGreaterThan(0);
      // WHEN the written ignore files are read
      const checkov = tree.get(`stacks/${stack}/.checkov.yaml`)!.toString();
      const trivy = tree.get(`stacks/${stack}/.trivyignore.yaml`)!.toString();
      // THEN every checkov-numbered suppression is skipped there, once per resource, and trivy's file is not empty
      const skipped = [...checkov.matchAll(/^ {2}- (CKV\S+) # /gm)].map((m) => m[1]);
      for (const id of recorded.filter((r) => r.startsWith("CKV"))) expect(skipped).toContain(id);
      expect(skipped.length).toBeGreaterThanOrEqual(recorded.filter((r) => r.startsWith("CKV")).length);
      expect(trivy).toMatch(/^misconfigurations:\n {2}- id: AVD-AWS-/m);
    }
  });
});
