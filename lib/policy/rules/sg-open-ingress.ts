import type { Rule } from "../evaluate";
import { opensToWorld } from "./util";

/** PLK_SG_OPEN_INGRESS: nothing is reachable from the whole internet. */
export const sgOpenIngress: Rule = {
  id: "PLK_SG_OPEN_INGRESS",
  title: "No ingress from 0.0.0.0/0 or ::/0, on any port",
  scanners: { checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"], trivy: ["AVD-AWS-0107"] },
  appliesTo: ["aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_security_group_rule"],
  suppressible: false,
  check: (r) => (opensToWorld(r, "ingress") ? "allows ingress from anywhere" : undefined),
};
