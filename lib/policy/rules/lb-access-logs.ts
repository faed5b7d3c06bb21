import type { Rule } from "../engine";

/** CKV_AWS_91: requests are logged to S3. */
export const lbAccessLogs: Rule = {
  id: "CKV_AWS_91",
  title: "Load balancers write access logs",
  appliesTo: ["aws_lb", "aws_alb"],
  check: (r) => (r.attrs.access_logs?.enabled === true && r.attrs.access_logs?.bucket ? undefined : "writes no access logs"),
};
