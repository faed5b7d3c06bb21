import type { Rule } from "../evaluate";
import { text } from "./util";

/** AwsSolutions-IAM4: AWS managed policies change under you; each one needs a reason. */
export const iamManagedPolicy: Rule = {
  id: "AwsSolutions-IAM4",
  title: "No AWS managed policies without a reason",
  appliesTo: ["aws_iam_role_policy_attachment"],
  check: (r) => {
    const arn = text(r.attrs.policy_arn) ?? "";
    return /:iam::aws:policy\//.test(arn) ? `attaches the AWS managed policy ${arn.split("policy/")[1]}` : undefined;
  },
};
