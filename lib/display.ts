/**
 * How values from the user's files appear in messages: escaped, so control characters,
 * terminal escapes and bidirectional overrides print as `\u…` instead of acting on the
 * terminal, and shortened, so a pasted blob is one readable line.
 */

/** Strings longer than this are cut in messages. */
export const MAX_SHOWN_CHARS = 80;

/**
 * Paths longer than this are cut in messages: Linux's PATH_MAX. A path is only of use whole
 * (to find or copy the file), and one that long cannot be opened anyway: a pasted blob.
 */
export const MAX_SHOWN_PATH_CHARS = 4096;

/**
 * Characters that change how a terminal shows text, are invisible, or pass for a plain space
 * (so a value pasted from a web page or a chat shows what is wrong with it): C0/C1 controls,
 * DEL, no-break and other Unicode spaces, soft hyphen, Hangul fillers, zero-width and bidi
 * marks, line/paragraph separators, isolates, BOM, and the invisible tag characters.
 */
const INVISIBLE =
  /[\u0000-\u001f\u007f-\u00a0\u00ad\u061c\u115f\u1160\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;

/** `\u0000`, or `\u{e0041}` beyond the first 65,536 code points. */
const escapeInvisible = (text: string): string =>
  text.replace(INVISIBLE, (c) => {
    const code = c.codePointAt(0) as number;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });

/** Cuts `text` (already escaped) to about `limit` characters, saying how long it was. */
function shorten(text: string, originalLength: number, limit = MAX_SHOWN_CHARS): string {
  const chars = [...text];
  if (chars.length <= limit) return text;
  return `${chars.slice(0, limit - 20).join("")}…(${originalLength} characters in all)`;
}

/** A string as a quoted, escaped, shortened literal: `"a\u001bb"`. */
export function showString(text: string): string {
  const quoted = escapeInvisible(JSON.stringify(text));
  return shorten(quoted, [...text].length);
}

/** Any JSON value as one escaped, shortened line. */
export function showValue(value: unknown): string {
  if (typeof value === "string") return showString(value);
  // JSON.parse reads 1e309 as Infinity, which JSON.stringify would show as null.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return shorten(escapeInvisible(text), [...text].length);
}

/** A file path, without quotes, escaped; whole up to MAX_SHOWN_PATH_CHARS. */
export function showPath(path: string): string {
  return shorten(escapeInvisible(path), [...path].length, MAX_SHOWN_PATH_CHARS);
}
