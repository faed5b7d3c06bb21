/** AlbFrontingNlb on its own, in front of a LambdaAlb: NLB, security groups, alb target group, listener. */
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { Construct } from "constructs";
import { TerraformOutput } from "../../lib/cdktf";
import type { TerraformStack } from "../../lib/cdktf";
import { AlbFrontingNlb, AlbFrontingNlbProps } from "../../lib/constructs/alb-fronting-nlb";
import { LambdaAlb, LambdaAlbProps } from "../../lib/constructs/lambda-alb";
import type { SubnetGroup } from "../../lib/constructs/network";
import { SUPPRESSIONS_KEY } from "../../lib/policy/suppress";
import { resourceOf, scope, synth } from "./harness";

const KNOWN_SUBNETS: SubnetGroup = {
  subnetIds: ["subnet-a", "subnet-b"],
  azIds: ["apne1-az1", "apne1-az4"],
  azNames: ["ap-northeast-1a", "ap-northeast-1c"],
  azIdsKnown: true,
};
const PLAN_TIME_SUBNETS: SubnetGroup = { ...KNOWN_SUBNETS, azIdsKnown: false, source: "provider.network.existing.nlbSubnetIds" };
const CERTIFICATE_ARN = "arn:aws:acm:ap-northeast-1:111111111111:certificate/0a1b2c3d-1111-2222-3333-444455556666";

function albProps(overrides: Partial<LambdaAlbProps> = {}): LambdaAlbProps {
  return {
    name: "hello",
    vpcId: "vpc-0123456789abcdef0",
    subnets: KNOWN_SUBNETS,
    port: 80,
    healthCheckPath: "/healthz",
    targets: [
      {
        key: "",
        targetGroupName: "hello-lambda-tg",
        functionName: "hello",
        functionArn: "arn:aws:lambda:ap-northeast-1:111111111111:function:hello",
        routes: [],
      },
    ],
    accountId: "111111111111",
    ...overrides,
  };
}

type NlbOverrides = Partial<Omit<AlbFrontingNlbProps, "alb">>;

/** Builds LambdaAlb "alb" and AlbFrontingNlb "nlb" in a fresh stack and synthesizes them. */
function build(overrides: NlbOverrides = {}, albOverrides: Partial<LambdaAlbProps> = {}) {
  const { stack } = scope();
  const alb = new LambdaAlb(stack, "alb", albProps(albOverrides));
  const nlb = new AlbFrontingNlb(stack, "nlb", {
    name: "hello",
    vpcId: "vpc-0123456789abcdef0",
    subnets: KNOWN_SUBNETS,
    port: 80,
    alb,
    clientCidrs: ["10.1.0.0/16"],
    ...overrides,
  });
  return { stack, alb, nlb, ...synth(stack) };
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

describe("AlbFrontingNlb: the load balancer", () => {
  test("an internal network load balancer with its group from creation, enforcement on and cross-zone off by default", () => {
    // GIVEN an NLB without enforcement or deletion protection settings
    // WHEN it is synthesized
    const { text, json } = build();
    // THEN it is internal, in the subnets, with its group, enforcing inbound rules, cross-zone off, protected
    expect(text).toHaveResourceWithProperties(Lb, {
      name: "hello-nlb",
      load_balancer_type: "network",
      internal: true,
      subnets: ["subnet-a", "subnet-b"],
      security_groups: ["${aws_security_group.nlb.id}"],
      enforce_security_group_inbound_rules_on_private_link_traffic: "on",
      enable_cross_zone_load_balancing: false,
      enable_deletion_protection: true,
    });
    expect(resourceOf(json, "aws_security_group", "nlb")).toMatchObject({ name: "hello-nlb", vpc_id: "vpc-0123456789abcdef0" });
  });

  test.each([
    ["on" as const, false],
    ["off" as const, true],
  ])("enforcement %s and deletion protection %s are taken as given", (privateLinkInboundRules, deletionProtection) => {
    // GIVEN explicit enforcement and deletion protection
    // WHEN the NLB is synthesized
    const lb = resourceOf(build({ privateLinkInboundRules, deletionProtection }).json, "aws_lb", "nlb");
    // THEN both reach the load balancer; cross-zone stays off
    expect(lb.enforce_security_group_inbound_rules_on_private_link_traffic).toBe(privateLinkInboundRules);
    expect(lb.enable_deletion_protection).toBe(deletionProtection);
    expect(lb.enable_cross_zone_load_balancing).toBe(false);
  });

  test("the construct exposes the NLB's ARN, DNS name and port", () => {
    // GIVEN an NLB on port 8443
    const { stack } = scope();
    const alb = new LambdaAlb(stack, "alb", albProps());
    // WHEN it is built and its attributes are written as outputs
    const nlb = new AlbFrontingNlb(stack, "nlb", {
      name: "hello",
      vpcId: "vpc-1",
      subnets: KNOWN_SUBNETS,
      port: 8443,
      alb,
      clientCidrs: [],
    });
    new TerraformOutput(stack, "arn", { value: nlb.loadBalancerArn });
    new TerraformOutput(stack, "dns", { value: nlb.dnsName });
    const { json } = synth(stack);
    // THEN they are the NLB's
    expect(nlb.loadBalancer).toBeInstanceOf(Lb);
    expect(nlb.port).toBe(8443);
    expect(json.output.arn.value).toBe("${aws_lb.nlb.arn}");
    expect(json.output.dns.value).toBe("${aws_lb.nlb.dns_name}");
  });
});

describe("AlbFrontingNlb: security groups", () => {
  test.each([
    ["on" as const, ["10.1.0.0/16", "172.16.8.0/22"], ["nlb_client_10_1_0_0_16", "nlb_client_172_16_8_0_22"]],
    [undefined, ["10.1.0.0/16"], ["nlb_client_10_1_0_0_16"]],
    ["on" as const, [], []],
    ["off" as const, ["10.1.0.0/16", "172.16.8.0/22"], []],
  ])("enforcement %s, clients %j: NLB ingress rules %j", (privateLinkInboundRules, clientCidrs, expected) => {
    // GIVEN client CIDRs and an enforcement setting (undefined: the default, on)
    // WHEN the NLB is synthesized on port 8080
    const { json } = build({ privateLinkInboundRules, clientCidrs, port: 8080 });
    // THEN with enforcement on, each client CIDR gets one rule on the service port; with it off, none
    const ingress = json.resource.aws_vpc_security_group_ingress_rule;
    const nlbRules = Object.keys(ingress).filter((name) => name.startsWith("nlb_"));
    expect(nlbRules.sort()).toEqual(expected);
    for (const name of nlbRules) {
      expect(ingress[name]).toMatchObject({
        security_group_id: "${aws_security_group.nlb.id}",
        ip_protocol: "tcp",
        from_port: 8080,
        to_port: 8080,
      });
      expect(clientCidrs).toContain(ingress[name].cidr_ipv4);
    }
  });

  test.each([["on" as const], ["off" as const]])(
    "enforcement %s: the NLB only sends to the ALB's group on the ALB's port, and the ALB only takes that",
    (privateLinkInboundRules) => {
      // GIVEN an ALB on port 80 and its NLB on port 80
      // WHEN both are synthesized
      const { json } = build({ privateLinkInboundRules });
      // THEN the only egress is NLB → ALB group, and the ALB's only ingress is from the NLB's group, on the listener's port
      expect(json.resource.aws_vpc_security_group_egress_rule).toEqual({
        nlb_to_alb: {
          security_group_id: "${aws_security_group.nlb.id}",
          description: expect.any(String),
          ip_protocol: "tcp",
          from_port: "${aws_lb_listener.alb_listener.port}",
          to_port: "${aws_lb_listener.alb_listener.port}",
          referenced_security_group_id: "${aws_security_group.alb.id}",
        },
      });
      const albIngress = Object.entries<any>(json.resource.aws_vpc_security_group_ingress_rule).filter(
        ([, rule]) => rule.security_group_id === "${aws_security_group.alb.id}",
      );
      expect(albIngress).toEqual([
        [
          "alb_from_nlb",
          {
            security_group_id: "${aws_security_group.alb.id}",
            description: expect.any(String),
            ip_protocol: "tcp",
            from_port: "${aws_lb_listener.alb_listener.port}",
            to_port: "${aws_lb_listener.alb_listener.port}",
            referenced_security_group_id: "${aws_security_group.nlb.id}",
          },
        ],
      ]);
    },
  );

  test("one ALB cannot front two NLBs: the second one's ALB ingress rule clashes", () => {
    // GIVEN an ALB already fronted by an NLB
    const { stack } = scope();
    const alb = new LambdaAlb(stack, "alb", albProps());
    const nlbProps = { vpcId: "vpc-1", subnets: KNOWN_SUBNETS, port: 80, alb, clientCidrs: [] };
    new AlbFrontingNlb(stack, "nlb", { ...nlbProps, name: "hello" });
    // WHEN a second NLB is put in front of it
    const construct = () => new AlbFrontingNlb(stack, "nlb2", { ...nlbProps, name: "hello2" });
    // THEN the construct throws on the duplicate rule
    expect(construct).toThrow(/in-from_nlb/);
  });

  test("the same client CIDR twice is refused", () => {
    // GIVEN a client CIDR listed twice
    const { stack } = scope();
    const alb = new LambdaAlb(stack, "alb", albProps());
    // WHEN the NLB is built
    const construct = () =>
      new AlbFrontingNlb(stack, "nlb", {
        name: "hello",
        vpcId: "vpc-1",
        subnets: KNOWN_SUBNETS,
        port: 80,
        alb,
        clientCidrs: ["10.1.0.0/16", "10.1.0.0/16"],
      });
    // THEN the duplicate rule is a construct clash
    expect(construct).toThrow(/in-client_10_1_0_0_16/);
  });

  test("an NLB whose construct ID is the ALB's is refused: the security group addresses would clash", () => {
    // GIVEN an ALB "alb"
    const { stack } = scope();
    const alb = new LambdaAlb(stack, "alb", albProps());
    // WHEN an NLB with ID "alb" is built under another parent
    const construct = () =>
      new AlbFrontingNlb(new Construct(stack, "other"), "alb", {
        name: "hello",
        vpcId: "vpc-1",
        subnets: KNOWN_SUBNETS,
        port: 80,
        alb,
        clientCidrs: [],
      });
    // THEN the address clash is named
    expect(construct).toThrow("Terraform address aws_security_group.alb is chosen twice in stack test");
  });
});

describe("AlbFrontingNlb: target group, registration and listener", () => {
  test.each([
    ["HTTP", 80, undefined],
    ["HTTPS", 443, CERTIFICATE_ARN],
  ])(
    "an %s ALB on port %d: the alb target group is TCP on its listener's port, named by it, and health-checks over the ALB's protocol",
    (protocol, port, certificateArn) => {
      // GIVEN an ALB with that protocol and port
      // WHEN the NLB in front of it is synthesized
      const { json } = build({ port: 8080 }, { port, certificateArn, healthCheckPath: "/ping" });
      // THEN the target group takes the port from the ALB listener and checks the ALB's own health path
      expect(resourceOf(json, "aws_lb_target_group", "nlb_alb")).toMatchObject({
        name: `hello-albtg-${port}`,
        target_type: "alb",
        protocol: "TCP",
        port: "${aws_lb_listener.alb_listener.port}",
        vpc_id: "vpc-0123456789abcdef0",
        health_check: { enabled: true, protocol, port: "traffic-port", path: "/ping", matcher: "200" },
      });
    },
  );

  test.each([
    ["HTTP", undefined],
    ["HTTPS", CERTIFICATE_ARN],
  ])("%s ALB: the registration waits for the ALB listener and its health rule", (_protocol, certificateArn) => {
    // GIVEN an ALB
    // WHEN the NLB in front of it is synthesized
    const { json } = build({}, { certificateArn, port: certificateArn ? 443 : 80 });
    // THEN the attachment registers the ALB on the listener's port after the listener and health rule exist
    const attachment = resourceOf(json, "aws_lb_target_group_attachment", "nlb_alb");
    expect(attachment).toMatchObject({
      target_group_arn: "${aws_lb_target_group.nlb_alb.arn}",
      target_id: "${aws_lb.alb.arn}",
      port: "${aws_lb_listener.alb_listener.port}",
    });
    expect([...attachment.depends_on].sort()).toEqual(["aws_lb_listener.alb_listener", "aws_lb_listener_rule.alb_health"]);
  });

  test.each([[80], [8443]])("the TCP listener on port %d forwards to the alb target group", (port) => {
    // GIVEN a service port
    // WHEN the NLB is synthesized
    const { text, json } = build({ port });
    // THEN its only listener is TCP on that port, forwarding to the alb target group
    expect(text).toHaveResourceWithProperties(LbListener, {
      load_balancer_arn: "${aws_lb.nlb.arn}",
      port,
      protocol: "TCP",
      default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.nlb_alb.arn}" }],
    });
    expect(resourceOf(json, "aws_lb_listener", "nlb_tcp")).not.toHaveProperty("certificate_arn");
  });
});

describe("AlbFrontingNlb: suppressions", () => {
  test.each([
    ["defaults", {}],
    ["enforcement off, no deletion protection", { privateLinkInboundRules: "off" as const, deletionProtection: false }],
  ])("%s: design suppressions only, never the config-driven ones", (_label, overrides: NlbOverrides) => {
    // GIVEN an NLB whose settings may need config-driven suppressions
    const { stack } = build(overrides);
    // WHEN its recorded suppressions are read
    const recorded = suppressions(stack);
    // THEN the NLB carries CKV_AWS_152 and CKV_AWS_91 with reasons, and nothing records CKV_AWS_150 or PLK_NLB_PRIVATELINK_INBOUND
    expect(Object.keys(recorded["aws_lb.nlb"]).sort()).toEqual(["CKV_AWS_152", "CKV_AWS_91"]);
    expect(recorded["aws_lb.nlb"].CKV_AWS_152).toMatch(/cross-zone/);
    expect(recorded["aws_lb.nlb"].CKV_AWS_91).toMatch(/access logs/);
    const ruleIds = Object.values(recorded).flatMap((r) => Object.keys(r));
    expect(ruleIds).not.toContain("CKV_AWS_150");
    expect(ruleIds).not.toContain("PLK_NLB_PRIVATELINK_INBOUND");
  });
});

describe("AlbFrontingNlb: AZs", () => {
  test("with both load balancers' AZ IDs known at synth there is no precondition, and azIds are distinct", () => {
    // GIVEN NLB subnets with a repeated AZ ID, known at synth
    const subnets: SubnetGroup = {
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      azIds: ["apne1-az1", "apne1-az4", "apne1-az1"],
      azNames: ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1a"],
      azIdsKnown: true,
    };
    // WHEN the NLB is synthesized
    const { nlb, json } = build({ subnets });
    // THEN azIds lists each AZ once, in order, and no precondition is written
    expect(nlb.azIds).toEqual(["apne1-az1", "apne1-az4"]);
    expect(resourceOf(json, "aws_lb", "nlb").lifecycle).not.toHaveProperty("precondition");
  });

  test.each([
    [true, { prevent_destroy: true, create_before_destroy: true }],
    [false, { create_before_destroy: true }],
  ])(
    "deletion protection %s: prevent_destroy follows it, so a destroy plan stops before removing anything",
    (deletionProtection, lifecycle) => {
      const { json } = build({ deletionProtection });
      expect(resourceOf(json, "aws_lb", "nlb").lifecycle).toEqual(lifecycle);
    },
  );

  test("with AZ IDs read at plan, azIds is Terraform's distinct() of them", () => {
    // GIVEN NLB subnets whose AZ IDs Terraform reads at plan
    const { stack } = scope();
    const alb = new LambdaAlb(stack, "alb", albProps());
    const nlb = new AlbFrontingNlb(stack, "nlb", {
      name: "hello",
      vpcId: "vpc-1",
      subnets: PLAN_TIME_SUBNETS,
      port: 80,
      alb,
      clientCidrs: [],
    });
    // WHEN azIds is written as an output
    new TerraformOutput(stack, "az_ids", { value: nlb.azIds });
    // THEN it is computed at plan by distinct()
    expect(synth(stack).json.output.az_ids.value).toBe('${distinct(["apne1-az1", "apne1-az4"])}');
  });

  test.each([
    ["NLB's read at plan", PLAN_TIME_SUBNETS, KNOWN_SUBNETS],
    ["ALB's read at plan", KNOWN_SUBNETS, { ...KNOWN_SUBNETS, azIdsKnown: false, source: "provider.network.existing.albSubnetIds" }],
    ["both read at plan", PLAN_TIME_SUBNETS, { ...KNOWN_SUBNETS, azIdsKnown: false }],
  ])("AZ IDs %s: the NLB's AZs must be within the ALB's", (_label, subnets, albSubnets) => {
    // GIVEN NLB or ALB subnets whose AZ IDs are only known at plan
    // WHEN the NLB is synthesized
    const lb = resourceOf(build({ subnets }, { subnets: albSubnets }).json, "aws_lb", "nlb");
    // THEN one precondition checks the NLB's AZs against the ALB's, its message naming the NLB's source if any
    expect(lb.lifecycle.precondition).toHaveLength(1);
    const [check] = lb.lifecycle.precondition;
    expect(check.condition).toBe('${(length(setsubtract(["apne1-az1", "apne1-az4"], ["apne1-az1", "apne1-az4"])) < 1)}');
    const prefix = subnets.source ? `The NLB's subnets (${subnets.source}) must be` : "The NLB's subnets must be";
    expect(check.error_message.startsWith(prefix)).toBe(true);
    expect(check.error_message).toContain("in AZs where the ALB has a subnet");
  });
});
