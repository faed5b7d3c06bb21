import type { Rule } from "../evaluate";

/** CKV_AWS_123: each endpoint connection is accepted by hand. */
export const endpointServiceAcceptance: Rule = {
  id: "CKV_AWS_123",
  title: "VPC endpoint services require acceptance",
  appliesTo: ["aws_vpc_endpoint_service"],
  check: (r) => (r.attrs.acceptance_required === true ? undefined : "accepts every endpoint of an allowed principal automatically"),
};
