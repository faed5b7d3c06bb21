import type { Rule } from "../evaluate";
import { LOAD_BALANCERS, loadBalancerKind } from "./util";

/** CKV_AWS_152: cross-zone load balancing is on. */
export const nlbCrossZone: Rule = {
  id: "CKV_AWS_152",
  title: "NLBs enable cross-zone load balancing",
  appliesTo: LOAD_BALANCERS,
  check: (r) =>
    loadBalancerKind(r) !== "network" || r.attrs.enable_cross_zone_load_balancing === true
      ? undefined
      : "does not enable cross-zone load balancing",
};
