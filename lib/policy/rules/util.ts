/** Helpers shared by the rules: typed reads of synthesized JSON, references, security groups. */
import type { Attrs, ResourceView, StackView } from "../evaluate";

/** True for a JSON object (not an array, not null). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A list argument (a missing one is empty; a single value counts as a list of one). */
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** A nested block: Terraform JSON writes one as an object or as a list of objects. */
export const block = (v: unknown): Attrs => {
  const first: unknown = Array.isArray(v) ? v[0] : v;
  return isRecord(first) ? first : {};
};

/** Every element of a list of blocks. */
export const blocks = (v: unknown): Attrs[] => list(v).filter(isRecord);

/** A string argument, or undefined. */
export const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The `${type.name.id}` reference a resource's ID is written as. */
export const idRef = (r: ResourceView): string => `\${${r.address}.id}`;

/** True when `value` is the CIDR that matches every IPv4 or IPv6 address. */
export const isWorld = (value: unknown): boolean => value === "0.0.0.0/0" || value === "::/0";

/**
 * True when `r` (a separate rule resource, a legacy `aws_security_group_rule`, or a group with
 * inline rules) opens `direction` to every address.
 */
export function opensToWorld(r: ResourceView, direction: "ingress" | "egress"): boolean {
  if (r.type === `aws_vpc_security_group_${direction}_rule`) return isWorld(r.attrs.cidr_ipv4) || isWorld(r.attrs.cidr_ipv6);
  const rules = r.type === "aws_security_group_rule" ? (r.attrs.type === direction ? [r.attrs] : []) : blocks(r.attrs[direction]);
  return rules.some((x) => [...list(x.cidr_blocks), ...list(x.ipv6_cidr_blocks)].some(isWorld));
}

/** Security group rules (separate resources and inline blocks) of the group `sg`. */
export function rulesOfGroup(sg: ResourceView, stack: StackView, direction: "ingress" | "egress"): Attrs[] {
  const separate = stack.ofType(`aws_vpc_security_group_${direction}_rule`).filter((r) => r.attrs.security_group_id === idRef(sg));
  const legacy = stack
    .ofType("aws_security_group_rule")
    .filter((r) => r.attrs.security_group_id === idRef(sg) && r.attrs.type === direction);
  return [...separate.map((r) => r.attrs), ...legacy.map((r) => r.attrs), ...blocks(sg.attrs[direction])];
}

/** The security groups a resource lists (as `${aws_security_group.x.id}` references). */
export const groupsOf = (ids: unknown, stack: StackView): ResourceView[] =>
  stack.ofType("aws_security_group").filter((sg) => list(ids).includes(idRef(sg)));

/** Resource types of load balancers (`aws_alb` is the older name of `aws_lb`). */
export const LOAD_BALANCERS = ["aws_lb", "aws_alb"] as const;
/** Resource types of listeners. */
export const LISTENERS = ["aws_lb_listener", "aws_alb_listener"] as const;

/** The kind of a load balancer resource: what AWS makes of `load_balancer_type` (default application). */
export function loadBalancerKind(r: ResourceView): "application" | "network" | "gateway" | undefined {
  if (!(LOAD_BALANCERS as readonly string[]).includes(r.type)) return undefined;
  const type = r.attrs.load_balancer_type ?? "application";
  return type === "network" || type === "gateway" ? type : "application";
}
