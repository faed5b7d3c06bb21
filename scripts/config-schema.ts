/**
 * `npm run config-schema`: writes config/config.schema.json, the JSON Schema of the config, generated
 * from the zod schema the app validates with (config/schema.ts), so editors can complete and
 * check a config as it is typed. A test keeps the committed file in sync.
 *
 *   npm run config-schema            # write config/config.schema.json
 *   npm run config-schema -- --check # exit 1 when the committed file differs
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { zodToJsonSchema } from "zod-to-json-schema";
import { configSchema } from "../config/schema";

// Not `schema.json`: beside `schema.ts`, CommonJS resolution (ts-node) would load it for `./schema`.
export const SCHEMA_FILE = join(__dirname, "..", "config", "config.schema.json");

/** The config's JSON Schema, as the committed file holds it. */
export function configJsonSchema(): Record<string, unknown> {
  const generated = zodToJsonSchema(configSchema, {
    $refStrategy: "none",
    effectStrategy: "input",
    pipeStrategy: "input",
    target: "jsonSchema7",
  }) as Record<string, unknown> & { properties: Record<string, unknown> };
  return {
    $schema: generated.$schema,
    title: "privatelink-lambda config",
    description:
      "The config npm run synth reads (PRIVATELINK_CONFIG, default config/default.json). Rules across fields (AZ alignment, quotas, names AWS accepts) are checked at synth.",
    ...generated,
    properties: {
      $schema: { type: "string", description: "The path or URL of this JSON Schema, for editors; not a setting." },
      ...generated.properties,
    },
  };
}

/** The committed file's text for the schema. */
export const schemaText = (schema: Record<string, unknown> = configJsonSchema()): string => `${JSON.stringify(schema, null, 2)}\n`;

if (require.main === module) {
  const args = process.argv.slice(2);
  const usage =
    "usage: npm run config-schema [-- --check]\n\nWrites config/config.schema.json from the zod schema; --check exits 1 when the committed file differs.";
  const unknown = args.find((a) => !["--check", "--help", "-h"].includes(a));
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage);
  } else if (unknown !== undefined) {
    console.error(`unknown argument ${unknown}\n${usage}`);
    process.exitCode = 2;
  } else if (args.includes("--check")) {
    const same = readFileSync(SCHEMA_FILE, "utf8") === schemaText();
    console.log(same ? "config/config.schema.json is current" : "config/config.schema.json is out of date: run npm run config-schema");
    process.exitCode = same ? 0 : 1;
  } else {
    writeFileSync(SCHEMA_FILE, schemaText());
    console.log(`wrote ${SCHEMA_FILE}`);
  }
}
