import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  buildFunctionPackages,
  FunctionSource,
  packageKey,
  packageWarnings,
  pipCommand,
  problemLine,
  sourceProblems,
} from "../../lib/function-sources";
import { requiredDistributions } from "../../lib/python-requirements";
import { BundleError } from "../../lib/lambda-package";
import { ROOT } from "../fixtures";
import { storedEntry, zipModes } from "../support/trees";

const PY: FunctionSource = {
  name: "main",
  source: "app",
  runtime: "python3.13",
  language: "python",
  handler: "handler.main",
  architecture: "arm64",
};
const JS: FunctionSource = {
  name: "api",
  source: "api",
  runtime: "nodejs22.x",
  language: "nodejs",
  handler: "index.handler",
  architecture: "arm64",
};

/** A project root whose lambda-src holds `files` (path → text). */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "plk-src-"));
  mkdirSync(join(root, "lambda-src"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, "lambda-src", path)), { recursive: true });
    writeFileSync(join(root, "lambda-src", path), text);
  }
  return root;
}

/**
 * What Lambda's Node.js runtime answers for `handler` in the unpacked package `taskRoot`: it
 * splits the handler's base name at its first dot (`/^([^.]*)\.(.*)$/`) into a module,
 * tried as .js, .mjs, .cjs, and a property path into the module's exports.
 */
function runAsLambda(taskRoot: string, handler: string): unknown {
  const script = [
    "const { existsSync } = require('node:fs'); const path = require('node:path');",
    "const [root, handler] = process.argv.slice(1);",
    "const base = path.basename(handler); const [, mod, fnPath] = /^([^.]*)\\.(.*)$/.exec(base);",
    "const file = ['.js', '.mjs', '.cjs'].map((e) => path.join(root, path.dirname(handler), mod + e)).find(existsSync);",
    "import(file).then(async (m) => { const fn = fnPath.split('.').reduce((o, k) => o && o[k], m.default ?? m);",
    "process.stdout.write(JSON.stringify(await fn({}))); });",
  ].join("\n");
  const run = spawnSync(process.execPath, ["-e", script, taskRoot, handler], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout);
}

const messages = (root: string, fns: FunctionSource[]) => sourceProblems(root, fns).map((p) => `${p.index}.${p.field}: ${p.message}`);

describe("function sources", () => {
  test("the shipped examples have none", () => {
    expect(
      sourceProblems(ROOT, [
        { ...PY, source: "hello", handler: "lambda_function.lambda_handler" },
        { ...JS, source: "hello-ts" },
      ]),
    ).toEqual([]);
  });

  test("a missing folder, handler file or handler function is named", () => {
    const root = project({ "app/handler.py": "def other(event, context):\n  pass\n", "api/index.ts": "export const other = 1;\n" });
    expect(messages(root, [{ ...PY, source: "nope" }])).toEqual(["0.source: is not a folder: lambda-src/nope does not exist"]);
    expect(messages(root, [{ ...PY, handler: "missing.main" }])).toEqual([
      "0.handler: needs lambda-src/app/missing.py, which does not exist",
    ]);
    expect(messages(root, [PY])).toEqual([
      expect.stringMatching(/^0\.handler: names function main, which lambda-src\/app\/handler\.py does not define/),
    ]);
    expect(messages(root, [PY, JS])[1]).toMatch(/^1\.handler: names function handler, which lambda-src\/api\/index\.ts does not export/);
    expect(messages(root, [{ ...JS, handler: "main.handler" }])).toEqual([
      "0.handler: needs lambda-src/api/main.ts or main.js, which does not exist",
    ]);
  });

  test("a handler file in the other language points at the runtime; a handler ending in an extension says what a handler is", () => {
    // GIVEN a Python folder given a Node.js runtime, and a Node.js folder given a Python one
    const root = project({ "app/handler.py": "def main(event, context):\n  pass\n", "api/index.mjs": "export const handler = 1;\n" });
    expect(messages(root, [{ ...JS, source: "app", handler: "handler.main" }])).toEqual([
      "0.handler: needs lambda-src/app/handler.ts or handler.js, which does not exist (the folder has handler.py: Python code, so runtime nodejs22.x may be the mistake)",
    ]);
    expect(messages(root, [{ ...PY, source: "api", handler: "index.handler" }])).toEqual([
      "0.handler: needs lambda-src/api/index.py, which does not exist (the folder has index.mjs: Node.js code, so runtime python3.13 may be the mistake)",
    ]);
    // AND handlers written as file names
    expect(messages(root, [{ ...PY, handler: "handler.py" }])).toEqual([
      '0.handler: ends in a file extension (.py): a handler is <file without its extension>.<function>, such as "handler.lambda_handler"',
    ]);
    expect(messages(root, [{ ...JS, handler: "index.mjs" }])).toEqual([
      '0.handler: ends in a file extension (.mjs): a handler is <file without its extension>.<function>, such as "index.handler"',
    ]);
    // AND a module that does define a function of that name is taken at its word
    const defines = project({ "app/handler.py": "def py(event, context):\n  pass\n" });
    expect(messages(defines, [{ ...PY, handler: "handler.py" }])).toEqual([]);
  });

  test("Python: a package (app/__init__.py) is a module the runtime imports; a built-in module's name never is", () => {
    // GIVEN a handler module that is a package, and files named like Python's built-in modules
    const root = project({
      "app/app/__init__.py": "def handler(event, context):\n    return 1\n",
      "app/time.py": "def handler(event, context):\n    return 1\n",
      "app/sys/__init__.py": "def handler(event, context):\n    return 1\n",
      "app/timer.py": "def handler(event, context):\n    return 1\n",
    });
    // THEN the package is accepted, as importlib.import_module("app") loads it
    expect(messages(root, [{ ...PY, handler: "app.handler" }])).toEqual([]);
    // AND a built-in name is refused, as the runtime's bootstrap refuses it (BUILT_IN_MODULE_CONFLICT)
    for (const handler of ["time.handler", "sys.handler"]) {
      expect(messages(root, [{ ...PY, handler }])).toEqual([
        `0.handler: names module ${handler.split(".")[0]}, which is built into Python: Lambda's runtime refuses it (BUILT_IN_MODULE_CONFLICT) whatever ${handler.split(".")[0]}.py holds. Give the file another name`,
      ]);
    }
    // AND a name that only starts like one is fine
    expect(messages(root, [{ ...PY, handler: "timer.handler" }])).toEqual([]);
  });

  test.each<[string, string, boolean]>([
    ["async def at the top level", "import asyncio\n\nasync def handler(event, context):\n    return 1\n", true],
    ["a def that runs a coroutine", "import asyncio\n\ndef handler(event, context):\n    return asyncio.run(main())\n", false],
    [
      "async def under a decorator (which may make it a plain function)",
      "@async_to_sync\nasync def handler(event, context):\n    return 1\n",
      false,
    ],
    [
      "async def, then the name bound again",
      "async def _h(e, c):\n    return 1\nasync def handler(e, c):\n    return 1\nhandler = sync(handler)\n",
      false,
    ],
    ["a nested async def of the name", "def handler(event, context):\n    async def handler(x):\n        return x\n    return 1\n", false],
  ])("Python handler, %s: refused only when the runtime would get a coroutine (it never awaits the handler)", (_name, code, refused) => {
    const root = project({ "app/handler.py": code });
    const found = messages(root, [{ ...PY, handler: "handler.handler" }]);
    expect(found).toEqual(
      refused
        ? [
            "0.handler: names function handler, which lambda-src/app/handler.py defines with async def: Lambda's Python runtime calls the handler without awaiting it, so every call would fail. Define it with def and run the coroutine in it (return asyncio.run(main(event)))",
          ]
        : [],
    );
  });

  test("a Node.js handler is split where Lambda's runtime splits it: module up to the first dot, then a property path", async () => {
    const root = project({
      "api/index.js": "exports.nested = { handler: async () => ({ statusCode: 200, body: 'nested' }) };\n",
      "api/my.app.js": "exports.handler = async () => 1;\n",
    });
    // GIVEN a property path of an export (index.nested.handler): accepted, and the package's
    // handler answers when loaded as the runtime loads it
    const nested = { ...JS, handler: "index.nested.handler" };
    expect(messages(root, [{ ...nested }])).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), "plk-nested-"));
    const pkg = (await buildFunctionPackages(root, [nested], dir)).api;
    expect(pkg.entries).toEqual(["index.js"]);
    const unzipped = join(dir, "task");
    mkdirSync(unzipped);
    writeFileSync(join(unzipped, "index.js"), storedEntry(readFileSync(pkg.zipPath), "index.js"));
    expect(runAsLambda(unzipped, nested.handler)).toEqual({ statusCode: 200, body: "nested" });
    // AND a file named with a dot is never the module: my.app.handler loads module my
    expect(messages(root, [{ ...JS, handler: "my.app.handler" }])).toEqual([
      "0.handler: needs lambda-src/api/my.ts or my.js, which does not exist (Node.js loads module my and reads app.handler from its exports, so my.app.js is never loaded: give the file a name without dots)",
    ]);
    // AND a property path whose export is missing names the export
    expect(messages(root, [{ ...JS, handler: "index.other.handler" }])).toEqual([
      "0.handler: names other.handler, a property of export other, which lambda-src/api/index.js does not export (export const other = …, or exports.other = …)",
    ]);
    // AND a file name after the function is still a file name
    expect(messages(root, [{ ...JS, handler: "index.handler.js" }])).toEqual([
      '0.handler: ends in a file extension (.js): a handler is <file without its extension>.<function>, such as "index.handler"',
    ]);
  });

  test("a Python folder holding compiled modules for another platform is refused, with the pip command that fixes it", () => {
    // GIVEN a folder where pip ran on a Mac: a macOS extension module beside the handler
    const files = {
      "app/handler.py": "def main(event, context):\n  pass\n",
      "app/pydantic_core/_pydantic_core.cpython-313-darwin.so": "\xcf\xfa\xed\xfe",
    };
    const root = project(files);
    // WHEN checked; THEN the module and its platform are named, with a pip for the packages
    expect(messages(root, [{ ...PY, runtime: "python3.13" }])).toEqual([
      `0.source: holds compiled code that Lambda's python3.13 on Linux arm64 cannot load: pydantic_core/_pydantic_core.cpython-313-darwin.so (macOS). Install the packages for Lambda's platform instead: ${pipCommand(PY, "<the packages>")}`,
    ]);
    // AND with a requirements.txt naming what is vendored, the pip command installs it
    const withRequirements = project({ ...files, "app/requirements.txt": "", "app/pydantic_core-2.0.dist-info/METADATA": "" });
    expect(messages(withRequirements, [PY])).toEqual([expect.stringMatching(/cannot load: .*-r lambda-src\/app\/requirements\.txt$/)]);
    // AND a Node.js folder is not judged by Python's rules
    const node = project({ "api/index.js": "exports.handler = async () => 1;\n", "api/x.cpython-313-darwin.so": "\xcf\xfa\xed\xfe" });
    expect(messages(node, [JS])).toEqual([]);
  });

  test("files to package: missing, a link, a folder holding a link, an empty folder, or a bundle's name are refused by entry", () => {
    const root = project({
      "api/index.ts": "export const handler = async () => 1;\n",
      "api/index.js": "// an old build\n",
      "api/data/index.js": "// not a bundle's name: the bundle is index.js at the top\n",
      "api/ok.txt": "fine\n",
      "api/links/real.txt": "real\n",
      "api/dist/index.js": "exports.handler = async () => 1; // a build output\n",
    });
    mkdirSync(join(root, "lambda-src", "api", "empty"));
    symlinkSync("real.txt", join(root, "lambda-src", "api", "links", "alias.txt"));
    symlinkSync("ok.txt", join(root, "lambda-src", "api", "alias.txt"));
    symlinkSync("nowhere", join(root, "lambda-src", "api", "dangling"));
    const fn = { ...JS, files: ["ok.txt", "data", "nope", "alias.txt", "dangling", "links", "empty", "index.js"] };
    const found = sourceProblems(root, [fn]);
    expect(found.map((p) => problemLine(p, fn))).toEqual([
      'functions[0].files[2] = "nope": is not in lambda-src/api',
      'functions[0].files[3] = "alias.txt": is a symbolic link, which the zip would leave out: list the file or folder itself',
      'functions[0].files[4] = "dangling": is a symbolic link, which the zip would leave out: list the file or folder itself',
      'functions[0].files[5] = "links": holds symbolic links, which the zip would leave out: alias.txt',
      'functions[0].files[6] = "empty": is a folder with no files to package',
      'functions[0].files[7] = "index.js": is the name the bundle of a handler\'s file takes in the package: rename the file',
    ]);
    // AND a path through a linked folder (which could lead out of the function's folder) is refused
    symlinkSync(join(root, "lambda-src", "api", "links"), join(root, "lambda-src", "api", "via"));
    expect(messages(root, [{ ...JS, files: ["via/real.txt"] }])).toEqual([
      "0.files: leads through a symbolic link: list a path of the folder itself",
    ]);
    // AND another function's handler file takes its bundle's name in the shared package too
    const admin = { ...JS, name: "admin", handler: "dist/index.handler" };
    expect(messages(root, [{ ...JS, files: ["dist"] }, admin])).toEqual([
      "0.files: holds dist/index.js, the name the bundle of a handler's file takes in the package: rename the file",
    ]);
    // AND the other fields' lines are as before
    expect(problemLine({ index: 0, field: "source", message: "m" }, fn)).toBe('functions[0].source = "api": m');
  });

  test("a handler brought in from another module of the folder passes, as Lambda would find it", () => {
    const root = project({
      "app/handler.py": "from app_core.entry import main  # the framework's adapter\n",
      "app/app_core/entry.py": "def main(event, context):\n  return 1\n",
      "api/index.js": "module.exports = require('./dist/lambda');\n",
      "api/dist/lambda.js": "exports.handler = async () => 1;\n",
    });
    expect(messages(root, [PY, JS])).toEqual([]);
  });

  test("Python packages resolve as modules: pkg.mod.fn is pkg/mod.py", () => {
    const root = project({ "app/pkg/mod.py": "def fn(event, context):\n  return 1\n" });
    expect(messages(root, [{ ...PY, handler: "pkg.mod.fn" }])).toEqual([]);
  });

  test("a folder that leads outside lambda-src is refused", () => {
    const root = project({ "app/handler.py": "def main(e, c): pass\n" });
    symlinkSync(tmpdir(), join(root, "lambda-src", "out"));
    expect(messages(root, [{ ...PY, source: "out" }])).toEqual(["0.source: leads outside lambda-src/"]);
  });

  test.each<[string, Buffer]>([
    [
      "UTF-16 with its byte order mark (PowerShell 5's pip freeze >)",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("PyYAML==6.0.2\r\n", "utf16le")]),
    ],
    ["UTF-16 big-endian", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("PyYAML==6.0.2\n", "utf16le").swap16()])],
    ["UTF-8 with its byte order mark", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("PyYAML==6.0.2\n")])],
  ])("a requirements file in %s is read as pip reads it", (_name, bytes) => {
    const root = project({ "app/handler.py": "def main(e, c): pass\n" });
    writeFileSync(join(root, "lambda-src", "app", "requirements.txt"), bytes);
    // THEN what it asks for is named (it was read as nothing before)
    const [problem] = messages(root, [PY]);
    expect(problem).toContain("0.source: has requirements.txt asking for pyyaml, not vendored into the folder");
  });

  test("requirements that are not vendored are refused with the platform's pip command", () => {
    const root = project({
      "app/handler.py": "def main(e, c): pass\n",
      "app/requirements.txt": "# deps\nRequests==2.32.3\n-i https://pypi.org/simple\nPyYAML>=6 ; python_version>'3'\n",
      "app/requests-2.32.3.dist-info/METADATA": "",
    });
    const [problem] = messages(root, [PY]);
    expect(problem).toContain("0.source: has requirements.txt asking for pyyaml, not vendored into the folder");
    expect(problem).toContain("--platform manylinux2014_aarch64 --implementation cp --python-version 3.13 --only-binary=:all:");
    expect(problem).toContain("--target lambda-src/app -r lambda-src/app/requirements.txt");
    expect(pipCommand({ ...PY, architecture: "x86_64", runtime: "python3.12" })).toContain(
      "--platform manylinux2014_x86_64 --implementation cp --python-version 3.12",
    );
    writeFileSync(join(root, "lambda-src", "app", "requirements.txt"), "requests\n");
    expect(messages(root, [PY])).toEqual([]);
    expect(
      requiredDistributions("Foo_Bar[extra]==1\n-r other.txt\n\nbaz.qux ~= 2 # c", { version: "3.13", architecture: "arm64" }),
    ).toEqual(["foo-bar", "baz-qux"]);
  });

  test("requirements files a requirements.txt includes (-r) are read, relative to the file that includes them", () => {
    // GIVEN requirements split over files, including each other (a loop, too), with flask vendored
    const root = project({
      "app/handler.py": "def main(e, c): pass\n",
      "app/requirements.txt": "-r requirements/prod.txt\nflask\n",
      "app/requirements/prod.txt": "--requirement base.txt  # shared\ngunicorn ; sys_platform == 'win32'\n",
      "app/requirements/base.txt": "requests\n-r../requirements.txt\n",
      "app/flask-3.0.0.dist-info/METADATA": "",
    });
    // WHEN checked; THEN what the included files ask for is asked for
    expect(messages(root, [PY])).toEqual([
      expect.stringMatching(/^0\.source: has requirements\.txt asking for requests, not vendored into the folder/),
    ]);
    // AND an include that does not exist is named by its path in the folder
    writeFileSync(join(root, "lambda-src", "app", "requirements", "prod.txt"), "-r missing.txt\n");
    expect(messages(root, [PY])).toEqual([
      "0.source: has requirements.txt including requirements/missing.txt, which does not exist (pip would stop there): fix the -r line",
    ]);
  });

  test("requirements pip installs elsewhere only, or names by URL, are not refused; one Lambda needs still is", () => {
    const requirements = [
      "pywin32>=306 ; sys_platform == 'win32'  # Windows only",
      'tomli>=2 ; python_version < "3.11"',
      "https://example.com/wheels/foo_bar-1.0-py3-none-any.whl",
      "git+https://example.com/org/baz.git@v1#egg=baz",
      "numpy==2.1.0 \\",
      "    --hash=sha256:0000",
    ];
    const root = project({
      "app/handler.py": "def main(e, c): pass\n",
      "app/requirements.txt": `${requirements.join("\n")}\n`,
      "app/foo_bar-1.0.dist-info/METADATA": "",
      "app/baz-1.0.dist-info/METADATA": "",
      "app/numpy-2.1.0.dist-info/METADATA": "",
    });
    expect(messages(root, [PY])).toEqual([]);
    // A requirement whose marker holds on Lambda (Linux, arm64) and is not vendored: refused.
    writeFileSync(
      join(root, "lambda-src", "app", "requirements.txt"),
      `${requirements.join("\n")}\nuvloop ; platform_machine == "aarch64"\n`,
    );
    expect(messages(root, [PY])).toEqual([expect.stringMatching(/^0\.source: has requirements\.txt asking for uvloop, not vendored/)]);
    expect(messages(root, [{ ...PY, architecture: "x86_64" }])).toEqual([]);
  });

  test.each<[string, Record<string, string>, RegExp]>([
    [
      "a package.json that is not JSON",
      { "api/package.json": "{ type: module }" },
      /^0\.source: has a package\.json that is not valid JSON \(.+\)$/,
    ],
    ["a package.json that is a list", { "api/package.json": "[]" }, /^0\.source: has a package\.json that is not a JSON object$/],
    ["a package.json that is null", { "api/package.json": "null" }, /^0\.source: has a package\.json that is not a JSON object$/],
    [
      "dependencies that are a list",
      { "api/package.json": '{"dependencies": ["leftpad"]}' },
      /^0\.source: has a package\.json whose "dependencies" is not an object/,
    ],
    [
      "a lock file that is not JSON",
      { "api/package.json": '{"dependencies": {"leftpad": "1"}}', "api/package-lock.json": "{ bad" },
      /^0\.source: has a package-lock\.json that is not valid JSON \(.+\): run npm install --prefix lambda-src\/api$/,
    ],
    [
      "an installed package.json that is not JSON",
      {
        "api/package.json": '{"dependencies": {"leftpad": "1"}}',
        "api/package-lock.json": '{"packages": {"node_modules/leftpad": {"version": "1.3.0"}}}',
        "api/node_modules/leftpad/package.json": "{",
      },
      /^0\.source: needs leftpad@1\.3\.0 \(package-lock\.json\) but node_modules has none: run npm ci --prefix lambda-src\/api$/,
    ],
  ])("%s: one line naming the file, never a crash", (_name, files, expected) => {
    const root = project({ "api/index.js": "exports.handler = async () => 1;\n", ...files });
    const lines = messages(root, [JS]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
  });

  test("Node.js dependencies must be installed at the lock file's versions", () => {
    const manifest = JSON.stringify({ dependencies: { leftpad: "^1.0.0" } });
    const noLock = project({ "api/index.js": "exports.handler = async () => 1;\n", "api/package.json": manifest });
    expect(messages(noLock, [JS])).toEqual([expect.stringContaining("has dependencies in package.json but no package-lock.json")]);
    const lock = JSON.stringify({ packages: { "node_modules/leftpad": { version: "1.3.0" } } });
    const stale = project({
      "api/index.js": "exports.handler = async () => 1;\n",
      "api/package.json": manifest,
      "api/package-lock.json": lock,
      "api/node_modules/leftpad/package.json": JSON.stringify({ version: "1.1.0" }),
    });
    expect(messages(stale, [JS])).toEqual([
      "0.source: needs leftpad@1.3.0 (package-lock.json) but node_modules has leftpad@1.1.0: run npm ci --prefix lambda-src/api",
    ]);
    writeFileSync(join(stale, "lambda-src", "api", "node_modules", "leftpad", "package.json"), JSON.stringify({ version: "1.3.0" }));
    expect(messages(stale, [JS])).toEqual([]);
  });

  describe("the lock files people have", () => {
    const handler = { "api/index.js": "exports.handler = async () => 1;\n" };
    const installed = (name: string, version: string) => ({ [`api/node_modules/${name}/package.json`]: JSON.stringify({ name, version }) });

    test("npm 6's lock file (lockfileVersion 1): versions under dependencies, aliases and git URLs included", () => {
      const manifest = JSON.stringify({ dependencies: { leftpad: "^1.0.0", lodash4: "npm:lodash@4", tool: "github:org/tool" } });
      const lock = JSON.stringify({
        lockfileVersion: 1,
        dependencies: {
          leftpad: { version: "1.3.0" },
          lodash4: { version: "npm:lodash@4.17.21" },
          tool: { version: "git+https://github.com/org/tool.git#0123abc" },
        },
      });
      const files = { ...handler, "api/package.json": manifest, "api/package-lock.json": lock };
      const ok = project({ ...files, ...installed("leftpad", "1.3.0"), ...installed("lodash4", "4.17.21"), ...installed("tool", "2.0.0") });
      expect(messages(ok, [JS])).toEqual([]);
      const missing = project({ ...files, ...installed("leftpad", "1.1.0") });
      expect(messages(missing, [JS])).toEqual([
        "0.source: needs leftpad@1.3.0 (package-lock.json) but node_modules has leftpad@1.1.0: run npm ci --prefix lambda-src/api",
        "0.source: needs lodash4@4.17.21 (package-lock.json) but node_modules has none: run npm ci --prefix lambda-src/api",
        "0.source: needs tool (package-lock.json) but node_modules has none: run npm ci --prefix lambda-src/api",
      ]);
    });

    test("a file: dependency (a link in the lock file) must be linked, at no version", () => {
      const files = {
        ...handler,
        "api/package.json": JSON.stringify({ dependencies: { shared: "file:../shared" } }),
        "api/package-lock.json": JSON.stringify({
          lockfileVersion: 3,
          packages: { "node_modules/shared": { resolved: "../shared", link: true }, "../shared": { version: "0.1.0" } },
        }),
        "shared/package.json": JSON.stringify({ name: "shared", version: "0.1.0" }),
      };
      const root = project(files);
      expect(messages(root, [JS])).toEqual([
        "0.source: needs shared (a link to ../shared, package-lock.json) but node_modules has none: run npm ci --prefix lambda-src/api",
      ]);
      mkdirSync(join(root, "lambda-src", "api", "node_modules"));
      symlinkSync("../../shared", join(root, "lambda-src", "api", "node_modules", "shared"));
      expect(messages(root, [JS])).toEqual([]);
    });

    test.each([
      ["yarn.lock", "yarn --cwd lambda-src/api install --frozen-lockfile"],
      ["pnpm-lock.yaml", "pnpm --dir lambda-src/api install --frozen-lockfile"],
    ])("%s: each dependency installed, or its install command", (file, command) => {
      const files = {
        ...handler,
        "api/package.json": JSON.stringify({ dependencies: { leftpad: "^1.0.0" } }),
        [`api/${file}`]: "# lock\n",
      };
      expect(messages(project(files), [JS])).toEqual([`0.source: needs leftpad (${file}) but node_modules has none: run ${command}`]);
      expect(messages(project({ ...files, ...installed("leftpad", "1.3.0") }), [JS])).toEqual([]);
    });

    test("npm-shrinkwrap.json is read before package-lock.json, as npm does", () => {
      const files = {
        ...handler,
        "api/package.json": JSON.stringify({ dependencies: { leftpad: "^1.0.0" } }),
        "api/npm-shrinkwrap.json": JSON.stringify({ packages: { "node_modules/leftpad": { version: "1.3.0" } } }),
        "api/package-lock.json": JSON.stringify({ packages: { "node_modules/leftpad": { version: "1.1.0" } } }),
        ...installed("leftpad", "1.1.0"),
      };
      expect(messages(project(files), [JS])).toEqual([
        "0.source: needs leftpad@1.3.0 (npm-shrinkwrap.json) but node_modules has leftpad@1.1.0: run npm ci --prefix lambda-src/api",
      ]);
    });
  });
});

describe("function packages", () => {
  test("are byte-identical across builds, and shared by functions with one folder", async () => {
    const fns = [
      { ...PY, source: "hello", handler: "lambda_function.lambda_handler" },
      { ...PY, name: "again", source: "hello", handler: "lambda_function.lambda_handler" },
      { ...JS, source: "hello-ts" },
    ];
    const a = await buildFunctionPackages(ROOT, fns, mkdtempSync(join(tmpdir(), "plk-a-")));
    const b = await buildFunctionPackages(ROOT, fns, mkdtempSync(join(tmpdir(), "plk-b-")));
    for (const name of ["main", "api"]) expect(readFileSync(a[name].zipPath).equals(readFileSync(b[name].zipPath))).toBe(true);
    expect(a.again).toBe(a.main);
    expect(a.api.entries).toEqual(["index.js"]);
    // The bundle names files relative to the function's folder, never this machine's paths.
    expect(readFileSync(a.api.zipPath, "latin1")).not.toContain(ROOT);
  });

  test("two Node.js functions of one folder with different handler files: the package holds a bundle of each", async () => {
    // GIVEN two functions whose handlers are in index.ts and admin.mjs of one folder
    const root = project({
      "api/index.ts": 'export const handler = async () => "index";\n',
      "api/admin.mjs": 'export const handler = async () => "admin";\n',
    });
    const fns = [JS, { ...JS, name: "admin", handler: "admin.handler" }];
    // WHEN built
    const pkgs = await buildFunctionPackages(root, fns, mkdtempSync(join(tmpdir(), "plk-g-")));
    // THEN one package, shared, with each handler's bundle (CommonJS and ES module as written)
    expect(pkgs.admin).toBe(pkgs.api);
    expect(pkgs.api.entries).toEqual(["admin.mjs", "index.js"]);
    const zip = readFileSync(pkgs.api.zipPath);
    expect(storedEntry(zip, "admin.mjs").toString()).toContain('"admin"');
    expect(storedEntry(zip, "index.js").toString()).toContain('"index"');
    // AND the key the packages are shared by says so
    expect(packageKey(fns[0], fns)).toBe(packageKey(fns[1], fns));
    expect(packageKey(fns[0], fns)).not.toBe(packageKey(fns[0], [fns[0]]));
  });

  test("files a Node.js function reads at run time go in beside its bundle: every file of a listed folder, by name, a program executable", async () => {
    // GIVEN a function that lists a folder and a file, and another of the folder listing a script
    const root = project({
      "api/index.ts": "export const handler = async () => 1;\n",
      "api/templates/mail/welcome.html": "<p>hi</p>\n",
      "api/templates/.cache": "left out\n",
      "api/certs/ca.pem": "-----BEGIN CERTIFICATE-----\n",
      "api/bin/tool": "#!/bin/sh\necho hi\n",
      "api/unlisted.txt": "not packaged\n",
    });
    const fns = [
      { ...JS, files: ["templates", "certs/ca.pem"] },
      { ...JS, name: "other", files: ["bin/tool", "certs/ca.pem"] },
    ];
    // WHEN built twice
    const [a, b] = await Promise.all(["plk-h-", "plk-i-"].map((p) => buildFunctionPackages(root, fns, mkdtempSync(join(tmpdir(), p)))));
    // THEN the package holds the bundle and every listed file once, by name, dotfiles left out
    expect(a.api.entries).toEqual(["bin/tool", "certs/ca.pem", "index.js", "templates/mail/welcome.html"]);
    expect(a.other).toBe(a.api);
    const zip = readFileSync(a.api.zipPath);
    expect(storedEntry(zip, "templates/mail/welcome.html").toString()).toBe("<p>hi</p>\n");
    // AND a script is executable, data is not (from the bytes)
    const modes = zipModes(zip);
    expect(modes.get("bin/tool")).toBe(0o755);
    expect(modes.get("certs/ca.pem")).toBe(0o644);
    // AND the bytes are the same every time
    expect(zip.equals(readFileSync(b.api.zipPath))).toBe(true);
  });

  test("a bundle that fails names the file and line", async () => {
    const root = project({ "api/index.ts": "export const handler = (;\n" });
    const build = buildFunctionPackages(root, [JS], mkdtempSync(join(tmpdir(), "plk-c-")));
    await expect(build).rejects.toBeInstanceOf(BundleError);
    await expect(build).rejects.toMatchObject({ source: "api", message: expect.stringMatching(/^index\.ts:1: /) });
  });

  test("a native addon: esbuild's line, and where an addon goes instead", async () => {
    const root = project({
      "api/index.js": 'const addon = require("./build/addon.node");\nexports.handler = async () => addon.hi();\n',
      "api/build/addon.node": "\u007fELF",
    });
    const build = buildFunctionPackages(root, [JS], mkdtempSync(join(tmpdir(), "plk-n-")));
    await expect(build).rejects.toMatchObject({
      source: "api",
      message: expect.stringMatching(
        /^index\.js:1: No loader is configured for "\.node" files: build\/addon\.node; a native addon \(\.node\) cannot be bundled: .* put it in a layer/,
      ),
    });
  });

  test("a handler in a folder whose name looks like a file extension: only the file's own extension becomes .js", async () => {
    const root = project({ "api/v1.mjs/index.ts": "export const handler = async () => 1;\n" });
    const pkg = (await buildFunctionPackages(root, [{ ...JS, handler: "v1.mjs/index.handler" }], mkdtempSync(join(tmpdir(), "plk-f-"))))
      .api;
    expect(pkg.entries).toEqual(["v1.mjs/index.js"]);
  });

  test("packages are bundled from the function's folder only, never from the project's node_modules above it", async () => {
    // GIVEN a project whose own node_modules has dep, and a function that imports it without
    // installing it (Node.js resolution would walk up and find the project's copy)
    const root = project({
      "api/index.js": 'const dep = require("dep/sub");\nexports.handler = async () => dep;\n',
      "own/src/index.js": 'const dep = require("dep");\nexports.handler = async () => dep;\n',
      "own/node_modules/dep/index.js": "module.exports = 'own copy';\n",
    });
    mkdirSync(join(root, "node_modules", "dep"), { recursive: true });
    writeFileSync(join(root, "node_modules", "dep", "sub.js"), "module.exports = 'the project\\'s copy';\n");
    // WHEN packaged; THEN refused, naming the package and where it must be installed
    await expect(buildFunctionPackages(root, [JS], mkdtempSync(join(tmpdir(), "plk-own-")))).rejects.toMatchObject({
      message:
        "index.js:1: Could not resolve \"dep/sub\": the function's folder has no node_modules/dep (a package is bundled from the function's own folder only: list it in its package.json and install it there, or give the function the layer that has it (functions[].layers))",
    });
    // AND the AWS SDK v2, which Lambda's runtimes no longer include, is named as such
    const v2 = project({ "api/index.js": 'const AWS = require("aws-sdk");\nexports.handler = async () => AWS;\n' });
    await expect(buildFunctionPackages(v2, [JS], mkdtempSync(join(tmpdir(), "plk-own-")))).rejects.toMatchObject({
      message: expect.stringContaining(
        "no node_modules/aws-sdk (the AWS SDK for JavaScript v2 is not in Lambda's Node.js runtimes since nodejs18.x: use v3 (@aws-sdk/client-…)",
      ),
    });
    // AND a file deeper in a folder that has it installed gets the folder's own copy
    const dir = mkdtempSync(join(tmpdir(), "plk-own-"));
    const pkg = (await buildFunctionPackages(root, [{ ...JS, source: "own", handler: "src/index.handler" }], dir)).api;
    expect(storedEntry(readFileSync(pkg.zipPath), "src/index.js").toString()).toContain("own copy");
  });

  /** Builds `fn` in `root` and unpacks its bundle `entry` into a task root of its own; returns that folder. */
  async function unpacked(root: string, fn: FunctionSource, entry = "index.js"): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), "plk-task-"));
    const pkg = (await buildFunctionPackages(root, [fn], dir))[fn.name];
    mkdirSync(dirname(join(dir, "task", entry)), { recursive: true });
    writeFileSync(join(dir, "task", entry), storedEntry(readFileSync(pkg.zipPath), entry));
    return join(dir, "task");
  }

  test("an optional dependency (a require the code guards with try/catch) that is not installed is left to run time, as Node.js would", async () => {
    // GIVEN a dependency that tries an optional package it does not depend on, the way
    // debug tries supports-color and ws tries bufferutil, and a project above that has it
    const root = project({
      "api/index.js": 'const dep = require("dep");\nexports.handler = async () => ({ statusCode: 200, body: dep() });\n',
      "api/node_modules/dep/index.js": [
        "let color = null;",
        'try { color = require("supports-color"); } catch (e) { /* optional */ }',
        'module.exports = () => (color ? "colour" : "plain");',
      ].join("\n"),
    });
    mkdirSync(join(root, "node_modules", "supports-color"), { recursive: true });
    writeFileSync(join(root, "node_modules", "supports-color", "index.js"), "module.exports = 'the project\\'s copy';\n");
    // WHEN packaged and loaded as Lambda loads it; THEN it runs without the optional package
    const task = await unpacked(root, JS);
    expect(readFileSync(join(task, "index.js"), "utf8")).not.toContain("the project's copy");
    expect(runAsLambda(task, JS.handler)).toEqual({ statusCode: 200, body: "plain" });
    // AND the same package required without a guard is refused: it would fail at import
    writeFileSync(join(root, "lambda-src", "api", "node_modules", "dep", "index.js"), 'module.exports = require("supports-color");\n');
    await expect(buildFunctionPackages(root, [JS], mkdtempSync(join(tmpdir(), "plk-opt-")))).rejects.toMatchObject({
      message: expect.stringContaining('node_modules/dep/index.js:1: Could not resolve "supports-color"'),
    });
    // AND so is a file that guards one require of it but not another
    writeFileSync(
      join(root, "lambda-src", "api", "node_modules", "dep", "index.js"),
      'try { require("supports-color"); } catch {}\nmodule.exports = require("supports-color");\n',
    );
    await expect(buildFunctionPackages(root, [JS], mkdtempSync(join(tmpdir(), "plk-opt-")))).rejects.toThrow(
      /Could not resolve "supports-color"/,
    );
  });

  test("what esbuild warns of in the function's own code (import.meta in CommonJS, empty at run time) is said once per folder; its dependencies' is not", async () => {
    const root = project({
      "api/index.js": 'const dep = require("dep");\nconst here = import.meta.url;\nexports.handler = async () => [dep, here];\n',
      "api/node_modules/dep/index.js": "module.exports = import.meta.url;\n",
      "clean/index.js": "exports.handler = async () => 1;\n",
    });
    const fns = [JS, { ...JS, name: "same-folder" }, { ...JS, name: "clean", source: "clean" }];
    const packages = await buildFunctionPackages(root, fns, mkdtempSync(join(tmpdir(), "plk-warn-")));
    expect(packageWarnings(fns, packages)).toEqual([
      'functions[0].source = "api": esbuild warns: index.js:2: "import.meta" is not available with the "cjs" output format and will be empty',
      'functions[0].source = "api": esbuild warns: index.js:3: The CommonJS "exports" variable is treated as a global variable in an ECMAScript module and may not work as expected',
    ]);
    expect(packages.clean.warnings).toBeUndefined();
  });

  test("a .cjs handler in a folder of type module, which lists its package.json: bundled as index.cjs, which the runtime loads as CommonJS", async () => {
    const root = project({
      "api/package.json": JSON.stringify({ type: "module" }),
      "api/index.cjs": "exports.handler = async () => ({ statusCode: 200, body: 'cjs' });\n",
    });
    const fn = { ...JS, files: ["package.json"] };
    const dir = mkdtempSync(join(tmpdir(), "plk-cjs-"));
    const pkg = (await buildFunctionPackages(root, [fn], dir)).api;
    expect(pkg.entries).toEqual(["index.cjs", "package.json"]);
    // Loaded as the runtime loads it, beside the package.json that says "type": "module"
    mkdirSync(join(dir, "task"));
    for (const entry of pkg.entries) writeFileSync(join(dir, "task", entry), storedEntry(readFileSync(pkg.zipPath), entry));
    expect(runAsLambda(join(dir, "task"), fn.handler)).toEqual({ statusCode: 200, body: "cjs" });
  });

  test("a path the function's tsconfig maps (paths, baseUrl) is its own code, and bundles", async () => {
    // GIVEN a TypeScript function importing through "@/..." and a baseUrl-relative path
    const root = project({
      "api/tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["src/*"] } } }),
      "api/src/index.ts":
        'import { greeting } from "@/lib/greet";\nimport { name } from "src/lib/name";\nexport const handler = async () => ({ statusCode: 200, body: `${greeting} ${name}` });\n',
      "api/src/lib/greet.ts": 'export const greeting = "hello";\n',
      "api/src/lib/name.ts": 'export const name = "paths";\n',
    });
    const fn = { ...JS, handler: "src/index.handler" };
    // WHEN packaged and loaded as Lambda loads it; THEN both imports are bundled and answer
    const task = await unpacked(root, fn, "src/index.js");
    expect(runAsLambda(task, fn.handler)).toEqual({ statusCode: 200, body: "hello paths" });
  });

  test("a package that every function of the folder has layers for is left to the layers (/opt/nodejs/node_modules); without layers it is refused", async () => {
    const root = project({ "api/index.js": 'const sharp = require("sharp");\nexports.handler = async () => typeof sharp;\n' });
    const layered = { ...JS, layers: ["arn:aws:lambda:ap-northeast-1:111111111111:layer:sharp:3"] };
    const pkg = (await buildFunctionPackages(root, [layered], mkdtempSync(join(tmpdir(), "plk-layer-")))).api;
    expect(storedEntry(readFileSync(pkg.zipPath), "index.js").toString()).toContain('require("sharp")');
    // AND a second function of the same folder without layers makes it the folder's to install
    await expect(
      buildFunctionPackages(root, [layered, { ...JS, name: "other" }], mkdtempSync(join(tmpdir(), "plk-layer-"))),
    ).rejects.toThrow(/Could not resolve "sharp": the function's folder has no node_modules\/sharp/);
  });

  test("a function without a tsconfig.json of its own compiles with esbuild's defaults, never with the project's tsconfig above it", async () => {
    // GIVEN a project tsconfig with legacy decorators, and a function using a standard (TC39) one
    const root = project({
      "api/index.ts": [
        "function tag(method: (x: string) => string, _context: ClassMethodDecoratorContext) {",
        "  return (x: string) => `decorated:${method(x)}`;",
        "}",
        "class Greeter { @tag greet(x: string) { return `hello:${x}`; } }",
        "export const handler = async () => ({ statusCode: 200, body: new Greeter().greet('hi') });",
      ].join("\n"),
    });
    writeFileSync(join(root, "tsconfig.json"), JSON.stringify({ compilerOptions: { experimentalDecorators: true } }));
    // WHEN packaged and loaded; THEN the decorator works as the standard says
    expect(runAsLambda(await unpacked(root, JS), JS.handler)).toEqual({ statusCode: 200, body: "decorated:hello:hi" });
    // AND the function's own tsconfig.json is the one that counts
    writeFileSync(join(root, "lambda-src", "api", "tsconfig.json"), JSON.stringify({ compilerOptions: { experimentalDecorators: true } }));
    const legacy = readFileSync(join(await unpacked(root, JS), "index.js"), "utf8");
    expect(legacy).toContain("__decorateClass");
  });

  test.each<[string, string, string]>([
    ["CommonJS", "index.js", 'const { S3Client } = require("@aws-sdk/client-s3");\nexports.handler = async () => typeof S3Client;\n'],
    ["an ES module", "index.mjs", 'import { S3Client } from "@aws-sdk/client-s3";\nexport const handler = async () => typeof S3Client;\n'],
  ])("the AWS SDK v3 not installed in the folder is the runtime's (%s); installed there, it is bundled", async (_kind, entry, code) => {
    // GIVEN a function importing @aws-sdk/client-s3, which only the project above it has
    const root = project({ [`api/${entry}`]: code });
    mkdirSync(join(root, "node_modules", "@aws-sdk", "client-s3"), { recursive: true });
    writeFileSync(join(root, "node_modules", "@aws-sdk", "client-s3", "index.js"), "exports.S3Client = 'PROJECT COPY';\n");
    // WHEN packaged; THEN the bundle imports it at run time, as Lambda's Node.js runtime provides it
    const pkg = (await buildFunctionPackages(root, [JS], mkdtempSync(join(tmpdir(), "plk-sdk-")))).api;
    const bundle = storedEntry(readFileSync(pkg.zipPath), entry).toString();
    expect(bundle).toMatch(/(require\(|from )"@aws-sdk\/client-s3"/);
    expect(bundle).not.toContain("PROJECT COPY");
    // AND with its own copy installed, that copy is bundled (a version of the function's choosing)
    mkdirSync(join(root, "lambda-src", "api", "node_modules", "@aws-sdk", "client-s3"), { recursive: true });
    writeFileSync(join(root, "lambda-src", "api", "node_modules", "@aws-sdk", "client-s3", "index.js"), "exports.S3Client = 'OWN COPY';\n");
    const own = (await buildFunctionPackages(root, [JS], mkdtempSync(join(tmpdir(), "plk-sdk-")))).api;
    const ownBundle = storedEntry(readFileSync(own.zipPath), entry).toString();
    expect(ownBundle).toContain("OWN COPY");
    expect(ownBundle).not.toMatch(/(require\(|from )"@aws-sdk\/client-s3"/);
  });

  test("a bundle that fails in several places names the first three, each with its file and line, on one line", async () => {
    const root = project({
      "api/index.ts": 'import "./a";\nimport "./b";\nimport "./c";\nimport "./d";\nexport const handler = () => 1;\n',
    });
    const build = buildFunctionPackages(root, [JS], mkdtempSync(join(tmpdir(), "plk-d-")));
    await expect(build).rejects.toMatchObject({
      message: 'index.ts:1: Could not resolve "./a"; index.ts:2: Could not resolve "./b"; index.ts:3: Could not resolve "./c"',
    });
  });

  test("an ES module stays one (index.mjs): top-level await, import.meta, its own require and bundled CommonJS dependencies (require, __dirname) work when loaded", async () => {
    // GIVEN the console's kind of handler, index.mjs, awaiting at the top level, reading
    // import.meta, and importing a CommonJS dependency that requires a Node.js module
    const root = project({
      "api/index.mjs": [
        'import { createRequire } from "node:module";',
        'import dep from "dep";',
        "const require = createRequire(import.meta.url);",
        'const __dirname = "my own";',
        "const greeting = await Promise.resolve(`hello ${dep.eol}`);",
        'export const handler = async () => ({ greeting, url: typeof import.meta.url, sep: require("node:path").sep, mine: __dirname, dep });',
        "",
      ].join("\n"),
      "api/node_modules/dep/index.js":
        'module.exports = { eol: require("node:os").EOL.length, dir: require("node:path").basename(__dirname), file: typeof __filename };\n',
      "api/node_modules/dep/package.json": '{ "name": "dep", "version": "1.0.0" }',
    });
    // WHEN it is packaged
    const dir = mkdtempSync(join(tmpdir(), "plk-esm-"));
    const pkg = (await buildFunctionPackages(root, [JS], dir)).api;
    // THEN the zip holds index.mjs, which node loads as an ES module and whose handler answers
    expect(pkg.entries).toEqual(["index.mjs"]);
    const bundle = join(dir, "unzipped", "index.mjs");
    mkdirSync(dirname(bundle));
    writeFileSync(bundle, storedEntry(readFileSync(pkg.zipPath), "index.mjs"));
    const script = "const m = await import(process.argv[1]); process.stdout.write(JSON.stringify(await m.handler({})));";
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script, bundle], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    // (the bundled dependency sees the bundle's folder and file; the function's own `require`
    // and `__dirname` stay its own)
    expect(JSON.parse(run.stdout)).toEqual({
      greeting: "hello 1",
      url: "string",
      sep: "/",
      mine: "my own",
      dep: { eol: 1, dir: "unzipped", file: "string" },
    });
  });

  test.each<[string, Record<string, string>, string, string]>([
    [
      "a .ts file under a package.json of type module",
      { "api/index.ts": "export const handler = async () => 1;\n", "api/package.json": '{"type":"module"}' },
      "index.handler",
      "index.mjs",
    ],
    ["a .mts file", { "api/index.mts": "export const handler = async () => 1;\n" }, "index.handler", "index.mjs"],
    [
      "a .cts file under a package.json of type module",
      { "api/index.cts": "exports.handler = async () => 1;\n", "api/package.json": '{"type":"module"}' },
      "index.handler",
      "index.cjs",
    ],
    [
      "a .js file under a package.json without a type",
      { "api/index.js": "exports.handler = async () => 1;\n", "api/package.json": "{}" },
      "index.handler",
      "index.js",
    ],
    [
      "a file in a subfolder with its own package.json of type module",
      { "api/src/index.js": "export const handler = async () => 1;\n", "api/src/package.json": '{"type":"module"}' },
      "src/index.handler",
      "src/index.mjs",
    ],
  ])("%s is bundled as %s", async (_name, files, handler, entry) => {
    const pkg = (await buildFunctionPackages(project(files), [{ ...JS, handler }], mkdtempSync(join(tmpdir(), "plk-mod-")))).api;
    expect(pkg.entries).toEqual([entry]);
  });

  test("a package.json that is not JSON is named", async () => {
    const root = project({ "api/index.js": "exports.handler = async () => 1;\n", "api/package.json": "{ type: module }" });
    await expect(buildFunctionPackages(root, [JS], mkdtempSync(join(tmpdir(), "plk-bad-")))).rejects.toMatchObject({
      source: "api",
      message: "package.json is not valid JSON",
    });
  });

  test("the bundle is the code alone, for the function's Node.js version: newer syntax is lowered, no source map", async () => {
    // GIVEN a handler with a `using` declaration (explicit resource management), which the
    // Node.js of the nodejs22.x runtime cannot parse
    const root = project({
      "api/index.ts": [
        "const closed: string[] = [];",
        "export async function handler() {",
        "  {",
        '    using resource = { [Symbol.dispose]: () => closed.push("closed") };',
        "    void resource;",
        "  }",
        "  return closed;",
        "}",
        "",
      ].join("\n"),
    });
    // WHEN it is packaged
    const dir = mkdtempSync(join(tmpdir(), "plk-e-"));
    const pkg = (await buildFunctionPackages(root, [JS], dir)).api;
    const zip = readFileSync(pkg.zipPath, "latin1");
    // THEN the bundle in the zip has no `using` left, and no source map, inline or beside it
    expect(pkg.entries).toEqual(["index.js"]);
    expect(zip).toContain("handler");
    expect(zip).not.toMatch(/using resource/);
    expect(zip).not.toContain("sourceMappingURL");
    expect(zip).not.toContain('"mappings"');
  });
});
