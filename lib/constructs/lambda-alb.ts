/** An internal ALB in front of Lambda functions: one by default, the others by route. */
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { Construct } from "constructs";
import type { ITerraformDependable } from "../cdktf";
import { addressName, movedFrom, withAddress } from "../naming";
import { describeSubnets, SubnetGroup } from "./network";
import { CREATE_FIRST, spansDistinctAzs, subnetsHaveRoom, withPreventDestroy } from "../placement-checks";
import { RECOMMENDED_TLS_POLICY } from "../policy/rules/listener-tls-policy";
import { HEALTH_RULE_PRIORITY, RouteConditions } from "../routes";
import { Firewall } from "./security-group";

/** A route to a function: what it matches, and its rule's priority. */
export interface AlbRoute extends RouteConditions {
  /** Lower matches first; 1 is the health check's. */
  readonly priority: number;
}

/** A function behind the ALB, in a target group of its own. */
export interface AlbTarget {
  /**
   * Suffix of its resources' addresses and construct IDs; empty for the function whose
   * resources keep the addresses of the app's single function.
   */
  readonly key: string;
  /** The target group's name (at most 32 characters). */
  readonly targetGroupName: string;
  /** The function to invoke. */
  readonly functionName: string;
  /** The function's ARN. */
  readonly functionArn: string;
  /** Its routes; none for the default target. */
  readonly routes: readonly AlbRoute[];
  /**
   * The ALB sends every header and query parameter's values as lists (`multiValueHeaders`,
   * `multiValueQueryStringParameters`) and reads the response's `multiValueHeaders`: repeated
   * query parameters and several Set-Cookie headers get through. @default false
   */
  readonly multiValueHeaders?: boolean;
}

/** Properties of {@link LambdaAlb}. */
export interface LambdaAlbProps {
  /** Name prefix of the load balancer and target group (≤ 20 characters). */
  readonly name: string;
  /** The VPC of the ALB. */
  readonly vpcId: string;
  /** Subnets in at least two AZs, one per AZ. */
  readonly subnets: SubnetGroup;
  /** The listener port. */
  readonly port: number;
  /** A path the ALB answers itself with 200, so health checks never invoke the function. */
  readonly healthCheckPath: string;
  /** The functions: exactly one without routes, which answers every request no route matches. */
  readonly targets: readonly AlbTarget[];
  /** The account that owns the target group, for the permission's `source_account`. */
  readonly accountId: string;
  /** An ACM certificate: the listener is then HTTPS with a TLS 1.2+/1.3 policy. @default - plain HTTP */
  readonly certificateArn?: string;
  /** Deletion protection. @default true */
  readonly deletionProtection?: boolean;
  /** HTTP desync mitigation. @default "defensive" */
  readonly desyncMitigationMode?: "defensive" | "strictest";
  /** Access logs to an S3 bucket in the same Region. @default - none */
  readonly accessLogs?: { readonly bucket: string; readonly prefix?: string };
}

/** ALB → Lambda: listener, per function a target group, invoke permission and registration, and a rule per route. */
export class LambdaAlb extends Construct {
  /** The load balancer resource. */
  public readonly loadBalancer: Lb;
  /** The ALB's ARN (an NLB registers it as an `alb` target). */
  public readonly loadBalancerArn: string;
  /** The ALB's DNS name. */
  public readonly dnsName: string;
  /** The listener object; the NLB's target group takes its port from here. */
  public readonly listener: LbListener;
  /** What must exist before another load balancer may send traffic or health checks. */
  public readonly readiness: ITerraformDependable[];
  /** The ALB's security group. Closed until a client is allowed in. */
  public readonly firewall: Firewall;
  /** The path answered by the ALB itself. */
  public readonly healthCheckPath: string;
  /** The ALB's subnets; the NLB must stay within their AZs. */
  public readonly subnets: SubnetGroup;
  /** The listener's protocol; the NLB health-checks with the same. */
  public readonly protocol: "HTTP" | "HTTPS";
  /** The listener's port, as configured. */
  public readonly port: number;
  /** Each target's group, in the order of `targets`. */
  public readonly targetGroups: LbTargetGroup[];

  constructor(scope: Construct, id: string, props: LambdaAlbProps) {
    super(scope, id);
    const name = addressName(this);
    this.healthCheckPath = props.healthCheckPath;
    this.subnets = props.subnets;
    this.port = props.port;

    // No egress: the ALB reaches Lambda through the Lambda API, not the VPC network.
    this.firewall = new Firewall(this, "firewall", {
      address: addressName(this),
      name: `${props.name}-alb`,
      description: `Internal ALB ${props.name}-alb: ingress from its NLB only, no egress`,
      vpcId: props.vpcId,
    });
    const alb = withAddress(
      new Lb(this, "alb", {
        name: `${props.name}-alb`,
        loadBalancerType: "application",
        internal: true,
        subnets: [...props.subnets.subnetIds],
        securityGroups: [this.firewall.securityGroupId],
        dropInvalidHeaderFields: true,
        desyncMitigationMode: props.desyncMitigationMode ?? "defensive",
        enableDeletionProtection: props.deletionProtection ?? true,
        accessLogs: props.accessLogs && { enabled: true, bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix },
        tags: { Name: `${props.name}-alb` },
        lifecycle: withPreventDestroy(
          props.deletionProtection ?? true,
          props.subnets.azIdsKnown
            ? []
            : [
                spansDistinctAzs(props.subnets.azIds, 2, describeSubnets("The ALB's subnets", props.subnets)),
                ...subnetsHaveRoom(props.subnets.capacity ?? [], 27, 8, describeSubnets("The ALB's subnets", props.subnets)),
              ],
        ),
      }),
      name,
    );

    const defaults = props.targets.filter((t) => t.routes.length === 0);
    if (defaults.length !== 1) {
      throw new Error(
        `LambdaAlb ${props.name}: exactly one target must have no routes (it takes the default action); ${defaults.length} have none`,
      );
    }
    const groups = props.targets.map((t) => ({ target: t, group: this.lambdaTarget(t, props.accountId) }));
    this.targetGroups = groups.map((g) => g.group);
    const defaultGroup = groups.find((g) => g.target === defaults[0]);

    const https = props.certificateArn !== undefined;
    // Port and protocol change in place, so the address stays `alb_listener` whatever the
    // protocol: a new address would delete the listener and create one on the same port.
    this.listener = withAddress(
      new LbListener(this, "listener", {
        loadBalancerArn: alb.arn,
        port: props.port,
        protocol: https ? "HTTPS" : "HTTP",
        certificateArn: props.certificateArn,
        sslPolicy: https ? RECOMMENDED_TLS_POLICY : undefined,
        defaultAction: [{ type: "forward", targetGroupArn: defaultGroup?.group.arn }],
        tags: { Name: `${props.name}-alb-${https ? "https" : "http"}` },
      }),
      addressName(this, "listener"),
    );
    // Deployments made before this address kept it by protocol.
    movedFrom(this.listener, `aws_lb_listener.${addressName(this, https ? "https" : "http")}`);
    this.protocol = https ? "HTTPS" : "HTTP";
    const healthRule = withAddress(
      new LbListenerRule(this, "health", {
        listenerArn: this.listener.arn,
        priority: HEALTH_RULE_PRIORITY,
        condition: [{ pathPattern: { values: [props.healthCheckPath] } }],
        action: [{ type: "fixed-response", fixedResponse: { statusCode: "200", contentType: "text/plain", messageBody: "ok" } }],
        tags: { Name: `${props.name}-alb-health` },
      }),
      addressName(this, "health"),
    );
    for (const { target, group } of groups) {
      for (const route of target.routes) {
        withAddress(
          new LbListenerRule(this, `route-${route.priority}`, {
            listenerArn: this.listener.arn,
            priority: route.priority,
            condition: conditionsOf(route),
            action: [{ type: "forward", targetGroupArn: group.arn }],
            tags: { Name: `${target.targetGroupName}-${route.priority}` },
          }),
          addressName(this, `route_${route.priority}`),
        );
      }
    }
    this.loadBalancer = alb;
    this.loadBalancerArn = alb.arn;
    this.dnsName = alb.dnsName;
    this.readiness = [this.listener, healthRule];
  }

  /** A function's target group, the permission ELB needs to invoke it, and its registration; the group. */
  private lambdaTarget(target: AlbTarget, accountId: string): LbTargetGroup {
    const suffix = (base: string) => (target.key ? `${base}_${target.key}` : base);
    const id = (base: string) => (target.key ? `${base}-${target.key}` : base);
    // Lambda target groups take no port, protocol or vpc_id.
    const targetGroup = withAddress(
      new LbTargetGroup(this, id("lambda-tg"), {
        name: target.targetGroupName,
        targetType: "lambda",
        // AWS leaves health checks off for Lambda targets but Terraform defaults them on;
        // each check is a billed invocation. Off, stated explicitly.
        healthCheck: { enabled: false },
        // Written only when on: off is the provider's default, and the output stays as it was.
        ...(target.multiValueHeaders ? { lambdaMultiValueHeadersEnabled: true } : {}),
        tags: { Name: target.targetGroupName },
        lifecycle: CREATE_FIRST,
      }),
      addressName(this, suffix("lambda")),
    );
    // Scoped to this target group: no other group, and no other account's, may invoke the function.
    const permission = withAddress(
      new LambdaPermission(this, id("invoke"), {
        statementId: "AllowInvokeFromAlbTargetGroup",
        action: "lambda:InvokeFunction",
        functionName: target.functionName,
        principal: "elasticloadbalancing.amazonaws.com",
        sourceArn: targetGroup.arn,
        sourceAccount: accountId,
      }),
      addressName(this, suffix("invoke")),
    );
    withAddress(
      new LbTargetGroupAttachment(this, id("lambda-attachment"), {
        targetGroupArn: targetGroup.arn,
        targetId: target.functionArn,
        // Registration fails unless ELB may already invoke the function.
        dependsOn: [permission],
      }),
      addressName(this, suffix("lambda")),
    );
    return targetGroup;
  }
}

/** A route's conditions as listener rule conditions: one per kind, one per header (in name order). */
function conditionsOf(route: RouteConditions) {
  const headers = Object.keys(route.headers ?? {}).sort();
  return [
    ...(route.paths ? [{ pathPattern: { values: [...route.paths] } }] : []),
    ...(route.hosts ? [{ hostHeader: { values: [...route.hosts] } }] : []),
    ...(route.methods ? [{ httpRequestMethod: { values: [...route.methods] } }] : []),
    ...headers.map((name) => ({ httpHeader: { httpHeaderName: name, values: [...(route.headers?.[name] ?? [])] } })),
  ];
}
