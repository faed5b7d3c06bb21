/**
 * Test fixtures that need no synth: the project root, the default config and edits of it,
 * the example configs, the seed function's handler run with python3, a copy of the project.
 * Loading these costs a test file little; synthesizing (helpers.ts) loads the whole app.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, parseConfig } from "../config/load";
import type { AppConfig } from "../config/schema";

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

/** The shipped example configs (file names in config/examples). */
export const EXAMPLES_DIR = join(ROOT, "config", "examples");
export const examples = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();

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
    `sys.path.insert(0, ${JSON.stringify(join(ROOT, "lambda-src", "hello"))})`,
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

/** `text` as a regular expression that matches it literally. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
