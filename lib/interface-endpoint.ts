/** An interface VPC endpoint to a PrivateLink service, with its own security group. */
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { addressName, withAddress } from "./naming";
import { Firewall } from "./security-group";

/** Properties of {@link InterfaceEndpoint}. */
export interface InterfaceEndpointProps {
  /** Name tag and security group name. */
  readonly name: string;
  /** The consumer VPC. */
  readonly vpcId: string;
  /** Subnets in AZs the service supports (by AZ ID). */
  readonly subnetIds: readonly string[];
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
    props.clientCidrs.forEach((cidr, i) =>
      firewall.allowIn(`client_${i}`, { port: props.port, cidr, description: `Clients in ${cidr} to the PrivateLink service port` }),
    );
    const endpoint = withAddress(
      new VpcEndpoint(this, "endpoint", {
        vpcId: props.vpcId,
        serviceName: props.serviceName,
        serviceRegion: props.serviceRegion,
        // The resource defaults to Gateway.
        vpcEndpointType: "Interface",
        subnetIds: [...props.subnetIds],
        securityGroupIds: [firewall.securityGroupId],
        // The service has no verified private DNS name; clients use the endpoint's DNS name.
        privateDnsEnabled: false,
        tags: { Name: props.name },
      }),
      addressName(this),
    );
    this.endpointId = endpoint.id;
    this.dnsName = endpoint.dnsEntry.get(0).dnsName;
  }
}
