/** A private VPC with one subnet per AZ, placed by AZ ID. */
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import { addressName, withAddress } from "./naming";

/** One subnet: its AZ ID and CIDR. */
export interface SubnetPlacement {
  /** The AZ ID, e.g. `apne1-az1`. */
  readonly azId: string;
  /** The subnet's IPv4 CIDR, inside the VPC CIDR. */
  readonly cidr: string;
}

/** Properties of {@link PrivateNetwork}. */
export interface PrivateNetworkProps {
  /** Prefix of the `Name` tags. */
  readonly name: string;
  /** The VPC's IPv4 CIDR. */
  readonly vpcCidr: string;
  /** The subnets, one per AZ ID. */
  readonly subnets: readonly SubnetPlacement[];
}

/**
 * A VPC with private subnets only: no internet gateway, no NAT, no public IPs. Nothing in
 * this design needs the internet: the ALB calls Lambda through the Lambda API, and clients
 * arrive through PrivateLink.
 */
export class PrivateNetwork extends Construct {
  /** The VPC ID. */
  public readonly vpcId: string;
  /** The VPC CIDR, as configured. */
  public readonly vpcCidr: string;
  /** Subnet IDs, in the order of `props.subnets`. */
  public readonly subnetIds: string[];
  /** The AZ IDs of the subnets, in the same order. */
  public readonly azIds: string[];

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const vpc = withAddress(
      new Vpc(this, "vpc", {
        cidrBlock: props.vpcCidr,
        // Interface endpoints and Lambda need VPC DNS.
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: { Name: props.name },
      }),
      addressName(this),
    );
    // Take every rule away from the VPC's default group, so nothing that lands in it by
    // accident (an endpoint without security_group_ids, say) is reachable.
    withAddress(new DefaultSecurityGroup(this, "default-sg", { vpcId: vpc.id, tags: { Name: `${props.name}-default-closed` } }), addressName(this));
    this.vpcId = vpc.id;
    this.vpcCidr = props.vpcCidr;
    this.azIds = props.subnets.map((s) => s.azId);
    this.subnetIds = props.subnets.map((s) => {
      const subnet = new Subnet(this, `subnet-${s.azId}`, {
        vpcId: vpc.id,
        cidrBlock: s.cidr,
        // AZ names (ap-northeast-1a) map to different places in each account; IDs do not.
        availabilityZoneId: s.azId,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-private-${s.azId}` },
      });
      return withAddress(subnet, addressName(this, `private_${s.azId}`)).id;
    });
  }
}
