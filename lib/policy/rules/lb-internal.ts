import type { Rule } from "../engine";

/** PLK_LB_INTERNAL: both load balancers are internal; clients arrive through PrivateLink only. */
export const lbInternal: Rule = {
  id: "PLK_LB_INTERNAL",
  title: "Load balancers are internal (PrivateLink is the only way in)",
  scanners: { trivy: ["AVD-AWS-0053"] },
  appliesTo: ["aws_lb", "aws_alb"],
  suppressible: false,
  check: (r) => (r.attrs.internal === true ? undefined : "is internet-facing"),
};
