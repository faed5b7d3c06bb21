/**
 * Every leaf of the config schema, found by walking the zod schema itself: a field added
 * to the schema shows up here without anyone listing it.
 */
import { z, ZodTypeAny } from "zod";

/** A path step: an object key, `0` for an array's first element, KEY/VALUE of a record. */
export type Step = string | number | typeof RECORD_KEY | typeof RECORD_VALUE;
export const RECORD_KEY = Symbol("record key");
export const RECORD_VALUE = Symbol("record value");

/** One leaf: where it is and what kind of value it takes. */
export interface Leaf {
  readonly path: readonly Step[];
  readonly kind: "string" | "number" | "boolean" | "enum";
  readonly schema: ZodTypeAny;
}

/** Every leaf under `schema`. Throws on a zod type it does not know, so none is skipped. */
export function schemaLeaves(schema: ZodTypeAny, path: Step[] = []): Leaf[] {
  if (schema instanceof z.ZodEffects) return schemaLeaves(schema.innerType(), path);
  if (schema instanceof z.ZodPipeline) return schemaLeaves(schema._def.in as ZodTypeAny, path);
  if (schema instanceof z.ZodDefault) return schemaLeaves(schema.removeDefault(), path);
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return schemaLeaves(schema.unwrap(), path);
  if (schema instanceof z.ZodObject) {
    return Object.entries<ZodTypeAny>(schema.shape).flatMap(([key, child]) => schemaLeaves(child, [...path, key]));
  }
  if (schema instanceof z.ZodArray) return schemaLeaves(schema.element, [...path, 0]);
  if (schema instanceof z.ZodRecord) {
    return [...schemaLeaves(schema.keySchema, [...path, RECORD_KEY]), ...schemaLeaves(schema.valueSchema, [...path, RECORD_VALUE])];
  }
  if (schema instanceof z.ZodString) return [{ path, kind: "string", schema }];
  if (schema instanceof z.ZodNumber) return [{ path, kind: "number", schema }];
  if (schema instanceof z.ZodBoolean) return [{ path, kind: "boolean", schema }];
  if (schema instanceof z.ZodEnum || schema instanceof z.ZodLiteral) return [{ path, kind: "enum", schema }];
  if (schema instanceof z.ZodUnion || schema instanceof z.ZodDiscriminatedUnion) {
    return (schema.options as ZodTypeAny[]).flatMap((option) => schemaLeaves(option, path));
  }
  throw new Error(`schemaLeaves: no rule for ${schema.constructor.name} at ${describeSteps(path)}`);
}

/** A path as text: `consumers[0].tags{key}`. */
export function describeSteps(path: readonly Step[]): string {
  return path
    .map((s) => (s === RECORD_KEY ? "{key}" : s === RECORD_VALUE ? "{value}" : typeof s === "number" ? `[${s}]` : `.${s}`))
    .join("")
    .replace(/^\./, "");
}

/**
 * Puts `value` at the leaf `path` of `raw` (in place). A record step uses the record's first
 * entry: RECORD_KEY renames its key to `value`. Returns the concrete path, or undefined when
 * `raw` lacks a container on the way (the leaf's section is not in this config).
 */
export function placeAt(raw: unknown, path: readonly Step[], value: unknown): (string | number)[] | undefined {
  let node = raw as Record<string | number, unknown>;
  const concrete: (string | number)[] = [];
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    const last = i === path.length - 1;
    if (step === RECORD_KEY || step === RECORD_VALUE) {
      const first = Object.keys(node)[0];
      if (first === undefined) return undefined;
      if (step === RECORD_KEY) {
        const entries = Object.entries(node).map(([k, v]) => [k === first ? String(value) : k, v] as const);
        for (const k of Object.keys(node)) delete node[k];
        Object.assign(node, Object.fromEntries(entries));
        return [...concrete, String(value)];
      }
      concrete.push(first);
      if (last) {
        node[first] = value;
        return concrete;
      }
      node = node[first] as Record<string | number, unknown>;
    } else {
      if (last) {
        // An optional field the config leaves out is added: its parent is what must exist.
        if (Array.isArray(node) !== (typeof step === "number")) return undefined;
        node[step] = value;
        return [...concrete, step];
      }
      const next = node[step];
      if (next === null || typeof next !== "object") return undefined;
      concrete.push(step);
      node = next as Record<string | number, unknown>;
    }
  }
  return concrete;
}
