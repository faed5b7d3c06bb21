import type { Rule } from "../engine";

/** CKV_AWS_60: a role trusts named principals only, never everyone. */
export const iamTrust: Rule = {
  id: "CKV_AWS_60",
  title: "IAM roles trust named principals only (no `*`)",
  scanners: { checkov: ["CKV_AWS_61"] },
  appliesTo: ["aws_iam_role"],
  suppressible: false,
  check: (r) => {
    let doc: { Statement?: { Principal?: unknown }[] };
    try {
      doc = JSON.parse(r.attrs.assume_role_policy);
    } catch {
      return undefined; // built at plan time (a data source): nothing to read here
    }
    const wild = (doc.Statement ?? []).some((s) => JSON.stringify(s.Principal ?? "").includes('"*"') || s.Principal === "*");
    return wild ? "can be assumed by any principal" : undefined;
  },
};
