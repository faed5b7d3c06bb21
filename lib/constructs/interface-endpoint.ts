/** An interface VPC endpoint to a PrivateLink service, with its own security group. */
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { Op, type IResolvable } from "../cdktf";
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
  /**
   * Whether the endpoint answers for the service's verified private DNS name in the VPC.
   * @default false - clients use the endpoint's DNS name
   */
  readonly privateDnsEnabled?: boolean;
  /**
   * The VPC's DNS attributes, when only known at plan (an existing VPC): private DNS needs
   * both true, so the plan refuses the endpoint otherwise. @default - no plan-time check
   */
  readonly vpcDns?: { readonly support: IResolvable; readonly hostnames: IResolvable };
}

/** Consumer side of PrivateLink: the endpoint's security group is the access control. */
export class InterfaceEndpoint extends Construct {
  /** The endpoint ID (`vpce-...`). */
  public readonly endpointId: string;
  /** The regional DNS name of the endpoint. */
  public readonly dnsName: string;
  /** The Route 53 zone of that name, for alias records. */
  public readonly hostedZoneId: string;
  /** The group clients join to reach the endpoint. */
  public readonly clientSecurityGroupId: string;
  /** The name of the service it connects to, as the endpoint reports it. */
  public readonly serviceName: string;
  /** The VPC it is in, as the endpoint reports it. */
  public readonly vpcId: string;

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
    // The client group: whatever is in it may open the service port to the endpoint, and
    // nothing else. No ingress: clients only start connections.
    const clients = new Firewall(this, "clients", {
      address: addressName(this, "clients"),
      name: `${props.name}-clients`,
      description: `Clients of ${props.name}: the service port to the interface endpoint only`,
      vpcId: props.vpcId,
    });
    clients.allowOut("endpoint", {
      port: props.port,
      securityGroupId: firewall.securityGroupId,
      description: "The PrivateLink service port on the interface endpoint",
    });
    firewall.allowIn("clients", {
      port: props.port,
      securityGroupId: clients.securityGroupId,
      description: "Members of the client security group to the PrivateLink service port",
    });
    const preconditions = [
      ...(props.supportedAzs ? [supportedAzCheck(props.subnets, props.supportedAzs)] : []),
      ...(props.privateDnsEnabled && props.vpcDns ? [privateDnsCheck(props.vpcDns)] : []),
    ];
    const endpoint = withAddress(
      new VpcEndpoint(this, "endpoint", {
        vpcId: props.vpcId,
        serviceName: props.serviceName,
        serviceRegion: props.serviceRegion,
        // The resource defaults to Gateway.
        vpcEndpointType: "Interface",
        subnetIds: [...props.subnets.subnetIds],
        securityGroupIds: [firewall.securityGroupId],
        // Only with the service's verified name; otherwise clients use the endpoint's DNS name.
        privateDnsEnabled: props.privateDnsEnabled ?? false,
        tags: { Name: props.name },
        lifecycle: preconditions.length > 0 ? { precondition: preconditions } : undefined,
      }),
      addressName(this),
    );
    this.endpointId = endpoint.id;
    this.serviceName = endpoint.serviceName;
    this.vpcId = endpoint.vpcId;
    this.dnsName = endpoint.dnsEntry.get(0).dnsName;
    this.hostedZoneId = endpoint.dnsEntry.get(0).hostedZoneId;
    this.clientSecurityGroupId = clients.securityGroupId;
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

/** Private DNS needs the VPC's DNS support and DNS hostnames on, or AWS refuses the endpoint. */
function privateDnsCheck(vpcDns: NonNullable<InterfaceEndpointProps["vpcDns"]>) {
  return {
    condition: Op.and(vpcDns.support, vpcDns.hostnames),
    errorMessage:
      "The endpoint answers for the service's private DNS name, which needs the VPC attributes enableDnsSupport and enableDnsHostnames both true (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html); turn them on for the consumer VPC",
  };
}
