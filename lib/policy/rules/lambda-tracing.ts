import type { Rule } from "../evaluate";
import { block } from "./util";

/** CKV_AWS_50: X-Ray tracing is active. */
export const lambdaTracing: Rule = {
  id: "CKV_AWS_50",
  title: "Lambda functions have X-Ray tracing Active",
  scanners: { trivy: ["AVD-AWS-0066"] },
  appliesTo: ["aws_lambda_function"],
  check: (r) => (block(r.attrs.tracing_config).mode === "Active" ? undefined : "does not have tracing_config.mode = Active"),
};
