/** LambdaAlb on its own: internal ALB, lambda target group, invoke permission, listener, health rule. */
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { TerraformOutput } from "../../lib/cdktf";
import type { TerraformStack } from "../../lib/cdktf";
import { AlbTarget, LambdaAlb, LambdaAlbProps } from "../../lib/constructs/lambda-alb";
import type { SubnetGroup } from "../../lib/constructs/network";
import { SUPPRESSIONS_KEY } from "../../lib/policy/suppress";
import { resourceOf, scope, synth } from "./harness";

const KNOWN_SUBNETS: SubnetGroup = {
  subnetIds: ["subnet-a", "subnet-b"],
  azIds: ["apne1-az1", "apne1-az4"],
  azNames: ["ap-northeast-1a", "ap-northeast-1c"],
  azIdsKnown: true,
};
const PLAN_TIME_SUBNETS: SubnetGroup = { ...KNOWN_SUBNETS, azIdsKnown: false, source: "provider.network.existing.albSubnetIds" };
const FUNCTION_ARN = "arn:aws:lambda:ap-northeast-1:111111111111:function:hello";
const CERTIFICATE_ARN = "arn:aws:acm:ap-northeast-1:111111111111:certificate/0a1b2c3d-1111-2222-3333-444455556666";

/** Rules whose suppression depends on the config; the stacks record them, never the construct. */
const CONFIG_DRIVEN_RULES = ["CKV_AWS_2", "CKV_AWS_150", "CKV_AWS_91"];

/** The main function's target (empty key), named `functionName`, with `routes`. */
function target(functionName: string, key = "", routes: AlbTarget["routes"] = []): AlbTarget {
  return { key, targetGroupName: key ? `hello-${key}-tg` : "hello-lambda-tg", functionName, functionArn: FUNCTION_ARN, routes };
}

function props(overrides: Partial<LambdaAlbProps> = {}): LambdaAlbProps {
  return {
    name: "hello",
    vpcId: "vpc-0123456789abcdef0",
    subnets: KNOWN_SUBNETS,
    port: 80,
    healthCheckPath: "/healthz",
    targets: [target("hello")],
    accountId: "111111111111",
    ...overrides,
  };
}

/** Builds the ALB as construct "alb" in a fresh stack and synthesizes it. */
function build(overrides: Partial<LambdaAlbProps> = {}) {
  const { stack } = scope();
  const alb = new LambdaAlb(stack, "alb", props(overrides));
  return { stack, alb, ...synth(stack) };
}

/** Recorded suppressions (rule ID → reason) per `type.name`; Testing.synth strips the "//" metadata. */
function suppressions(stack: TerraformStack): Record<string, Record<string, string>> {
  const raw = stack.toTerraform() as { resource?: Record<string, Record<string, any>> };
  const found: Record<string, Record<string, string>> = {};
  for (const [type, byName] of Object.entries(raw.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) found[`${type}.${name}`] = body["//"]?.[SUPPRESSIONS_KEY] ?? {};
  }
  return found;
}

describe("LambdaAlb: the load balancer", () => {
  test("an internal application load balancer in the given subnets, dropping invalid headers, with safe defaults", () => {
    // GIVEN props without desync mode, deletion protection or access logs
    // WHEN the ALB is synthesized
    const { text, json } = build();
    // THEN it is internal, in the subnets, behind its own group, defensive and protected from deletion
    expect(text).toHaveResourceWithProperties(Lb, {
      name: "hello-alb",
      load_balancer_type: "application",
      internal: true,
      subnets: ["subnet-a", "subnet-b"],
      security_groups: ["${aws_security_group.alb.id}"],
      drop_invalid_header_fields: true,
      desync_mitigation_mode: "defensive",
      enable_deletion_protection: true,
    });
    expect(resourceOf(json, "aws_lb", "alb")).not.toHaveProperty("access_logs");
  });

  test.each([
    ["strictest" as const, false],
    ["defensive" as const, true],
  ])("desync mode %s and deletion protection %s are taken as given", (desyncMitigationMode, deletionProtection) => {
    // GIVEN explicit desync mode and deletion protection
    // WHEN the ALB is synthesized
    const lb = resourceOf(build({ desyncMitigationMode, deletionProtection }).json, "aws_lb", "alb");
    // THEN both reach the load balancer unchanged
    expect(lb.desync_mitigation_mode).toBe(desyncMitigationMode);
    expect(lb.enable_deletion_protection).toBe(deletionProtection);
  });

  test.each([
    [{ bucket: "alb-logs-111111111111" }, { enabled: true, bucket: "alb-logs-111111111111" }],
    [
      { bucket: "alb-logs-111111111111", prefix: "hello" },
      { enabled: true, bucket: "alb-logs-111111111111", prefix: "hello" },
    ],
  ])("access logs %j are enabled as given", (accessLogs, expected) => {
    // GIVEN an access log bucket, with or without prefix
    // WHEN the ALB is synthesized
    const lb = resourceOf(build({ accessLogs }).json, "aws_lb", "alb");
    // THEN access logs are on, to that bucket
    expect(lb.access_logs).toEqual(expected);
  });

  test("the security group allows nothing: no egress and, alone, no ingress", () => {
    // GIVEN an ALB with no NLB in front of it yet
    // WHEN it is synthesized
    const { text, json } = build();
    // THEN its group exists in the VPC, and no rule opens it
    expect(text).toHaveResourceWithProperties(SecurityGroup, { name: "hello-alb", vpc_id: "vpc-0123456789abcdef0" });
    expect(resourceOf(json, "aws_security_group", "alb")).not.toHaveProperty("egress");
    expect(json.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });
});

describe("LambdaAlb: target group, permission and registration", () => {
  test("the lambda target group turns health checks off and has no port, protocol or VPC", () => {
    // GIVEN an ALB
    // WHEN it is synthesized
    const tg = resourceOf(build().json, "aws_lb_target_group", "alb_lambda");
    // THEN its target group is of type lambda with health checks explicitly off
    expect(tg.name).toBe("hello-lambda-tg");
    expect(tg.target_type).toBe("lambda");
    expect(tg.health_check).toEqual({ enabled: false });
    expect(tg).not.toHaveProperty("port");
    expect(tg).not.toHaveProperty("protocol");
    expect(tg).not.toHaveProperty("vpc_id");
  });

  test("multi-value headers are on for the target that asks for them, and unwritten (the provider's off) for the rest", () => {
    // GIVEN two targets, the routed one asking for multi-value headers
    const routed = { ...target("hello-api", "api", [{ paths: ["/api/*"], priority: 10 }]), multiValueHeaders: true };
    const { json } = build({ targets: [target("hello"), routed] });
    // THEN only its target group has the attribute
    expect(resourceOf(json, "aws_lb_target_group", "alb_lambda_api").lambda_multi_value_headers_enabled).toBe(true);
    expect(resourceOf(json, "aws_lb_target_group", "alb_lambda")).not.toHaveProperty("lambda_multi_value_headers_enabled");
  });

  test("ELB may invoke the function only from this target group, in this account", () => {
    // GIVEN a function name and an account
    // WHEN the ALB is synthesized
    const { text } = build({ targets: [target("other-fn")], accountId: "333333333333" });
    // THEN the permission is scoped by source ARN and source account
    expect(text).toHaveResourceWithProperties(LambdaPermission, {
      statement_id: "AllowInvokeFromAlbTargetGroup",
      action: "lambda:InvokeFunction",
      function_name: "other-fn",
      principal: "elasticloadbalancing.amazonaws.com",
      source_arn: "${aws_lb_target_group.alb_lambda.arn}",
      source_account: "333333333333",
    });
  });

  test("the function is registered only after the permission exists", () => {
    // GIVEN a function ARN
    // WHEN the ALB is synthesized
    const attachment = resourceOf(build().json, "aws_lb_target_group_attachment", "alb_lambda");
    // THEN the attachment targets it and depends on the permission
    expect(attachment).toEqual({
      target_group_arn: "${aws_lb_target_group.alb_lambda.arn}",
      target_id: FUNCTION_ARN,
      depends_on: ["aws_lambda_permission.alb_invoke"],
    });
  });
});

describe("LambdaAlb: listener and health rule", () => {
  test.each([
    [
      "HTTP",
      80,
      undefined,
      "alb_http",
      { port: 80, protocol: "HTTP", tags: { Name: "hello-alb-http" } },
      ["certificate_arn", "ssl_policy"],
    ],
    [
      "HTTPS",
      443,
      CERTIFICATE_ARN,
      "alb_https",
      {
        port: 443,
        protocol: "HTTPS",
        certificate_arn: CERTIFICATE_ARN,
        ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        tags: { Name: "hello-alb-https" },
      },
      [],
    ],
  ])(
    "%s on port %d: one listener, which the health rule is attached to",
    (protocol, port, certificateArn, oldAddress, expected, absent) => {
      // GIVEN a port and, for HTTPS, a certificate
      // WHEN the ALB is synthesized
      const { alb, json } = build({ port, certificateArn });
      // THEN one listener, at the same address whatever its protocol, forwards to the lambda target group
      expect(Object.keys(json.resource.aws_lb_listener)).toEqual(["alb_listener"]);
      const listener = resourceOf(json, "aws_lb_listener", "alb_listener");
      expect(listener).toMatchObject({
        ...expected,
        load_balancer_arn: "${aws_lb.alb.arn}",
        default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.alb_lambda.arn}" }],
      });
      for (const key of absent) expect(listener).not.toHaveProperty(key);
      expect(alb.protocol).toBe(protocol);
      expect(resourceOf(json, "aws_lb_listener_rule", "alb_health").listener_arn).toBe("${aws_lb_listener.alb_listener.arn}");
      // AND a deployment made when the address named the protocol moves to it instead of being replaced
      expect(json.moved).toEqual([{ from: `aws_lb_listener.${oldAddress}`, to: "aws_lb_listener.alb_listener" }]);
    },
  );

  test.each([["/healthz"], ["/internal/ping"]])("the ALB answers %s itself with 200 ok at priority 1", (healthCheckPath) => {
    // GIVEN a health-check path
    // WHEN the ALB is synthesized
    const { text, json, alb } = build({ healthCheckPath });
    // THEN a priority-1 rule on the listener answers that path with a fixed 200 "ok"
    expect(text).toHaveResourceWithProperties(LbListenerRule, {
      listener_arn: "${aws_lb_listener.alb_listener.arn}",
      priority: 1,
      condition: [{ path_pattern: { values: [healthCheckPath] } }],
    });
    expect(resourceOf(json, "aws_lb_listener_rule", "alb_health").action).toEqual([
      { type: "fixed-response", fixed_response: { status_code: "200", content_type: "text/plain", message_body: "ok" } },
    ]);
    expect(alb.healthCheckPath).toBe(healthCheckPath);
  });

  test("readiness holds the listener and the health rule, and the construct exposes the ALB", () => {
    // GIVEN an ALB
    const { stack } = scope();
    // WHEN it is built and its attributes are written as outputs
    const alb = new LambdaAlb(stack, "alb", props({ subnets: PLAN_TIME_SUBNETS }));
    new TerraformOutput(stack, "arn", { value: alb.loadBalancerArn });
    new TerraformOutput(stack, "dns", { value: alb.dnsName });
    new TerraformOutput(stack, "sg", { value: alb.firewall.securityGroupId });
    const { json } = synth(stack);
    // THEN readiness is exactly [listener, health rule], and the attributes are the ALB's
    expect(alb.readiness).toHaveLength(2);
    expect(alb.readiness[0]).toBe(alb.listener);
    expect(alb.readiness[0]).toBeInstanceOf(LbListener);
    expect(alb.readiness[1]).toBeInstanceOf(LbListenerRule);
    expect((alb.readiness[1] as LbListenerRule).friendlyUniqueId).toBe("alb_health");
    expect(alb.loadBalancer).toBeInstanceOf(Lb);
    expect(alb.subnets).toBe(PLAN_TIME_SUBNETS);
    expect(json.output.arn.value).toBe("${aws_lb.alb.arn}");
    expect(json.output.dns.value).toBe("${aws_lb.alb.dns_name}");
    expect(json.output.sg.value).toBe("${aws_security_group.alb.id}");
  });
});

describe("LambdaAlb: suppressions", () => {
  test.each([
    ["plain HTTP, defaults", {}],
    ["no deletion protection, no access logs", { deletionProtection: false }],
    ["HTTPS with access logs", { certificateArn: CERTIFICATE_ARN, port: 443, accessLogs: { bucket: "alb-logs-111111111111" } }],
  ])("%s: the construct records no suppression at all", (_label, overrides: Partial<LambdaAlbProps>) => {
    // GIVEN an ALB whose settings may need config-driven suppressions
    const { stack } = build(overrides);
    // WHEN every recorded suppression is collected
    const recorded = suppressions(stack);
    // THEN the resources are there, and none carries CKV_AWS_2, CKV_AWS_150 or CKV_AWS_91 (the stacks record those)
    expect(recorded).toHaveProperty(["aws_lb.alb"]);
    const ruleIds = Object.values(recorded).flatMap((r) => Object.keys(r));
    for (const rule of CONFIG_DRIVEN_RULES) expect(ruleIds).not.toContain(rule);
    expect(ruleIds).toEqual([]);
  });
});

describe("LambdaAlb: plan-time placement check", () => {
  test("with AZ IDs known at synth there is no precondition", () => {
    // GIVEN subnets whose AZ IDs are literals
    // WHEN the ALB is synthesized
    const lb = resourceOf(build().json, "aws_lb", "alb");
    // THEN no precondition is written (deletion protection's guard, and create-before-destroy)
    expect(lb.lifecycle).toEqual({ prevent_destroy: true, create_before_destroy: true });
  });

  test("without deletion protection the lifecycle is create-before-destroy only", () => {
    expect(resourceOf(build({ deletionProtection: false }).json, "aws_lb", "alb").lifecycle).toEqual({ create_before_destroy: true });
  });

  test.each([
    ["with a source", PLAN_TIME_SUBNETS, "The ALB's subnets (provider.network.existing.albSubnetIds) must be"],
    ["without a source", { ...PLAN_TIME_SUBNETS, source: undefined }, "The ALB's subnets must be"],
  ])("AZ IDs read at plan, %s: ≥2 distinct AZs are required", (_label, subnets, messageStart) => {
    // GIVEN subnets whose AZ IDs Terraform reads at plan
    // WHEN the ALB is synthesized
    const lb = resourceOf(build({ subnets }).json, "aws_lb", "alb");
    // THEN one precondition requires two distinct AZs, its message naming the source when there is one
    expect(lb.lifecycle.precondition).toHaveLength(1);
    const [check] = lb.lifecycle.precondition;
    expect(check.condition).toContain('length(distinct(["apne1-az1", "apne1-az4"])) >= 2');
    expect(check.error_message.startsWith(messageStart)).toBe(true);
    expect(check.error_message).toContain("at least 2 different AZs, one subnet per AZ");
  });
});

describe("LambdaAlb: plan-time room in each subnet", () => {
  test("subnets read at plan, with their sizes: each must be a /27 or larger with 8 free addresses, named in the message", () => {
    // GIVEN subnets read at plan, with the size and free addresses Terraform reads for one of them
    const subnets = { ...PLAN_TIME_SUBNETS, capacity: [{ subnetId: "subnet-a", cidrBlock: "10.0.0.0/28", availableIps: 5 }] };
    // WHEN the ALB is synthesized
    const [, size, room] = resourceOf(build({ subnets }).json, "aws_lb", "alb").lifecycle.precondition;
    // THEN after the AZ check, one check of its size and one of its free addresses, each naming it
    expect(size.error_message).toBe(
      "The ALB's subnets (provider.network.existing.albSubnetIds): subnet subnet-a is 10.0.0.0/28; it must be /27 or larger (AWS's rule for load balancer subnets).",
    );
    expect(room.error_message).toBe(
      "The ALB's subnets (provider.network.existing.albSubnetIds): subnet subnet-a has 5 free addresses; it needs at least 8 (AWS's rule for load balancer subnets).",
    );
  });
});

describe("LambdaAlb: refusals", () => {
  test("an ALB whose construct ID is already a security group's address is refused", () => {
    // GIVEN an ALB "alb" in the stack
    const { stack } = scope();
    new LambdaAlb(stack, "alb", props());
    // WHEN a second ALB with the same ID is built under another parent
    const construct = () => new LambdaAlb(new Construct(stack, "other"), "alb", props({ name: "other" }));
    // THEN the address clash is named
    expect(construct).toThrow("Terraform address aws_security_group.alb is chosen twice in stack test");
  });
});

describe("LambdaAlb: routed targets", () => {
  /** The main function, and an API function routed by path and two headers given out of name order. */
  const routed = () =>
    build({
      targets: [
        target("hello"),
        target("hello-api", "api", [{ priority: 10, paths: ["/api/*"], headers: { "X-B": ["2"], "X-A": ["1", "3"] } }]),
      ],
    });

  test("the ALB, its rules and each target group carry a Name tag of their own, as the console lists them", () => {
    const { json } = routed();
    expect(resourceOf(json, "aws_lb", "alb").tags).toEqual({ Name: "hello-alb" });
    expect(resourceOf(json, "aws_lb_listener_rule", "alb_health").tags).toEqual({ Name: "hello-alb-health" });
    expect(resourceOf(json, "aws_lb_listener_rule", "alb_route_10").tags).toEqual({ Name: "hello-api-tg-10" });
    expect(resourceOf(json, "aws_lb_target_group", "alb_lambda").tags).toEqual({ Name: "hello-lambda-tg" });
    expect(resourceOf(json, "aws_lb_target_group", "alb_lambda_api").tags).toEqual({ Name: "hello-api-tg" });
  });

  test("a route's conditions: its paths, then one per header in name order, whatever the config's order", () => {
    const { json } = routed();
    expect(resourceOf(json, "aws_lb_listener_rule", "alb_route_10")).toMatchObject({
      priority: 10,
      condition: [
        { path_pattern: { values: ["/api/*"] } },
        { http_header: { http_header_name: "X-A", values: ["1", "3"] } },
        { http_header: { http_header_name: "X-B", values: ["2"] } },
      ],
      action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.alb_lambda_api.arn}" }],
    });
  });

  test("the target without routes takes the default action, wherever it is in the list", () => {
    const { json } = build({ targets: [target("hello-api", "api", [{ priority: 10, paths: ["/api/*"] }]), target("hello")] });
    expect(resourceOf(json, "aws_lb_listener", "alb_listener").default_action).toEqual([
      { type: "forward", target_group_arn: "${aws_lb_target_group.alb_lambda.arn}" },
    ]);
  });

  test.each([
    ["none", [target("hello-api", "api", [{ priority: 10, paths: ["/api/*"] }])], 0],
    ["two", [target("hello"), target("hello-admin", "admin")], 2],
  ])("%s without routes: refused, since exactly one target takes the default action", (_what, targets, count) => {
    expect(() => build({ targets })).toThrow(
      `LambdaAlb hello: exactly one target must have no routes (it takes the default action); ${count} have none`,
    );
  });
});
