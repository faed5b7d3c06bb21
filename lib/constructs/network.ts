/** Where the workloads go: a VPC this app creates, or one that already exists. */
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Construct } from "constructs";
import { VpcFlowLogs } from "./flow-logs";
import { addressName, withAddress } from "../naming";

/** A set of subnets for one role (Lambda, ALB, NLB, endpoint) and where they are. */
export interface SubnetGroup {
  /** Subnet IDs (tokens for created subnets, literals for existing ones). */
  readonly subnetIds: string[];
  /** AZ ID of each subnet, in the same order. */
  readonly azIds: string[];
  /** AZ name of each subnet, as the subnet's own account names it. */
  readonly azNames: string[];
  /** True when `azIds` are literals known at synth; false when Terraform reads them at plan. */
  readonly azIdsKnown: boolean;
  /** Where these subnets were chosen (a config field, say), for plan-time messages. */
  readonly source?: string;
  /** Size and free addresses of each subnet, read at plan time, when the subnets exist already. */
  readonly capacity?: readonly SubnetCapacity[];
}

/** An existing subnet's CIDR and free addresses, as Terraform reads them at plan. */
export interface SubnetCapacity {
  readonly subnetId: string;
  readonly cidrBlock: string;
  readonly availableIps: number;
}

/** "`what` (`source`)", naming where a group's subnets were chosen when that is known. */
export function describeSubnets(what: string, subnets: SubnetGroup): string {
  return subnets.source ? `${what} (${subnets.source})` : what;
}

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
  /** Flow logs of the VPC: retention and optional KMS key. */
  readonly flowLogs: { readonly retentionDays: number; readonly kmsKeyArn?: string };
  /** The account that owns the VPC. */
  readonly accountId: string;
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
  /** Every subnet, one per AZ; all roles share them. */
  public readonly subnets: SubnetGroup;
  /** The flow logs' log group. */
  public readonly flowLogGroup: CloudwatchLogGroup;

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
    withAddress(
      new DefaultSecurityGroup(this, "default-sg", { vpcId: vpc.id, tags: { Name: `${props.name}-default-closed` } }),
      addressName(this),
    );
    // The ID is part of each resource's metadata path: kept as first released.
    const flowLogs = new VpcFlowLogs(this, "network-flow-logs", {
      vpcId: vpc.id,
      name: props.name,
      accountId: props.accountId,
      retentionDays: props.flowLogs.retentionDays,
      kmsKeyArn: props.flowLogs.kmsKeyArn,
    });
    this.flowLogGroup = flowLogs.logGroup;
    this.vpcId = vpc.id;
    this.vpcCidr = props.vpcCidr;
    const subnets = props.subnets.map((s) =>
      withAddress(
        new Subnet(this, `subnet-${s.azId}`, {
          vpcId: vpc.id,
          cidrBlock: s.cidr,
          // AZ names (ap-northeast-1a) map to different places in each account; IDs do not.
          availabilityZoneId: s.azId,
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-private-${s.azId}` },
        }),
        addressName(this, `private_${s.azId}`),
      ),
    );
    this.subnets = {
      subnetIds: subnets.map((s) => s.id),
      azIds: props.subnets.map((s) => s.azId),
      azNames: subnets.map((s) => s.availabilityZone),
      azIdsKnown: true,
    };
  }
}

/** Properties of {@link ExistingNetwork}. */
export interface ExistingNetworkProps {
  /** The VPC that every subnet must belong to. */
  readonly vpcId: string;
  /** Every subnet ID any role uses; each is looked up once. */
  readonly subnetIds: readonly string[];
}

/**
 * A VPC and subnets that already exist. Each subnet is read with `data "aws_subnet"`, filtered
 * by the VPC too, so a subnet of another VPC fails the plan ("no matching EC2 Subnet found")
 * and the AZ IDs are known to the plan-time checks of the load balancers and the endpoint.
 */
export class ExistingNetwork extends Construct {
  /** The VPC ID, as configured. */
  public readonly vpcId: string;
  private readonly lookups = new Map<string, DataAwsSubnet>();

  constructor(scope: Construct, id: string, props: ExistingNetworkProps) {
    super(scope, id);
    this.vpcId = props.vpcId;
    for (const subnetId of new Set(props.subnetIds)) {
      const lookup = new DataAwsSubnet(this, subnetId, { id: subnetId, vpcId: props.vpcId });
      this.lookups.set(subnetId, withAddress(lookup, addressName(this, subnetId)));
    }
  }

  /** The group of `subnetIds`, with AZ IDs and names read at plan time; `source` names where they were chosen. */
  public group(subnetIds: readonly string[], source?: string): SubnetGroup {
    const lookups = subnetIds.map((id) => {
      const lookup = this.lookups.get(id);
      if (!lookup) throw new Error(`ExistingNetwork ${this.node.path}: subnet ${id} was not declared`);
      return lookup;
    });
    return {
      subnetIds: [...subnetIds],
      azIds: lookups.map((l) => l.availabilityZoneId),
      azNames: lookups.map((l) => l.availabilityZone),
      azIdsKnown: false,
      source,
      capacity: lookups.map((l, i) => ({ subnetId: subnetIds[i], cidrBlock: l.cidrBlock, availableIps: l.availableIpAddressCount })),
    };
  }
}
