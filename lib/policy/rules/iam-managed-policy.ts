import type { Rule } from "../engine";

/** AwsSolutions-IAM4: AWS managed policies change under you; each one needs a reason. */
export const iamManagedPolicy: Rule = {
  id: "AwsSolutions-IAM4",
  title: "No AWS managed policies without a reason",
  appliesTo: ["aws_iam_role_policy_attachment"],
  check: (r) =>
    /:iam::aws:policy\//.test(String(r.attrs.policy_arn))
      ? `attaches the AWS managed policy ${String(r.attrs.policy_arn).split("policy/")[1]}`
      : undefined,
};
