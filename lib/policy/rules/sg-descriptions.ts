import type { Rule } from "../evaluate";
import { blocks } from "./util";

/** CKV_AWS_23: every security group and every rule says why it exists. */
export const sgDescriptions: Rule = {
  id: "CKV_AWS_23",
  title: "Security groups and their rules have descriptions",
  scanners: { trivy: ["AVD-AWS-0099", "AVD-AWS-0124"] },
  appliesTo: ["aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_security_group_rule"],
  check: (r) => {
    const inline = [...blocks(r.attrs.ingress), ...blocks(r.attrs.egress)];
    if (!r.attrs.description || r.attrs.description === "Managed by Terraform") return "has no description";
    return inline.some((rule) => !rule.description) ? "has an inline rule without a description" : undefined;
  },
};
