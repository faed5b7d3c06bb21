import type { Rule } from "../evaluate";

/** CKV_AWS_338: logs are kept for at least a year. */
export const logRetention: Rule = {
  id: "CKV_AWS_338",
  title: "CloudWatch log groups keep logs for at least 365 days (CKV_AWS_66: a retention is set)",
  scanners: { checkov: ["CKV_AWS_66"] },
  appliesTo: ["aws_cloudwatch_log_group"],
  check: (r) => {
    const days = r.attrs.retention_in_days;
    if (typeof days !== "number" || days === 0) return "keeps logs forever or has no retention_in_days";
    return days >= 365 ? undefined : `keeps logs ${days} days, less than 365`;
  },
};
