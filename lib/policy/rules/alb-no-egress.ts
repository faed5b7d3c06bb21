import type { Rule } from "../evaluate";
import { groupsOf, LOAD_BALANCERS, loadBalancerKind, rulesOfGroup } from "./util";

/** PLK_ALB_NO_EGRESS: an ALB with Lambda targets calls the Lambda API, not the network. */
export const albNoEgress: Rule = {
  id: "PLK_ALB_NO_EGRESS",
  title: "The ALB's security groups have no egress (Lambda targets are invoked through the API)",
  appliesTo: LOAD_BALANCERS,
  check: (r, stack) => {
    if (loadBalancerKind(r) !== "application") return undefined;
    const open = groupsOf(r.attrs.security_groups, stack).filter((sg) => rulesOfGroup(sg, stack, "egress").length > 0);
    return open.length ? `has egress rules on ${open.map((sg) => sg.address).join(", ")}` : undefined;
  },
};
