import type { Rule } from "../evaluate";

/** CKV_AWS_115: a concurrency limit caps what one function can take from the account. */
export const lambdaConcurrency: Rule = {
  id: "CKV_AWS_115",
  title: "Lambda functions set reserved concurrency",
  appliesTo: ["aws_lambda_function"],
  check: (r) => (r.attrs.reserved_concurrent_executions !== undefined ? undefined : "sets no reserved_concurrent_executions"),
};
