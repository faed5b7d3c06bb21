import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FunctionSource } from "../../lib/function-sources";
import { listSourceFiles, LambdaPackage } from "../../lib/lambda-package";
import {
  DIRECT_UPLOAD_BYTES,
  folderLines,
  listedFilesProblem,
  packageLines,
  packageSizeProblem,
  symlinksIn,
  zippedFolderProblems,
} from "../../lib/package-limits";
import { writeTree } from "../support/trees";

const MB = 1024 * 1024;

/** A lambda-src/ folder with one function folder, `name`, holding `files`. */
function sources(name: string, files: Record<string, string>): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), "plk-limits-"));
  const dir = join(root, "lambda-src", name);
  writeTree(dir, files);
  return { root, dir };
}

/** A file of `bytes` that takes no room on the disk (sparse). */
function sparse(file: string, bytes: number): void {
  writeFileSync(file, "");
  truncateSync(file, bytes);
}

const fn = (name: string, source: string, language: FunctionSource["language"] = "python"): FunctionSource => ({
  name,
  source,
  language,
  runtime: language === "python" ? "python3.13" : "nodejs22.x",
  handler: "index.handler",
  architecture: "arm64",
});

describe("package size: Lambda's 50 MB for a package uploaded with its function", () => {
  test("up to the quota passes; a byte more is refused, with the size, the quota's source and what to do", () => {
    expect(DIRECT_UPLOAD_BYTES).toBe(52_428_800);
    expect(packageSizeProblem(DIRECT_UPLOAD_BYTES)).toBeUndefined();
    expect(packageSizeProblem(DIRECT_UPLOAD_BYTES + 1)).toBe(
      "its package is 50.0 MB (52428801 bytes); Lambda takes at most 50 MB uploaded with the function (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html): leave out what the function does not run (a virtualenv, tests, data files), or move dependencies into a layer (functions[].layers)",
    );
  });

  test("built packages are measured, each function's line names its field", () => {
    const functions = [fn("api", "api", "nodejs"), fn("small", "small"), fn("again", "api", "nodejs")];
    const pkg = (zipPath: string): LambdaPackage => ({ zipPath, sourceCodeHash: "", entries: [] });
    const packages = { api: pkg("/p/api.zip"), small: pkg("/p/small.zip"), again: pkg("/p/api.zip") };
    const sizes: Record<string, number> = { "/p/api.zip": 60 * MB, "/p/small.zip": MB };
    expect(packageLines(functions, packages, (file) => sizes[file])).toEqual([
      expect.stringMatching(/^functions\[0\]\.source = "api": its package is 60\.0 MB \(62914560 bytes\); Lambda takes at most 50 MB/),
      expect.stringMatching(/^functions\[2\]\.source = "api": its package is 60\.0 MB \(62914560 bytes\);/),
    ]);
    sizes["/p/api.zip"] = DIRECT_UPLOAD_BYTES;
    expect(packageLines(functions, packages, (file) => sizes[file])).toEqual([]);
  });

  test("a folder zipped as it is: its files' sizes add up, before anything is read", () => {
    const { dir } = sources("big", { "index.py": "def handler(e, c): pass", "venv/lib/x.py": "" });
    sparse(join(dir, "venv", "lib", "big.so"), 30 * MB);
    sparse(join(dir, "data.bin"), 21 * MB);
    expect(zippedFolderProblems(dir)).toEqual([
      expect.stringMatching(
        /^holds 51\.0 MB \(53477399 bytes\) of files to package; Lambda takes at most 50 MB uploaded with the function \(https:.*\): leave out/,
      ),
    ]);
    // Exactly the quota passes.
    const { dir: full } = sources("full", { "index.py": "" });
    sparse(join(full, "index.py"), DIRECT_UPLOAD_BYTES);
    expect(zippedFolderProblems(full)).toEqual([]);
    // What the zip leaves out (dotfiles, caches) does not count.
    const { dir: cached } = sources("cached", { "index.py": "" });
    mkdirSync(join(cached, ".venv"));
    sparse(join(cached, ".venv", "big.so"), 60 * MB);
    mkdirSync(join(cached, "__pycache__"));
    sparse(join(cached, "__pycache__", "index.cpython-313.pyc"), 60 * MB);
    expect(zippedFolderProblems(cached)).toEqual([]);
  });
});

describe("files a Node.js function lists: their sizes add up before anything is read", () => {
  test("over the quota is refused on the function's files, naming the size; the bundle's folder around them does not count", () => {
    // GIVEN a Node.js folder with a big unlisted dependency, and listed data of 51 MB
    const { root, dir } = sources("ts", { "index.ts": "", "node_modules/big/index.js": "", "data/a.bin": "", "data/.cache": "" });
    sparse(join(dir, "node_modules", "big", "huge.bin"), 200 * MB);
    sparse(join(dir, "data", "a.bin"), 30 * MB);
    sparse(join(dir, "data", ".cache"), 60 * MB);
    sparse(join(dir, "model.bin"), 21 * MB);
    const listing = (files: string[]) => [{ ...fn("api", "ts", "nodejs"), files }];
    // WHEN checked; THEN the listed files count, once each, dotfiles and unlisted ones not
    expect(folderLines(root, listing(["data", "model.bin", "data/a.bin"]), () => true)).toEqual([
      expect.stringMatching(
        /^functions\[0\]\.files = \["data","model\.bin","data\/a\.bin"\]: lists 51\.0 MB \(53477376 bytes\) of files to package; Lambda takes at most 50 MB .*: list only what the code reads, or put the rest in a layer/,
      ),
    ]);
    expect(listedFilesProblem(dir, ["data"])).toBeUndefined();
    expect(folderLines(root, listing([]), () => true)).toEqual([]);
    expect(folderLines(root, [fn("api", "ts", "nodejs")], () => true)).toEqual([]);
  });
});

describe("symbolic links in a folder zipped as it is", () => {
  test("links to files and folders are named with their targets; the package leaves them out", () => {
    const { dir } = sources("linked", { "index.py": "", "lib/util.py": "" });
    symlinkSync("../../shared/common.py", join(dir, "lib", "common.py"));
    symlinkSync("../shared", join(dir, "shared"));
    symlinkSync("/etc/passwd", join(dir, "passwd"));
    symlinkSync("index.py", join(dir, "main.py"));
    expect(symlinksIn(dir)).toEqual([
      "lib/common.py -> ../../shared/common.py",
      "main.py -> index.py",
      "passwd -> /etc/passwd",
      "shared -> ../shared",
    ]);
    expect(listSourceFiles(dir)).toEqual(["index.py", "lib/util.py"]);
    expect(zippedFolderProblems(dir)).toEqual([
      "holds symbolic links, which its package would leave out (lib/common.py -> ../../shared/common.py, main.py -> index.py, passwd -> /etc/passwd, and 1 more): put the files themselves in the folder",
    ]);
  });

  test("three links are all named", () => {
    const { dir } = sources("three", { "index.py": "" });
    for (const name of ["a.py", "b.py", "c.py"]) symlinkSync("index.py", join(dir, name));
    expect(zippedFolderProblems(dir)).toEqual([
      "holds symbolic links, which its package would leave out (a.py -> index.py, b.py -> index.py, c.py -> index.py): put the files themselves in the folder",
    ]);
  });

  test("links where the package looks at nothing (dotfiles, caches) are not reported", () => {
    const { dir } = sources("quiet", { "index.py": "", ".venv/x": "", "__pycache__/y": "" });
    symlinkSync("/usr/bin/python3", join(dir, ".venv", "python"));
    symlinkSync("/tmp", join(dir, "__pycache__", "link"));
    symlinkSync("index.py", join(dir, "old.pyc"));
    symlinkSync("index.py", join(dir, ".alias"));
    expect(symlinksIn(dir)).toEqual([]);
    expect(zippedFolderProblems(dir)).toEqual([]);
  });
});

describe("the lines of a refusal", () => {
  test("Python folders are checked, Node.js ones (bundled, links followed) and those that failed earlier checks are not", () => {
    const { root, dir } = sources("py", { "index.py": "" });
    symlinkSync("index.py", join(dir, "alias.py"));
    writeTree(join(root, "lambda-src", "ts"), { "index.ts": "" });
    symlinkSync("index.ts", join(root, "lambda-src", "ts", "alias.ts"));
    const functions = [fn("a", "py"), fn("b", "ts", "nodejs"), fn("c", "py")];
    expect(folderLines(root, functions, () => true)).toEqual([
      'functions[0].source = "py": holds symbolic links, which its package would leave out (alias.py -> index.py): put the files themselves in the folder',
      'functions[2].source = "py": holds symbolic links, which its package would leave out (alias.py -> index.py): put the files themselves in the folder',
    ]);
    expect(folderLines(root, functions, (i) => i !== 0)).toEqual([expect.stringMatching(/^functions\[2\]/)]);
  });
});
