/** Field paths as the user writes them in messages. */
import { showString } from "../lib/display";

/** Formats a path as the user would write it: `consumers[0].network.azIds[1]`, `tags["a b"]`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`;
    // Odd or long keys are quoted, escaped and shortened.
    if (!/^[A-Za-z_$][\w$]{0,39}$/.test(key)) return `${acc}[${showString(key)}]`;
    return acc ? `${acc}.${key}` : key;
  }, "");
}
