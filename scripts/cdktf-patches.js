// Faster token resolution for cdktf, with the same output. cdktf resolves every stack three
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
// cdktf 0.21.0 is its final release, so the text edited here cannot change under us. Each
// edit names text that must occur exactly once; if any does not (another cdktf), the module
// is left as it is: slower, never different. __tests__/cdktf-patches.test.ts resolves the
// shipped configs and odd values with both versions and compares them byte for byte.
//
// Used by scripts/app.js (an esbuild plugin, for the app's bundle) and by jest (a transform
// of that one file, jest.config.js), so tests synthesize with the code the app runs.
const { createHash } = require("node:crypto");
const { readFileSync } = require("node:fs");

/** The file this patches: cdktf's resolve(), under any node_modules folder. */
const RESOLVE_FILE = /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/;

/** A string or key that resolve() would return unchanged: no token marker, no number token. */
const plain = (name) =>
  `${name}.indexOf("TfToken[") === -1 && ${name} !== token_1.Token.STRING_MAP_TOKEN_VALUE && ${name} !== token_1.Token.ANY_MAP_TOKEN_VALUE && !encoding_1.TokenString.forNumbers(${name}).test()`;

/** [text of cdktf 0.21.0's resolve.js, its replacement]; each text occurs exactly once. */
const EDITS = [
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

/** `source` (cdktf's resolve.js) with the edits, or unchanged if any edit's text is not there exactly once. */
function fasterResolve(source) {
  if (!EDITS.every(([from]) => source.split(from).length === 2)) return source;
  return EDITS.reduce((code, [from, to]) => code.replace(from, () => to), source);
}

/** `source` of the module at `path`, patched if it is cdktf's resolve.js. */
function patchModule(path, source) {
  return RESOLVE_FILE.test(path) ? fasterResolve(source) : source;
}

/** What the patch is: this file's text (part of the app bundle's and jest's cache keys). */
const PATCH_DIGEST = createHash("sha256").update(readFileSync(__filename)).digest("hex");

/** esbuild plugin: the bundle gets the patched module. */
const esbuildPlugin = {
  name: "cdktf-faster-resolve",
  setup(build) {
    build.onLoad({ filter: RESOLVE_FILE }, (args) => ({
      contents: fasterResolve(readFileSync(args.path, "utf8")),
      loader: "js",
    }));
  },
};

module.exports = {
  RESOLVE_FILE,
  EDITS,
  fasterResolve,
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
