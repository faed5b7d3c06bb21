import type { Rule } from "../evaluate";
import { list } from "./util";

/**
 * PLK_IAM_WILDCARD (CKV_AWS_355, CKV_AWS_290 and AwsSolutions-IAM5 check the same): a role's
 * own policy allows named actions on named resources; a wildcard action, or `*` as the
 * resource, needs a reason.
 */
export const iamPolicyWildcard: Rule = {
  id: "PLK_IAM_WILDCARD",
  title: "Inline IAM policies name their actions and resources, or give a reason",
  scanners: { checkov: ["CKV_AWS_355", "CKV_AWS_290"] },
  appliesTo: ["aws_iam_role_policy"],
  check: (r, stack) => {
    const read = stack.readPolicy(r.attrs.policy);
    if ("notEvaluable" in read) return `has a policy that cannot be checked at synth: ${read.notEvaluable}`;
    const allows = read.doc.Statement.filter((s) => (s.Effect ?? "Allow") === "Allow");
    const action = allows.flatMap((s) => list(s.Action)).find((a): a is string => typeof a === "string" && /[*?]/.test(a));
    if (action !== undefined) return `allows the wildcard action ${action}`;
    if (allows.some((s) => list(s.NotAction).length > 0)) return "allows every action but some (NotAction)";
    if (allows.some((s) => list(s.Resource).includes("*"))) return 'allows actions on every resource ("*")';
    return undefined;
  },
};
