/**
 * What Lambda would refuse, or a package would silently lack, in a function's code: checked
 * at synth so that an apply does not fail on it, and a deployed function does not miss a file.
 */
import { readlinkSync, statSync } from "node:fs";
import { join } from "node:path";
import { FunctionSource, SOURCES_FOLDER } from "./function-sources";
import { LambdaPackage, listedFiles, sourceEntries } from "./lambda-package";
import { firstFew } from "./text";

/**
 * Lambda's quota on a .zip uploaded with the function (the app's packages are: Terraform's
 * `filename`), and where AWS states it. Larger packages must come from S3.
 */
export const DIRECT_UPLOAD_BYTES = 50 * 1024 * 1024;
export const PACKAGE_QUOTA_SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB (${bytes} bytes)`;

/** What to do about a package over the quota. */
const SHRINK =
  "leave out what the function does not run (a virtualenv, tests, data files), or move dependencies into a layer (functions[].layers)";

/** Why a package of `bytes` cannot be uploaded with its function, or undefined when it can. */
export function packageSizeProblem(bytes: number): string | undefined {
  if (bytes <= DIRECT_UPLOAD_BYTES) return undefined;
  return `its package is ${megabytes(bytes)}; Lambda takes at most 50 MB uploaded with the function (${PACKAGE_QUOTA_SOURCE}): ${SHRINK}`;
}

/** `links` under `dir` as `path -> target`. */
const withTargets = (dir: string, links: readonly string[]): string[] => links.map((path) => `${path} -> ${readlinkSync(join(dir, path))}`);

/** Symbolic links under `dir` that its zip would leave out, as `path -> target`, sorted by path. */
export function symlinksIn(dir: string): string[] {
  return withTargets(dir, sourceEntries(dir).links);
}

/**
 * Problems of a folder zipped as it is (a Python function's): links the zip would leave out,
 * and files that add up to more than Lambda takes. The zip stores files uncompressed (for
 * bytes that never depend on the zlib build), so its size is theirs; checked before zipping,
 * so a folder with a virtualenv in it is refused at once, not read into memory.
 */
export function zippedFolderProblems(dir: string): string[] {
  const problems: string[] = [];
  const { files, links: paths } = sourceEntries(dir);
  const links = withTargets(dir, paths);
  if (links.length > 0) {
    problems.push(`holds symbolic links, which its package would leave out (${firstFew(links)}): put the files themselves in the folder`);
  }
  const bytes = files.reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
  if (bytes > DIRECT_UPLOAD_BYTES) {
    problems.push(
      `holds ${megabytes(bytes)} of files to package; Lambda takes at most 50 MB uploaded with the function (${PACKAGE_QUOTA_SOURCE}): ${SHRINK}`,
    );
  }
  return problems;
}

/** A function's line in a refusal: the config field, its value, the problem. */
const line = (index: number, fn: FunctionSource, problem: string): string =>
  `functions[${index}].source = ${JSON.stringify(fn.source)}: ${problem}`;

/**
 * Files a Node.js function lists (`files`, folders with every file under them) that add up
 * to more than Lambda takes: checked before anything is read, like a Python folder.
 */
export function listedFilesProblem(dir: string, files: readonly string[]): string | undefined {
  const bytes = listedFiles(dir, files).reduce((sum, path) => sum + statSync(join(dir, path)).size, 0);
  if (bytes <= DIRECT_UPLOAD_BYTES) return undefined;
  return `lists ${megabytes(bytes)} of files to package; Lambda takes at most 50 MB uploaded with the function (${PACKAGE_QUOTA_SOURCE}): list only what the code reads, or put the rest in a layer (functions[].layers)`;
}

/**
 * The problems of the folders zipped as they are (Python functions'), and of the files
 * Node.js functions list, one line each, for the functions whose code passed sourceProblems
 * (`checked`): before anything is built.
 */
export function folderLines(root: string, functions: readonly FunctionSource[], checked: (index: number) => boolean): string[] {
  return functions.flatMap((fn, i) => {
    if (!checked(i)) return [];
    const dir = join(root, SOURCES_FOLDER, fn.source);
    if (fn.language === "python") return zippedFolderProblems(dir).map((p) => line(i, fn, p));
    const listed = fn.files?.length ? listedFilesProblem(dir, fn.files) : undefined;
    return listed ? [`functions[${i}].files = ${JSON.stringify(fn.files)}: ${listed}`] : [];
  });
}

/** The packages Lambda would refuse for their size, one line each: after they are built. */
export function packageLines(
  functions: readonly FunctionSource[],
  packages: Readonly<Record<string, LambdaPackage>>,
  sizeOf: (file: string) => number = (file) => statSync(file).size,
): string[] {
  return functions.flatMap((fn, i) => {
    const pkg = packages[fn.name];
    const problem = pkg && packageSizeProblem(sizeOf(pkg.zipPath));
    return problem ? [line(i, fn, problem)] : [];
  });
}
