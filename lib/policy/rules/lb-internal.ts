import type { Rule } from "../evaluate";
import { LOAD_BALANCERS } from "./util";

/** PLK_LB_INTERNAL: both load balancers are internal; clients arrive through PrivateLink only. */
export const lbInternal: Rule = {
  id: "PLK_LB_INTERNAL",
  title: "Load balancers are internal (PrivateLink is the only way in)",
  scanners: { trivy: ["AVD-AWS-0053"] },
  appliesTo: LOAD_BALANCERS,
  suppressible: false,
  check: (r) => (r.attrs.internal === true ? undefined : "is internet-facing"),
};
