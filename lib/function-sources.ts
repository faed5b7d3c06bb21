/**
 * The functions' code under lambda-src/: checked before anything is written (the folder, the
 * handler's file and function, vendored Python dependencies, installed Node.js ones), then
 * built into reproducible packages, one per source folder and runtime.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import type { RuntimeLanguage } from "./aws/runtimes";
import { definesHandler, PYTHON_BUILTIN_MODULES, pythonAsyncHandler } from "./handler-exports";
import {
  BundleError,
  buildLambdaPackage,
  buildNodePackage,
  bundleName,
  LambdaPackage,
  readJsonFile,
  sourceEntries,
} from "./lambda-package";
import { foreignBinaries } from "./native-modules";
import { firstFew } from "./text";
import { decodeRequirements, normalizeDistribution, requiredDistributions } from "./python-requirements";

export { requiredDistributions } from "./python-requirements";

/** What the checks and the build read of a function. */
export interface FunctionSource {
  /** Its name in the config. */
  readonly name: string;
  /** Its folder under lambda-src/. */
  readonly source: string;
  readonly runtime: string;
  readonly language: RuntimeLanguage;
  readonly handler: string;
  readonly architecture: "arm64" | "x86_64";
  /** Files and folders of a Node.js function's folder packaged beside its bundle. */
  readonly files?: readonly string[];
  /** Its layers' ARNs: a Node.js package they have is left to them. */
  readonly layers?: readonly string[];
}

/** A problem with a function's code, by the config field it concerns (`files` by its entry, `item`). */
export interface SourceProblem {
  /** The function's index in the config. */
  readonly index: number;
  readonly field: "source" | "handler" | "files";
  readonly item?: number;
  readonly message: string;
}

/** A problem's field and value as a refusal names them: `functions[0].files[1] = "templates"`. */
export function problemLine(p: SourceProblem, fn: FunctionSource): string {
  const [field, value] = p.field === "files" ? [`files[${p.item}]`, fn.files?.[p.item ?? 0]] : [p.field, fn[p.field]];
  return `functions[${p.index}].${field} = ${JSON.stringify(value)}: ${p.message}`;
}

/** The folder of lambda-src/ that holds every function's code. */
export const SOURCES_FOLDER = "lambda-src";

/** Extensions a Node.js handler's file may have, in the order they are looked for. */
const NODE_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];

/**
 * A handler's module (as a path without extension) and function, split where each runtime
 * splits it. Python's at the last dot: `pkg.mod.fn` is function fn of pkg/mod.py. Node.js's at
 * the first dot after the last slash: `dir/index.nested.fn` is module dir/index and the
 * property path nested.fn of its exports (the runtime's own `/^([^.]*)\.(.*)$/`), so a file
 * named with a dot is never the module.
 */
export function splitHandler(handler: string, language: RuntimeLanguage): { file: string; fn: string } {
  if (language === "python") {
    const dot = handler.lastIndexOf(".");
    return { file: handler.slice(0, dot).replace(/\./g, "/"), fn: handler.slice(dot + 1) };
  }
  const dot = handler.indexOf(".", handler.lastIndexOf("/") + 1);
  return { file: handler.slice(0, dot), fn: handler.slice(dot + 1) };
}

/** How messages name each language. */
const LANGUAGE_NAMES: Readonly<Record<RuntimeLanguage, string>> = { python: "Python", nodejs: "Node.js" };
/** A handler's last part that is a file's extension, not a function's name. */
const SOURCE_EXTENSIONS = new Set(["py", "js", "mjs", "cjs", "ts", "mts", "cts"]);

/** The handler's file in `dir` (in `language`), relative to it, or undefined. */
function handlerFile(dir: string, fn: FunctionSource, language = fn.language): string | undefined {
  const { file } = splitHandler(fn.handler, language);
  // A Python module is a file, or a package (a folder with __init__.py), as importlib finds it.
  const candidates = language === "python" ? [`${file}.py`, `${file}/__init__.py`] : NODE_EXTENSIONS.map((e) => `${file}${e}`);
  return candidates.find((c) => existsSync(join(dir, c)) && statSync(join(dir, c)).isFile());
}

/**
 * A Node.js file in `dir` named by the handler up to its last dot (`my.app.js` for handler
 * `my.app.handler`): what a reader takes for the module, which the runtime never loads.
 */
function dottedModuleFile(dir: string, handler: string): string | undefined {
  const file = handler.slice(0, handler.lastIndexOf("."));
  return NODE_EXTENSIONS.map((e) => `${file}${e}`).find((c) => existsSync(join(dir, c)) && statSync(join(dir, c)).isFile());
}

/** The distributions installed into `dir` (their `.dist-info` folders). */
function vendoredDistributions(dir: string): Set<string> {
  const names = new Set<string>();
  const walk = (d: string, depth: number) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      if (e.name.endsWith(".dist-info")) names.add(normalizeDistribution(e.name.replace(/\.dist-info$/, "").split("-")[0]));
      else if (depth < 1 && !e.name.startsWith(".")) walk(join(d, e.name), depth + 1);
    }
  };
  walk(dir, 0);
  return names;
}

/** `-r other.txt`, `--requirement other.txt`, `-rother.txt` or `--requirement=other.txt`. */
const INCLUDE = /^(?:-r\s*|--requirement(?:\s+|=))(\S+)\s*$/;

/**
 * The text of the requirements file `file` (relative to `dir`) with the files it includes
 * (`-r`, relative to the including file, as pip reads them) put in place of their lines,
 * each file once; and the includes that do not exist, relative to `dir`.
 */
function withIncludes(dir: string, file: string, seen = new Set<string>()): { text: string; missing: string[] } {
  seen.add(file);
  const missing: string[] = [];
  const lines = decodeRequirements(readFileSync(join(dir, file)))
    .split(/\r?\n/)
    .map((line) => {
      const include = INCLUDE.exec(line.replace(/(^|\s)#.*$/, "").trim())?.[1];
      if (!include || /^[a-z]+:\/\//i.test(include)) return line;
      const path = posix.normalize(posix.join(posix.dirname(file), include));
      if (seen.has(path)) return "";
      if (!existsSync(join(dir, path)) || !statSync(join(dir, path)).isFile()) {
        missing.push(path);
        return "";
      }
      const inner = withIncludes(dir, path, seen);
      missing.push(...inner.missing);
      return inner.text;
    });
  return { text: lines.join("\n"), missing };
}

/**
 * The `pip install` that vendors a folder's requirements (or the packages `what` names) for
 * Lambda's platform.
 */
export function pipCommand(fn: FunctionSource, what?: string): string {
  const platform = fn.architecture === "arm64" ? "manylinux2014_aarch64" : "manylinux2014_x86_64";
  const version = fn.runtime.replace(/^python/, "");
  const dir = `${SOURCES_FOLDER}/${fn.source}`;
  return `pip install --platform ${platform} --implementation cp --python-version ${version} --only-binary=:all: --upgrade --target ${dir} ${what ?? `-r ${dir}/requirements.txt`}`;
}

/** Compiled code in a Python folder that Lambda's platform cannot load, as one line, or undefined. */
function foreignBinaryProblem(dir: string, fn: FunctionSource): string | undefined {
  const foreign = foreignBinaries(dir, sourceEntries(dir).files, {
    architecture: fn.architecture,
    pythonVersion: fn.runtime.replace(/^python/, ""),
  });
  if (foreign.length === 0) return undefined;
  const pip = existsSync(join(dir, "requirements.txt")) ? pipCommand(fn) : pipCommand(fn, "<the packages>");
  return `holds compiled code that Lambda's ${fn.runtime} on Linux ${fn.architecture} cannot load: ${firstFew(foreign.map((f) => `${f.file} (${f.builtFor})`))}. Install the packages for Lambda's platform instead: ${pip}`;
}

/**
 * Lock files that pin a Node.js folder's dependencies, in the order the package managers
 * prefer them, with the command that installs exactly what each says.
 */
const NODE_LOCKS: readonly { readonly file: string; readonly install: (dir: string) => string }[] = [
  { file: "npm-shrinkwrap.json", install: (dir) => `npm ci --prefix ${dir}` },
  { file: "package-lock.json", install: (dir) => `npm ci --prefix ${dir}` },
  { file: "pnpm-lock.yaml", install: (dir) => `pnpm --dir ${dir} install --frozen-lockfile` },
  { file: "yarn.lock", install: (dir) => `yarn --cwd ${dir} install --frozen-lockfile` },
];

/** Node.js dependencies missing from node_modules, or at another version than the lock file's. */
function nodeDependencyProblems(dir: string, fn: FunctionSource): string[] {
  if (!existsSync(join(dir, "package.json"))) return [];
  const manifest = readJsonObject(dir, "package.json");
  if ("problem" in manifest) return [manifest.problem];
  const dependencies = manifest.value.dependencies ?? {};
  if (typeof dependencies !== "object" || dependencies === null || Array.isArray(dependencies)) {
    return ['has a package.json whose "dependencies" is not an object of names and versions'];
  }
  const deps = Object.keys(dependencies).sort();
  if (deps.length === 0) return [];
  const folder = `${SOURCES_FOLDER}/${fn.source}`;
  const lockFile = NODE_LOCKS.find((l) => existsSync(join(dir, l.file)));
  if (!lockFile) {
    return [`has dependencies in package.json but no package-lock.json: run npm install --prefix ${folder} and commit the lock file`];
  }
  const install = `run ${lockFile.install(folder)}`;
  const installedVersion = (dep: string): unknown => {
    const file = join("node_modules", dep, "package.json");
    const read = existsSync(join(dir, file)) ? readJsonObject(dir, file) : undefined;
    return read && "value" in read ? read.value.version : undefined;
  };
  const installed = (dep: string) => existsSync(join(dir, "node_modules", dep, "package.json"));
  // pnpm's and yarn's lock files are not read: each dependency must be installed.
  if (!lockFile.file.endsWith(".json")) {
    return deps.filter((dep) => !installed(dep)).map((dep) => `needs ${dep} (${lockFile.file}) but node_modules has none: ${install}`);
  }
  const lock = readJsonObject(dir, lockFile.file);
  if ("problem" in lock) return [`${lock.problem}: run npm install --prefix ${folder}`];
  type Entry = { version?: unknown; link?: unknown; resolved?: unknown } | undefined;
  const packages = (lock.value.packages ?? {}) as Record<string, Entry>;
  // Lock files of npm 6 (lockfileVersion 1) list top-level packages under "dependencies".
  const v1 = (lock.value.dependencies ?? {}) as Record<string, Entry>;
  const problems: string[] = [];
  for (const dep of deps) {
    const entry = packages[`node_modules/${dep}`] ?? v1[dep];
    // A file: or link: dependency is a link to a folder: it has no version of its own here.
    if (entry?.link === true) {
      if (!installed(dep))
        problems.push(`needs ${dep} (a link to ${String(entry.resolved)}, ${lockFile.file}) but node_modules has none: ${install}`);
      continue;
    }
    const locked = entry?.version;
    if (typeof locked !== "string") {
      problems.push(`has ${dep} in package.json but not in ${lockFile.file}: run npm install --prefix ${folder}`);
      continue;
    }
    // npm 6 wrote an alias's version as npm:name@version and a git dependency's as its URL.
    const lockedVersion = locked.replace(/^npm:(?:@[^/@]+\/)?[^/@]+@/, "");
    if (/[:/]/.test(lockedVersion)) {
      if (!installed(dep)) problems.push(`needs ${dep} (${lockFile.file}) but node_modules has none: ${install}`);
      continue;
    }
    const version = installedVersion(dep);
    if (version !== lockedVersion) {
      problems.push(
        `needs ${dep}@${lockedVersion} (${lockFile.file}) but node_modules has ${typeof version === "string" ? `${dep}@${version}` : "none"}: ${install}`,
      );
    }
  }
  return problems;
}

/** A JSON file of a function's folder as an object, or why it is not one (a line for the `source` field). */
function readJsonObject(dir: string, file: string): { value: Record<string, unknown> } | { problem: string } {
  const read = readJsonFile(join(dir, file));
  return "value" in read ? read : { problem: `has a ${file} that is ${read.problem}${read.detail ? ` (${read.detail})` : ""}` };
}

/** Every problem with the functions' code, in config order. */
export function sourceProblems(root: string, functions: readonly FunctionSource[]): SourceProblem[] {
  const base = join(root, SOURCES_FOLDER);
  return functions.flatMap((fn, index): SourceProblem[] => {
    const dir = join(base, fn.source);
    const at = (field: SourceProblem["field"], message: string): SourceProblem => ({ index, field, message });
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      return [at("source", `is not a folder: ${SOURCES_FOLDER}/${fn.source} does not exist`)];
    // A symlink may not take the package outside the project's sources.
    const real = relative(realpathSync(base), realpathSync(dir));
    if (real.startsWith("..") || real.split(sep).includes("..")) return [at("source", `leads outside ${SOURCES_FOLDER}/`)];
    const file = handlerFile(dir, fn);
    const { file: module, fn: name } = splitHandler(fn.handler, fn.language);
    // The runtime compares the handler's module up to its first dot with the built-in modules.
    const topModule = fn.handler.slice(0, fn.handler.lastIndexOf(".")).split(".")[0];
    if (fn.language === "python" && PYTHON_BUILTIN_MODULES.has(topModule)) {
      return [
        at(
          "handler",
          `names module ${topModule}, which is built into Python: Lambda's runtime refuses it (BUILT_IN_MODULE_CONFLICT) whatever ${topModule}.py holds. Give the file another name`,
        ),
      ];
    }
    if (!file) {
      const expected = fn.language === "python" ? `${module}.py` : `${module}.ts or ${module}.js`;
      // The handler's file in the other language: the runtime is the likelier mistake.
      const other = fn.language === "python" ? "nodejs" : "python";
      const found = handlerFile(dir, fn, other);
      const dotted = fn.language === "nodejs" ? dottedModuleFile(dir, fn.handler) : undefined;
      const hint = found
        ? ` (the folder has ${found}: ${LANGUAGE_NAMES[other]} code, so runtime ${fn.runtime} may be the mistake)`
        : dotted
          ? ` (Node.js loads module ${module} and reads ${name} from its exports, so ${dotted} is never loaded: give the file a name without dots)`
          : "";
      return [at("handler", `needs ${SOURCES_FOLDER}/${fn.source}/${expected}, which does not exist${hint}`)];
    }
    const problems: SourceProblem[] = [];
    if (fn.language === "python" && pythonAsyncHandler(readFileSync(join(dir, file), "utf8"), name)) {
      problems.push(
        at(
          "handler",
          `names function ${name}, which ${SOURCES_FOLDER}/${fn.source}/${file} defines with async def: Lambda's Python runtime calls the handler without awaiting it, so every call would fail. Define it with def and run the coroutine in it (return asyncio.run(main(event)))`,
        ),
      );
    }
    // Node.js reads a property path (nested.fn) from the module's exports: its first name is the export.
    const [exported] = name.split(".");
    const last = name.slice(name.lastIndexOf(".") + 1);
    const defined = definesHandler(readFileSync(join(dir, file), "utf8"), exported, fn.language);
    // A function named like an extension is taken at its word if the module defines it; a
    // property path ending in one (index.handler.js) is a file name.
    if (!defined || (SOURCE_EXTENSIONS.has(last) && exported !== name)) {
      const example = fn.language === "python" ? `${module.replace(/\//g, ".")}.lambda_handler` : `${module}.handler`;
      problems.push(
        at(
          "handler",
          SOURCE_EXTENSIONS.has(last)
            ? `ends in a file extension (.${last}): a handler is <file without its extension>.<function>, such as ${JSON.stringify(example)}`
            : fn.language === "python"
              ? `names function ${name}, which ${SOURCES_FOLDER}/${fn.source}/${file} does not define or import at its top level (def ${name}(event, context), or from … import ${name})`
              : `names ${exported === name ? "function " : `${name}, a property of export `}${exported}, which ${SOURCES_FOLDER}/${fn.source}/${file} does not export (export const ${exported} = …, or exports.${exported} = …)`,
        ),
      );
    }
    if (fn.language === "python" && existsSync(join(dir, "requirements.txt"))) {
      const vendored = vendoredDistributions(dir);
      const target = { version: fn.runtime.replace(/^python/, ""), architecture: fn.architecture };
      const requirements = withIncludes(dir, "requirements.txt");
      if (requirements.missing.length > 0) {
        problems.push(
          at(
            "source",
            `has requirements.txt including ${requirements.missing.join(", ")}, which does not exist (pip would stop there): fix the -r line`,
          ),
        );
      }
      const missing = requiredDistributions(requirements.text, target).filter((d) => !vendored.has(d));
      if (missing.length > 0) {
        problems.push(
          at(
            "source",
            `has requirements.txt asking for ${missing.join(", ")}, not vendored into the folder. Lambda installs nothing: run ${pipCommand(fn)}`,
          ),
        );
      }
    }
    const foreign = fn.language === "python" ? foreignBinaryProblem(dir, fn) : undefined;
    if (foreign) problems.push(at("source", foreign));
    if (fn.language === "nodejs") {
      problems.push(...nodeDependencyProblems(dir, fn).map((m) => at("source", m)));
      if (fn.files?.length) {
        const named = packagedFileProblems(dir, fn, bundleNames(base, functions, fn));
        problems.push(...named.map(([item, message]) => ({ index, field: "files" as const, item, message })));
      }
    }
    return problems;
  });
}

/** The package's file name: the source folder's, and the runtime's when one folder is built for two. */
function packageName(fn: FunctionSource, functions: readonly FunctionSource[]): string {
  const base = fn.source.replace(/\//g, "-");
  const runtimes = new Set(functions.filter((f) => f.source === fn.source).map((f) => f.runtime));
  return runtimes.size > 1 ? `${base}-${fn.runtime}` : base;
}

/** The Node.js functions that share `fn`'s package: its folder and runtime. */
const sharing = (functions: readonly FunctionSource[], fn: FunctionSource) =>
  functions.filter((f) => f.language === "nodejs" && f.source === fn.source && f.runtime === fn.runtime);

/**
 * What `fn`'s package is built from, as a key: its folder and runtime, and for Node.js the
 * handler files and the files its functions list (equal keys, equal packages).
 */
export function packageKey(fn: FunctionSource, functions: readonly FunctionSource[]): string {
  if (fn.language === "python") return JSON.stringify([fn.source, fn.runtime]);
  const group = sharing(functions, fn);
  const sorted = (items: string[]) => [...new Set(items)].sort();
  return JSON.stringify([
    fn.source,
    fn.runtime,
    sorted(group.map((f) => splitHandler(f.handler, f.language).file)),
    sorted(group.flatMap((f) => f.files ?? [])),
  ]);
}

/** The names the bundles of `fn`'s package take: one per handler file its functions name. */
function bundleNames(base: string, functions: readonly FunctionSource[], fn: FunctionSource): Set<string> {
  const dir = join(base, fn.source);
  return new Set(
    sharing(functions, fn).flatMap((f) => {
      const file = handlerFile(dir, f);
      try {
        return file ? [bundleName(dir, file)] : [];
      } catch (err) {
        // A package.json that is no JSON object: its own line says so (nodeDependencyProblems).
        if (err instanceof BundleError) return [];
        throw err;
      }
    }),
  );
}

/**
 * Problems of the files a Node.js function lists to package, as [entry, message]: each must
 * be a file or a folder of files in its folder, hold no symbolic link (the zip would leave it
 * out), and not take the name of a bundle of its package.
 */
function packagedFileProblems(dir: string, fn: FunctionSource, bundles: ReadonlySet<string>): [number, string][] {
  return (fn.files ?? []).flatMap((path, item): [number, string][] => {
    const full = join(dir, path);
    const at = (message: string): [number, string][] => [[item, message]];
    if (isLink(full)) return at(`is a symbolic link, which the zip would leave out: list the file or folder itself`);
    if (!existsSync(full)) return at(`is not in ${SOURCES_FOLDER}/${fn.source}`);
    // A folder on the way that is a link would take the package outside the function's folder.
    if (realpathSync(full) !== join(realpathSync(dir), path)) return at("leads through a symbolic link: list a path of the folder itself");
    if (bundles.has(path)) return at(`is the name the bundle of a handler's file takes in the package: rename the file`);
    if (!statSync(full).isDirectory()) return statSync(full).isFile() ? [] : at("is not a file or a folder");
    const { files, links } = sourceEntries(full);
    if (links.length > 0) return at(`holds symbolic links, which the zip would leave out: ${firstFew(links, 3)}`);
    if (files.length === 0) return at("is a folder with no files to package");
    const taken = files.map((f) => `${path}/${f}`).filter((f) => bundles.has(f));
    return taken.length > 0 ? at(`holds ${taken[0]}, the name the bundle of a handler's file takes in the package: rename the file`) : [];
  });
}

/** Whether `path` is a symbolic link (dangling or not). */
function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Builds every function's package into `outDir`: one per source folder and runtime, shared
 * by the functions that use it. Python folders are zipped as they are; a Node.js folder's
 * package holds a bundle (esbuild) of each handler file its functions name, and the files
 * they list. Keyed by function name.
 */
export async function buildFunctionPackages(
  root: string,
  functions: readonly FunctionSource[],
  outDir: string,
): Promise<Record<string, LambdaPackage>> {
  const built = new Map<string, Promise<LambdaPackage>>();
  const packages: Record<string, LambdaPackage> = {};
  for (const fn of functions) {
    const key = packageKey(fn, functions);
    if (!built.has(key)) {
      const dir = join(root, SOURCES_FOLDER, fn.source);
      const name = packageName(fn, functions);
      const group = sharing(functions, fn);
      const unchecked = group.find((f) => !handlerFile(dir, f));
      if (unchecked) throw new Error(`unchecked function ${unchecked.name}: no handler file`);
      const entries = group.map((f) => handlerFile(dir, f) as string);
      const files = [...new Set(group.flatMap((f) => f.files ?? []))].sort();
      // A package a layer has is left to the layers only when every function of the package has them.
      const fromLayers = group.every((f) => (f.layers?.length ?? 0) > 0);
      built.set(
        key,
        fn.language === "python"
          ? buildLambdaPackage(dir, outDir, name)
          : buildNodePackage(dir, entries, Number(/\d+/.exec(fn.runtime)?.[0]), outDir, name, files, fromLayers).catch((err: unknown) => {
              throw err instanceof BundleError ? new BundleError(err.message, fn.source) : err;
            }),
      );
    }
    packages[fn.name] = await (built.get(key) as Promise<LambdaPackage>);
  }
  return packages;
}

/**
 * What esbuild warned of in the functions' own code (it may fail at run time), a line each,
 * naming the first function of each folder.
 */
export function packageWarnings(functions: readonly FunctionSource[], packages: Readonly<Record<string, LambdaPackage>>): string[] {
  const seen = new Set<string>();
  return functions.flatMap((f, i) => {
    if (seen.has(f.source)) return [];
    seen.add(f.source);
    return (packages[f.name]?.warnings ?? []).map((w) => `functions[${i}].source = ${JSON.stringify(f.source)}: esbuild warns: ${w}`);
  });
}

/** The key of the probe's package among the packages (function names cannot hold a colon). */
export const PROBE_PACKAGE = ":probe";

/** The folder of the probe's code, under lambda-src/. */
export const PROBE_SOURCE = "probe";

/** Builds the probe's package into `<outDir>/probe/`, apart from the functions' packages. */
export function buildProbePackage(root: string, outDir: string): Promise<LambdaPackage> {
  return buildLambdaPackage(join(root, SOURCES_FOLDER, PROBE_SOURCE), join(outDir, "probe"), "probe");
}

/**
 * Every package an app needs: its functions' (none when a signed package comes from S3), and
 * the probe's when a consumer has one, under {@link PROBE_PACKAGE}.
 */
export async function buildAppPackages(
  root: string,
  app: { readonly functions: readonly FunctionSource[]; readonly signed: boolean; readonly probe: boolean },
  outDir: string,
): Promise<Record<string, LambdaPackage>> {
  const packages = app.signed ? {} : await buildFunctionPackages(root, app.functions, outDir);
  return app.probe ? { ...packages, [PROBE_PACKAGE]: await buildProbePackage(root, outDir) } : packages;
}
