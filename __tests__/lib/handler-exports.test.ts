/**
 * The handler check reads a function's file as text. Each case's expected answer is checked
 * against the language itself: Python's `ast` says which names a module binds, and a Node.js
 * file is bundled as the synth bundles it and loaded, to see what Lambda would find.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInThisContext } from "node:vm";
import { buildSync, transformSync } from "esbuild";
import ts from "typescript";
import { definesHandler } from "../../lib/handler-exports";
import { writeTree } from "../support/trees";

/** [file, whether it defines `handler`]. */
const PYTHON: readonly (readonly [string, boolean])[] = [
  ["def handler(event, context):\n    return 1\n", true],
  ["async def handler(event, context):\n    return 1\n", true],
  ["@logger.inject_lambda_context\ndef handler(event, context):\n    return 1\n", true],
  ["handler = Mangum(app)\n", true],
  ["handler: Callable = make_handler()\n", true],
  ["other, handler = make_pair()\n", true],
  ["class Handler:\n    pass\n\nhandler = Handler()\n", true],
  ["from app.main import handler\n", true],
  ["from .impl import app_handler as handler\n", true],
  ["from app import (\n    other,  # the other one\n    handler,\n)\n", true],
  ["from app.main import *\n", true],
  ["import handler\n", true],
  ["try:\n    from fast import handler\nexcept ImportError:\n    def handler(event, context):\n        return 1\n", true],
  ["if True:\n    handler = make_handler()\n", true],
  ["class App:\n    def handler(self, event, context):\n        return 1\n", false],
  ["class App:\n    @staticmethod\n    def handler(event, context):\n        return 1\n", false],
  ["def outer():\n    def handler(event, context):\n        return 1\n    return handler\n", false],
  ["from app.main import handler as app_handler\n", false],
  ["from app import (\n    other,\n    handler_v2,\n)\n", false],
  ["handler: Callable\n", false],
  ["handler_v2 = 1\n", false],
  ["handler == 1\n", false],
  ["# def handler(event, context):\nother = 1\n", false],
  ["def lambda_handler(event, context):\n    return 1\n", false],
  ["\ufeffdef handler(event, context):\r\n    return 1\r\n", true],
  ["app = handler = make_handler()\n", true],
  ["import os; handler = make_handler()\n", true],
  ["from app import other, \\\n    handler\n", true],
  ["response = handler(1)\n", false],
];

/** [file (index.ts next to impl.ts, which exports `handler`, `other` and a default), whether it exports `handler`]. */
const NODE: readonly (readonly [string, boolean])[] = [
  ["export async function handler() { return 1; }", true],
  ["export const handler = async () => 1;", true],
  ["type H = () => Promise<number>;\nexport const handler: H = async () => 1;", true],
  ["const h = 1;\nconst handler = () => 1;\nexport { h as other, handler };", true],
  ["const main = () => 1;\nexport {\n  main as handler,\n};", true],
  ["export { handler } from './impl';", true],
  ["export { default as handler } from './impl';", true],
  ["export * from './impl';", true],
  ["const make = () => ({ handler: () => 1 });\nexport const { handler } = make();", true],
  ["const handler = async () => 1;\nmodule.exports = { handler };", true],
  ["module.exports = {\n  other() { return {}; },\n  handler: async () => 1,\n};", true],
  ["module.exports = require('./impl');", true],
  ["Object.assign(module.exports, require('./impl'));", true],
  ["exports.handler = async () => 1;", true],
  ["module.exports.handler = async () => 1;", true],
  ["exports['handler'] = async () => 1;", true],
  ["module.exports = { async handler(event) { return 1; } };", true],
  ["module.exports = { get handler() { return async () => 1; } };", true],
  ["export const a = 1, handler = async () => 2;", true],
  ["const url = 'https://example.com/x';\nexport const handler = async () => url;", true],
  ["const handler = () => 1;\nexport { handler as main };", false],
  ["export default async function handler() { return 1; }", false],
  ["export const handlerV2 = 1;", false],
  ["const handler = 1;\nexport const other = handler;", false],
  ["// export const handler = 1;\nexport const other = 1;", false],
  ["module.exports = { other: () => 1 };", false],
  ["exports.other = () => 1;\nconst handler = 1;", false],
];

/** Whether Python binds `name` at module level (a star import counts: it may). */
function pythonBinds(files: readonly string[], name: string): boolean[] {
  const script = `
import ast, json, sys
def binds(body, name):
    for st in body:
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if st.name == name: return True
            continue
        if isinstance(st, (ast.Import, ast.ImportFrom)):
            if any(a.name == '*' or (a.asname or a.name.split('.')[0]) == name for a in st.names): return True
        targets = st.targets if isinstance(st, ast.Assign) else [st.target] if isinstance(st, ast.AnnAssign) and st.value else []
        if any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast.walk(t)): return True
        for field in ('body', 'orelse', 'finalbody', 'handlers'):
            if binds(getattr(st, field, []), name): return True
    return False
print(json.dumps([binds(ast.parse(f.encode('utf-8')).body, sys.argv[1]) for f in json.load(sys.stdin)]))`;
  const run = spawnSync("python3", ["-c", script, name], { input: JSON.stringify(files), encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as boolean[];
}

/** Whether the file, bundled as the synth bundles a Node.js function and loaded, exports `name`. */
function nodeExports(file: string, name: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), "plk-handler-"));
  writeTree(dir, {
    "index.ts": file,
    "impl.ts": "export const handler = async () => 1;\nexport const other = 1;\nexport default handler;\n",
  });
  const built = buildSync({ entryPoints: ["index.ts"], absWorkingDir: dir, bundle: true, platform: "node", format: "cjs", write: false });
  const module = { exports: {} as Record<string, unknown> };
  const load = runInThisContext(`(function (module, exports) {\n${built.outputFiles[0].text}\n})`) as (m: object, e: object) => void;
  load(module, module.exports);
  return module.exports[name] !== undefined;
}

describe("a handler's file defines the handler", () => {
  test("Python: every case's answer is what Python's ast says the module binds", () => {
    expect(
      pythonBinds(
        PYTHON.map(([file]) => file),
        "handler",
      ),
    ).toEqual(PYTHON.map(([, expected]) => expected));
  });

  test.each(PYTHON)("Python %j: %s", (file, expected) => {
    expect(definesHandler(file, "handler", "python")).toBe(expected);
  });

  test("Node.js: every case's answer is what its bundle, loaded, exports", () => {
    expect(NODE.map(([file]) => nodeExports(file, "handler"))).toEqual(NODE.map(([, expected]) => expected));
  });

  test.each(NODE)("Node.js %j: %s", (file, expected) => {
    expect(definesHandler(file, "handler", "nodejs")).toBe(expected);
  });

  test("Node.js files as compilers emit them: tsc's CommonJS and esbuild's bundle are read as exporting the handler", () => {
    const sources = ["export const handler = async () => 1;", "export { handler } from './impl';", "export * from './impl';"];
    for (const source of sources) {
      const emitted = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
      expect(definesHandler(emitted.outputText, "handler", "nodejs")).toBe(true);
      expect(definesHandler(emitted.outputText, "main", "nodejs")).toBe(source.startsWith("export *"));
    }
    const bundled = transformSync("export const handler = async () => 1;", { format: "cjs", loader: "ts" }).code;
    expect(definesHandler(bundled, "handler", "nodejs")).toBe(true);
  });

  test("long and odd lines are read in one pass (no pattern backtracks without end)", () => {
    // A single pattern with nested repeats took exponential time on `a = a = … a`; 60 of them
    // would never finish.
    expect(definesHandler(`${"a = ".repeat(60)}1\n`, "handler", "python")).toBe(false);
    expect(definesHandler(`${"a = ".repeat(60)}handler = 1\n`, "handler", "python")).toBe(true);
    expect(definesHandler(`from x import (\n${"    a,\n".repeat(5000)})\nhandler = 1\n`, "handler", "python")).toBe(true);
    expect(definesHandler(`class A:\n${"    handler = 1\n".repeat(5000)}`, "handler", "python")).toBe(false);
    expect(definesHandler(`module.exports = ${"{".repeat(5000)}`, "handler", "nodejs")).toBe(false);
  }, 10_000);

  test("a name with $ is matched as itself, not as a pattern", () => {
    expect(definesHandler("export const $handler = 1;", "$handler", "nodejs")).toBe(true);
    expect(definesHandler("export const xhandler = 1;", "$handler", "nodejs")).toBe(false);
    expect(definesHandler("handler = 1\n", "$handler", "python")).toBe(false);
  });
});
