/**
 * What a new user meets first: the synth says what it wrote (and is quiet when asked), a
 * missing terraform or python3 is named with what to install, every stack pins the Terraform
 * versions it needs, and the project's housekeeping files exist.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { synthSummary } from "../main";
import { parseConfig } from "../config/load";
import { refusedNames } from "../lib/aws/name-checks";
import { cliEnv, commandsFor, parseArgs } from "../scripts/stacks";
import { tableConfig } from "../scripts/policy-table";
import { scaleConfig } from "../scripts/scale-config";
import { REQUIRED_TERRAFORM } from "../lib/constructs/state-backend";
import { projectCopy, PYTHON_MISSING, pythonFailure, ROOT, synthAll } from "./helpers";
import { runApp } from "./support/app-process";
import { terraformAvailability } from "./support/terraform";

describe("synth says what it wrote", () => {
  test("each stack and its folder, relative to where it ran, and the time", () => {
    expect(synthSummary("/p/cdktf.out", ["provider", "consumer-tokyo"], 0.3141, "/p")).toBe(
      [
        "Synthesized 2 stacks in 0.31 s:",
        "  provider        cdktf.out/stacks/provider",
        "  consumer-tokyo  cdktf.out/stacks/consumer-tokyo",
      ].join("\n"),
    );
    expect(synthSummary("/p/out", ["consumer"], 1, "/elsewhere")).toBe(
      "Synthesized 1 stack in 1.00 s:\n  consumer  /p/out/stacks/consumer",
    );
  });

  test("the app prints the summary, nothing with --quiet, usage with --help, and refuses an unknown flag", () => {
    const out = join(mkdtempSync(join(tmpdir(), "plk-say-")), "cdktf.out");
    const app = (flag: string) =>
      spawnSync(process.execPath, [join(ROOT, "scripts", "app.js"), ...(flag ? [flag] : [])], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, CDKTF_OUTDIR: out, PRIVATELINK_CONFIG: "" },
      });
    const said = runApp(ROOT, out);
    expect(said.status).toBe(0);
    expect(said.stdout).toMatch(
      /^Synthesized 2 stacks in \d+\.\d\d s:\n {2}provider {2}.*cdktf\.out\/stacks\/provider\n {2}consumer {2}.*cdktf\.out\/stacks\/consumer\n$/,
    );
    const quiet = app("--quiet");
    expect([quiet.status, quiet.stdout]).toEqual([0, ""]);
    const help = app("--help");
    expect([help.status, help.stdout.split("\n")[0]]).toEqual([0, "usage: npm run synth [-- --quiet]"]);
    const bad = app("--verbose");
    expect(bad.status).toBe(1);
    expect(bad.stderr.split("\n")[0]).toBe("Unknown argument --verbose");
  });
});

describe("two environments of one service", () => {
  const ENVIRONMENTS = join(ROOT, "config", "examples", "environments");
  const load = (env: string) => JSON.parse(readFileSync(join(ENVIRONMENTS, `${env}.json`), "utf8"));

  test("staging and prod keep their state apart, and share no AWS name even in one account and Region", async () => {
    const deployed = await Promise.all(
      ["staging", "prod"].map(async (env) => {
        const raw = load(env);
        // The same accounts for both: the strictest case for names.
        raw.provider.accountId = "111111111111";
        raw.consumers[0].accountId = "222222222222";
        const all = await synthAll(parseConfig(raw, env));
        return Object.entries(all.byName).map(([name, stack]) => ({
          name: `${env}/${name}`,
          accountId: name === "provider" ? "111111111111" : "222222222222",
          region: "ap-northeast-1",
          json: stack.json,
          key: stack.json.terraform.backend.s3.key as string,
        }));
      }),
    );
    const stacks = deployed.flat();
    expect(refusedNames(stacks)).toEqual([]);
    expect(new Set(stacks.map((s) => s.key)).size).toBe(stacks.length);
    // Proof: the same config twice collides on every name.
    const twice = [...deployed[0], ...deployed[0].map((s) => ({ ...s, name: `again/${s.name}` }))];
    expect(refusedNames(twice).length).toBeGreaterThan(10);
  });
});

describe("prerequisites", () => {
  test("a missing python3 is named, with what to install", () => {
    const run = spawnSync("python3", ["-c", "print(1)"], { env: { PATH: "/nonexistent" }, encoding: "utf8" });
    expect(pythonFailure(run.error, run.stderr).message).toBe(PYTHON_MISSING);
    expect(PYTHON_MISSING).toMatch(/^python3 is not on PATH: .*Install Python 3\.11 or later/);
    // Its own errors are passed on as they are.
    expect(pythonFailure(null, "SyntaxError: x").message).toBe("python3 failed: SyntaxError: x");
  });

  test("a missing terraform is named, with what to install; under CI it fails instead of skipping", () => {
    const local = terraformAvailability({ PATH: "/nonexistent" });
    expect(local).toEqual({ mode: "skip", reason: expect.stringContaining("install Terraform 1.10 or later") });
    expect(terraformAvailability({ PATH: "/nonexistent", CI: "true" }).mode).toBe("fail");
  });

  test("every stack requires Terraform 1.10 or later (S3-native state locking needs it)", async () => {
    const all = await synthAll();
    expect(REQUIRED_TERRAFORM).toBe(">= 1.10.0");
    for (const stack of Object.values(all.byName)) expect(stack.json.terraform.required_version).toBe(REQUIRED_TERRAFORM);
  });

  test("the Node.js version is pinned for version managers, and matches package.json's engines", () => {
    const nvmrc = readFileSync(join(ROOT, ".nvmrc"), "utf8").trim();
    const engines = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).engines.node;
    expect(engines).toBe(`>=${nvmrc}`);
  });

  test("the licence package.json names is there, with a changelog", () => {
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).license).toBe("MPL-2.0");
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(/^Mozilla Public License Version 2\.0\n/);
    expect(existsSync(join(ROOT, "CHANGELOG.md"))).toBe(true);
  });
});

describe("deploy, diff and destroy for any number of consumers", () => {
  const stacks = ["provider", "consumer", "consumer-tokyo", "consumer-osaka"];

  test("deploy: the provider, then every consumer, in one cdktf call; flags passed on", () => {
    expect(commandsFor("deploy", stacks, ["--auto-approve"])).toEqual([
      ["deploy", "provider", "consumer", "consumer-tokyo", "consumer-osaka", "--auto-approve"],
    ]);
  });

  test("destroy: every consumer first, then the provider", () => {
    expect(commandsFor("destroy", stacks, [])).toEqual([
      ["destroy", "consumer", "consumer-tokyo", "consumer-osaka"],
      ["destroy", "provider"],
    ]);
    // Consumers of outside services only: one call.
    expect(commandsFor("destroy", ["consumer-a"], [])).toEqual([["destroy", "consumer-a"]]);
  });

  test("diff: one stack at a time", () => {
    expect(commandsFor("diff", ["provider", "consumer"], ["--skip-synth"])).toEqual([
      ["diff", "provider", "--skip-synth"],
      ["diff", "consumer", "--skip-synth"],
    ]);
  });

  test("stacks named after -- are the only ones acted on, in the config's order; flags and their values pass on", () => {
    expect(parseArgs(["consumer-osaka", "--auto-approve"], stacks)).toEqual({
      stacks: ["consumer-osaka"],
      flags: ["--auto-approve"],
      print: false,
    });
    expect(parseArgs(["consumer-osaka", "provider", "consumer-osaka"], stacks)).toEqual({
      stacks: ["provider", "consumer-osaka"],
      flags: [],
      print: false,
    });
    // A flag's value is not a stack, even when it is spelt like one.
    expect(
      parseArgs(["--output", "consumer", "--print", "--var-file=x.tfvars", "--parallelism", "2", "--log-level", "debug"], stacks),
    ).toEqual({
      stacks,
      flags: ["--output", "consumer", "--var-file=x.tfvars", "--parallelism", "2", "--log-level", "debug"],
      print: true,
    });
    expect(parseArgs(["consumer-nagoya"], stacks)).toEqual({
      error: 'unknown stack "consumer-nagoya": the stacks of this config are provider, consumer, consumer-tokyo, consumer-osaka',
    });
    expect(commandsFor("destroy", ["provider", "consumer-osaka"], [])).toEqual([
      ["destroy", "consumer-osaka"],
      ["destroy", "provider"],
    ]);
  });

  test("npm run destroy -- <a stack the config does not have>: one line and the usage, exit 2, no cdktf run", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "stacks.ts"), "destroy", "consumer-nagoya"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, PRIVATELINK_CONFIG: join(ROOT, "config", "default.json") },
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^unknown stack "consumer-nagoya": the stacks of this config are provider, consumer\n\nusage: npm run deploy/,
    );
  });

  test("the CLI runs without update checks, and without a CLI config file that is not there", () => {
    const env = cliEnv({ PATH: "/bin", TF_CLI_CONFIG_FILE: "/nowhere/.terraformrc" }, () => false);
    expect(env).toEqual({ PATH: "/bin", CHECKPOINT_DISABLE: "1" });
    expect(cliEnv({ TF_CLI_CONFIG_FILE: "/etc/terraformrc" }, () => true).TF_CLI_CONFIG_FILE).toBe("/etc/terraformrc");
  });

  test("npm run deploy -- --print names the stacks of the config in use", () => {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", join(ROOT, "scripts", "stacks.ts"), "deploy", "--print", "--auto-approve"],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, PRIVATELINK_CONFIG: join(ROOT, "config", "examples", "many-consumers-cross-region-hcp.json") },
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^cdktf deploy provider consumer-\S+ consumer-\S+ --auto-approve\n$/);
  });

  test("npm run deploy holds the output folder for its whole run: its own cdktf synthesizes, another synth waits, then stops", async () => {
    // GIVEN a stand-in for the cdktf CLI that synthesizes as cdktf deploy does (the app, into
    // its --output), then works on (Terraform) until told to finish
    const dir = mkdtempSync(join(tmpdir(), "plk-deploy-"));
    const outdir = join(dir, "cdktf.out");
    const [go, synthesized] = [join(dir, "go"), join(dir, "synthesized")];
    const fake = join(dir, "cdktf");
    writeFileSync(
      fake,
      [
        `#!${process.execPath}`,
        `const { spawnSync } = require("node:child_process"); const fs = require("node:fs");`,
        `const out = process.argv[process.argv.indexOf("--output") + 1];`,
        `const app = spawnSync(process.execPath, [${JSON.stringify(join(ROOT, "scripts", "app.js"))}, "--quiet"], { env: { ...process.env, CDKTF_OUTDIR: out }, encoding: "utf8" });`,
        `fs.writeFileSync(${JSON.stringify(synthesized)}, String(app.status) + app.stderr);`,
        `const t = setInterval(() => { if (fs.existsSync(${JSON.stringify(go)})) { clearInterval(t); process.exit(app.status); } }, 20);`,
      ].join("\n"),
      { mode: 0o755 },
    );
    const deploy = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "stacks.ts"), "deploy", "--output", outdir], {
      cwd: ROOT,
      env: { ...process.env, PRIVATELINK_CONFIG: "", PRIVATELINK_CDKTF: fake },
      stdio: "ignore",
    });
    const deployed = new Promise<number | null>((done) => deploy.on("exit", done));
    try {
      for (let i = 0; i < 600 && !existsSync(synthesized); i++) await new Promise((r) => setTimeout(r, 50));
      // THEN the synth cdktf ran under the deploy wrote the output, though the deploy holds the lock
      expect(readFileSync(synthesized, "utf8")).toBe("0");
      expect(existsSync(join(outdir, "manifest.json"))).toBe(true);
      // AND a synth from elsewhere, meanwhile, waits and stops, naming the deploy, the output untouched
      const before = readFileSync(join(outdir, "stacks", "provider", "cdk.tf.json"));
      const other = runApp(ROOT, outdir, { PRIVATELINK_LOCK_WAIT_SECONDS: "0.3" });
      expect(other.status).toBe(1);
      expect(other.stderr).toContain(`npm run deploy is using ${outdir} until its last stack is done (process ${deploy.pid}`);
      expect(readFileSync(join(outdir, "stacks", "provider", "cdk.tf.json"))).toEqual(before);
      // AND once the deploy is done, the lock is gone and a synth runs
      writeFileSync(go, "");
      expect(await deployed).toBe(0);
      expect(existsSync(join(dir, ".cdktf.out.lock"))).toBe(false);
      expect(runApp(ROOT, outdir).status).toBe(0);
    } finally {
      deploy.kill();
    }
  });

  test("every script answers --help", () => {
    for (const script of [
      "scripts/stacks.ts",
      "scripts/bench.ts",
      "scripts/smoke.ts",
      "scripts/policy-table.ts",
      "scripts/mutation.ts",
      "scripts/config-schema.ts",
    ]) {
      const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, script), "--help"], { cwd: ROOT, encoding: "utf8" });
      expect({ script, status: run.status, usage: run.stdout.startsWith("usage: ") }).toEqual({ script, status: 0, usage: true });
    }
    const checks = spawnSync(process.execPath, [join(ROOT, "scripts", "static-checks.js"), "--help"], { encoding: "utf8" });
    expect([checks.status, checks.stdout.startsWith("usage: ")]).toEqual([0, true]);
  });

  test("a bad argument is one line and the usage, exit 2, before anything runs or is written", () => {
    const schema = readFileSync(join(ROOT, "config", "config.schema.json"), "utf8");
    for (const [script, args, line] of [
      ["scripts/bench.ts", ["--runs", "0"], "--runs 0: must be a whole number from 1 to 100"],
      ["scripts/bench.ts", ["--runs", "abc"], "--runs abc: must be a whole number from 1 to 100"],
      ["scripts/bench.ts", ["--runs"], "--runs (no value): must be a whole number from 1 to 100"],
      ["scripts/config-schema.ts", ["extra"], "unknown argument extra"],
    ] as const) {
      const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, script), ...args], { cwd: ROOT, encoding: "utf8" });
      expect({
        script,
        args,
        status: run.status,
        stdout: run.stdout,
        first: run.stderr.split("\n")[0],
        usage: run.stderr.split("\n")[1],
      }).toEqual({
        script,
        args,
        status: 2,
        stdout: "",
        first: line,
        usage: expect.stringMatching(/^usage: /),
      });
    }
    expect(readFileSync(join(ROOT, "config", "config.schema.json"), "utf8")).toBe(schema);
  });

  test("policy-table reads the config a synth would", () => {
    expect(tableConfig([], { PRIVATELINK_CONFIG: "config/x.json" })).toBe("config/x.json");
    expect(tableConfig(["config/y.json"], { PRIVATELINK_CONFIG: "config/x.json" })).toBe("config/y.json");
    expect(tableConfig([], {})).toBe("config/default.json");
  });
});

describe("the benchmark's consumer series", () => {
  test.each([1, 10, 100])("%i consumers: a valid config with one stack per consumer", (n) => {
    const raw = scaleConfig(n);
    const config = parseConfig(JSON.parse(JSON.stringify(raw)), `scale-${n}`);
    expect(config.consumers).toHaveLength(n);
    expect(new Set(config.consumers.map((c) => c.accountId)).size).toBe(n);
  });

  test("out of its range it says so", () => {
    expect(() => scaleConfig(0)).toThrow("scaleConfig: 0 consumers; 1-250 fit the CIDR plan");
  });
});

describe("the app loads its bundle with V8's code cache", () => {
  /** Every file of an output folder, by path: what a synth wrote. */
  const written = (dir: string): Record<string, string> =>
    Object.fromEntries(
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => [relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name), "base64")]),
    );
  const caches = (project: string) => readdirSync(join(project, ".build")).filter((f) => f.endsWith(".v8cache"));

  test("written after a run, named by the bundle, used after; a corrupt one is replaced; output the same every time", () => {
    const project = projectCopy();
    const out = (n: number) => join(project, `out${n}`);
    // GIVEN no bundle yet; WHEN the app runs
    expect(runApp(project, out(1)).status).toBe(0);
    // THEN the bundle names itself on its first line, and the cache carries that name
    const bundle = readFileSync(join(project, ".build", "main.js"), "utf8");
    const name = /^\/\/ bundle ([0-9a-f]{64})\n/.exec(bundle)?.[1];
    // node:vm gives the bundle no dynamic import on Node.js 20: none may be in it.
    const dynamicImports = (code: string) =>
      code.split("\n").filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line) && /(^|[^{\w$.])import\(\s*["'`]/.test(line));
    expect(dynamicImports(bundle)).toEqual([]);
    expect(dynamicImports('const { build } = await import("esbuild");\n/** @type {(p: import(".").Node) => void} */')).toHaveLength(1);
    expect(caches(project)).toEqual([`main.${name}.v8cache`]);
    const cache = join(project, ".build", `main.${name}.v8cache`);
    const made = statSync(cache);
    expect(made.size).toBeGreaterThan(100_000);
    // WHEN it runs again: the cache is used as it is (not written again: a rewrite is a new
    // file renamed over it), the output the same
    expect(runApp(project, out(2)).status).toBe(0);
    expect(statSync(cache).ino).toBe(made.ino);
    expect(written(out(2))).toEqual(written(out(1)));
    // WHEN the cache is garbage: V8 refuses it, the run is the same, and a good cache replaces it
    writeFileSync(cache, "not a code cache");
    expect(runApp(project, out(3)).status).toBe(0);
    expect(written(out(3))).toEqual(written(out(1)));
    expect(readFileSync(cache).length).toBeGreaterThan(100_000);
    // WHEN a source changes, the bundle is rebuilt and the old cache goes with it
    writeFileSync(join(project, "main.ts"), `${readFileSync(join(project, "main.ts"), "utf8")}\n// changed\n`);
    expect(runApp(project, out(4)).status).toBe(0);
    expect(caches(project)).toHaveLength(1);
    expect(caches(project)).not.toEqual([`main.${name}.v8cache`]);
  });

  test("a source that does not compile: esbuild's error and one line, exit 1, no stack trace, the output and bundle kept", () => {
    const project = projectCopy();
    const out = join(project, "out");
    expect(runApp(project, out).status).toBe(0);
    const [bundle, output] = [readFileSync(join(project, ".build", "main.js")), written(out)];
    // WHEN a stack's source gets a syntax error
    writeFileSync(
      join(project, "stacks", "consumer-stack.ts"),
      `${readFileSync(join(project, "stacks", "consumer-stack.ts"), "utf8")}
export const broken = ;
`,
    );
    const run = runApp(project, out);
    // THEN esbuild says where, the app adds one line, and nothing is lost
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/stacks\/consumer-stack\.ts:\d+:\d+/);
    expect(run.stderr).toContain(
      "Cannot build the app from its sources: esbuild found 1 error(s), shown above. Fix them, then synth again.",
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(readFileSync(join(project, ".build", "main.js")).equals(bundle)).toBe(true);
    expect(written(out)).toEqual(output);
  });

  test("a run that fails writes no cache", () => {
    const project = projectCopy();
    const run = runApp(project, join(project, "out"), { PRIVATELINK_CONFIG: join(project, "missing.json") });
    expect(run.status).toBe(1);
    expect(caches(project)).toEqual([]);
  });
});
