import type { Rule } from "../engine";

/** CKV_AWS_152: cross-zone load balancing is on. */
export const nlbCrossZone: Rule = {
  id: "CKV_AWS_152",
  title: "NLBs enable cross-zone load balancing",
  appliesTo: ["aws_lb"],
  check: (r) =>
    r.attrs.load_balancer_type !== "network" || r.attrs.enable_cross_zone_load_balancing === true
      ? undefined
      : "does not enable cross-zone load balancing",
};
