import type { Rule } from "../evaluate";
import { block, list } from "./util";

/** CKV_AWS_117: the function runs in a VPC, in at least two subnets. */
export const lambdaInVpc: Rule = {
  id: "CKV_AWS_117",
  title: "Lambda functions run in a VPC, in at least two subnets (Security Hub Lambda.5)",
  appliesTo: ["aws_lambda_function"],
  check: (r) => (list(block(r.attrs.vpc_config).subnet_ids).length >= 2 ? undefined : "is not attached to a VPC in at least two subnets"),
};
