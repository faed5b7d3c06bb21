import type { Rule } from "../evaluate";
import { list } from "./util";

/**
 * PLK_ENDPOINT_OWN_SG: an interface endpoint without security groups gets the VPC's default
 * group; endpoint policies do not restrict non-AWS services, so the group is the control.
 */
export const endpointOwnSg: Rule = {
  id: "PLK_ENDPOINT_OWN_SG",
  title: "Interface endpoints have their own security group",
  appliesTo: ["aws_vpc_endpoint"],
  suppressible: false,
  check: (r) =>
    r.attrs.vpc_endpoint_type !== "Interface" || list(r.attrs.security_group_ids).length > 0
      ? undefined
      : "has no security group of its own",
};
