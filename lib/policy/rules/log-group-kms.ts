import type { Rule } from "../evaluate";

/** CKV_AWS_158: logs are encrypted with a customer-managed KMS key. */
export const logGroupKms: Rule = {
  id: "CKV_AWS_158",
  title: "CloudWatch log groups are encrypted with a KMS key",
  scanners: { trivy: ["AVD-AWS-0017"] },
  appliesTo: ["aws_cloudwatch_log_group"],
  check: (r) => (r.attrs.kms_key_id ? undefined : "has no kms_key_id (CloudWatch's default encryption only)"),
};
