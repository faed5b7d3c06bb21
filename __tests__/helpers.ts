/** Synthesized stacks and the real Lambda packages; the fixtures that need no synth are in fixtures.ts (re-exported here). */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, parseConfig } from "../config/load";
import { resolveConfig } from "../config/resolve";
import { AppConfig, stackNames } from "../config/schema";
import { Testing } from "../lib/cdktf";
import type { AppModel } from "../config/model";
import { buildFunctionPackages, buildProbePackage, packageKey, PROBE_PACKAGE } from "../lib/function-sources";
import { LambdaPackage } from "../lib/lambda-package";
import { createStacks } from "../main";
import { configWith, EXAMPLES_DIR, ROOT } from "./fixtures";
import { SYNTH_CACHE_ENV } from "./support/synth-cache";
import type { StackFolder } from "./support/mock-plan";

export * from "./fixtures";

const built = new Map<string, Promise<LambdaPackage>>();
let packageDir: string | undefined;
/** The real packages of a model's functions (the default config's without one), each built once per test file. */
export async function lambdaPackages(model?: AppModel): Promise<Record<string, LambdaPackage>> {
  const functions = (model ?? resolveConfig(configWith())).provider?.functions ?? [];
  const packages: Record<string, LambdaPackage> = {};
  for (const f of functions) {
    // As the app builds them: one package for the functions of one folder and runtime.
    const key = packageKey(f, functions);
    if (!built.has(key)) {
      packageDir ??= mkdtempSync(join(tmpdir(), "plk-test-"));
      const group = functions.filter((g) => packageKey(g, functions) === key);
      built.set(
        key,
        buildFunctionPackages(ROOT, group, join(packageDir, String(built.size))).then((p) => p[f.name]),
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
