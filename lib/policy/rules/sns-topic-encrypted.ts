import type { Rule } from "../evaluate";
import { text } from "./util";

/** The AWS managed key of SNS: its policy cannot be changed, so no AWS service may publish with it. */
const AWS_MANAGED_KEY = /^(alias\/aws\/sns|arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:alias\/aws\/sns)$/;

/**
 * CKV_AWS_26 (AVD-AWS-0095, AVD-AWS-0136): topics are encrypted with a customer managed key.
 * CloudWatch alarms and PrivateLink notifications cannot publish to a topic under the AWS
 * managed key (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
 */
export const snsTopicEncrypted: Rule = {
  id: "CKV_AWS_26",
  title: "SNS topics are encrypted with a customer managed KMS key",
  scanners: { trivy: ["AVD-AWS-0095", "AVD-AWS-0136"] },
  appliesTo: ["aws_sns_topic"],
  check: (r) => {
    const key = text(r.attrs.kms_master_key_id);
    if (!key) return "has no kms_master_key_id (messages are stored unencrypted)";
    if (AWS_MANAGED_KEY.test(key)) {
      return `uses the AWS managed key ${key}, which CloudWatch alarms and PrivateLink notifications cannot use: give a customer managed key`;
    }
    return undefined;
  },
};
