import type { Rule } from "../engine";

/** CKV_AWS_328: HTTP desync mitigation is defensive or strictest, never monitor. */
export const albDesyncMode: Rule = {
  id: "CKV_AWS_328",
  title: "ALBs use desync_mitigation_mode defensive or strictest",
  appliesTo: ["aws_lb", "aws_alb"],
  check: (r) =>
    (r.attrs.load_balancer_type ?? "application") !== "application" || ["defensive", "strictest"].includes(r.attrs.desync_mitigation_mode)
      ? undefined
      : `sets desync_mitigation_mode = ${r.attrs.desync_mitigation_mode ?? "(default)"}; use defensive or strictest explicitly`,
};
