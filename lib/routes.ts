/**
 * ALB listener rules for routes: which request a route matches, and the priority of its rule.
 *
 * A rule's priority is derived from the route's own conditions, so adding, removing or
 * reordering other routes does not change it. More specific routes come first: the
 * priority's thousands are the route's specificity, the rest a hash of its conditions. Two
 * routes whose hashes meet take the next free priority in order of their conditions; the
 * rules' addresses are their priorities, so even then no two rules ever hold one priority
 * during an apply (the rule at a priority is updated in place).
 *
 * Sources:
 * - conditions and wildcards: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
 * - limits per rule: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
 */
import { createHash } from "node:crypto";

/** What a route matches: every condition given must hold (values within one are alternatives). */
export interface RouteConditions {
  readonly paths?: readonly string[];
  readonly hosts?: readonly string[];
  readonly methods?: readonly string[];
  /** Header name → values; header names match in any letter case. */
  readonly headers?: Readonly<Record<string, readonly string[]>>;
}

/** Where AWS documents rule conditions, their values and wildcards. */
export const RULE_CONDITIONS_SOURCE = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html";
/** The longest path pattern a rule condition takes. */
export const PATH_PATTERN_MAX_CHARS = 128;

/** The health check's rule: the ALB answers it itself, before every route. */
export const HEALTH_RULE_PRIORITY = 1;
/** The lowest and highest priority a route's rule may take. */
export const ROUTE_PRIORITY_MIN = 2;
export const ROUTE_PRIORITY_MAX = 50000;
/** Values (match evaluations) and wildcards an ALB rule may hold. */
export const CONDITION_VALUES_PER_RULE = 5;
export const WILDCARDS_PER_RULE = 5;

/** Specificity levels: a route at level s gets a priority in 2 + (49 - s) * 1000 + [0, 999). */
const LEVELS = 50;
const SLOTS = 999;

/** Every value of a route's conditions, in a fixed order. */
export function conditionValues(route: RouteConditions): string[] {
  return [
    ...(route.paths ?? []),
    ...(route.hosts ?? []),
    ...(route.methods ?? []),
    ...Object.values(route.headers ?? {}).flatMap((v) => [...v]),
  ];
}

/** How many `*` and `?` a route's values hold: the ALB counts each against its wildcard limit. */
export function wildcardCount(route: RouteConditions): number {
  return conditionValues(route).reduce((n, v) => n + (v.match(/[*?]/g)?.length ?? 0), 0);
}

const literalLength = (pattern: string) => pattern.replace(/[*?]/g, "").length;

/**
 * How specific a route is: the literal characters of its least specific path (0 with no path
 * condition), plus one for each other condition. `/api/orders/*` (11) comes before `/api/*` (5).
 */
export function specificity(route: RouteConditions): number {
  const paths = route.paths ?? [];
  const path = paths.length > 0 ? Math.min(...paths.map(literalLength)) : 0;
  const others = (route.hosts ? 1 : 0) + (route.methods ? 1 : 0) + Object.keys(route.headers ?? {}).length;
  return path + others;
}

/** The route's conditions in one canonical form: the same route written in any order gives the same text. */
export function canonicalRoute(route: RouteConditions): string {
  const sorted = (values: readonly string[] | undefined) => (values ? [...values].sort() : null);
  const headers = Object.entries(route.headers ?? {})
    .map(([name, values]) => [name.toLowerCase(), sorted(values)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([sorted(route.paths), sorted(route.hosts?.map((h) => h.toLowerCase())), sorted(route.methods), headers]);
}

/** The first priority of a route's specificity level; the level spans SLOTS priorities. */
const levelStart = (route: RouteConditions) => ROUTE_PRIORITY_MIN + (LEVELS - 1 - Math.min(specificity(route), LEVELS - 1)) * 1000;

/** The priority a route prefers: more specific routes lower (first), the rest from its conditions alone. */
export function derivedPriority(route: RouteConditions): number {
  return levelStart(route) + (createHash("sha256").update(canonicalRoute(route)).digest().readUInt32BE(0) % SLOTS);
}

/**
 * The priority of every route: its own where given, else the derived one, or, where that is
 * taken, the next free one of its level (wrapping to the level's start), routes meeting at
 * one priority served in the order of their conditions.
 */
export function assignPriorities(routes: readonly (RouteConditions & { readonly priority?: number })[]): number[] {
  const taken = new Set(routes.flatMap((r) => (r.priority === undefined ? [] : [r.priority])));
  const result = routes.map((r) => r.priority ?? 0);
  const derived = routes
    .map((r, i) => ({ i, preferred: derivedPriority(r), key: canonicalRoute(r), start: levelStart(r) }))
    .filter(({ i }) => routes[i].priority === undefined)
    .sort((a, b) => a.preferred - b.preferred || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { i, preferred, start } of derived) {
    let p = preferred;
    while (taken.has(p)) p = start + ((p - start + 1) % SLOTS);
    taken.add(p);
    result[i] = p;
  }
  return result;
}

/** Whether some text matches both ALB patterns (`*`: any characters, `?`: exactly one). */
export function patternsOverlap(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const overlap = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (a[i] === "*") result = overlap(i + 1, j) || (j < b.length && overlap(i, j + 1));
    else if (b[j] === "*") result = overlap(i, j + 1) || (i < a.length && overlap(i + 1, j));
    else if (i === a.length || j === b.length) result = false;
    else result = (a[i] === "?" || b[j] === "?" || a[i] === b[j]) && overlap(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return overlap(0, 0);
}

/** Whether `text` matches the ALB pattern. */
export const patternMatches = (pattern: string, text: string): boolean => patternsOverlap(pattern, text.replace(/[*?]/g, "_"));

/** Whether two alternatives lists can match one value (an absent condition matches every value). */
function anyOverlap(a: readonly string[] | undefined, b: readonly string[] | undefined, fold = (s: string) => s): boolean {
  if (!a || !b) return true;
  return a.some((x) => b.some((y) => patternsOverlap(fold(x), fold(y))));
}

/** Whether one request can match both routes. */
export function routesOverlap(a: RouteConditions, b: RouteConditions): boolean {
  const lower = (s: string) => s.toLowerCase();
  const headersA = new Map(Object.entries(a.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const headersB = new Map(Object.entries(b.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const headersOverlap = [...headersA].every(([name, values]) => anyOverlap(values, headersB.get(name), lower));
  return (
    anyOverlap(a.paths, b.paths) &&
    anyOverlap(a.hosts, b.hosts, lower) &&
    (!a.methods || !b.methods || a.methods.some((m) => b.methods?.includes(m))) &&
    headersOverlap
  );
}
