import type { Rule } from "../evaluate";
import { LOAD_BALANCERS, loadBalancerKind, text } from "./util";

/** CKV_AWS_328: HTTP desync mitigation is defensive or strictest, never monitor. */
export const albDesyncMode: Rule = {
  id: "CKV_AWS_328",
  title: "ALBs use desync_mitigation_mode defensive or strictest",
  appliesTo: LOAD_BALANCERS,
  check: (r) => {
    const mode = text(r.attrs.desync_mitigation_mode);
    return loadBalancerKind(r) !== "application" || mode === "defensive" || mode === "strictest"
      ? undefined
      : `sets desync_mitigation_mode = ${mode ?? "(default)"}; use defensive or strictest explicitly`;
  },
};
