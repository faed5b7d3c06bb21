import type { Rule } from "../evaluate";
import { LOAD_BALANCERS, loadBalancerKind } from "./util";

/** PLK_NLB_PRIVATELINK_INBOUND: the NLB's inbound rules also apply to PrivateLink traffic. */
export const nlbPrivateLinkEnforcement: Rule = {
  id: "PLK_NLB_PRIVATELINK_INBOUND",
  title: "NLBs enforce inbound rules on PrivateLink traffic (client CIDRs checked)",
  appliesTo: LOAD_BALANCERS,
  check: (r) =>
    loadBalancerKind(r) !== "network" || r.attrs.enforce_security_group_inbound_rules_on_private_link_traffic === "on"
      ? undefined
      : "does not enforce its inbound rules on PrivateLink traffic",
};
