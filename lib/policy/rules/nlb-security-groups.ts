import type { Rule } from "../evaluate";
import { list, LOAD_BALANCERS, loadBalancerKind } from "./util";

/** PLK_NLB_SECURITY_GROUPS: an NLB gets security groups at creation; they can never be added later. */
export const nlbSecurityGroups: Rule = {
  id: "PLK_NLB_SECURITY_GROUPS",
  title: "NLBs have security groups from creation",
  appliesTo: LOAD_BALANCERS,
  suppressible: false,
  check: (r) =>
    loadBalancerKind(r) !== "network" || list(r.attrs.security_groups).length > 0
      ? undefined
      : "has no security groups, and none can be added after creation",
};
