/**
 * cdktf's token resolution made faster, and its stack-trace capture per token cut
 * (scripts/cdktf-patches.js), give the same output as cdktf's own code: the shipped configs
 * and a 10-consumer config synthesize byte for byte the same with either, and odd values
 * (tokens in keys, strings and numbers, escapes, iterators, the errors and the paths they
 * name) resolve to the same value or the same error. The patches are what both the app's
 * bundle and jest load.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseConfig } from "../config/load";
import type { AppConfig } from "../config/schema";
import { DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformIterator, TerraformStack, Testing, Token } from "../lib/cdktf";
import { scaleConfig } from "../scripts/scale-config";
import { EXAMPLES_DIR, ROOT, examples, synthFolders } from "./helpers";
import { listTree } from "./support/trees";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const patches = require("../scripts/cdktf-patches.js") as {
  RESOLVE_EDITS: Edits;
  STACK_TRACE_EDITS: Edits;
  applyEdits: (source: string, edits: Edits) => string;
  esbuildPlugin: unknown;
};
type Edits = readonly (readonly [string, string])[];

type ResolveModule = { resolve: (obj: unknown, options: Record<string, unknown>) => unknown; findTokens: unknown };
type StackTraceModule = { captureStackTrace: () => string[] };

const FILE = require.resolve("cdktf/lib/tokens/private/resolve");
const ORIGINAL = readFileSync(FILE, "utf8");
const STACK_TRACE_ORIGINAL = readFileSync(require.resolve("cdktf/lib/tokens/private/stack-trace"), "utf8");
const MARKER = 'indexOf("TfToken[") === -1';
const fasterResolve = (source: string) => patches.applyEdits(source, patches.RESOLVE_EDITS);

/** `source` loaded as a module of cdktf's tokens/private folder, sharing this test's cdktf (its token map and classes). */
function loadModule<T>(source: string): T {
  const module = { exports: {} as T };
  // jest's require, so the module shares the cdktf modules this test loaded (a path known at run time).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireFrom = (id: string): unknown => require(id.startsWith(".") ? join(dirname(FILE), id) : id);
  // Evaluated as Node.js would a CommonJS module: the published text, or a variant of it.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function("exports", "require", "module", source)(module.exports, requireFrom, module);
  return module.exports;
}
const loadResolve = (source: string) => loadModule<ResolveModule>(source);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const live = require("cdktf/lib/tokens/private/resolve") as ResolveModule;
const original = loadResolve(ORIGINAL);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const liveStackTrace = require("cdktf/lib/tokens/private/stack-trace") as StackTraceModule;
const originalStackTrace = loadModule<StackTraceModule>(STACK_TRACE_ORIGINAL);

/**
 * Runs `fn` with cdktf resolving through `module` instead of the module jest loaded, and
 * capturing stack traces with cdktf's own code.
 */
async function resolvingWith<T>(module: ResolveModule, fn: () => Promise<T>): Promise<T> {
  const loaded = { resolve: live.resolve, findTokens: live.findTokens };
  const capture = liveStackTrace.captureStackTrace;
  Object.assign(live, { resolve: module.resolve, findTokens: module.findTokens });
  liveStackTrace.captureStackTrace = originalStackTrace.captureStackTrace;
  try {
    return await fn();
  } finally {
    Object.assign(live, loaded);
    liveStackTrace.captureStackTrace = capture;
  }
}

/** Every file of a synthesized `stacks` folder, by relative path. */
function files(dir: string): Map<string, Buffer> {
  return new Map(
    listTree(dir)
      .filter((rel) => statSync(join(dir, rel)).isFile())
      .map((rel) => [rel, readFileSync(join(dir, rel))]),
  );
}

/** Every file `config` synthesizes to, by path under the output's stacks folder. */
async function synthFiles(config: AppConfig): Promise<Map<string, Buffer>> {
  const [first] = await synthFolders(config, "diff");
  return files(dirname(first.dir));
}

/** Paths whose bytes differ (or that only one side has) between two synthesized folders. */
function differences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((rel) => !(a.get(rel) && b.get(rel)?.equals(a.get(rel) as Buffer))).sort();
}

const shipped: [string, unknown][] = [
  ["default.json", JSON.parse(readFileSync(join(ROOT, "config", "default.json"), "utf8"))],
  ...examples.map((f): [string, unknown] => [f, JSON.parse(readFileSync(join(EXAMPLES_DIR, f), "utf8"))]),
  ["10 consumers", scaleConfig(10)],
];

describe("cdktf's faster token resolution, and no stack trace per token", () => {
  test("every edit applies to the installed cdktf, and jest loads the patched modules", () => {
    const patched = fasterResolve(ORIGINAL);
    for (const [, to] of patches.RESOLVE_EDITS) expect(patched).toContain(to);
    expect(live.resolve.toString()).toContain(MARKER);
    expect(original.resolve.toString()).not.toContain(MARKER);
    // cdktf's own capture returns this call's frames; the patched one none
    expect(patches.applyEdits(STACK_TRACE_ORIGINAL, patches.STACK_TRACE_EDITS)).not.toBe(STACK_TRACE_ORIGINAL);
    expect(originalStackTrace.captureStackTrace().length).toBeGreaterThan(3);
    expect(liveStackTrace.captureStackTrace()).toEqual([]);
  });

  test.each([
    ["resolve.js", ORIGINAL, patches.RESOLVE_EDITS],
    ["stack-trace.js", STACK_TRACE_ORIGINAL, patches.STACK_TRACE_EDITS],
  ])("a %s it does not know is left as it is, whichever edit's text is missing", (_name, source, edits) => {
    for (const [from] of edits) {
      const other = source.replace(from, "/* another version */");
      expect(patches.applyEdits(other, edits)).toBe(other);
    }
    // Text that occurs twice is not edited either.
    const [from] = edits[edits.length - 1];
    const twice = `${source}\n${from}`;
    expect(patches.applyEdits(twice, edits)).toBe(twice);
  });

  test("the app's bundle gets the patched modules (esbuild plugin)", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require("esbuild") as typeof import("esbuild");
    const options = {
      stdin: {
        contents: 'require("cdktf/lib/tokens/private/resolve.js"); require("cdktf/lib/tokens/private/stack-trace.js");',
        resolveDir: ROOT,
      },
      bundle: true,
      platform: "node" as const,
      write: false,
      logLevel: "silent" as const,
    };
    const [withPlugin, without] = await Promise.all([
      esbuild.build({ ...options, plugins: [patches.esbuildPlugin as import("esbuild").Plugin] }),
      esbuild.build(options),
    ]);
    const [patched, plain] = [withPlugin.outputFiles?.[0]?.text, without.outputFiles?.[0]?.text];
    expect(patched).toContain(MARKER);
    expect(plain).not.toContain(MARKER);
    const noFrames = /function captureStackTrace\(below\) \{\s+return \[\];/;
    expect(patched).toMatch(noFrames);
    expect(plain).not.toMatch(noFrames);
    expect(plain).toContain("function captureStackTrace(below) {");
  });

  describe.each(shipped)("%s synthesizes byte for byte as with cdktf's own resolve and stack traces", (label, raw) => {
    test("every stack file", async () => {
      const config = parseConfig(JSON.parse(JSON.stringify(raw)), label);
      const fast = await synthFiles(config);
      const slow = await resolvingWith(original, () => synthFiles(config));
      expect(fast.size).toBeGreaterThan(1);
      expect(differences(fast, slow)).toEqual([]);
    });
  });

  test.each(["default.json", "10 consumers"])("%s as HCL (synth --hcl) is byte for byte the same too", async (label) => {
    const raw = shipped.find(([name]) => name === label)?.[1];
    const config = parseConfig(JSON.parse(JSON.stringify(raw)), label);
    const previous = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = "true";
    try {
      const fast = await synthFiles(config);
      const slow = await resolvingWith(original, () => synthFiles(config));
      expect([...fast.keys()].filter((f) => f.endsWith("cdk.tf")).length).toBeGreaterThan(1);
      expect(differences(fast, slow)).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
    }
  });

  test("the comparison catches a patch that changes the order of a list", async () => {
    const kept = '.filter((x) => typeof x !== "undefined");';
    const patched = fasterResolve(ORIGINAL);
    expect(patched.split(kept)).toHaveLength(2);
    const broken = loadResolve(patched.replace(kept, '.filter((x) => typeof x !== "undefined").reverse();'));
    const config = parseConfig(JSON.parse(JSON.stringify(shipped[0][1])), "default.json");
    const fast = await synthFiles(config);
    const wrong = await resolvingWith(broken, () => synthFiles(config));
    expect(differences(fast, wrong)).toContain("provider/cdk.tf.json");
  });

  /** Odd values, each resolved in a stack with a resource to refer to. */
  function oddValues(): [string, unknown][] {
    const stack = new TerraformStack(Testing.app(), "odd");
    const lazyString = (value: unknown) => Token.asString(Lazy.anyValue({ produce: () => value }));
    const deep = (depth: number): unknown => (depth === 0 ? "bottom" : { [`level${depth}`]: deep(depth - 1) });
    const iterator = TerraformIterator.fromList(["a", "b"]);
    return (
      [
        ["plain data, undefined dropped", () => ({ a: "x", b: 1, c: true, d: null, e: undefined, f: [1, undefined, "y"], g: new Date(0) })],
        [
          "strings that look like escapes or numbers",
          () => ["${foo}", "%{ if x }", "TfToken", "TfToken[", "1e5", "-1.8881545897087626e+289", "a-1e-5-b"],
        ],
        ["a string token in a string", () => `pre-${lazyString("mid")}-post`],
        ["a string token as a key", () => ({ [lazyString("key")]: "value", plain: { [lazyString("inner")]: 1 } })],
        ["a key that resolves to a number", () => ({ [lazyString(5)]: 1 })],
        [
          "a number token, alone and in a string",
          () => ({ n: Token.asNumber(Lazy.anyValue({ produce: () => 42 })), s: `${Token.asNumber(Lazy.anyValue({ produce: () => 7 }))}` }),
        ],
        ["a list token, as a list and in a string", () => ({ list: Token.asList(Lazy.anyValue({ produce: () => ["a", "b"] })) })],
        ["a list token where a string goes", () => ({ s: `x${Token.asList(Lazy.anyValue({ produce: () => ["a"] }))[0]}` })],
        ["a map token", () => ({ m: Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: "v" }) })) })],
        ["a map token's placeholder string", () => ({ s: Token.STRING_MAP_TOKEN_VALUE })],
        ["a map token's placeholder as a key", () => ({ [Token.ANY_MAP_TOKEN_VALUE]: 1 })],
        [
          "functions and expressions",
          () => ({ j: Fn.join(",", ["a", lazyString("b")]), u: Fn.upper(lazyString("c")), raw: Fn.rawString("${x}") }),
        ],
        ["an iterator's value", () => ({ v: iterator.value, k: Fn.upper(iterator.key) })],
        [
          "a lazy object holding tokens",
          () => Lazy.anyValue({ produce: () => ({ inner: lazyString("v"), [lazyString("k")]: [lazyString("e")] }) }),
        ],
        ["a function", () => ({ f: () => 1 })],
        ["a construct", () => ({ nested: { c: stack } })],
        ["nesting past 200 levels", () => deep(205)],
      ] as [string, () => unknown][]
    ).map(([name, make]) => [name, make()]);
  }

  /** Each odd value's answer from `module`: the value, or the error's message. */
  function answers(module: ResolveModule, preparing: boolean, cases = oddValues()): Record<string, unknown> {
    return Object.fromEntries(
      cases.map(([name, value]) => {
        const stack = new TerraformStack(Testing.app(), "scope");
        const options = { scope: stack, preparing, resolver: new DefaultTokenResolver(new StringConcat()), prefix: [] };
        try {
          return [name, { value: module.resolve(value, options) }];
        } catch (err) {
          return [name, { error: (err as Error).message }];
        }
      }),
    );
  }

  test.each([false, true])("odd values resolve alike (preparing: %s), errors and their paths included", (preparing) => {
    const cases = oddValues();
    const fast = answers(live, preparing, cases);
    expect(fast).toEqual(answers(original, preparing, cases));
    // The cases reach each branch: values, and each kind of error.
    const errors = Object.values(fast).flatMap((a) => ("error" in (a as object) ? [(a as { error: string }).error] : []));
    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(errors.join("\n")).toMatch(/level205/);
  });

  test("the comparison catches a patch that stops resolving token keys", () => {
    const broken = loadResolve(fasterResolve(ORIGINAL).replace("? key : makeContext()[0].resolve(key)", "? key : key"));
    expect(broken.resolve.toString()).toContain("? key : key");
    const cases = oddValues();
    const [fast, wrong] = [answers(original, false, cases), answers(broken, false, cases)];
    const differing = Object.keys(fast).filter((name) => JSON.stringify(fast[name]) !== JSON.stringify(wrong[name]));
    expect(differing).toEqual(expect.arrayContaining(["a string token as a key"]));
  });
});
