import type { Rule } from "../evaluate";
import { LOAD_BALANCERS, loadBalancerKind } from "./util";

/** CKV_AWS_131: the ALB drops headers that are not valid HTTP. */
export const albDropInvalidHeaders: Rule = {
  id: "CKV_AWS_131",
  title: "ALBs drop invalid header fields",
  scanners: { trivy: ["AVD-AWS-0052"] },
  appliesTo: LOAD_BALANCERS,
  check: (r) =>
    loadBalancerKind(r) !== "application" || r.attrs.drop_invalid_header_fields === true
      ? undefined
      : "does not set drop_invalid_header_fields = true",
};
