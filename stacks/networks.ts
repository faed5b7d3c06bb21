/** Networks as the config describes them: created by this app, or looked up. */
import { Construct } from "constructs";
import type { CreateNetworkConfig } from "../config/schema";
import { subnetsOf } from "../config/schema";
import { PrivateNetwork } from "../lib/network";

/** The VPC `create` describes, in `accountId`, as construct `network` of `scope`. */
export function createdNetwork(scope: Construct, name: string, create: CreateNetworkConfig, accountId: string): PrivateNetwork {
  return new PrivateNetwork(scope, "network", {
    name,
    vpcCidr: create.vpcCidr,
    subnets: subnetsOf(create),
    flowLogs: create.flowLogs,
    accountId,
  });
}
