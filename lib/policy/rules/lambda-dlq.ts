import type { Rule } from "../evaluate";
import { block } from "./util";

/** CKV_AWS_116: asynchronous failures go to a dead-letter queue. */
export const lambdaDlq: Rule = {
  id: "CKV_AWS_116",
  title: "Lambda functions have a dead-letter queue",
  appliesTo: ["aws_lambda_function"],
  check: (r) => (block(r.attrs.dead_letter_config).target_arn ? undefined : "has no dead_letter_config"),
};
