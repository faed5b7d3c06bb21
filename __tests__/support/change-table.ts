/**
 * The README's change table: what changing each config field does to a deployed service.
 * Reads the table, builds each field's change (support/config-changes.ts, the same changes as
 * "every setting reaches the output"), and classes what a change does: from Terraform's plan
 * of it against the base config's state (support/day2.ts), or, where the stacks read AWS at
 * plan time (existing VPCs, outside services) or where only state or credentials change, from
 * the synthesized output alone.
 */
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configSchema, stackNames } from "../../config/schema";
import { changeNotices, StackJson } from "../../lib/change-notices";
import { ROOT, stacksFolder } from "../helpers";
import { baseConfigs } from "./config-bases";
import { ACCEPTANCE_ONLY, baseFor, change, Raw } from "./config-changes";
import { Day2Case, disruptions, ResourceChange } from "./day2";
import type { StackFolder } from "./mock-plan";
import { describeSteps, Leaf, schemaLeaves } from "./schema-walk";
import { allowDestroyOverride, writeFiles } from "./terraform";

/** What a change can do to a deployed service, as the README's table says it. */
export const CLASSES = [
  "nothing in AWS",
  "state moves",
  "in place",
  "replaced, create first",
  "disruptive: every consumer reconnects",
  "disruptive: that consumer reconnects",
] as const;
type Class = (typeof CLASSES)[number];

/** A leaf's field as the table names it: `consumers[].clientCidrs[]`, `tags`. */
export const fieldOf = (leaf: Leaf): string =>
  describeSteps(leaf.path)
    .replace(/\[0\]/g, "[]")
    .replace(/\{(key|value)\}/g, "");

/** The README's change table: field → class. */
export function readmeTable(readme = readFileSync(join(ROOT, "README.md"), "utf8")): Map<string, string> {
  return new Map([...readmeRows(readme)].map(([field, row]) => [field, row.cls]));
}

/** The README's change table: field → class and what happens. */
export function readmeRows(readme = readFileSync(join(ROOT, "README.md"), "utf8")): Map<string, { cls: string; note: string }> {
  const block = /<!-- change-table -->\n([\s\S]*?)<!-- \/change-table -->/.exec(readme);
  if (!block) throw new Error("README.md has no <!-- change-table --> block");
  const rows = block[1].split("\n").filter((line) => /^\| `/.test(line));
  return new Map(
    rows.map((row) => {
      const [field, cls, note] = row
        .split("|")
        .slice(1, 4)
        .map((c) => c.trim());
      return [field.replace(/`/g, ""), { cls, note }];
    }),
  );
}

/** Each stack's JSON of a synthesized config, by stack name, and its folders as modules `<prefix>_s<i>`. */
async function synth(raw: Raw, prefix: string): Promise<{ json: Record<string, StackJson & Raw>; folders: StackFolder[] }> {
  const synthesized = await stacksFolder(raw, "(change table)");
  // A copy of its own: the cases write override files into their folders.
  const own = join(mkdtempSync(join(tmpdir(), "change-table-")), "stacks");
  cpSync(synthesized.dir, own, { recursive: true });
  const config = synthesized.config;
  const names = stackNames(config);
  const dirs = names.map((n) => join(own, n));
  // Modules are named by position, not stack name: a stack's state stays with it when only its name changes.
  const folders = dirs.map((dir, i) => ({
    module: `${prefix}_s${i}`,
    dir,
    remoteStateFrom: i > 0 && config.provider ? `${prefix}_s0` : undefined,
  }));
  const json = Object.fromEntries(names.map((n, i) => [n, JSON.parse(readFileSync(join(dirs[i], "cdk.tf.json"), "utf8"))]));
  return { json, folders };
}

/** Where a stack's state lives: the backend's location, and where consumers read the provider's. */
function stateLocation(json: Raw): string {
  const where = (c: Raw | undefined) => c && [c.path, c.bucket, c.key, c.region, c.hostname, c.organization, c.workspaces?.name];
  const { local, s3 } = json.terraform?.backend ?? {};
  const remote = Object.values<Raw>(json.data?.terraform_remote_state ?? {}).map((r) => where(r.config));
  return JSON.stringify([where(local), where(s3), where(json.terraform?.cloud), remote]);
}

/** Whether a change moves where a stack's state lives: a new stack name, or a new backend location. */
function stateMoves(before: Record<string, Raw>, afterByName: Record<string, Raw>): boolean {
  const after = byPosition(before, afterByName);
  const renamed = Object.keys(before).join() !== Object.keys(afterByName).join();
  return renamed || Object.keys(before).some((s) => after[s] && stateLocation(before[s]) !== stateLocation(after[s]));
}

/** How Terraform signs in: the provider's credentials, and the backend's settings. */
const CREDENTIALS = ["profile", "assume_role", "shared_config_files", "shared_credentials_files"];

/** The parts of a stack that put resources in AWS: all but state, credentials and metadata. */
function resources(json: Raw): string {
  const provider = (json.provider?.aws ?? []).map((p: Raw) =>
    Object.fromEntries(Object.entries(p).filter(([k]) => !CREDENTIALS.includes(k))),
  );
  const data = { ...json.data, terraform_remote_state: undefined };
  return JSON.stringify({ ...json, terraform: undefined, "//": undefined, provider, data });
}

/** The stacks of `after` under the names of `before`'s stacks in the same position (a renamed stack is the same stack). */
const byPosition = (before: Record<string, Raw>, after: Record<string, Raw>): Record<string, Raw> =>
  Object.fromEntries(Object.values(after).map((json, i) => [Object.keys(before)[i] ?? `new-${i}`, json]));

/** The class of a change that no plan covers, from the synthesized output alone. */
function staticClass(before: Record<string, Raw>, afterByName: Record<string, Raw>): Class | "unknown" {
  const after = byPosition(before, afterByName);
  const notices = changeNotices(before, after);
  if (notices.length > 0)
    return notices.some((n) => n.includes("every consumer"))
      ? "disruptive: every consumer reconnects"
      : "disruptive: that consumer reconnects";
  const names = (o: Record<string, Raw>) => Object.keys(o).join();
  const same = (f: (j: Raw) => string) => names(before) === names(after) && Object.keys(before).every((s) => f(before[s]) === f(after[s]));
  if (!same(resources)) return "unknown";
  return stateMoves(before, afterByName) ? "state moves" : "nothing in AWS";
}

/** The class of a planned change. */
function plannedClass(changes: readonly ResourceChange[], providerModule: string | undefined): Class {
  const disrupted = disruptions(changes);
  if (disrupted.length > 0) {
    return providerModule && disrupted.some((d) => d.startsWith(`module.${providerModule}.`))
      ? "disruptive: every consumer reconnects"
      : "disruptive: that consumer reconnects";
  }
  const acting = changes.filter((c) => c.mode === "managed" && c.change.actions.join() !== "no-op");
  if (acting.some((c) => c.change.actions.length === 2)) return "replaced, create first";
  return acting.length > 0 ? "in place" : "nothing in AWS";
}

/**
 * Changes of one field alone, where the shared change moves other fields with it (a
 * consumer's AZs are changed there together with the provider's).
 */
const TABLE_EDITS: Record<string, (raw: Raw) => void> = {
  "consumers[0].network.create.azIds[0]": (raw) => raw.consumers[0].network.create.azIds.reverse(),
};

/** Stacks of these base configs read AWS at plan time (data.aws_subnet, data.aws_vpc_endpoint_service): no offline plan. */
const READS_AWS = new Set([1, 3]);

/** One field's change, and how it is classed. */
export interface TableCase {
  readonly field: string;
  readonly leaf: string;
  /** Module prefix of the case's stacks. */
  readonly prefix: string;
  /** Planned by Terraform (else classed from the output). */
  readonly planned: boolean;
  readonly before: Record<string, Raw>;
  readonly after: Record<string, Raw>;
  /** The provider stack's module, when the case has one. */
  readonly providerModule?: string;
}

/**
 * Every field's change: the base configs to plan (as applied state), the day-2 cases to plan
 * against them, and every case with what is needed to class it.
 */
export async function tableCases(): Promise<{ bases: Record<string, StackFolder[]>; planned: Day2Case[]; cases: TableCase[] }> {
  const configs = baseConfigs();
  const bases: Record<string, StackFolder[]> = {};
  const baseJson = new Map<number, Record<string, Raw>>();
  const planned: Day2Case[] = [];
  const cases: TableCase[] = [];
  for (const [i, leaf] of schemaLeaves(configSchema).entries()) {
    const name = describeSteps(leaf.path);
    if (name in ACCEPTANCE_ONLY) continue;
    const base = baseFor(leaf, configs);
    const raw = JSON.parse(JSON.stringify(configs[base]));
    const changed = TABLE_EDITS[name] ? (TABLE_EDITS[name](raw), { path: [] }) : change(leaf, raw);
    if (typeof changed === "string") throw new Error(changed);
    if (!baseJson.has(base)) {
      const a = await synth(configs[base], `base${base}`);
      for (const f of a.folders) writeFiles(f.dir, allowDestroyOverride(f.dir));
      if (!READS_AWS.has(base)) bases[`table${base}`] = a.folders;
      baseJson.set(base, a.json);
    }
    const before = baseJson.get(base) as Record<string, Raw>;
    const prefix = `t${i}`;
    const b = await synth(raw, prefix);
    const isPlanned = !READS_AWS.has(base) && staticClass(before, b.json) === "unknown";
    if (isPlanned) {
      // Only the stacks that changed, and the provider whose outputs a changed consumer reads.
      const [namesA, namesB] = [Object.keys(before), Object.keys(b.json)];
      const changedAt = new Set(
        namesB.map((_n, j) => j).filter((j) => namesA[j] === undefined || resources(before[namesA[j]]) !== resources(b.json[namesB[j]])),
      );
      if ([...changedAt].some((j) => b.folders[j].remoteStateFrom)) changedAt.add(0);
      // Deletion protection's guard would stop the whole plan on one disruptive case; lifted, the replacement shows.
      for (const f of b.folders) writeFiles(f.dir, allowDestroyOverride(f.dir));
      planned.push({
        base: `table${base}`,
        stateModules: namesA.map((_n, j) => (changedAt.has(j) ? `${prefix}_s${j}` : undefined)),
        after: b.folders.filter((_f, j) => changedAt.has(j)),
      });
    }
    cases.push({
      field: fieldOf(leaf),
      leaf: name,
      prefix,
      planned: isPlanned,
      before,
      after: b.json,
      providerModule: configs[base].provider ? `${prefix}_s0` : undefined,
    });
  }
  return { bases, planned, cases };
}

/** The class of each case, from the plan of the planned ones. */
export function observedClasses(cases: readonly TableCase[], changes: readonly ResourceChange[]) {
  return cases.map((c) => {
    const own = changes.filter((r) => r.address.startsWith(`module.${c.prefix}_`));
    const planned = plannedClass(own, c.providerModule);
    // Nothing planned in AWS, but the state's place moved: the class the user must act on.
    const cls = !c.planned
      ? staticClass(c.before, c.after)
      : planned === "nothing in AWS" && stateMoves(c.before, c.after)
        ? "state moves"
        : planned;
    return { ...c, cls, changes: own };
  });
}
