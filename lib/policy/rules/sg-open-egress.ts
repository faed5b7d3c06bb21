import type { Rule } from "../engine";
import { isWorld } from "./util";

/** CKV_AWS_382: nothing may send to the whole internet. */
export const sgOpenEgress: Rule = {
  id: "CKV_AWS_382",
  title: "No egress to 0.0.0.0/0 or ::/0",
  scanners: { trivy: ["AVD-AWS-0104"] },
  appliesTo: ["aws_security_group", "aws_vpc_security_group_egress_rule", "aws_security_group_rule"],
  check: (r) => {
    if (r.type === "aws_vpc_security_group_egress_rule")
      return isWorld(r.attrs.cidr_ipv4) || isWorld(r.attrs.cidr_ipv6) ? "allows egress to anywhere" : undefined;
    const rules =
      r.type === "aws_security_group_rule"
        ? r.attrs.type === "egress"
          ? [r.attrs]
          : []
        : ((r.attrs.egress ?? []) as Record<string, any>[]);
    return rules.some((x) => [...(x.cidr_blocks ?? []), ...(x.ipv6_cidr_blocks ?? [])].some(isWorld))
      ? "allows egress to anywhere"
      : undefined;
  },
};
