/**
 * The config's JSON Schema (config/config.schema.json): generated from the zod schema and kept in
 * sync, holding exactly the fields the app validates, pointed to by every shipped config
 * through `$schema`, and the README's field tables checked against it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseConfig } from "../../config/load";
import { configSchema } from "../../config/schema";
import { configJsonSchema, SCHEMA_FILE, schemaText } from "../../scripts/config-schema";
import { defaultRawConfig, examples, EXAMPLES_DIR, refusalOf, ROOT } from "../fixtures";
import { describeSteps, schemaLeaves } from "../support/schema-walk";

type Node = Record<string, any>;
const schema = configJsonSchema();

/** The object node at a dotted path (`consumers[].network.create`); undefined if there is none. */
function nodeAt(path: string): Node | undefined {
  let node: Node | undefined = schema;
  for (const part of path.split(".").filter(Boolean)) {
    const list = part.endsWith("[]");
    node = node?.properties?.[list ? part.slice(0, -2) : part];
    if (list) node = node?.items;
  }
  return node;
}

/** Every leaf of the JSON Schema, named as the schema walk names zod's (`consumers[0].name`, `tags{key}`). */
function jsonLeaves(node: Node, path: string): string[] {
  if (node.type === "object" && node.properties) {
    return Object.entries<Node>(node.properties)
      .filter(([k]) => k !== "$schema")
      .flatMap(([k, v]) => jsonLeaves(v, path ? `${path}.${k}` : k));
  }
  if (node.type === "object" && node.additionalProperties) {
    const value = node.additionalProperties as Node;
    return [`${path}{key}`, ...jsonLeaves(value, `${path}{value}`)];
  }
  if (node.type === "array") return jsonLeaves(node.items, `${path}[0]`);
  return [path];
}

describe("the config's JSON Schema", () => {
  test("config/config.schema.json is what the zod schema generates", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(schemaText());
  });

  test("proof: a committed schema that lags the zod schema is caught", () => {
    const stale = JSON.parse(schemaText());
    delete stale.properties.monitoring.properties.thresholds.properties.blockedFlows;
    expect(schemaText(stale)).not.toBe(schemaText());
  });

  test("it holds exactly the fields the app validates", () => {
    const zodLeaves = schemaLeaves(configSchema).map((l) => describeSteps(l.path));
    expect(jsonLeaves(schema, "").sort()).toEqual([...new Set(zodLeaves)].sort());
  });

  test("it states ranges and patterns, as editors show them", () => {
    expect(nodeAt("monitoring.thresholds")?.properties.target5xxPercent).toMatchObject({
      type: "number",
      minimum: 0,
      maximum: 99.9,
      default: 5,
    });
    expect(nodeAt("consumers[]")?.properties.accountId).toMatchObject({ type: "string", pattern: "^\\d{12}$" });
    expect(nodeAt("consumers[]")?.additionalProperties).toBe(false);
  });

  test("every shipped config points to it, and the app accepts the $schema key", () => {
    const shipped = [join(ROOT, "config", "default.json"), ...examples.map((f) => join(EXAMPLES_DIR, f))];
    for (const file of shipped) {
      const raw = JSON.parse(readFileSync(file, "utf8"));
      expect({ file, points: existsSync(join(dirname(file), raw.$schema)) && join(dirname(file), raw.$schema) === SCHEMA_FILE }).toEqual({
        file,
        points: true,
      });
      expect(() => parseConfig(raw, file)).not.toThrow();
    }
  });

  test("no JSON file sits beside a module of the same name (CommonJS resolution, as ts-node uses it, would load the JSON)", () => {
    for (const dir of ["config", "lib", "stacks"].map((d) => join(ROOT, d))) {
      const files = readdirSync(dir);
      const shadowing = files.filter((f) => f.endsWith(".json") && files.includes(f.replace(/\.json$/, ".ts")));
      expect({ dir, shadowing }).toEqual({ dir, shadowing: [] });
    }
  });

  test("a $schema that is not a string is refused, naming the key", () => {
    expect(refusalOf((raw) => (raw.$schema = 5))).toContain(
      '$schema = 5: must be the path or URL of the config\'s JSON Schema, such as "./config.schema.json"',
    );
    // It is not a setting: the parsed config has no such key.
    expect(Object.keys(parseConfig(defaultRawConfig(), "default"))).not.toContain("$schema");
  });
});

/** A README field table: the line that introduces it, and the fields its rows name. */
interface FieldTable {
  readonly intro: string;
  readonly fields: string[];
}

/** The field tables of the README's "Fields" section. */
function readmeFieldTables(readme = readFileSync(join(ROOT, "README.md"), "utf8")): FieldTable[] {
  const section = readme.slice(readme.indexOf("### Fields"), readme.indexOf("### Why AZ IDs"));
  const tables: FieldTable[] = [];
  // The paragraph before a table introduces it (a blank line lies between them).
  let last: string[] = [];
  let paragraph: string[] = [];
  for (const line of section.split("\n")) {
    if (line.startsWith("| field") || line.startsWith("| kind")) {
      tables.push({ intro: (paragraph.length > 0 ? paragraph : last).join(" "), fields: [] });
    } else if (line.startsWith("| `") && tables.length > 0) {
      const first = line.split("|")[1];
      const names = [...first.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      tables[tables.length - 1].fields.push(...names);
    } else if (line.trim() === "") {
      if (paragraph.length > 0) last = paragraph;
      paragraph = [];
    } else if (!line.startsWith("|")) paragraph.push(line.trim());
  }
  return tables;
}

/** Which schema objects each README table describes, by how its introduction starts. */
const TABLES: readonly (readonly [intro: string, paths: readonly string[]])[] = [
  ["Top level:", [""]],
  ["`provider` and each `consumers[]` entry:", ["provider", "consumers[]"]],
  ["`consumers[]` only:", ["consumers[]"]],
  ["`network.create`", ["provider.network.create", "consumers[].network.create"]],
  ["`service`:", ["service"]],
  ["`lambda` (every function", ["lambda"]],
  ["`functions[]`, each", ["functions[]"]],
  ["`functions[].routes[]`", ["functions[].routes[]"]],
  ["`loadBalancers`:", ["loadBalancers"]],
  ["`monitoring`", ["monitoring"]],
  ["`aws`:", ["aws"]],
];

/** Whether `field` (dotted: `flowLogs.retentionDays`) is a field of the object at `path`. */
const hasField = (path: string, field: string) => nodeAt(path ? `${path}.${field}` : field) !== undefined;

describe("the README's field tables agree with the JSON Schema", () => {
  const tables = readmeFieldTables();
  const tableFor = (intro: string) => tables.filter((t) => t.intro.startsWith(intro));

  test("each table the check knows is in the README", () => {
    for (const [intro] of TABLES) expect({ intro, found: tableFor(intro).length }).toEqual({ intro, found: 1 });
  });

  test("every field a table names is in the schema where the table says", () => {
    const unknown = TABLES.flatMap(([intro, paths]) =>
      tableFor(intro).flatMap((t) =>
        t.fields.flatMap((f) => paths.filter((p) => !hasField(p, f)).map((p) => `${intro} ${f} (not in ${p || "the top level"})`)),
      ),
    );
    expect(unknown).toEqual([]);
  });

  test("every field of the schema has a row", () => {
    const paths = [...new Set(TABLES.flatMap(([, p]) => p))];
    const missing = paths.flatMap((path) => {
      const named = TABLES.filter(([, p]) => p.includes(path)).flatMap(([intro]) => tableFor(intro).flatMap((t) => t.fields));
      return Object.keys(nodeAt(path)?.properties ?? {})
        .filter((k) => k !== "$schema" && !named.some((f) => f === k || f.startsWith(`${k}.`)))
        .map((k) => (path ? `${path}.${k}` : k));
    });
    expect(missing).toEqual([]);
  });

  test("network.existing and backend: each field is in one of the kinds the table covers", () => {
    const existing = tableFor("`network.existing`")[0].fields;
    const kinds = ["provider.network.existing", "consumers[].network.existing"];
    expect(existing.filter((f) => !kinds.some((k) => hasField(k, f)))).toEqual([]);
    expect(kinds.flatMap((k) => Object.keys(nodeAt(k)?.properties ?? {})).filter((f) => !existing.includes(f))).toEqual([]);
    const backend = tableFor("`backend`, exactly one of:")[0].fields;
    expect(Object.keys(nodeAt("backend")?.properties ?? {}).filter((kind) => !backend.includes(kind))).toEqual([]);
  });

  test("proof: a row for a field that does not exist, and a field without a row, are caught", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8")
      .replace("| `datapointsToAlarm` |", "| `datapointsToAlert` |")
      .replace(/^\| `thresholds\.blockedFlows` \|.*\n/m, "");
    const broken = readmeFieldTables(readme).find((t) => t.intro.startsWith("`monitoring`"));
    expect(broken?.fields).toContain("datapointsToAlert");
    expect(hasField("monitoring", "datapointsToAlert")).toBe(false);
    expect(broken?.fields.some((f) => f === "thresholds.blockedFlows")).toBe(false);
    expect(Object.keys(nodeAt("monitoring.thresholds")?.properties ?? {})).toContain("blockedFlows");
  });
});
