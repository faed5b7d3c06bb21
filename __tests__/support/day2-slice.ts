/**
 * Day-2 plans of only what a change touches. A case module's config is compared with the
 * config its state came from (its base module), block by block:
 * - kept: every resource or data source whose config differs, or exists on one side only,
 *   and everything that references a kept block, directly or through others (a change
 *   flows through references, and so do replacements and create-before-destroy);
 * - kept as inputs: what a kept block reads that cannot be written as a value (data sources,
 *   and resources whose value is not in the state);
 * - left out: every other resource, from the config and from the state. A kept block's
 *   reference to one becomes that resource's value in the state, which is exactly what
 *   Terraform would read: the state is settled (its own config plans no change against it),
 *   so an unchanged resource whose inputs are unchanged plans no change.
 * Most of a case's stacks is unchanged, and Terraform's plan costs about the same for a
 * resource that plans no change as for one that does, so this keeps the day-2 plan to the
 * changes. The test planning day 2 checks the slice against a whole plan of some cases.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

type Json = Record<string, any>;

/** A state resource as day2.ts writes it. */
export interface SliceStateResource {
  module?: string;
  mode: string;
  type: string;
  name: string;
  instances: { attributes: Record<string, unknown> }[];
}

/** How much of a module the slice kept. */
export interface SliceCount {
  readonly kept: number;
  readonly total: number;
}

/** Every `${...}` of a template, mapped by `f`; escaped `$${` is left as it is. */
export function mapInterpolations(text: string, f: (expression: string) => string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$${", i)) {
      out += "$${";
      i += 3;
      continue;
    }
    if (!text.startsWith("${", i)) {
      out += text[i++];
      continue;
    }
    // Find the closing brace, skipping braces inside quoted strings of the expression.
    let depth = 1;
    let j = i + 2;
    let quoted = false;
    for (; j < text.length && depth > 0; j++) {
      const c = text[j];
      if (quoted) {
        if (c === "\\") j++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === "{") depth++;
      else if (c === "}") depth--;
    }
    if (depth !== 0) throw new Error(`unbalanced interpolation in ${JSON.stringify(text.slice(i, i + 80))}`);
    out += "${" + f(text.slice(i + 2, j - 1)) + "}";
    i = j;
  }
  return out;
}

/** A traversal of a block: `aws_vpc.network.id`, `data.aws_region.current.name`, `x.y.dns_entry[0].dns_name`. */
const TRAVERSAL = /(?<![A-Za-z0-9_.\-"])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_-]+|\[\d+\])*)/g;

/** Every block address an expression names. */
function referencesIn(expression: string): { address: string; path: (string | number)[]; text: string }[] {
  return [...expression.matchAll(TRAVERSAL)].map((m) => ({
    address: m[1],
    text: m[0],
    path: [...m[2].matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g)].map((p) => (p[1] !== undefined ? p[1] : Number(p[2]))),
  }));
}

/** Every string of a JSON value, mapped. */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === "string") return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

/** A value as a Terraform expression literal; template sequences in strings are escaped. */
export function hclLiteral(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v) => (typeof v === "string" ? v.replaceAll("${", () => "$${").replaceAll("%{", () => "%%{") : v)) ?? "null"
  );
}

/** The blocks of a stack's JSON by address: `type.name` for resources, `data.type.name` for data sources. */
function blocksOf(json: Json): Map<string, unknown> {
  const blocks = new Map<string, unknown>();
  for (const [type, byName] of Object.entries<Json>(json.resource ?? {})) {
    for (const [name, block] of Object.entries(byName)) blocks.set(`${type}.${name}`, block);
  }
  for (const [type, byName] of Object.entries<Json>(json.data ?? {})) {
    for (const [name, block] of Object.entries(byName)) blocks.set(`data.${type}.${name}`, block);
  }
  return blocks;
}

/** What a block reads of the module's blocks: each reference in its expressions (with its attribute path), and its depends_on. */
function readsOf(
  block: unknown,
  known: ReadonlySet<string>,
): { refs: { address: string; path: (string | number)[] }[]; dependsOn: string[] } {
  const refs: { address: string; path: (string | number)[] }[] = [];
  mapStrings(block, (s) =>
    mapInterpolations(s, (e) => {
      refs.push(...referencesIn(e).filter((r) => known.has(r.address)));
      return e;
    }),
  );
  return { refs, dependsOn: ((block as { depends_on?: string[] }).depends_on ?? []).filter((d) => known.has(d)) };
}

/** A remote state's identity: what it reads (its file's outputs), not where the file is. */
function remoteStateIdentity(block: Json): string {
  const { path, ...config } = block.config ?? {};
  const outputs = typeof path === "string" && existsSync(path) ? JSON.parse(readFileSync(path, "utf8")).outputs : undefined;
  return JSON.stringify({ ...block, config, outputs });
}

/** What Terraform reads of a block: all but the `//` comment (cdktf's construct path). */
function identity(address: string, block: unknown): string {
  const { "//": _comment, ...read } = block as Json;
  return address.startsWith("data.terraform_remote_state.") ? remoteStateIdentity(read) : JSON.stringify(read);
}

/**
 * Slices module folder `caseDir` against `baseDir` (the config its state came from) and
 * `state` (that module's resources in the state, attributes filled in). Rewrites the folder's
 * Terraform JSON and override files; returns the managed addresses kept, which are the state
 * resources to keep. `changedInState` (`type.name`) are kept as if their config had changed:
 * resources whose state, not config, differs from what the base was planned against.
 */
export function sliceModule(
  caseDir: string,
  baseDir: string,
  state: readonly SliceStateResource[],
  changedInState: ReadonlySet<string> = new Set(),
): { keep: Set<string>; count: SliceCount } {
  const file = join(caseDir, "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8")) as Json;
  const base = JSON.parse(readFileSync(join(baseDir, "cdk.tf.json"), "utf8")) as Json;
  const blocks = blocksOf(json);
  const before = blocksOf(base);
  const known = new Set(blocks.keys());
  const attributes = new Map(state.map((r) => [`${r.type}.${r.name}`, r.instances[0]?.attributes]));

  // Changed blocks, then everything that references them.
  const kept = new Set<string>();
  for (const [address, block] of blocks) {
    const old = before.get(address);
    if (old === undefined || changedInState.has(address) || identity(address, old) !== identity(address, block)) kept.add(address);
  }
  const reads = new Map([...blocks].map(([address, block]) => [address, readsOf(block, known)]));
  for (let grown = true; grown;) {
    grown = false;
    for (const [address, { refs, dependsOn }] of reads) {
      if (kept.has(address)) continue;
      if (refs.some((r) => kept.has(r.address)) || dependsOn.some((d) => kept.has(d))) grown = kept.add(address) && true;
    }
  }
  // What kept blocks read: a resource's value from the state, else the block itself.
  const valueOf = (address: string, path: readonly (string | number)[]): { value: unknown } | undefined => {
    if (address.startsWith("data.")) return undefined;
    let value: unknown = attributes.get(address);
    for (const step of path) {
      if (value === null || typeof value !== "object") return undefined;
      value = (value as Record<string | number, unknown>)[step];
    }
    return value === undefined ? undefined : { value };
  };
  const work = [...kept];
  while (work.length > 0) {
    const { refs, dependsOn } = reads.get(work.pop() as string) as ReturnType<typeof readsOf>;
    const needed = [
      ...refs.filter((r) => !r.path.length || !valueOf(r.address, r.path)).map((r) => r.address),
      ...dependsOn.filter((d) => d.startsWith("data.")),
    ];
    for (const address of needed.filter((a) => !kept.has(a))) {
      kept.add(address);
      work.push(address);
    }
  }

  // Rewrite: kept blocks only, their references to left-out resources as values.
  const substitute = (s: string) =>
    mapInterpolations(s, (e) =>
      e.replace(TRAVERSAL, (text, address: string) => {
        if (!known.has(address) || kept.has(address)) return text;
        const ref = referencesIn(text)[0];
        const found = valueOf(address, ref.path);
        if (!found) throw new Error(`day-2 slice: no state value for ${text}`);
        return hclLiteral(found.value);
      }),
    );
  const rewriteSection = (section: Json | undefined, prefix: string) => {
    if (!section) return undefined;
    const out: Json = {};
    for (const [type, byName] of Object.entries<Json>(section)) {
      for (const [name, block] of Object.entries<Json>(byName)) {
        if (!kept.has(`${prefix}${type}.${name}`)) continue;
        const rewritten = mapStrings(block, substitute) as Json;
        if (rewritten.depends_on) {
          rewritten.depends_on = block.depends_on.filter((d: string) => !known.has(d) || kept.has(d));
          if (rewritten.depends_on.length === 0) delete rewritten.depends_on;
        }
        (out[type] ??= {})[name] = rewritten;
      }
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const sliced: Json = { ...json, resource: rewriteSection(json.resource, ""), data: rewriteSection(json.data, "data.") };
  // Outputs are not planned here; a move is kept while its destination is.
  delete sliced.output;
  if (Array.isArray(json.moved)) sliced.moved = json.moved.filter((m: { to: string }) => kept.has(m.to));
  for (const key of ["resource", "data", "moved"]) if (sliced[key] === undefined || sliced[key]?.length === 0) delete sliced[key];
  writeFileSync(file, JSON.stringify(sliced));

  // Override files may only override what is declared.
  for (const name of readdirSync(caseDir).filter((f) => f.endsWith("_override.tf.json"))) {
    const override = JSON.parse(readFileSync(join(caseDir, name), "utf8")) as Json;
    if (override.resource) override.resource = rewriteSection(override.resource, "");
    if (!override.resource) delete override.resource;
    writeFileSync(join(caseDir, name), JSON.stringify(override));
  }

  const managed = [...blocks.keys()].filter((a) => !a.startsWith("data."));
  const keep = new Set([...kept].filter((a) => !a.startsWith("data.")));
  // Resources only in the state (deleted by the change) stay in the state.
  for (const r of state) if (!blocks.has(`${r.type}.${r.name}`)) keep.add(`${r.type}.${r.name}`);
  return { keep, count: { kept: [...keep].filter((a) => blocks.has(a)).length, total: managed.length } };
}
