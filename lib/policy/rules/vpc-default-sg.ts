import type { Rule } from "../evaluate";
import { idRef, list } from "./util";

/** CKV2_AWS_12: the VPC's default security group allows nothing. */
export const vpcDefaultSg: Rule = {
  id: "CKV2_AWS_12",
  title: "VPCs' default security groups have no rules",
  appliesTo: ["aws_vpc"],
  check: (r, stack) => {
    const sg = stack.ofType("aws_default_security_group").find((d) => d.attrs.vpc_id === idRef(r));
    if (!sg) return "leaves its default security group's rules in place (no aws_default_security_group)";
    return list(sg.attrs.ingress).length + list(sg.attrs.egress).length > 0 ? "has a default security group with rules" : undefined;
  },
};
