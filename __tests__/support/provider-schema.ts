/**
 * The AWS provider's schema, cut down to the resource types this project names.
 *
 * Why: the provider's schema answer is about 4.9 MB (some 1,500 resource and data source
 * types), and every Terraform command decodes all of it before it reads a line of config:
 * about 1.7 s of CPU per `validate`, `plan`, `show` or `test`, even of an empty root
 * (measured: `terraform validate` of a root with one provider block and nothing else,
 * 1.8 CPU-s with the whole schema, 0.05 CPU-s with the project's types). A test run has
 * dozens of such commands. The tests' provider proxy (provider-proxy.ts) therefore hands
 * Terraform the schemas of the types named here, and the provider itself (which plans and
 * validates every resource) still has all of its own.
 *
 * Which types: the `tfResourceType` of every class the product imports from
 * `@cdktf/provider-aws/lib/*`, and every `aws_*` word in the tests' own files (HCL,
 * TypeScript, JSON), so a test that writes a type by hand keeps it. A word that is no type
 * costs nothing. A type missing here is a loud failure, never a quiet one: Terraform says
 * the provider "does not support" it (TerraformError adds where to look).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Where the product's code lives (its imports of provider classes decide the types). */
const PRODUCT = ["main.ts", "lib", "stacks", "config"];
/** Where the tests' own Terraform and type names live. */
const TESTS = ["__tests__"];
const TEXT = /\.(ts|js|json|hcl|tf)$/;

/** Every file under `path` (a file or a folder) whose name is text we read. */
function textFiles(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && TEXT.test(e.name))
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return TEXT.test(path) ? [path] : [];
  }
}

/** The Terraform type names this project uses: see the file comment. */
export function projectTypeNames(root: string): string[] {
  const names = new Set<string>();
  const modules = new Set<string>();
  for (const file of PRODUCT.flatMap((p) => textFiles(join(root, p)))) {
    for (const m of readFileSync(file, "utf8").matchAll(/@cdktf\/provider-aws\/lib\/([a-z0-9-]+)/g)) modules.add(m[1]);
  }
  for (const module of modules) {
    const js = readFileSync(join(root, "node_modules", "@cdktf", "provider-aws", "lib", module, "index.js"), "utf8");
    for (const m of js.matchAll(/tfResourceType = "([a-z0-9_]+)"/g)) names.add(m[1]);
  }
  for (const file of TESTS.flatMap((p) => textFiles(join(root, p)))) {
    for (const m of readFileSync(file, "utf8").matchAll(/\baws_[a-z0-9_]+/g)) names.add(m[0]);
  }
  return [...names].sort();
}

/**
 * The fields of a GetProviderSchema (tfplugin5: GetSchema) response that map a type's name
 * to its schema: resource_schemas, data_source_schemas and ephemeral_resource_schemas, the
 * same numbers in tfplugin5 and tfplugin6. Everything else (the provider's own schema,
 * functions, capabilities, diagnostics) passes as it is.
 */
const TYPE_MAPS = new Set([2, 3, 8]);

/** A protobuf varint at `at`: its value and where the next field starts. */
function varint(bytes: Buffer, at: number): [number, number] {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    if (at >= bytes.length || shift > 49) throw new Error("truncated varint");
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
  }
}

/** The key of a map entry (field 1, a string), or undefined if the entry starts otherwise. */
function entryKey(entry: Buffer): string | undefined {
  if (entry[0] !== 0x0a) return undefined;
  const [length, start] = varint(entry, 1);
  return entry.subarray(start, start + length).toString("utf8");
}

/** A GetProviderSchema response message without the type schemas `keep` refuses. */
export function pruneSchemaMessage(message: Buffer, keep: (name: string) => boolean): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < message.length;) {
    const start = at;
    const [tag, afterTag] = varint(message, at);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === 0) at = varint(message, afterTag)[1];
    else if (wire === 1) at = afterTag + 8;
    else if (wire === 5) at = afterTag + 4;
    else if (wire === 2) {
      const [length, body] = varint(message, afterTag);
      at = body + length;
      if (at > message.length) throw new Error(`field ${field} runs past the end`);
      if (TYPE_MAPS.has(field)) {
        const name = entryKey(message.subarray(body, at));
        if (name !== undefined && !keep(name)) continue;
      }
    } else throw new Error(`wire type ${wire} at byte ${start}`);
    if (at > message.length) throw new Error(`field ${field} runs past the end`);
    parts.push(message.subarray(start, at));
  }
  return Buffer.concat(parts);
}

/**
 * A gRPC answer body (one length-prefixed, uncompressed message) with the schemas of the
 * types not in `keep` left out. Anything else (compressed, several messages, not a schema
 * message) comes back as it was: the whole schema is never wrong, only slower.
 */
export function pruneSchemaAnswer(body: Buffer, keep: ReadonlySet<string>): Buffer {
  if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return body;
  try {
    const message = pruneSchemaMessage(body.subarray(5), (name) => keep.has(name));
    const head = Buffer.alloc(5);
    head.writeUInt32BE(message.length, 1);
    return Buffer.concat([head, message]);
  } catch {
    return body;
  }
}
