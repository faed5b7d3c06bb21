/**
 * Builds a Lambda deployment zip that is byte-identical on every machine.
 *
 * cdktf's ARCHIVE assets embed file mtimes and directory order, and its assetHash is an MD5
 * of contents only, so we zip the sources ourselves and hand cdktf a FILE asset.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { dirname, isAbsolute, join, posix, relative, sep } from "node:path";
import archiver from "archiver";
import type { Plugin } from "esbuild";

/** The finished package: where it was written and the hash Lambda compares. */
export interface LambdaPackage {
  /** Path of the zip file on this machine (used only as the asset's source). */
  readonly zipPath: string;
  /** The zip's base64 SHA-256, what Terraform's `filebase64sha256` returns. */
  readonly sourceCodeHash: string;
  /** Entry names in the order they were written. */
  readonly entries: readonly string[];
  /** What esbuild warned of in the function's own code (a Node.js bundle), a line each. */
  readonly warnings?: readonly string[];
}

/**
 * Every entry gets this timestamp. archiver writes the DOS date from the UTC fields, so the
 * bytes do not depend on the machine's time zone; 1980-01-01 is the earliest DOS date.
 */
export const FIXED_ENTRY_DATE = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));
/**
 * Every entry gets rw-r--r--, or rwxr-xr-x when it is a program: a Linux executable (ELF) or
 * a script with a `#!` line, which a function may start and which needs the bit (Lambda
 * unpacks the zip with its modes). Decided by the bytes, never by the file's mode on this
 * machine: Windows reports no executable bits, a FAT or SMB mount reports them all, and a
 * local chmod would make one machine's zip differ from another's.
 */
export const FIXED_ENTRY_MODE = 0o644;
export const EXECUTABLE_ENTRY_MODE = 0o755;

const isExcluded = (name: string): boolean => name.startsWith(".") || name === "__pycache__" || name.endsWith(".pyc");

/**
 * Files and symbolic links under `dir` as sorted POSIX-style relative paths, without caches
 * and dotfiles. A package holds the files only: links are not followed.
 */
export function sourceEntries(dir: string): { files: string[]; links: string[] } {
  const files: string[] = [];
  const links: string[] = [];
  const walk = (current: string): void => {
    for (const dirent of readdirSync(current, { withFileTypes: true })) {
      if (isExcluded(dirent.name)) continue;
      const full = join(current, dirent.name);
      const path = relative(dir, full).split(sep).join(posix.sep);
      if (dirent.isSymbolicLink()) links.push(path);
      else if (dirent.isDirectory()) walk(full);
      else if (dirent.isFile()) files.push(path);
    }
  };
  walk(dir);
  // The default sort compares UTF-16 code units, never the locale: every machine sorts the same way.
  return { files: files.sort(), links: links.sort() };
}

/** Files under `dir` as sorted POSIX-style relative paths, without caches and dotfiles. */
export function listSourceFiles(dir: string): string[] {
  return sourceEntries(dir).files;
}

/** Whether `data` is a program: an ELF executable, or a script starting with `#!`. */
export const isProgram = (data: Buffer): boolean =>
  (data.length >= 4 && data[0] === 0x7f && data.toString("latin1", 1, 4) === "ELF") || data.toString("latin1", 0, 2) === "#!";

/** One file of a package: its name in the zip, its bytes, and whether it is a program. */
export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
  readonly executable?: boolean;
}

/** Zips `entries`, in the order given, into an in-memory buffer with fixed metadata. */
export async function zipEntries(entries: readonly ZipEntry[]): Promise<Buffer> {
  // STORE, not deflate: deflate output can differ between zlib builds (Node versions).
  const archive = archiver("zip", { store: true });
  const chunks: Buffer[] = [];
  archive.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    archive.on("end", () => resolve());
    archive.on("error", reject);
    archive.on("warning", reject);
  });
  for (const { name, data, executable } of entries) {
    archive.append(data, { name, date: FIXED_ENTRY_DATE, mode: executable ? EXECUTABLE_ENTRY_MODE : FIXED_ENTRY_MODE });
  }
  await archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Zips the files of `sourceDir` into an in-memory buffer with fixed metadata. */
export async function zipDirectory(sourceDir: string): Promise<{ zip: Buffer; entries: string[] }> {
  const entries = listSourceFiles(sourceDir);
  if (entries.length === 0) {
    throw new Error(`Lambda source folder ${sourceDir} has no files to package`);
  }
  const zip = await zipEntries(
    entries.map((name) => {
      const file = join(sourceDir, name);
      const data = readFileSync(file);
      return { name, data, executable: isProgram(data) };
    }),
  );
  return { zip, entries };
}

/** The base64 SHA-256 of `bytes`, as Terraform's `filebase64sha256` computes it. */
export function base64Sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("base64");
}

/** Writes `zip` as `<outDir>/<name>.zip`. */
function writePackage(zip: Buffer, entries: string[], outDir: string, name: string): LambdaPackage {
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `${name}.zip`);
  writeFileSync(zipPath, zip);
  return { zipPath, sourceCodeHash: base64Sha256(zip), entries };
}

/** Zips `sourceDir` reproducibly and writes `<outDir>/<name>.zip`. */
export async function buildLambdaPackage(sourceDir: string, outDir: string, name: string): Promise<LambdaPackage> {
  const { zip, entries } = await zipDirectory(sourceDir);
  return writePackage(zip, entries, outDir, name);
}

/** Where a bundle fails: esbuild's first messages, one line each. */
export class BundleError extends Error {
  /** @param source the function's folder under lambda-src/, once known */
  constructor(
    message: string,
    public readonly source?: string,
  ) {
    super(message);
    this.name = "BundleError";
  }
}

/** A JSON file as an object, or what it is instead: not valid JSON (with the parser's words), or not an object. */
export function readJsonFile(
  file: string,
): { value: Record<string, unknown> } | { problem: "not valid JSON" | "not a JSON object"; detail?: string } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    return { problem: "not valid JSON", detail: (err as Error).message };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { problem: "not a JSON object" };
  return { value: value as Record<string, unknown> };
}

/**
 * Whether a Node.js function's entry file is an ES module, as Node.js and Lambda decide it:
 * `.mjs` or `.mts`, or `.js` or `.ts` under a package.json (the nearest one, within the
 * function's folder) with `"type": "module"`.
 */
export function isEsModule(sourceDir: string, entryFile: string): boolean {
  if (/\.m[jt]s$/.test(entryFile)) return true;
  if (/\.c[jt]s$/.test(entryFile)) return false;
  for (let dir = posix.dirname(entryFile); ; dir = posix.dirname(dir)) {
    const manifest = join(sourceDir, dir, "package.json");
    if (existsSync(manifest)) {
      const read = readJsonFile(manifest);
      if (!("value" in read)) throw new BundleError(`${posix.join(dir, "package.json")} is ${read.problem}`);
      return read.value.type === "module";
    }
    if (dir === "." || dir === "/") return false;
  }
}

/**
 * An ES module bundle gets back what the CommonJS dependencies bundled into it expect:
 * `require` (esbuild's helper otherwise throws "Dynamic require of … is not supported" at run
 * time), from the banner, and `__dirname` and `__filename`, injected from a module of their
 * own. esbuild renames a user's own top-level `require` or `__dirname` around both.
 */
const ESM_REQUIRE_BANNER =
  'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);';
const ESM_PATHS_SHIM = "privatelink-esm-paths";
const esmPathsPlugin: Plugin = {
  name: ESM_PATHS_SHIM,
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${ESM_PATHS_SHIM}$`) }, () => ({ path: ESM_PATHS_SHIM, namespace: ESM_PATHS_SHIM }));
    build.onLoad({ filter: /.*/, namespace: ESM_PATHS_SHIM }, () => ({
      contents: [
        'import { fileURLToPath } from "node:url";',
        'import { dirname } from "node:path";',
        "export const __filename = fileURLToPath(import.meta.url);",
        "export const __dirname = dirname(__filename);",
      ].join("\n"),
      loader: "js",
    }));
  },
};

/**
 * A function's imports of packages resolve in its own folder only. Node.js resolution walks up
 * the folders, so esbuild would otherwise bundle this project's own node_modules (zod, the
 * AWS SDK its tools use) into a function that never installed them, and the function's zip
 * would change with the project's dependencies. What the function's tsconfig maps (`paths`,
 * `baseUrl`) to its own code resolves as esbuild resolves it. A package the folder does not
 * have is left to Lambda's runtime when the runtime has it: the AWS SDK for JavaScript v3
 * (`@aws-sdk/*`, in every Node.js runtime; code written in Lambda's console works as it is),
 * a package of the function's layers (when every function of the package has layers:
 * /opt/nodejs/node_modules is on the runtime's path), and a `require` or `import()` the code
 * itself guards with try/catch (an optional dependency, as `debug` and `ws` have: Node.js
 * throws, the code carries on without it). Any other is refused. Code outside the folder (a
 * linked local package) resolves its own imports.
 */
function ownPackagesPlugin(sourceDir: string, fromLayers: boolean): Plugin {
  return {
    name: "privatelink-own-packages",
    setup(build) {
      build.onResolve({ filter: /^[^./#]/ }, async (args) => {
        if (args.pluginData === OWN_RESOLUTION || isBuiltin(args.path) || args.path === ESM_PATHS_SHIM) return undefined;
        if (!isWithin(sourceDir, args.resolveDir)) return undefined;
        const parts = args.path.split("/");
        const name = parts.slice(0, args.path.startsWith("@") ? 2 : 1).join("/");
        for (let dir = args.resolveDir; ; dir = dirname(dir)) {
          if (existsSync(join(dir, "node_modules", name))) return undefined;
          if (dir === sourceDir || dirname(dir) === dir) break;
        }
        const found = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: OWN_RESOLUTION,
        });
        if (found.errors.length === 0 && !found.external && isOwnCode(sourceDir, found.path)) {
          return { path: found.path, namespace: found.namespace, sideEffects: found.sideEffects };
        }
        if (name.startsWith("@aws-sdk/") || fromLayers) return { path: args.path, external: true };
        if (GUARDABLE.has(args.kind) && (await guardedImport(args.importer, args.resolveDir, args.path))) {
          return { path: args.path, external: true };
        }
        const why =
          name === "aws-sdk"
            ? "the AWS SDK for JavaScript v2 is not in Lambda's Node.js runtimes since nodejs18.x: use v3 (@aws-sdk/client-…), which is, or install aws-sdk in the folder"
            : "a package is bundled from the function's own folder only: list it in its package.json and install it there, or give the function the layer that has it (functions[].layers)";
        return { errors: [{ text: `Could not resolve "${args.path}": the function's folder has no node_modules/${name} (${why})` }] };
      });
    },
  };
}

/**
 * esbuild, loaded only when a Node.js function is built: a Python-only synth never pays for it.
 * (A require, not import(): the app runs its bundle through node:vm, which has no dynamic
 * import on Node.js 20.)
 */
const esbuild = () => createRequire(__filename)("esbuild") as typeof import("esbuild");

/** Marks the plugin's own call of esbuild's resolution, which it leaves to esbuild. */
const OWN_RESOLUTION = { ownResolution: true };

/** Import kinds that code can guard with try/catch. */
const GUARDABLE = new Set(["require-call", "require-resolve", "dynamic-import"]);

const isWithin = (dir: string, path: string): boolean => {
  const within = relative(dir, path);
  return !within.startsWith("..") && !isAbsolute(within);
};

/** Whether a resolved file is code of the function's own (its folder, or a folder outside any node_modules). */
const isOwnCode = (sourceDir: string, path: string): boolean =>
  path !== "" && isAbsolute(path) && (isWithin(sourceDir, path) || !path.split(sep).includes("node_modules"));

/**
 * Whether every import of `path` in `importer` is guarded by try/catch, as esbuild judges it:
 * the file is bundled alone with those imports pointed at a file that is not there, and
 * esbuild leaves a guarded import that cannot be resolved to run time, but fails on any other.
 */
async function guardedImport(importer: string, resolveDir: string, path: string): Promise<boolean> {
  let contents: string;
  try {
    contents = readFileSync(importer, "utf8");
  } catch {
    return false;
  }
  const absent = `./.privatelink-absent-${createHash("sha256").update(importer).digest("hex").slice(0, 12)}`;
  const quoted = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pointed = contents.replace(new RegExp(`(["'\`])${quoted}\\1`, "g"), JSON.stringify(absent));
  const extension = /\.([cm]?[jt]sx?)$/.exec(importer)?.[1] ?? "js";
  return esbuild()
    .build({
      stdin: { contents: pointed, loader: extension.replace(/^[cm]/, "") as "js" | "ts" | "jsx" | "tsx", resolveDir, sourcefile: importer },
      bundle: true,
      write: false,
      platform: "node",
      logLevel: "silent",
      tsconfigRaw: "{}",
      plugins: [
        {
          name: "privatelink-guarded-import",
          setup: (probe) => probe.onResolve({ filter: /.*/ }, (a) => (a.path === absent ? undefined : { path: a.path, external: true })),
        },
      ],
    })
    .then(
      () => true,
      () => false,
    );
}

/** The name a Node.js handler's file gets in its package: `.js`, `.mjs` for an ES module, `.cjs` for a source named .cjs or .cts. */
export function bundleName(sourceDir: string, entryFile: string): string {
  // A CommonJS source named as one (.cjs, .cts) keeps the name that says so: as `.js` it
  // would be read as an ES module beside a package.json of "type": "module" the function
  // lists in its files (Lambda's runtime finds index.cjs for handler index.handler too).
  const extension = isEsModule(sourceDir, entryFile) ? ".mjs" : /\.c[jt]s$/.test(entryFile) ? ".cjs" : ".js";
  return entryFile.replace(/\.(ts|mts|cts|js|mjs|cjs)$/, extension);
}

/**
 * Bundles a Node.js handler's file into one file: CommonJS, `<entry>.js`, or for an ES module
 * source an ES module, `<entry>.mjs` (so top-level await and `import.meta` keep working;
 * Lambda finds `index.mjs` for handler `index.handler`). esbuild runs with the source folder
 * as its working directory, so the bundle names files relative to it and is the same on
 * every machine.
 */
async function bundle(
  sourceDir: string,
  entryFile: string,
  nodeMajor: number,
  fromLayers: boolean,
): Promise<ZipEntry & { readonly warnings: readonly string[] }> {
  try {
    const esm = isEsModule(sourceDir, entryFile);
    const entry = bundleName(sourceDir, entryFile);
    const result = await esbuild().build({
      entryPoints: [entryFile],
      absWorkingDir: sourceDir,
      bundle: true,
      platform: "node",
      target: `node${nodeMajor}`,
      format: esm ? "esm" : "cjs",
      ...(esm ? { banner: { js: ESM_REQUIRE_BANNER }, inject: [ESM_PATHS_SHIM] } : {}),
      plugins: [...(esm ? [esmPathsPlugin] : []), ownPackagesPlugin(sourceDir, fromLayers)],
      // The function's own tsconfig.json, or none: never this project's, which esbuild would
      // otherwise find above the folder (its decorators setting changes what code does).
      ...(existsSync(join(sourceDir, "tsconfig.json")) ? { tsconfig: join(sourceDir, "tsconfig.json") } : { tsconfigRaw: "{}" }),
      outfile: join(sourceDir, entry),
      write: false,
      sourcemap: false,
      legalComments: "none",
      charset: "utf8",
      logLevel: "silent",
    });
    // What esbuild warns of in the function's own files (import.meta in CommonJS, which is
    // empty at run time; exports in an ES module): its dependencies' are not the user's to fix.
    const warnings = result.warnings
      .filter((w) => w.location && !w.location.file.split("/").includes("node_modules"))
      .map((w) => `${w.location?.file}:${w.location?.line}: ${w.text}`);
    return { name: entry, data: Buffer.from(result.outputFiles[0].contents), warnings };
  } catch (err) {
    if (err instanceof BundleError) throw err;
    const errors = (err as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
    const lines = errors.slice(0, 3).map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text));
    // A compiled addon has no JavaScript to bundle: it has to reach Lambda another way.
    if (errors.some((e) => e.text.includes('No loader is configured for ".node" files'))) {
      lines.push(
        "a native addon (.node) cannot be bundled: build it for Lambda's architecture and put it in a layer (the function's layers)",
      );
    }
    throw new BundleError(lines.length ? lines.join("; ") : String(err));
  }
}

/**
 * The files `files` (paths of files and folders in `sourceDir`) stand for: each file, and
 * every file under each folder (without caches and dotfiles), once each.
 */
export function listedFiles(sourceDir: string, files: readonly string[]): string[] {
  const expand = (path: string) =>
    statSync(join(sourceDir, path)).isDirectory() ? listSourceFiles(join(sourceDir, path)).map((f) => `${path}/${f}`) : [path];
  return [...new Set(files.flatMap(expand))];
}

/**
 * The package of a Node.js folder: a bundle of each handler's file its functions name
 * (`entryFiles`), and the files and folders they read at run time (`files`, as they are,
 * folders with every file under them), in name order. Zipped reproducibly into
 * `<outDir>/<name>.zip`.
 */
export async function buildNodePackage(
  sourceDir: string,
  entryFiles: readonly string[],
  nodeMajor: number,
  outDir: string,
  name: string,
  files: readonly string[] = [],
  fromLayers = false,
): Promise<LambdaPackage> {
  const bundles = await Promise.all([...new Set(entryFiles)].map((entry) => bundle(sourceDir, entry, nodeMajor, fromLayers)));
  // (sourceProblems has refused a listed file that would take a bundle's name.)
  const entries = [
    ...bundles,
    ...listedFiles(sourceDir, files).map((path) => {
      const data = readFileSync(join(sourceDir, path));
      return { name: path, data, executable: isProgram(data) };
    }),
  ].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const zip = await zipEntries(entries);
  const warnings = bundles.flatMap((b) => b.warnings);
  return {
    ...writePackage(
      zip,
      entries.map((e) => e.name),
      outDir,
      name,
    ),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
