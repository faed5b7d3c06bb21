/** An interface VPC endpoint to a PrivateLink service, with its own security group. */
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { addressName, withAddress } from "../naming";
import type { SubnetGroup } from "./network";
import { azsWithin } from "../placement-checks";
import { cidrName, Firewall } from "./security-group";

/** Properties of {@link InterfaceEndpoint}. */
export interface InterfaceEndpointProps {
  /** Name tag and security group name. */
  readonly name: string;
  /** The consumer VPC. */
  readonly vpcId: string;
  /** Subnets in AZs the service supports (by AZ ID). */
  readonly subnets: SubnetGroup;
  /**
   * The AZs the service supports, when they or the subnets' AZs are only known at plan:
   * AZ IDs of the provider's NLB, or AZ names from the endpoint service lookup (in this
   * account's naming). The plan then refuses subnets outside them.
   * @default - no plan-time check (checked at synth, or not checkable across Regions)
   */
  readonly supportedAzs?: { readonly azIds: string[] } | { readonly azNames: string[] };
  /** The endpoint service name. */
  readonly serviceName: string;
  /** The service's Region when it differs from the consumer's. @default - same Region */
  readonly serviceRegion?: string;
  /** The service port clients connect to. */
  readonly port: number;
  /** Client CIDRs allowed to connect. */
  readonly clientCidrs: readonly string[];
}

/** Consumer side of PrivateLink: the endpoint's security group is the access control. */
export class InterfaceEndpoint extends Construct {
  /** The endpoint ID (`vpce-...`). */
  public readonly endpointId: string;
  /** The regional DNS name of the endpoint. */
  public readonly dnsName: string;

  constructor(scope: Construct, id: string, props: InterfaceEndpointProps) {
    super(scope, id);
    // Endpoint policies do not restrict non-AWS services, so this group is the control.
    // No egress: the endpoint only answers connections.
    const firewall = new Firewall(this, "firewall", {
      address: addressName(this),
      name: `${props.name}-endpoint`,
      description: `Interface endpoint ${props.name}: service port from client CIDRs only`,
      vpcId: props.vpcId,
    });
    props.clientCidrs.forEach((cidr) =>
      firewall.allowIn(`client_${cidrName(cidr)}`, {
        port: props.port,
        cidr,
        description: `Clients in ${cidr} to the PrivateLink service port`,
      }),
    );
    const endpoint = withAddress(
      new VpcEndpoint(this, "endpoint", {
        vpcId: props.vpcId,
        serviceName: props.serviceName,
        serviceRegion: props.serviceRegion,
        // The resource defaults to Gateway.
        vpcEndpointType: "Interface",
        subnetIds: [...props.subnets.subnetIds],
        securityGroupIds: [firewall.securityGroupId],
        // The service has no verified private DNS name; clients use the endpoint's DNS name.
        privateDnsEnabled: false,
        tags: { Name: props.name },
        lifecycle: props.supportedAzs ? { precondition: [supportedAzCheck(props.subnets, props.supportedAzs)] } : undefined,
      }),
      addressName(this),
    );
    this.endpointId = endpoint.id;
    this.dnsName = endpoint.dnsEntry.get(0).dnsName;
  }
}

/** The endpoint's subnets must all be in AZs the service supports. */
function supportedAzCheck(subnets: SubnetGroup, supported: NonNullable<InterfaceEndpointProps["supportedAzs"]>) {
  const why =
    "The endpoint's subnets must be in AZs where the service's NLB has a subnet, or AWS refuses with \"The VPC endpoint service does not support the availability zone of the subnet\"";
  return "azIds" in supported
    ? azsWithin(subnets.azIds, supported.azIds, `${why}; compared by AZ ID`)
    : azsWithin(subnets.azNames, supported.azNames, `${why}; compared by this account's AZ names`);
}
