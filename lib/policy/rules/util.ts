/** Helpers shared by the rules. */
import type { ResourceView, StackView } from "../engine";

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
  const rules: Record<string, any>[] =
    r.type === "aws_security_group_rule" ? (r.attrs.type === direction ? [r.attrs] : []) : (r.attrs[direction] ?? []);
  return rules.some((x) => [...(x.cidr_blocks ?? []), ...(x.ipv6_cidr_blocks ?? [])].some(isWorld));
}

/** Security group rules (separate resources and inline blocks) of the group `sg`. */
export function rulesOfGroup(sg: ResourceView, stack: StackView, direction: "ingress" | "egress"): Record<string, any>[] {
  const separate = stack.ofType(`aws_vpc_security_group_${direction}_rule`).filter((r) => r.attrs.security_group_id === idRef(sg));
  const legacy = stack
    .ofType("aws_security_group_rule")
    .filter((r) => r.attrs.security_group_id === idRef(sg) && r.attrs.type === direction);
  return [
    ...separate.map((r) => r.attrs),
    ...legacy.map((r) => r.attrs),
    ...((sg.attrs[direction] as Record<string, any>[] | undefined) ?? []),
  ];
}

/** The security groups a resource lists (as `${aws_security_group.x.id}` references). */
export const groupsOf = (ids: unknown, stack: StackView): ResourceView[] =>
  stack.ofType("aws_security_group").filter((sg) => Array.isArray(ids) && ids.includes(idRef(sg)));
