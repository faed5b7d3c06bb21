import type { Rule } from "../engine";

/** CKV_AWS_116: asynchronous failures go to a dead-letter queue. */
export const lambdaDlq: Rule = {
  id: "CKV_AWS_116",
  title: "Lambda functions have a dead-letter queue",
  appliesTo: ["aws_lambda_function"],
  check: (r) => (r.attrs.dead_letter_config?.target_arn ? undefined : "has no dead_letter_config"),
};
