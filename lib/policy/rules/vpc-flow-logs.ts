import type { Rule } from "../evaluate";
import { idRef } from "./util";

/** CKV2_AWS_11: every VPC this app creates records its traffic. */
export const vpcFlowLogs: Rule = {
  id: "CKV2_AWS_11",
  title: "VPCs have flow logs",
  scanners: { trivy: ["AVD-AWS-0178"] },
  appliesTo: ["aws_vpc"],
  check: (r, stack) => (stack.ofType("aws_flow_log").some((f) => f.attrs.vpc_id === idRef(r)) ? undefined : "has no aws_flow_log"),
};
