import type { Rule } from "../engine";
import { isWorld } from "./util";

/** PLK_SG_OPEN_INGRESS: nothing is reachable from the whole internet. */
export const sgOpenIngress: Rule = {
  id: "PLK_SG_OPEN_INGRESS",
  title: "No ingress from 0.0.0.0/0 or ::/0, on any port",
  scanners: { checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"], trivy: ["AVD-AWS-0107"] },
  appliesTo: ["aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_security_group_rule"],
  suppressible: false,
  check: (r) => {
    if (r.type === "aws_vpc_security_group_ingress_rule")
      return isWorld(r.attrs.cidr_ipv4) || isWorld(r.attrs.cidr_ipv6) ? "allows ingress from anywhere" : undefined;
    const rules =
      r.type === "aws_security_group_rule"
        ? r.attrs.type === "ingress"
          ? [r.attrs]
          : []
        : ((r.attrs.ingress ?? []) as Record<string, any>[]);
    return rules.some((x) => [...(x.cidr_blocks ?? []), ...(x.ipv6_cidr_blocks ?? [])].some(isWorld))
      ? "allows ingress from anywhere"
      : undefined;
  },
};
