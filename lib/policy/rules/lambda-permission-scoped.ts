import type { Rule } from "../evaluate";
import { text } from "./util";

/** CKV_AWS_364: a service principal may invoke only from one source ARN, in one account. */
export const lambdaPermissionScoped: Rule = {
  id: "CKV_AWS_364",
  title: "Lambda permissions for AWS services are scoped by source_arn and source_account",
  scanners: { trivy: ["AVD-AWS-0067"] },
  appliesTo: ["aws_lambda_permission"],
  check: (r) => {
    const principal = text(r.attrs.principal) ?? "";
    if (!principal.endsWith(".amazonaws.com")) return undefined;
    const missing = ["source_arn", "source_account"].filter((k) => !r.attrs[k]);
    return missing.length ? `lets ${principal} invoke without ${missing.join(" and ")}` : undefined;
  },
};
