/** Networks as the model describes them, created by this app. */
import { Construct } from "constructs";
import type { CreatedNetworkModel } from "../config/model";
import { PrivateNetwork } from "../lib/constructs/network";

/** The VPC `network` describes, in `accountId`, as construct `network` of `scope`. */
export function createdNetwork(scope: Construct, name: string, network: CreatedNetworkModel, accountId: string): PrivateNetwork {
  return new PrivateNetwork(scope, "network", {
    name,
    vpcCidr: network.vpcCidr,
    subnets: network.subnets,
    flowLogs: network.flowLogs,
    accountId,
  });
}
