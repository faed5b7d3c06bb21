import type { Rule } from "../evaluate";

/** CKV_AWS_7 (AVD-AWS-0065): customer managed keys rotate their key material every year. */
export const kmsKeyRotation: Rule = {
  id: "CKV_AWS_7",
  title: "KMS keys rotate their key material",
  scanners: { trivy: ["AVD-AWS-0065"] },
  appliesTo: ["aws_kms_key"],
  check: (r) => (r.attrs.enable_key_rotation === true ? undefined : "does not have enable_key_rotation = true"),
};
