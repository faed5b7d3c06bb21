/** Shared test fixtures: a valid config, the real Lambda package, and synthesized stacks. */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, parseConfig } from "../config/load";
import { AppConfig, stackNames } from "../config/schema";
import { Testing } from "../lib/cdktf";
import { buildLambdaPackage, LambdaPackage } from "../lib/lambda-package";
import { createStacks, LAMBDA_SOURCE_DIR } from "../main";
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

let packagePromise: Promise<LambdaPackage> | undefined;
/** The real Lambda package, built once per test file. */
export function lambdaPackage(): Promise<LambdaPackage> {
  packagePromise ??= buildLambdaPackage(LAMBDA_SOURCE_DIR, mkdtempSync(join(tmpdir(), "plk-test-")), "hello");
  return packagePromise;
}

/** A synthesized stack: its JSON text (for cdktf matchers) and parsed object. */
export interface SynthesizedStack {
  readonly text: string;
  readonly json: Record<string, any>;
}

/** Builds every stack of `config` in a test app and synthesizes each one. */
export async function synthAll(config: AppConfig = configWith()) {
  const app = Testing.app();
  const stacks = createStacks(app, config, await lambdaPackage());
  // A whole-app synth: cross-stack references are only wired when every stack is prepared.
  app.synth();
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

/** The shipped example configs (file names in config/examples). */
export const EXAMPLES_DIR = join(ROOT, "config", "examples");
export const examples = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();

/** Synthesizes example `file`; returns its stack folders as modules named `<example>_<stack>`. */
export async function synthExample(file: string): Promise<StackFolder[]> {
  const config = loadConfig(join(EXAMPLES_DIR, file));
  const app = Testing.app();
  createStacks(app, config, await lambdaPackage());
  app.synth();
  const prefix = file.replace(/\.json$/, "").replace(/\W/g, "_");
  return stackNames(config).map((stack) => ({
    module: `${prefix}_${stack.replace(/\W/g, "_")}`,
    dir: join(app.outdir, "stacks", stack),
    remoteStateFrom: stack !== "provider" && config.provider ? `${prefix}_provider` : undefined,
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
