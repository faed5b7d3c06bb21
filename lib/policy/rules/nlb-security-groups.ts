import type { Rule } from "../engine";

/** PLK_NLB_SECURITY_GROUPS: an NLB gets security groups at creation; they can never be added later. */
export const nlbSecurityGroups: Rule = {
  id: "PLK_NLB_SECURITY_GROUPS",
  title: "NLBs have security groups from creation",
  appliesTo: ["aws_lb"],
  suppressible: false,
  check: (r) =>
    r.attrs.load_balancer_type !== "network" || (r.attrs.security_groups ?? []).length > 0
      ? undefined
      : "has no security groups, and none can be added after creation",
};
