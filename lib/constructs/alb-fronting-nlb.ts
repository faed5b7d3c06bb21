/** An internal NLB whose only target is an ALB (target type `alb`). */
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { Construct } from "constructs";
import { Fn } from "../cdktf";
import type { LambdaAlb } from "./lambda-alb";
import { addressName, withAddress } from "../naming";
import { describeSubnets, SubnetGroup } from "./network";
import { azsWithin, CREATE_FIRST, withPreventDestroy } from "../placement-checks";
import { suppress } from "../policy/suppress";
import { cidrName, Firewall } from "./security-group";

/** Properties of {@link AlbFrontingNlb}. */
export interface AlbFrontingNlbProps {
  /** Name prefix of the load balancer and target group (≤ 20 characters). */
  readonly name: string;
  /** The VPC of the NLB; the same as the ALB's. */
  readonly vpcId: string;
  /** Subnets in the ALB's AZs. */
  readonly subnets: SubnetGroup;
  /** The port clients connect to through PrivateLink. */
  readonly port: number;
  /** The ALB to forward to. */
  readonly alb: LambdaAlb;
  /** Client CIDRs allowed in: with PrivateLink enforcement on, the source is the client's IP. */
  readonly clientCidrs: readonly string[];
  /**
   * Whether the NLB's inbound rules also apply to PrivateLink traffic. "off" leaves access to
   * the endpoint service's allowed principals and the consumers' endpoint security groups.
   * @default "on"
   */
  readonly privateLinkInboundRules?: "on" | "off";
  /** Deletion protection. @default true */
  readonly deletionProtection?: boolean;
}

/** NLB → ALB: TCP listener, `alb` target group, registration and both security groups. */
export class AlbFrontingNlb extends Construct {
  /** The load balancer resource. */
  public readonly loadBalancer: Lb;
  /** The NLB's ARN, for the endpoint service. */
  public readonly loadBalancerArn: string;
  /** The NLB's DNS name. */
  public readonly dnsName: string;
  /** The port the NLB listens on. */
  public readonly port: number;
  /** AZ IDs of the NLB's subnets: the only AZs consumers' endpoints can use. */
  public readonly azIds: string[];

  constructor(scope: Construct, id: string, props: AlbFrontingNlbProps) {
    super(scope, id);
    const name = addressName(this);
    const albPort = props.alb.listener.port;
    this.port = props.port;
    this.azIds = props.subnets.azIdsKnown ? [...new Set(props.subnets.azIds)] : Fn.distinct(props.subnets.azIds);

    const firewall = new Firewall(this, "firewall", {
      address: addressName(this),
      name: `${props.name}-nlb`,
      description: `Internal NLB ${props.name}-nlb: PrivateLink clients in, its ALB out`,
      vpcId: props.vpcId,
    });
    const enforce = props.privateLinkInboundRules ?? "on";
    // With enforcement off, inbound rules never see PrivateLink traffic: no rule to add.
    if (enforce === "on") {
      props.clientCidrs.forEach((cidr) =>
        firewall.allowIn(`client_${cidrName(cidr)}`, {
          port: props.port,
          cidr,
          description: `PrivateLink clients in ${cidr} to the service port`,
        }),
      );
    }
    firewall.allowOut("to_alb", {
      port: albPort,
      securityGroupId: props.alb.firewall.securityGroupId,
      description: "Forwarded traffic and HTTP health checks to the ALB listener",
    });
    props.alb.firewall.allowIn("from_nlb", {
      port: albPort,
      securityGroupId: firewall.securityGroupId,
      description: "Traffic and health checks from the NLB in front of this ALB",
    });

    const nlb = withAddress(
      new Lb(this, "nlb", {
        name: `${props.name}-nlb`,
        loadBalancerType: "network",
        internal: true,
        subnets: [...props.subnets.subnetIds],
        // Security groups can only be attached when an NLB is created, never added later.
        securityGroups: [firewall.securityGroupId],
        enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: enforce,
        // AWS recommends cross-zone off for ALB targets; the AZs are aligned instead.
        enableCrossZoneLoadBalancing: false,
        enableDeletionProtection: props.deletionProtection ?? true,
        tags: { Name: `${props.name}-nlb` },
        lifecycle: withPreventDestroy(
          props.deletionProtection ?? true,
          props.subnets.azIdsKnown && props.alb.subnets.azIdsKnown
            ? []
            : [
                azsWithin(
                  props.subnets.azIds,
                  props.alb.subnets.azIds,
                  `${describeSubnets("The NLB's subnets", props.subnets)} must be in AZs where the ALB has a subnet: cross-zone load balancing is off, so each NLB node forwards to the ALB in its own AZ`,
                ),
              ],
        ),
      }),
      name,
    );
    suppress(nlb, "CKV_AWS_152", "AWS recommends cross-zone load balancing off for ALB targets; NLB and ALB share their AZs instead");
    suppress(
      nlb,
      "CKV_AWS_91",
      "A TCP-only NLB writes no access logs (they exist for TLS listeners only); the ALB and the function log requests",
    );
    // The group's port follows the ALB listener's, and a new port means a new group: the
    // port is in its name, so the new group is created and the listener moved to it before
    // the old one, still in use, is deleted.
    const targetGroupName = `${props.name}-albtg-${props.alb.port}`;
    const targetGroup = withAddress(
      new LbTargetGroup(this, "alb-tg", {
        name: targetGroupName,
        targetType: "alb",
        // An `alb` target group is TCP only, and its port must equal the ALB listener's.
        protocol: "TCP",
        port: albPort,
        vpcId: props.vpcId,
        healthCheck: {
          enabled: true,
          protocol: props.alb.protocol,
          port: "traffic-port",
          path: props.alb.healthCheckPath,
          matcher: "200",
        },
        tags: { Name: targetGroupName },
        lifecycle: CREATE_FIRST,
      }),
      addressName(this, "alb"),
    );
    withAddress(
      new LbTargetGroupAttachment(this, "alb-attachment", {
        targetGroupArn: targetGroup.arn,
        targetId: props.alb.loadBalancerArn,
        port: albPort,
        // Registration fails unless the ALB already has a listener on the target port
        // (terraform-provider-aws#21558).
        dependsOn: props.alb.readiness,
      }),
      addressName(this, "alb"),
    );
    withAddress(
      new LbListener(this, "listener", {
        loadBalancerArn: nlb.arn,
        port: props.port,
        // Only TCP listeners can forward to an `alb` target group.
        protocol: "TCP",
        defaultAction: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        tags: { Name: `${props.name}-nlb-tcp` },
      }),
      addressName(this, "tcp"),
    );
    this.loadBalancer = nlb;
    this.loadBalancerArn = nlb.arn;
    this.dnsName = nlb.dnsName;
  }
}
