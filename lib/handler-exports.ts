/**
 * Whether a function's handler file makes its handler available, read from the source text
 * (synth runs no user code). The check exists to catch a misspelt handler name before a
 * deploy, so it refuses only what it can read for certain: a file that re-exports
 * everything of another (`from m import *`, `export * from`, `module.exports = require(…)`,
 * a bundler's `module.exports = __toCommonJS(…)`) may export any name and is taken as is.
 */
import type { RuntimeLanguage } from "./aws/runtimes";

/** A Python line without its `#` comment. */
const uncommented = (line: string): string => line.replace(/#.*$/, "");

/** The names a Python import statement's list binds: `a`, `a as b`, `a.b.c` (binds `a`). */
function pythonImportNames(list: string): string[] {
  return list
    .replace(/[()\\]/g, " ")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const alias = /\sas\s+(\w+)$/.exec(item);
      return alias ? alias[1] : item.split(/\s+/)[0].split(".")[0];
    });
}

/**
 * Which lines of a Python file are at module level: an unindented line, or an indented one
 * whose last unindented statement above opens no new scope (`if`, `try`, `with`, `for`,
 * `while` and their clauses), unlike a `def` or `class` (or their decorators). One pass.
 */
function pythonModuleLevels(all: readonly string[]): boolean[] {
  let inScope = false;
  return all.map((line) => {
    if (/^\s/.test(line)) return !inScope;
    if (line.trim() !== "" && !line.startsWith("#")) inScope = /^(async\s+def\s|def\s|class\s|@)/.test(line);
    return true;
  });
}

/**
 * The names a Python assignment statement binds: the targets left of each lone `=` (not `==`,
 * `<=`, `+=`, a keyword argument or a string), with the first target's annotation dropped.
 * Split, not matched with one pattern: a pattern with nested repeats takes exponential time
 * on a long `a = a = a …` line.
 */
function assignedNames(statement: string): string[] {
  const parts = statement.split(/(?<![=!<>+\-*/%&|^@:])=(?!=)/);
  return parts.slice(0, -1).flatMap((target, i) => {
    const bare = i === 0 ? target.replace(/:.*$/, "") : target;
    if (!/^[\w\s,()[\]]+$/.test(bare) || /\w\s*\(/.test(bare)) return [];
    return bare.split(/[\s,()[\]]+/).filter(Boolean);
  });
}

/** Whether Python `code` binds `name` at module level, or may through a star import. */
function pythonDefines(code: string, name: string): boolean {
  // (A byte order mark, as Windows editors may write, does not hide the first line.)
  const all = code.replace(/^\ufeff/, "").split(/\r?\n/);
  const n = name.replace(/\$/g, "\\$");
  // A statement that binds `name` (after its indentation).
  const binds = (statement: string): boolean => {
    if (new RegExp(`^(async\\s+)?def\\s+${n}\\s*\\(`).test(statement)) return true;
    if (new RegExp(`^class\\s+${n}\\b`).test(statement)) return true;
    // `name = …`, `name: T = …`, `a, name = …`, `a = name = …` (not `==`, `+=`, or `f(name=…)`).
    return assignedNames(statement).includes(name);
  };
  const moduleLevel = pythonModuleLevels(all);
  let index = 0;
  for (; index < all.length; index++) {
    if (!moduleLevel[index]) continue;
    // Statements one after another on a line (`import os; handler = make()`).
    for (const statement of uncommented(all[index])
      .split(";")
      .map((part) => part.trim())) {
      if (importsOrBinds(statement)) return true;
    }
  }
  return false;

  /**
   * Whether `statement` (at line `index`) binds `name`, or may through a star import. An
   * import list that runs over more lines moves `index` past them.
   */
  function importsOrBinds(statement: string): boolean {
    if (binds(statement)) return true;
    const from = /^from\s+[\w.]+\s+import\s+(.*)$/.exec(statement);
    const plain = /^import\s+(.*)$/.exec(statement);
    if (from) {
      const parts = [from[1]];
      // A parenthesized list may run over several lines, and so may a line ending in `\`.
      let closed = !parts[0].startsWith("(") || parts[0].includes(")");
      while (index + 1 < all.length && (!closed || parts[parts.length - 1].endsWith("\\"))) {
        const next = uncommented(all[++index]).trim();
        parts.push(next);
        closed ||= next.includes(")");
      }
      const list = parts.map((p) => p.replace(/\\$/, "")).join(" ");
      if (list.trim() === "*") return true;
      if (pythonImportNames(list).includes(name)) return true;
    } else if (plain && pythonImportNames(plain[1]).includes(name)) {
      return true;
    }
    return false;
  }
}

/** The text of the `{ … }` that starts at `open` in `code`, braces balanced. */
function braced(code: string, open: number): string {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === "{") depth++;
    else if (code[i] === "}" && --depth === 0) return code.slice(open, i + 1);
  }
  return code.slice(open);
}

/** The names an `export { … }` list exports: `a`, `a as b`, `type a`, `a as "b"`. */
function exportListNames(list: string): string[] {
  return list
    .slice(1, -1)
    .split(",")
    .map((item) => item.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "").trim())
    .filter(Boolean)
    .map((item) => {
      const alias = /\sas\s+(["']?)([^"'\s]+)\1$/.exec(item);
      return alias ? alias[2] : item.replace(/^type\s+/, "");
    });
}

/** Whether JavaScript or TypeScript `code` exports `name`, or may through a re-export of everything. */
function nodeDefines(source: string, name: string): boolean {
  // Lines that are only a comment are left out (a `//` later in a line may sit in a string).
  const code = source.replace(/^\s*\/\/.*$/gm, "");
  const n = name.replace(/\$/g, "\\$");
  const quoted = `(?:"${n}"|'${n}'|\`${n}\`)`;
  const certain = [
    // ES modules: declarations, and `export { … }` lists (with or without `from`).
    new RegExp(`export\\s+(async\\s+)?function\\s*\\*?\\s*${n}(?![\\w$])`),
    new RegExp(`export\\s+(const|let|var)\\s+${n}(?![\\w$])`),
    // A later declarator: `export const a = 1, handler = …` (read leniently).
    new RegExp(`export\\s+(const|let|var)\\s[^;]*,\\s*${n}\\s*[=:]`),
    new RegExp(`export\\s+(const|let|var)\\s+\\{[^}]*(?<![\\w$])${n}(?![\\w$])[^}]*\\}\\s*=`),
    new RegExp(`export\\s+(abstract\\s+)?class\\s+${n}(?![\\w$])`),
    new RegExp(`export\\s*\\*\\s*as\\s+${n}(?![\\w$])`),
    // CommonJS, as written and as compilers emit it.
    new RegExp(`(?<![\\w$.])(module\\.)?exports\\.${n}\\s*=(?!=)`),
    new RegExp(`(?<![\\w$.])(module\\.)?exports\\[\\s*${quoted}\\s*\\]\\s*=(?!=)`),
    new RegExp(`Object\\.defineProperty\\(\\s*(module\\.)?exports\\s*,\\s*${quoted}`),
  ];
  if (certain.some((pattern) => pattern.test(code))) return true;
  for (const match of code.matchAll(/export\s*(?:type\s*)?\{/g)) {
    if (exportListNames(braced(code, match.index + match[0].length - 1)).includes(name)) return true;
  }
  for (const match of code.matchAll(/module\.exports\s*=\s*(?!=)/g)) {
    const start = match.index + match[0].length;
    // Anything but an object literal (a require, a bundler's wrapper, a variable) may hold it.
    if (code[start] !== "{") return true;
    if (new RegExp(`[{,]\\s*(async\\s+|get\\s+|\\*\\s*)?(${n}|${quoted})\\s*[:,}(]|\\.\\.\\.`).test(braced(code, start))) return true;
  }
  // Re-exports of everything another module exports.
  return /export\s*\*\s*from|export\s*=|Object\.assign\(\s*(module\.)?exports\b|__exportStar\(/.test(code);
}

/**
 * Whether Python `code` defines `name` with a bare `async def` at module level: no decorator
 * (one may make it a plain function, as asgiref's async_to_sync does) and no later binding of
 * the name. Lambda's Python runtime calls the handler and never awaits what it returns, so
 * such a handler answers every call with a coroutine that cannot be serialized.
 */
export function pythonAsyncHandler(code: string, name: string): boolean {
  const n = name.replace(/\$/g, "\\$");
  const lines = code.replace(/^\ufeff/, "").split(/\r?\n/);
  const at = lines.findIndex((line) => new RegExp(`^async\\s+def\\s+${n}\\s*\\(`).test(line));
  if (at < 0) return false;
  const before = lines.slice(0, at).filter((line) => line.trim() !== "");
  if (before.length > 0 && before[before.length - 1].startsWith("@")) return false;
  const rebinds = new RegExp(`^(${n}\\s*[:=](?!=)|(async\\s+)?def\\s+${n}\\s*\\(|class\\s+${n}\\b)`);
  return !lines.slice(at + 1).some((line) => rebinds.test(line));
}

/**
 * The modules built into CPython 3.9-3.13 (`sys.builtin_module_names`, the same set in
 * Lambda's builds): the runtime refuses a handler module of one of these names
 * (BUILT_IN_MODULE_CONFLICT), whatever file the folder has.
 */
export const PYTHON_BUILTIN_MODULES: ReadonlySet<string> = new Set(
  (
    "_abc _ast _codecs _collections _functools _imp _io _locale _operator _peg_parser _signal _sre _stat _string " +
    "_suggestions _symtable _sysconfig _thread _tokenize _tracemalloc _typing _warnings _weakref atexit builtins errno " +
    "faulthandler gc itertools marshal posix pwd sys time xxsubtype"
  ).split(" "),
);

/** Whether `code`, a handler's file, defines the handler function `name` (see the file's comment). */
export function definesHandler(code: string, name: string, language: RuntimeLanguage): boolean {
  return language === "python" ? pythonDefines(code, name) : nodeDefines(code, name);
}
