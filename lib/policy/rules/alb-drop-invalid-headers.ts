import type { Rule } from "../engine";

/** CKV_AWS_131: the ALB drops headers that are not valid HTTP. */
export const albDropInvalidHeaders: Rule = {
  id: "CKV_AWS_131",
  title: "ALBs drop invalid header fields",
  scanners: { trivy: ["AVD-AWS-0052"] },
  appliesTo: ["aws_lb", "aws_alb"],
  check: (r) =>
    (r.attrs.load_balancer_type ?? "application") !== "application" || r.attrs.drop_invalid_header_fields === true
      ? undefined
      : "does not set drop_invalid_header_fields = true",
};
