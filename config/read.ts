/**
 * Reads the config file as data, refusing anything that is not a small UTF-8 JSON document:
 *
 * - only a regular file (a FIFO would block forever, a device could stream without end);
 * - at most MAX_CONFIG_BYTES;
 * - UTF-8, with or without a byte order mark; UTF-16/32 and other encodings are named;
 * - strict JSON (no comments, no trailing commas), errors with line and column;
 * - no key twice in one object (JSON.parse would keep the last one silently);
 * - at most MAX_DEPTH levels of nesting, checked before anything recursive runs.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, Stats } from "node:fs";
import { createScanner, ParseErrorCode, SyntaxKind, visit } from "jsonc-parser";
import { formatPath } from "./paths";
import { ConfigError } from "./errors";
import { showString, showPath } from "../lib/display";
import { pathMistake } from "../lib/text";

/** The config file `npm run synth` reads unless PRIVATELINK_CONFIG names another. */
export const DEFAULT_CONFIG_FILE = "config/default.json";

/** The largest config file read: a config with a hundred consumers is about 30 KB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** The deepest nesting accepted; the schema itself nests 6 levels. */
export const MAX_DEPTH = 32;

const fail = (file: string, problem: string): never => {
  throw new ConfigError(`Config file ${showPath(file)} ${problem}`);
};

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  return "not a regular file";
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: "does not exist",
  EACCES: "cannot be read: permission denied",
  EPERM: "cannot be read: operation not permitted",
  ELOOP: "cannot be read: too many levels of symbolic links",
  ENAMETOOLONG: "cannot be read: the path is too long",
  ENOTDIR: "cannot be read: a part of its path is not a directory",
  EIO: "cannot be read: input/output error",
};

/**
 * Why a path that does not exist may be mistyped: a `~` no shell expanded (the path was quoted,
 * or set in a file), or white space around it (pasted). Empty when neither.
 */
export function pathTypo(path: string): string {
  const mistake = pathMistake(path);
  if (mistake === undefined) return "";
  return path.startsWith("~") ? ` (${mistake}: write the full path)` : ` (${mistake})`;
}

/** The raw bytes of `file`, which must be a regular file of at most MAX_CONFIG_BYTES. */
export function readConfigBytes(file: string): Buffer {
  const hint = `Set PRIVATELINK_CONFIG to a JSON config file, or leave it unset to use ${DEFAULT_CONFIG_FILE}.`;
  let stats: Stats;
  try {
    // stat before open: opening a FIFO blocks until a writer appears, and opening some
    // devices has side effects.
    stats = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    const typo = code === "ENOENT" ? pathTypo(file) : "";
    return fail(file, `${ERRNO_TEXT[code] ?? `cannot be read (${code || String(err)})`}${typo}. ${hint}`);
  }
  if (!stats.isFile()) fail(file, `is ${kindOf(stats)}, not a regular file. ${hint}`);
  if (stats.size > MAX_CONFIG_BYTES) {
    fail(file, `is ${stats.size} bytes; a config file is at most ${MAX_CONFIG_BYTES} bytes. Is it the right file?`);
  }
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    return fail(file, `${ERRNO_TEXT[code] ?? `cannot be read (${code})`}. ${hint}`);
  }
  try {
    // The file could have been swapped between stat and open.
    const opened = fstatSync(fd);
    if (!opened.isFile()) fail(file, `is ${kindOf(opened)}, not a regular file. ${hint}`);
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_CONFIG_BYTES) fail(file, `is larger than ${MAX_CONFIG_BYTES} bytes, the most a config file may be.`);
    }
    return buffer.subarray(0, length);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? "";
    return fail(file, `${ERRNO_TEXT[code] ?? `cannot be read (${code || String(err)})`}.`);
  } finally {
    closeSync(fd);
  }
}

/** Line and column (1-based) of byte or character `offset` in `text`. */
function position(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

/** Byte offset of the first byte that is not valid UTF-8, or -1. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong 3/4-byte forms, surrogates, and code points above U+10FFFF.
    if (b === 0xe0 && bytes[i + 1] < 0xa0) return i;
    if (b === 0xed && bytes[i + 1] > 0x9f) return i;
    if (b === 0xf0 && bytes[i + 1] < 0x90) return i;
    if (b === 0xf4 && bytes[i + 1] > 0x8f) return i;
    i += need + 1;
  }
  return -1;
}

/** The text of a config file: UTF-8 (a BOM is dropped); other encodings are refused by name. */
export function decodeConfig(bytes: Buffer, file: string): string {
  const save = "Save it as UTF-8.";
  const starts = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xfe, 0x00, 0x00)) fail(file, `is UTF-32 LE (it starts with that byte order mark). ${save}`);
  if (starts(0x00, 0x00, 0xfe, 0xff)) fail(file, `is UTF-32 BE (it starts with that byte order mark). ${save}`);
  if (starts(0xff, 0xfe)) fail(file, `is UTF-16 LE (it starts with that byte order mark). ${save}`);
  if (starts(0xfe, 0xff)) fail(file, `is UTF-16 BE (it starts with that byte order mark). ${save}`);
  const body = starts(0xef, 0xbb, 0xbf) ? bytes.subarray(3) : bytes;
  if (body.length >= 2 && body[0] !== 0 && body[1] === 0) fail(file, `looks like UTF-16 LE (every other byte is zero). ${save}`);
  if (body.length >= 2 && body[0] === 0 && body[1] !== 0) fail(file, `looks like UTF-16 BE (every other byte is zero). ${save}`);
  const nul = body.indexOf(0);
  const bad = firstInvalidUtf8(body);
  if (bad >= 0 && (nul < 0 || bad < nul)) {
    const upTo = body.subarray(0, bad).toString("utf8");
    const byte = body[bad].toString(16).toUpperCase().padStart(2, "0");
    fail(
      file,
      `is not UTF-8: byte 0x${byte} at ${position(upTo, upTo.length)} is not valid UTF-8 (Latin-1, Windows-1252 or Shift_JIS, perhaps). ${save}`,
    );
  }
  const text = body.toString("utf8");
  if (nul >= 0) fail(file, `contains a NUL byte at ${position(text, text.indexOf("\0"))}: it is not a text file.`);
  return text;
}

const PARSE_ERRORS: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: "unexpected characters (JSON has no comments, single quotes, NaN or Infinity)",
  [ParseErrorCode.InvalidNumberFormat]: "a malformed number",
  [ParseErrorCode.PropertyNameExpected]: "expected a key in double quotes (no trailing comma before })",
  [ParseErrorCode.ValueExpected]: "expected a value (no trailing comma before ] or })",
  [ParseErrorCode.ColonExpected]: "expected a colon after the key",
  [ParseErrorCode.CommaExpected]: "expected a comma or the end of the object or array",
  [ParseErrorCode.CloseBraceExpected]: "expected } to close the object",
  [ParseErrorCode.CloseBracketExpected]: "expected ] to close the array",
  [ParseErrorCode.EndOfFileExpected]: "expected the end of the file after the top-level value",
  [ParseErrorCode.InvalidCommentToken]: "JSON has no comments",
  [ParseErrorCode.UnexpectedEndOfComment]: "JSON has no comments",
  [ParseErrorCode.UnexpectedEndOfString]: "a string is not closed before the end of the line",
  [ParseErrorCode.UnexpectedEndOfNumber]: "a number ends too early",
  [ParseErrorCode.InvalidUnicode]: "a malformed \\u escape",
  [ParseErrorCode.InvalidEscapeCharacter]: "an invalid escape (\\) in a string",
  [ParseErrorCode.InvalidCharacter]: "a control character (a raw tab or newline, say) inside a string; write it as \\t or \\n",
};

/** Quotes JSON does not take: typographic ones (what word processors and chat apps write) and single ones. */
const TYPOGRAPHIC_QUOTES = "\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb\u2039\u203a\uff02";

/** What is wrong with an unexpected quote character `c`, or undefined for any other. */
function quoteProblem(c: string | undefined): string | undefined {
  if (c === "'") return 'a single quote: JSON takes double quotes (")';
  if (c && TYPOGRAPHIC_QUOTES.includes(c)) {
    return `a typographic quote ${showString(c)} (as a word processor or chat app writes it): JSON takes straight double quotes (")`;
  }
  return undefined;
}

/**
 * A number written with a leading zero, as an account ID pasted without quotes is
 * (`011111111111`): JSON reads `0`, then stops at the next digit. Undefined for other errors.
 */
function leadingZeroProblem(text: string, offset: number): string | undefined {
  const before = /(?:^|[\s:,[])(-?0)$/.exec(text.slice(0, offset));
  const digits = /^[0-9]+/.exec(text.slice(offset));
  if (!before || !digits) return undefined;
  const number = `${before[1]}${digits[0]}`;
  return `the number ${number} has a leading zero, which JSON numbers cannot have: write an ID such as an account ID as a string ("${number}"), and a number without the zero`;
}

/** Refuses nesting deeper than MAX_DEPTH, walking tokens without recursion. */
function checkDepth(text: string, file: string): void {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_DEPTH) {
        fail(
          file,
          `nests objects and arrays more than ${MAX_DEPTH} levels deep (at ${position(text, scanner.getTokenOffset())}); a config needs 6.`,
        );
      }
    } else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) {
      depth--;
    }
  }
}

/**
 * Parses config text as strict JSON: the first syntax error with its line and column, and
 * duplicate keys naming the key and the object's path.
 */
export function parseConfigJson(text: string, file: string): unknown {
  if (text.trim() === "") fail(file, 'is empty: a config is a JSON object with at least "consumers".');
  checkDepth(text, file);
  const keys: Set<string>[] = [];
  let problem: string | undefined;
  visit(
    text,
    {
      onObjectBegin: () => {
        keys.push(new Set());
      },
      onObjectEnd: () => {
        keys.pop();
      },
      onObjectProperty: (name, offset, _length, _line, _character, path) => {
        const seen = keys[keys.length - 1];
        const where = `${formatPath([...path(), name])} (${position(text, offset)})`;
        if (name === "__proto__") problem ??= `uses the key "__proto__" at ${where}, which JavaScript reserves.`;
        if (seen.has(name)) problem ??= `has the key ${showString(name)} twice in one object: ${where}. Keep one.`;
        seen.add(name);
      },
      onError: (code, offset) => {
        const what =
          (code === ParseErrorCode.InvalidSymbol && quoteProblem(text[offset])) ||
          leadingZeroProblem(text, offset) ||
          PARSE_ERRORS[code] ||
          `error ${code}`;
        problem ??= `is not valid JSON: ${what} at ${position(text, offset)}.`;
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (problem) fail(file, problem);
  try {
    return JSON.parse(text);
  } catch (err) {
    // jsonc-parser accepted what JSON.parse refuses: report JSON.parse's own words.
    return fail(file, `is not valid JSON: ${(err as Error).message}`);
  }
}

/** Reads, decodes and parses the config file at `file`. */
export function readConfigFile(file: string): unknown {
  return parseConfigJson(decodeConfig(readConfigBytes(file), file), file);
}
