import type { Rule } from "../evaluate";
import { LISTENERS, text } from "./util";

/** TLS 1.2 and 1.3 only, with the policy AWS recommends. */
export const RECOMMENDED_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** CKV_AWS_103: HTTPS and TLS listeners accept TLS 1.2 or later only. */
export const listenerTlsPolicy: Rule = {
  id: "CKV_AWS_103",
  title: `HTTPS/TLS listeners use ${RECOMMENDED_TLS_POLICY} (TLS 1.2+)`,
  scanners: { checkov: ["CKV2_AWS_74"], trivy: ["AVD-AWS-0047"] },
  appliesTo: LISTENERS,
  check: (r) =>
    (r.attrs.protocol !== "HTTPS" && r.attrs.protocol !== "TLS") || r.attrs.ssl_policy === RECOMMENDED_TLS_POLICY
      ? undefined
      : `uses ssl_policy ${text(r.attrs.ssl_policy) ?? "(AWS default, allows TLS 1.0)"}`,
};
