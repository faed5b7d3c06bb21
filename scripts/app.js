#!/usr/bin/env node
// The app command (cdktf.json `app`, `npm run synth`), run as `node --single-threaded-gc`:
// V8's parallel and concurrent GC threads, on 2 cores, let the heap of a 100-consumer synth
// grow to 228 MB and took 3.1-3.7 s; single-threaded, 124 MB and 2.2-2.4 s, with no change
// for the default config (3 runs each). The flag must be given at start: set later, V8 aborts.
// Bundles main.ts and everything it
// imports (dependencies included: one file loads faster than hundreds of modules) with
// esbuild, without type-checking (`npm test` does that), then runs the bundle in this same
// process. The bundle is rebuilt only when a source file or the lock file changes, so most
// synths skip esbuild altogether.
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { join, relative } = require("node:path");
const { esbuildPlugin, PATCH_DIGEST } = require("./cdktf-patches");

const root = join(__dirname, "..");
const outfile = join(root, ".build", "main.js");
const stampFile = `${outfile}.sha256`;
const options = {
  entryPoints: [join(root, "main.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  logLevel: "warning",
  // jsonc-parser's UMD entry requires its parts at run time, which a bundle cannot serve.
  alias: { "jsonc-parser": "jsonc-parser/lib/esm/main.js" },
  // esbuild bundles Node.js functions at synth; it runs its own binary, so it stays a module.
  external: ["esbuild"],
  outfile,
};

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sources(path);
    return d.name.endsWith(".ts") ? [path] : [];
  });
}

const hash = createHash("sha256")
  .update(JSON.stringify({ ...options, absWorkingDir: ".", entryPoints: ["main.ts"], outfile: ".build/main.js" }))
  .update(buildBundle.toString())
  .update(runBundle.toString())
  .update(PATCH_DIGEST);
const inputs = [
  join(root, "main.ts"),
  join(root, "package-lock.json"),
  ...["config", "lib", "stacks"].flatMap((d) => sources(join(root, d))),
];
// A copy of the sources without a lock file (tests, the benchmark) still builds.
for (const file of inputs.filter((f) => existsSync(f)).sort()) {
  hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
}
const digest = hash.digest("hex");

/** Writes through a private name and a rename: a concurrent synth never loads half a bundle. */
function replaceFile(target, write) {
  const temp = `${target}.${process.pid}.tmp`;
  try {
    write(temp);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Builds the bundle when it is missing or stale (esbuild's async API: plugins need it). */
async function buildBundle() {
  try {
    if (!existsSync(outfile) || !existsSync(stampFile) || readFileSync(stampFile, "utf8") !== digest) {
      mkdirSync(join(root, ".build"), { recursive: true });
      // From the project folder whatever the current one is: esbuild resolves aliases and names
      // modules in the bundle relative to its working directory.
      const built = await require("esbuild").build({
        ...options,
        absWorkingDir: root,
        write: false,
        plugins: [esbuildPlugin],
      });
      // The first line names the bundle: its code cache is kept under that name (see runBundle).
      replaceFile(outfile, (temp) => writeFileSync(temp, `// bundle ${digest}\n${built.outputFiles[0].text}`));
      for (const stale of readdirSync(join(root, ".build")).filter((f) => f.endsWith(".v8cache"))) {
        rmSync(join(root, ".build", stale), { force: true });
      }
      replaceFile(stampFile, (temp) => writeFileSync(temp, digest));
    }
  } catch (err) {
    // A source that does not compile: esbuild has printed where and why (logLevel "warning").
    if (Array.isArray(err.errors) && err.errors.length > 0) {
      console.error(
        `Cannot build the app from its sources: esbuild found ${err.errors.length} error(s), shown above. Fix them, then synth again.`,
      );
      process.exit(1);
    }
    if (typeof err.code !== "string") throw err;
    console.error(
      `Cannot build the app bundle in ${join(root, ".build")} (${err.code}: ${err.message}). Make the project folder writable, then synth again.`,
    );
    process.exit(1);
  }
}
/**
 * Loads the bundle as Node.js would, but with V8's code cache: compiling the 3.8 MB bundle and
 * the functions a synth runs took about 60 ms of a 0.24 s default synth; with the cache V8
 * made at the end of an earlier run, 0.18 s (measured, 5 runs each; v8-compile-cache, which
 * caches at compile time only, gave 0.23 s). The cache is named by the bundle's first line
 * (its digest), so it is never applied to other code, and V8 itself refuses a cache of
 * another V8 version or of other flags. A missing, refused or unwritable cache only costs the
 * time it would have saved; a new one is written after a run that exits 0.
 */
function runBundle() {
  const vm = require("node:vm");
  const { createRequire } = require("node:module");
  const code = readFileSync(outfile, "utf8");
  const name = /^\/\/ bundle ([0-9a-f]{64})\n/.exec(code)?.[1];
  const cacheFile = name && join(root, ".build", `main.${name}.v8cache`);
  let cachedData;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet.
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, {
    filename: outfile,
    cachedData,
  });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    process.once("exit", (status) => {
      if (status !== 0) return;
      try {
        replaceFile(cacheFile, (temp) => writeFileSync(temp, script.createCachedData()));
      } catch {
        // A read-only folder: the next run compiles again.
      }
    });
  }
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, createRequire(outfile), bundle, outfile, join(root, ".build"));
  return bundle.exports;
}

if (require.main === module) {
  buildBundle().then(
    () => runBundle().cli(),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
