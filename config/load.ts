/** Reads, parses and validates the config file; every failure becomes one readable ConfigError. */
import { readFileSync } from "node:fs";
import { z, ZodIssue, ZodTypeAny } from "zod";
import { AppConfig, configSchema } from "./schema";

/** A problem in the user's config: its message is meant for a person, not a stack trace. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** The config file `npm run synth` reads unless PRIVATELINK_CONFIG names another. */
export const DEFAULT_CONFIG_FILE = "config/default.json";

/** Formats a zod path as the user would write it: `consumers[0].network.azIds[1]`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`;
    if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${acc}[${JSON.stringify(key)}]`;
    return acc ? `${acc}.${key}` : key;
  }, "");
}

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
    if (node instanceof z.ZodEffects) node = node.innerType();
    else if (node instanceof z.ZodDefault) node = node.removeDefault();
    else if (node instanceof z.ZodOptional || node instanceof z.ZodNullable) node = node.unwrap();
    else return node;
  }
}

/** The keys the schema allows in the object at `path`, for "unknown key" messages. */
export function allowedKeysAt(path: readonly (string | number)[]): string[] {
  let node: ZodTypeAny | undefined = unwrap(configSchema);
  for (const key of path) {
    if (node instanceof z.ZodObject) node = node.shape[key as string];
    else if (node instanceof z.ZodArray) node = node.element;
    else if (node instanceof z.ZodRecord) node = node.valueSchema;
    else return [];
    if (!node) return [];
    node = unwrap(node);
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function describeIssue(raw: unknown, issue: ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const where = formatPath(issue.path) || "the top level";
    const allowed = allowedKeysAt(issue.path).join(", ");
    return issue.keys
      .map((k) => `${formatPath([...issue.path, k])}: unknown key ${JSON.stringify(k)} in ${where}; allowed keys: ${allowed}`)
      .join("\n  - ");
  }
  const field = formatPath(issue.path) || "(the whole file)";
  const value = valueAt(raw, issue.path);
  if (value === undefined) {
    return `${field}: is required but missing (${issue.message})`;
  }
  return `${field} = ${JSON.stringify(value)}: ${issue.message}`;
}

/** Validates an already-parsed JSON value; `source` names it in messages. */
export function parseConfig(raw: unknown, source: string): AppConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${describeIssue(raw, issue)}`);
  throw new ConfigError(`Invalid config ${source}:\n${lines.join("\n")}`);
}

/** Reads and validates the config file at `file`. */
export function loadConfig(file: string): AppConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : String(code ?? err);
    throw new ConfigError(
      `Cannot read config file ${file}: ${why}. Set PRIVATELINK_CONFIG to a JSON config file, or leave it unset to use ${DEFAULT_CONFIG_FILE}.`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(raw, file);
}
