/**
 * Loads the config: read the file as data (config/read.ts), refuse what could turn into
 * code, validate against the schema, and report every problem as one readable line.
 */
import { z, ZodIssue, ZodTypeAny } from "zod";
import { showString, showPath, showValue } from "../lib/display";
import { ConfigError } from "./errors";
import { formatPath } from "./paths";
import { readConfigFile } from "./read";

export { DEFAULT_CONFIG_FILE } from "./read";
import { AppConfig, configSchema } from "./schema";

export { ConfigError } from "./errors";
export { formatPath } from "./paths";

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** Strips defaults, optionals and refinements off a schema node. */
function unwrap(schema: ZodTypeAny): ZodTypeAny {
  let node = schema;
  for (;;) {
    if (node instanceof z.ZodEffects) node = node.innerType() as ZodTypeAny;
    else if (node instanceof z.ZodPipeline) node = node._def.in as ZodTypeAny;
    else if (node instanceof z.ZodDefault) node = node.removeDefault() as ZodTypeAny;
    else if (node instanceof z.ZodOptional || node instanceof z.ZodNullable) node = node.unwrap() as ZodTypeAny;
    else return node;
  }
}

/** The keys the schema allows in the object at `path`, for "unknown key" messages. */
export function allowedKeysAt(path: readonly (string | number)[]): string[] {
  let node: ZodTypeAny | undefined = unwrap(configSchema);
  for (const key of path) {
    if (node instanceof z.ZodObject) node = (node.shape as Record<string, ZodTypeAny>)[String(key)];
    else if (node instanceof z.ZodArray) node = node.element as ZodTypeAny;
    else if (node instanceof z.ZodRecord) node = node.valueSchema as ZodTypeAny;
    else return [];
    if (!node) return [];
    node = unwrap(node);
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape as Record<string, ZodTypeAny>) : [];
}

function describeIssue(raw: unknown, issue: ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const where = formatPath(issue.path) || "the top level";
    const allowed = allowedKeysAt(issue.path).join(", ");
    return issue.keys
      .map((k) => `${formatPath([...issue.path, k])}: unknown key ${showString(k)} in ${where}; allowed keys: ${allowed}`)
      .join("\n  - ");
  }
  const field = formatPath(issue.path) || "(the whole file)";
  const value = valueAt(raw, issue.path);
  if (value === undefined) {
    // A rule that says itself what is required is not told twice.
    return issue.message.startsWith("is required") ? `${field}: ${issue.message}` : `${field}: is required but missing (${issue.message})`;
  }
  return `${field} = ${showValue(value)}: ${issue.message}`;
}

/** The key editors read a config's JSON Schema from (config/config.schema.json): not a setting. */
export const SCHEMA_KEY = "$schema";

/** The config without its `$schema` key, and why that key is refused (not a string). */
function withoutSchemaKey(raw: unknown): { config: unknown; refused: string[] } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw) || !(SCHEMA_KEY in raw)) return { config: raw, refused: [] };
  const { [SCHEMA_KEY]: schema, ...config } = raw as Record<string, unknown>;
  return {
    config,
    refused:
      typeof schema === "string"
        ? []
        : [`${SCHEMA_KEY} = ${showValue(schema)}: must be the path or URL of the config's JSON Schema, such as "./config.schema.json"`],
  };
}

/** JSON's names for what a setting must be, in zod's type names. */
const JSON_KINDS: Readonly<Record<string, string>> = {
  boolean: "true or false",
  number: "a number",
  integer: "a whole number",
  float: "a number with a fraction",
  string: "a string",
  object: "an object ({...})",
  array: "a list ([...])",
  null: "null",
};
/** A type's name, or an enum's values (zod names them `'a' | 'b'`). */
const kind = (type: string) =>
  JSON_KINDS[type] ??
  (/^'.*'$/.test(type)
    ? `one of ${type
        .split(" | ")
        .map((v) => JSON.stringify(v.slice(1, -1)))
        .join(", ")}`
    : type);
const sizeOf = (type: string, n: number | bigint) =>
  type === "string" ? `${n} character${n === 1 ? "" : "s"}` : type === "array" ? `${n} item${n === 1 ? "" : "s"}` : String(n);

/**
 * zod's built-in messages in the words of a JSON file ("must be true or false, not a
 * string" for "Expected boolean, received string"). A schema's own messages are kept.
 */
export const plainMessages: z.ZodErrorMap = (issue, ctx) => {
  // A schema's own message reaches here as the default: it stays.
  if (ctx.defaultError !== z.defaultErrorMap(issue, ctx).message) return { message: ctx.defaultError };
  switch (issue.code) {
    case "invalid_type":
      return {
        message:
          issue.received === "undefined"
            ? `must be ${kind(issue.expected)}`
            : `must be ${kind(issue.expected)}, not ${kind(issue.received)}`,
      };
    case "invalid_enum_value": {
      const options = issue.options.map((o) => JSON.stringify(o)).join(", ");
      // "json" for "JSON", "active" for "Active": the one the value means, in its letter case.
      const meant =
        typeof issue.received === "string"
          ? issue.options.find((o) => String(o).toLowerCase() === String(issue.received).toLowerCase())
          : undefined;
      return { message: `must be one of ${options}${meant === undefined ? "" : ` (letter case matters: ${JSON.stringify(meant)})`}` };
    }
    case "invalid_literal":
      return { message: `must be ${JSON.stringify(issue.expected)}` };
    case "too_small":
    case "too_big": {
      const [limit, bound] = issue.code === "too_small" ? [issue.minimum, "least"] : [issue.maximum, "most"];
      if (issue.exact) return { message: `must be exactly ${sizeOf(issue.type, limit)}` };
      if (!issue.inclusive) return { message: `must be ${issue.code === "too_small" ? "more" : "less"} than ${sizeOf(issue.type, limit)}` };
      return { message: `must ${issue.type === "array" ? "list" : "be"} at ${bound} ${sizeOf(issue.type, limit)}` };
    }
    case "not_multiple_of":
      return { message: `must be a multiple of ${issue.multipleOf}` };
    default:
      return { message: ctx.defaultError };
  }
};

/** Validates an already-parsed JSON value; `source` names it in messages. */
export function parseConfig(file: unknown, source: string): AppConfig {
  const { config: raw, refused: schemaKey } = withoutSchemaKey(file);
  const literals = literalProblems(raw);
  const refused = [...schemaKey, ...literals.map((problem) => problem.line)];
  const result = configSchema.safeParse(raw, { errorMap: plainMessages });
  if (result.success && refused.length === 0) return result.data;
  // A value refused as a literal is not judged again by the schema: one line per mistake (but
  // for the whole file, whose shape the schema still names).
  const judged = result.success
    ? []
    : result.error.issues.filter((issue) => !literals.some((l) => l.path.length > 0 && pathStartsWith(issue.path, l.path)));
  const lines = [...refused, ...judged.map((issue) => describeIssue(raw, issue))];
  throw new ConfigError(`Invalid config ${source}:\n${lines.map((l) => `  - ${l}`).join("\n")}`);
}

/**
 * cdktf writes references into strings as markers (`${TfToken[TOKEN.1]}`, and `#{…}` or
 * `&{…}` for lists and maps) and resolves every marker it finds, wherever the string came
 * from: a config value holding one would turn into a reference to another resource.
 */
const TOKEN_MARKER = /[$#&]\{TfToken\[/;

/**
 * Values that must never reach the app: strings or keys holding cdktf token markers, and
 * numbers outside the safe integer range (cdktf encodes number tokens as huge doubles).
 * Walks the parsed JSON, whose depth the reader has already bounded.
 */
export function literalIssues(raw: unknown): string[] {
  return literalProblems(raw).map((problem) => problem.line);
}

type Path = (string | number)[];

function literalProblems(raw: unknown): { path: Path; line: string }[] {
  const issues: { path: Path; line: string }[] = [];
  const walk = (node: unknown, path: Path): void => {
    if (typeof node === "string") {
      if (TOKEN_MARKER.test(node)) {
        issues.push({
          path,
          line: `${formatPath(path) || "(the whole file)"} = ${showValue(node)}: contains a cdktf token marker ("\${TfToken[", "#{TfToken[" or "&{TfToken["); config values are data, never references`,
        });
      }
    } else if (typeof node === "number") {
      if (!Number.isFinite(node) || Math.abs(node) > Number.MAX_SAFE_INTEGER) {
        issues.push({
          path,
          line: `${formatPath(path) || "(the whole file)"} = ${showValue(node)}: is not a number the config accepts (too large)`,
        });
      }
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, i]));
    } else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (TOKEN_MARKER.test(key)) {
          issues.push({
            path: [...path, key],
            line: `${formatPath([...path, key])}: the key contains a cdktf token marker; config keys are data, never references`,
          });
        }
        walk(value, [...path, key]);
      }
    }
  };
  walk(raw, []);
  return issues;
}

function pathStartsWith(path: readonly PropertyKey[], prefix: Path): boolean {
  return prefix.every((key, i) => path[i] === key);
}

/** Reads and validates the config file at `file`. */
export function loadConfig(file: string): AppConfig {
  return parseConfig(readConfigFile(file), showPath(file));
}
