/** Small pieces of the app's messages. */

/** `items`, the first `count` of them named and the rest counted: "a, b, c, and 2 more". */
export function firstFew(items: readonly string[], count = 3): string {
  return items.slice(0, count).join(", ") + (items.length > count ? `, and ${items.length - count} more` : "");
}
