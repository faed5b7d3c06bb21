/** Small pieces of the app's messages. */

/**
 * Why a path given in an environment variable is likely mistyped, or undefined: a `~` no shell
 * expanded (the value was quoted, or set in a file), or white space around it (pasted).
 */
export function pathMistake(path: string): string | undefined {
  if (/^~(\/|$)/.test(path)) return "~ is expanded only by a shell, and was not here";
  if (path !== path.trim()) return "the path has white space at its start or end";
  return undefined;
}

/** `items`, the first `count` of them named and the rest counted: "a, b, c, and 2 more". */
export function firstFew(items: readonly string[], count = 3): string {
  return items.slice(0, count).join(", ") + (items.length > count ? `, and ${items.length - count} more` : "");
}
