import type { Rule } from "../evaluate";
import { block, groupsOf, rulesOfGroup } from "./util";

/** PLK_LAMBDA_NO_INGRESS: nothing connects to a function's network interfaces. */
export const lambdaNoIngress: Rule = {
  id: "PLK_LAMBDA_NO_INGRESS",
  title: "Lambda functions' security groups have no ingress",
  appliesTo: ["aws_lambda_function"],
  check: (r, stack) => {
    const groups = groupsOf(block(r.attrs.vpc_config).security_group_ids, stack);
    const open = groups.filter((sg) => rulesOfGroup(sg, stack, "ingress").length > 0);
    return open.length ? `has ingress rules on ${open.map((sg) => sg.address).join(", ")}` : undefined;
  },
};
