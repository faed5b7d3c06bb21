/** Shared test fixtures: a valid config, the real Lambda package, and synthesized stacks. */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig, parseConfig } from "../config/load";
import { resolveConfig } from "../config/resolve";
import { AppConfig, stackNames } from "../config/schema";
import { Testing } from "../lib/cdktf";
import type { AppModel } from "../config/model";
import { buildFunctionPackages, buildProbePackage, PROBE_PACKAGE } from "../lib/function-sources";
import { LambdaPackage } from "../lib/lambda-package";
import { createStacks, LAMBDA_SOURCE_DIR } from "../main";
import { SYNTH_CACHE_ENV } from "./support/synth-cache";
import type { StackFolder } from "./support/mock-plan";

/** The project root. */
export const ROOT = join(__dirname, "..");

/** The shipped default config, as raw JSON. */
export function defaultRawConfig(): Record<string, any> {
  return JSON.parse(readFileSync(join(ROOT, "config", "default.json"), "utf8"));
}

/** The default config with `edit` applied to a deep copy of the raw JSON, then validated. */
export function configWith(edit: (raw: Record<string, any>) => void = () => undefined): AppConfig {
  const raw = defaultRawConfig();
  edit(raw);
  return parseConfig(raw, "(test)");
}

/** The message of the ConfigError the default config with `edit` applied provokes; a test failure if it is accepted. */
export function refusalOf(edit: (raw: Record<string, any>) => void): string {
  const raw = defaultRawConfig();
  edit(raw);
  try {
    parseConfig(raw, "test.json");
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message;
  }
  throw new Error("config was accepted");
}

const built = new Map<string, Promise<LambdaPackage>>();
let packageDir: string | undefined;
/** The real packages of a model's functions (the default config's without one), each built once per test file. */
export async function lambdaPackages(model?: AppModel): Promise<Record<string, LambdaPackage>> {
  const functions = (model ?? resolveConfig(configWith())).provider?.functions ?? [];
  const packages: Record<string, LambdaPackage> = {};
  for (const f of functions) {
    const key = `${f.source}|${f.runtime}`;
    if (!built.has(key)) {
      packageDir ??= mkdtempSync(join(tmpdir(), "plk-test-"));
      built.set(
        key,
        buildFunctionPackages(ROOT, [f], join(packageDir, String(built.size))).then((p) => p[f.name]),
      );
    }
    packages[f.name] = await (built.get(key) as Promise<LambdaPackage>);
  }
  if (!built.has(PROBE_PACKAGE)) {
    packageDir ??= mkdtempSync(join(tmpdir(), "plk-test-"));
    built.set(PROBE_PACKAGE, buildProbePackage(ROOT, packageDir));
  }
  packages[PROBE_PACKAGE] = await (built.get(PROBE_PACKAGE) as Promise<LambdaPackage>);
  return packages;
}

/** The real package of the seed's function. */
export async function lambdaPackage(): Promise<LambdaPackage> {
  return (await lambdaPackages()).main;
}

/** A synthesized stack: its JSON text (for cdktf matchers) and parsed object. */
export interface SynthesizedStack {
  readonly text: string;
  readonly json: Record<string, any>;
}

/** Every stack of `config` built in a new test app, the app synthesized. */
async function synthesized(config: AppConfig) {
  const app = Testing.app();
  const model = resolveConfig(config);
  const stacks = createStacks(app, model, await lambdaPackages(model));
  // A whole-app synth: cross-stack references are only wired when every stack is prepared.
  app.synth();
  return { app, stacks };
}

/** Builds every stack of `config` in a test app and synthesizes each one. */
export async function synthAll(config: AppConfig = configWith()) {
  const { app, stacks } = await synthesized(config);
  const synth = (stack: { node: { id: string } }): SynthesizedStack => {
    const text = readFileSync(join(app.outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8");
    return { text, json: JSON.parse(text) };
  };
  const consumers = stacks.consumers.map(synth);
  return {
    app,
    stacks,
    /** The provider stack; a test failure if the config has none. */
    get provider(): SynthesizedStack {
      if (!stacks.provider) throw new Error("this config has no provider stack");
      return synth(stacks.provider);
    },
    consumers,
    /** Every stack by name. */
    byName: Object.fromEntries([...(stacks.provider ? [stacks.provider] : []), ...stacks.consumers].map((s) => [s.node.id, synth(s)])),
  };
}

/**
 * The synthesized `stacks` folder of raw config `raw`. Within one jest run (global-setup.ts
 * sets PLK_TEST_SYNTH_CACHE), a config that any test file already synthesized is read from
 * the run's cache: the change table and the every-setting walk synthesize the same ~130
 * configs. The cache lives as long as the run, so the code it was synthesized by is the code
 * under test; mutation runs and test:quick have no global setup, and synthesize every time.
 * Callers must not write into the folder.
 */
export async function stacksFolder(raw: unknown, label: string): Promise<{ dir: string; config: AppConfig }> {
  const config = parseConfig(JSON.parse(JSON.stringify(raw)), label);
  const cache = process.env[SYNTH_CACHE_ENV];
  const target = cache && join(cache, createHash("sha256").update(JSON.stringify(raw)).digest("hex"));
  if (target && existsSync(target)) return { dir: target, config };
  const dir = join((await synthesized(config)).app.outdir, "stacks");
  if (!target) return { dir, config };
  mkdirSync(cache, { recursive: true });
  try {
    renameSync(dir, target);
  } catch (error) {
    // Another test file stored the same config first: theirs is the same output.
    if (!existsSync(target)) throw error;
  }
  return { dir: target, config };
}

/** The shipped example configs (file names in config/examples). */
export const EXAMPLES_DIR = join(ROOT, "config", "examples");
export const examples = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();

/** Synthesizes example `file`; returns its stack folders as modules named `<example>_<stack>`. */
export async function synthExample(file: string): Promise<StackFolder[]> {
  return synthFolders(loadConfig(join(EXAMPLES_DIR, file)), file.replace(/\.json$/, ""));
}

/** Synthesizes `config`; returns its stack folders as modules named `<prefix>_<stack>`. */
export async function synthFolders(config: AppConfig, prefix: string): Promise<StackFolder[]> {
  const { app } = await synthesized(config);
  const base = prefix.replace(/\W/g, "_");
  return stackNames(config).map((stack) => ({
    module: `${base}_${stack.replace(/\W/g, "_")}`,
    dir: join(app.outdir, "stacks", stack),
    remoteStateFrom: stack !== "provider" && config.provider ? `${base}_provider` : undefined,
  }));
}

/** All `type.name` resource addresses of a synthesized stack, sorted. */
export function addresses(json: Record<string, any>): string[] {
  const kinds = [
    ...Object.entries(json.resource ?? {}).map(([t, v]) => [t, v] as const),
    ...Object.entries(json.data ?? {}).map(([t, v]) => [`data.${t}`, v] as const),
  ];
  return kinds.flatMap(([type, byName]) => Object.keys(byName as object).map((n) => `${type}.${n}`)).sort();
}

/** The one resource `type.name`, or a test failure naming what exists. */
export function resource(json: Record<string, any>, type: string, name: string): Record<string, any> {
  const found = json.resource?.[type]?.[name];
  if (!found) throw new Error(`no ${type}.${name}; have: ${addresses(json).join(", ")}`);
  return found;
}

/** An event as an ALB sends it to a Lambda target (ELB guide, "Lambda functions as targets"). */
export const ALB_EVENT = {
  requestContext: {
    elb: {
      targetGroupArn: "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/hello-privatelink-lambda-tg/6d0ecf831eec9f09",
    },
  },
  httpMethod: "GET",
  path: "/",
  queryStringParameters: {},
  headers: {
    accept: "text/html",
    host: "vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.ap-northeast-1.vpce.amazonaws.com",
    "user-agent": "curl/8.5.0",
    "x-amzn-trace-id": "Root=1-5c536348-3d683b8b04734faae651f476",
    "x-forwarded-for": "10.1.3.7",
    "x-forwarded-port": "80",
    "x-forwarded-proto": "http",
  },
  body: "",
  isBase64Encoded: false,
};

/** What a test says when python3 is not on PATH. */
export const PYTHON_MISSING =
  "python3 is not on PATH: the tests run the Python functions (lambda-src/hello, lambda-src/probe) with it. Install Python 3.11 or later (apt install python3, brew install python, or https://www.python.org/downloads/)";

/** Why python3 failed: not installed (said with what to install), or its own error output. */
export function pythonFailure(error: (Error & { code?: string | number | null }) | null | undefined, stderr: string): Error {
  return new Error(error?.code === "ENOENT" ? PYTHON_MISSING : `python3 failed: ${stderr}`);
}

/** Runs the function's `lambda_handler(event, None)` with python3; returns its response. */
export function invokeHandler(event: unknown): Record<string, any> {
  const script = [
    "import json, sys",
    `sys.path.insert(0, ${JSON.stringify(LAMBDA_SOURCE_DIR)})`,
    "sys.dont_write_bytecode = True",
    "from lambda_function import lambda_handler",
    "print(json.dumps(lambda_handler(json.load(sys.stdin), None)))",
  ].join("\n");
  const run = spawnSync("python3", ["-c", script], { input: JSON.stringify(event), encoding: "utf8" });
  if (run.error || run.status !== 0) throw pythonFailure(run.error, run.stderr);
  return JSON.parse(run.stdout);
}

/** A copy of the project's sources at another path (with a space in it), sharing node_modules. */
export function projectCopy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "plk copy-")), "elsewhere");
  mkdirSync(dir);
  for (const entry of [
    "main.ts",
    "config",
    "lib",
    "stacks",
    "lambda-src",
    "scripts",
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "cdktf.json",
  ]) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** The app command of cdktf.json: what `cdktf synth` runs. */
export const APP_COMMAND: string = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app;

/** What `fn` throws, or undefined when it returns. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
