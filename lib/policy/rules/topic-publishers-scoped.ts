import type { Rule } from "../evaluate";
import { isRecord, list } from "./util";

/** Condition keys that tie a service's call to this account's resources (confused deputy). */
const SCOPING_KEYS = ["aws:sourceaccount", "aws:sourcearn", "aws:sourceowner"];

/** The condition keys of a statement, lowercased: Terraform blocks or JSON operator maps. */
function conditionKeys(condition: unknown): string[] {
  if (Array.isArray(condition)) return condition.filter(isRecord).map((c) => String(c.variable).toLowerCase());
  if (!isRecord(condition)) return [];
  return Object.values(condition).flatMap((byKey) => (isRecord(byKey) ? Object.keys(byKey).map((k) => k.toLowerCase()) : []));
}

/**
 * PLK_TOPIC_PUBLISHERS (CKV_AWS_169 checks the public part): a topic policy allows no one
 * at large, and each AWS service it allows is scoped to this account's resources with
 * aws:SourceAccount or aws:SourceArn, so no other account's alarm or endpoint service can
 * publish through it (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
 */
export const topicPublishersScoped: Rule = {
  id: "PLK_TOPIC_PUBLISHERS",
  title: "Topic policies allow named services, scoped to this account's resources",
  scanners: { checkov: ["CKV_AWS_169"] },
  appliesTo: ["aws_sns_topic_policy"],
  check: (r, stack) => {
    const read = stack.readPolicy(r.attrs.policy);
    if ("notEvaluable" in read) return `has a policy that cannot be checked at synth: ${read.notEvaluable}`;
    for (const s of read.doc.Statement.filter((st) => (st.Effect ?? "Allow") === "Allow")) {
      const principal = s.Principal;
      // A Terraform principals block of type "*" reads as the string "*" (evaluate.ts).
      const everyone = principal === "*" || (isRecord(principal) && list(principal.AWS).includes("*"));
      if (everyone && !conditionKeys(s.Condition).some((k) => SCOPING_KEYS.includes(k)))
        return "allows every principal (*) without a condition";
      const services = isRecord(principal) ? list(principal.Service) : [];
      if (services.length > 0 && !conditionKeys(s.Condition).some((k) => SCOPING_KEYS.includes(k))) {
        return `allows ${services.join(", ")} without aws:SourceAccount or aws:SourceArn: another account's resources could publish through it`;
      }
    }
    return undefined;
  },
};
