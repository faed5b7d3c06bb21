import type { Rule } from "../engine";
import { groupsOf, rulesOfGroup } from "./util";

/** PLK_ALB_NO_EGRESS: an ALB with Lambda targets calls the Lambda API, not the network. */
export const albNoEgress: Rule = {
  id: "PLK_ALB_NO_EGRESS",
  title: "The ALB's security groups have no egress (Lambda targets are invoked through the API)",
  appliesTo: ["aws_lb"],
  check: (r, stack) => {
    if ((r.attrs.load_balancer_type ?? "application") !== "application") return undefined;
    const open = groupsOf(r.attrs.security_groups, stack).filter((sg) => rulesOfGroup(sg, stack, "egress").length > 0);
    return open.length ? `has egress rules on ${open.map((sg) => sg.address).join(", ")}` : undefined;
  },
};
