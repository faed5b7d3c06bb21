import type { Rule } from "../evaluate";
import { list } from "./util";

/**
 * PLK_WILDCARD_AUTO_ACCEPT: `*` with auto-accept makes the internal NLB reachable from any
 * AWS account ("your load balancer will be public even if it has no public IP address").
 */
export const endpointServiceWildcard: Rule = {
  id: "PLK_WILDCARD_AUTO_ACCEPT",
  title: "Endpoint services list explicit principals; never `*` with auto-accept",
  appliesTo: ["aws_vpc_endpoint_service"],
  suppressible: false,
  check: (r) =>
    list(r.attrs.allowed_principals).includes("*") && r.attrs.acceptance_required !== true
      ? "allows every AWS account (*) and accepts their endpoints automatically"
      : undefined,
};
