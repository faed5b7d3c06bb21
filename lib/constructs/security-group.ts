/** A security group whose every rule is a separate, described resource. */
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { withAddress } from "../naming";
import { CREATE_FIRST } from "../placement-checks";

/** Properties of {@link Firewall}. */
export interface FirewallProps {
  /** The group's name in AWS. */
  readonly name: string;
  /** What the group protects; shown in the console and in plans. */
  readonly description: string;
  /** The VPC of the group. */
  readonly vpcId: string;
  /** Terraform name of the group; its rules are named `<address>_<rule>`. */
  readonly address: string;
}

/**
 * A rule name derived from a CIDR (`10.1.0.0/16` → `10_1_0_0_16`), so a rule's address does
 * not change when other rules are added or removed: no destroy-and-create in plans.
 */
export const cidrName = (cidr: string): string => cidr.replace(/[./:]/g, "_");

/** One TCP rule: a port and exactly one peer, a CIDR block or another security group. */
export interface TcpRule {
  /** Why the rule exists. */
  readonly description: string;
  /** The TCP port. */
  readonly port: number;
  /** The peer IPv4 CIDR block. */
  readonly cidr?: string;
  /** The peer security group. */
  readonly securityGroupId?: string;
}

/**
 * A security group with no inline rules. Terraform removes AWS's default allow-all egress
 * when it creates a group, so a group starts closed in both directions; each opening is an
 * `aws_vpc_security_group_{ingress,egress}_rule` with its own description.
 */
export class Firewall extends Construct {
  /** The security group ID. */
  public readonly securityGroupId: string;
  private readonly address: string;

  constructor(scope: Construct, id: string, props: FirewallProps) {
    super(scope, id);
    const group = new SecurityGroup(this, "group", {
      name: props.name,
      description: props.description,
      vpcId: props.vpcId,
      tags: { Name: props.name },
      // Replaced only with a new name (the app's) or in another VPC, where the name is free.
      lifecycle: CREATE_FIRST,
    });
    withAddress(group, props.address);
    this.address = props.address;
    this.securityGroupId = group.id;
  }

  /** Opens inbound TCP `rule.port` from the peer; `name` completes the rule's address. */
  public allowIn(name: string, rule: TcpRule): void {
    withAddress(new VpcSecurityGroupIngressRule(this, `in-${name}`, this.ruleConfig(rule)), this.ruleAddress(name));
  }

  /** Opens outbound TCP `rule.port` to the peer; `name` completes the rule's address. */
  public allowOut(name: string, rule: TcpRule): void {
    withAddress(new VpcSecurityGroupEgressRule(this, `out-${name}`, this.ruleConfig(rule)), this.ruleAddress(name));
  }

  /** `<address>_<name>`, with only the characters a Terraform name may hold. */
  private ruleAddress(name: string): string {
    return `${this.address}_${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  }

  private ruleConfig(rule: TcpRule) {
    if ((rule.cidr === undefined) === (rule.securityGroupId === undefined)) {
      throw new Error(`Firewall ${this.node.path}: a rule needs exactly one of cidr or securityGroupId`);
    }
    return {
      securityGroupId: this.securityGroupId,
      description: rule.description,
      ipProtocol: "tcp",
      fromPort: rule.port,
      toPort: rule.port,
      cidrIpv4: rule.cidr,
      referencedSecurityGroupId: rule.securityGroupId,
    };
  }
}
