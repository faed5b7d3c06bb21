import type { Rule } from "../evaluate";
import { opensToWorld } from "./util";

/** CKV_AWS_382: nothing may send to the whole internet. */
export const sgOpenEgress: Rule = {
  id: "CKV_AWS_382",
  title: "No egress to 0.0.0.0/0 or ::/0",
  scanners: { trivy: ["AVD-AWS-0104"] },
  appliesTo: ["aws_security_group", "aws_vpc_security_group_egress_rule", "aws_security_group_rule"],
  check: (r) => (opensToWorld(r, "egress") ? "allows egress to anywhere" : undefined),
};
