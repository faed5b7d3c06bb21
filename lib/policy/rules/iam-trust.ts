import type { Rule } from "../evaluate";
import { isRecord, list } from "./util";

/** True when a Principal (or NotPrincipal) value matches everyone. */
const everyone = (principal: unknown): boolean =>
  principal === "*" || (isRecord(principal) && Object.values(principal).some((ids) => list(ids).includes("*")));

/**
 * CKV_AWS_60: a role trusts named principals only, never everyone. Trust policies built by
 * `aws_iam_policy_document` data sources are read from their arguments; one that cannot be
 * read at synth is a finding, never skipped.
 */
export const iamTrust: Rule = {
  id: "CKV_AWS_60",
  title: "IAM roles trust named principals only (no `*`)",
  scanners: { checkov: ["CKV_AWS_61"] },
  appliesTo: ["aws_iam_role"],
  suppressible: false,
  check: (r, stack) => {
    const read = stack.readPolicy(r.attrs.assume_role_policy);
    if ("notEvaluable" in read) return `has a trust policy that cannot be evaluated at synth: ${read.notEvaluable}`;
    const wild = read.doc.Statement.some(
      (s) => (s.Effect ?? "Allow") === "Allow" && (everyone(s.Principal) || s.NotPrincipal !== undefined),
    );
    return wild ? "can be assumed by any principal" : undefined;
  },
};
