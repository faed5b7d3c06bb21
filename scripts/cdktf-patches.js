// Two edits of cdktf's code, each making a synth faster with the same output.
//
// 1. Faster token resolution (tokens/private/resolve.js). cdktf resolves every stack three
// times (once to prepare cross-stack references, once per element, once for the whole
// document), and its resolve() made two new contexts (four closures and a copy of the
// options) for every object key and value, ran every key and string through three regular
// expressions and joined the key path into a string at every node, for error messages only.
// In a CPU profile of a 100-consumer synth that was more than half of the time. The edits
// below take the work out where the answer is already known:
//
// - the key path is joined only when an error message needs it;
// - a string, or an object key, with no token marker ("TfToken[") and no encoded number token
//   is returned as it is (what resolve() returned for it anyway, after the same checks);
// - a number that is no number token is returned as it is;
// - an object's values and an array's elements are resolved with the caller's options and
//   the longer path, not through a new context each: a context is only read (for its
//   suppressBraces, ignoreEscapes, warnEscapes and iteratorContext) by the next level's
//   makeContext, which reads the same fields from the caller's context, and is handed to a
//   token or resolver only on the branches that still make one.
//
// 2. No stack trace per token (tokens/private/stack-trace.js). cdktf captures a full stack
// trace (Error.stackTraceLimit raised to the maximum) for every token it creates, to name
// where a token was made if it later fails to resolve. With thousands of references per
// synth that was a measured 6% of a 100-consumer synth (CPU profile), and under jest, where
// every frame also went through the source-map support, a quarter of the CPU of
// test:quick. The traces never reach the output; the function returns none.
//
// cdktf 0.21.0 is its final release, so the text edited here cannot change under us. Each
// edit names text that must occur exactly once; if any of a module's edits does not (another
// cdktf), that module is left as it is: slower, never different.
// __tests__/cdktf-patches.test.ts resolves the shipped configs and odd values with both
// versions and compares them byte for byte.
//
// Used by scripts/app.js (an esbuild plugin, for the app's bundle) and by jest (a transform
// of these two files, jest.config.js), so tests synthesize with the code the app runs.
const { createHash } = require("node:crypto");
const { readFileSync } = require("node:fs");

/** cdktf's file `name` (in lib/tokens/private), under any node_modules folder. */
const cdktfTokenFile = (name) => new RegExp(`[\\\\/]node_modules[\\\\/]cdktf[\\\\/]lib[\\\\/]tokens[\\\\/]private[\\\\/]${name}\\.js$`);

/** The files patched: cdktf's resolve() and its stack-trace capture. */
const RESOLVE_FILE = cdktfTokenFile("resolve");
const STACK_TRACE_FILE = cdktfTokenFile("stack-trace");
const PATCHED_FILES = cdktfTokenFile("(?:resolve|stack-trace)");

/** A string or key that resolve() would return unchanged: no token marker, no number token. */
const plain = (name) =>
  `${name}.indexOf("TfToken[") === -1 && ${name} !== token_1.Token.STRING_MAP_TOKEN_VALUE && ${name} !== token_1.Token.ANY_MAP_TOKEN_VALUE && !encoding_1.TokenString.forNumbers(${name}).test()`;

/** [text of cdktf 0.21.0's resolve.js, its replacement]; each text occurs exactly once. */
const RESOLVE_EDITS = [
  ['const pathName = "/" + prefix.join("/");', 'const pathName = () => "/" + prefix.join("/");'],
  ["errors_1.unableToResolveCircularReference)(pathName)", "errors_1.unableToResolveCircularReference)(pathName())"],
  ["errors_1.cannotResolveFunction)(pathName, obj)", "errors_1.cannotResolveFunction)(pathName(), obj)"],
  ["errors_1.constructsCannotBeResolved)(pathName)", "errors_1.constructsCannotBeResolved)(pathName())"],
  ["errors_1.mapKeyMustResolveToString)(pathName, key, resolvedKey)", "errors_1.mapKeyMustResolveToString)(pathName(), key, resolvedKey)"],
  [
    "        let str = obj;\n        const context = makeContext()[0];",
    `        if (${plain("obj")}) {\n            return obj;\n        }\n        let str = obj;\n        const context = makeContext()[0];`,
  ],
  [
    "        return resolveNumberToken(obj, makeContext()[0]);",
    "        if (token_map_1.TokenMap.instance().lookupNumberToken(obj) === undefined) {\n            return obj;\n        }\n        return resolveNumberToken(obj, makeContext()[0]);",
  ],
  [
    "            .map((x, i) => makeContext(`${i}`)[0].resolve(x))",
    "            .map((x, i) => resolve(x, { ...options, prefix: prefix.concat([`${i}`]) }))",
  ],
  [
    "        const resolvedKey = makeContext()[0].resolve(key);",
    `        const resolvedKey = ${plain("key")} ? key : makeContext()[0].resolve(key);`,
  ],
  [
    "        const value = makeContext(key)[0].resolve(obj[key]);",
    "        const value = resolve(obj[key], { ...options, prefix: prefix.concat([key]) });",
  ],
];

/** [text of cdktf 0.21.0's stack-trace.js, its replacement]: the capture returns no frames. */
const STACK_TRACE_EDITS = [["function captureStackTrace(below) {\n", "function captureStackTrace(below) {\n    return [];\n"]];

/** `source` with `edits`, or unchanged if any edit's text is not there exactly once. */
function applyEdits(source, edits) {
  if (!edits.every(([from]) => source.split(from).length === 2)) return source;
  return edits.reduce((code, [from, to]) => code.replace(from, () => to), source);
}

/** Each patched file and its edits. */
const PATCHES = [
  [RESOLVE_FILE, RESOLVE_EDITS],
  [STACK_TRACE_FILE, STACK_TRACE_EDITS],
];

/** `source` of the module at `path`, patched if it is one of PATCHES' files. */
function patchModule(path, source) {
  const patch = PATCHES.find(([file]) => file.test(path));
  return patch ? applyEdits(source, patch[1]) : source;
}

/** What the patch is: this file's text (part of the app bundle's and jest's cache keys). */
const PATCH_DIGEST = createHash("sha256").update(readFileSync(__filename)).digest("hex");

/** esbuild plugin: the bundle gets the patched modules. */
const esbuildPlugin = {
  name: "cdktf-patches",
  setup(build) {
    build.onLoad({ filter: PATCHED_FILES }, (args) => ({
      contents: patchModule(args.path, readFileSync(args.path, "utf8")),
      loader: "js",
    }));
  },
};

module.exports = {
  PATCHED_FILES,
  RESOLVE_EDITS,
  STACK_TRACE_EDITS,
  applyEdits,
  patchModule,
  PATCH_DIGEST,
  esbuildPlugin,
  // jest transformer (jest.config.js maps cdktf's resolve.js here).
  process(source, path) {
    return { code: patchModule(path, source) };
  },
  getCacheKey(source, path) {
    return createHash("sha256").update(PATCH_DIGEST).update("\0").update(path).update("\0").update(source).digest("hex");
  },
};
