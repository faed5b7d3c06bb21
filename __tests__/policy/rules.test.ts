/**
 * Every policy rule, both ways: compliant resources pass, and every branch of the rule
 * reports a violation with its message, in the resource shapes the app writes (separate
 * security group rule resources, `aws_lb` and `aws_alb`, blocks as objects and as lists).
 * The table must cover every rule in RULES.
 */
import { evaluate, Rule, stackView } from "../../lib/policy/evaluate";
import { RULES } from "../../lib/policy/rules";
import { synthAll } from "../helpers";

type Resources = Record<string, Record<string, Record<string, any>>>;

const SG = { description: "closed", vpc_id: "${aws_vpc.v.id}" };
const ALB = {
  load_balancer_type: "application",
  internal: true,
  drop_invalid_header_fields: true,
  desync_mitigation_mode: "defensive",
  enable_deletion_protection: true,
  security_groups: ["${aws_security_group.a.id}"],
};
const NLB = {
  load_balancer_type: "network",
  internal: true,
  security_groups: ["${aws_security_group.n.id}"],
  enforce_security_group_inbound_rules_on_private_link_traffic: "on",
  enable_cross_zone_load_balancing: true,
  enable_deletion_protection: true,
};
const FN = {
  runtime: "python3.13",
  vpc_config: { subnet_ids: ["s1", "s2"], security_group_ids: ["${aws_security_group.l.id}"] },
  tracing_config: { mode: "Active" },
  reserved_concurrent_executions: 5,
  dead_letter_config: { target_arn: "arn:aws:sqs:ap-northeast-1:111111111111:dlq" },
  code_signing_config_arn: "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-0123456789abcdefg",
};
/** An IAM policy document as the JSON string a resource's `policy` holds. */
const POLICY = (statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statement });
const VPC_OK: Resources = {
  aws_vpc: { v: { cidr_block: "10.0.0.0/16" } },
  aws_flow_log: { f: { vpc_id: "${aws_vpc.v.id}" } },
  aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}" } },
};
const ruleOn = (group: string, extra: Record<string, unknown> = {}) => ({
  security_group_id: `\${aws_security_group.${group}.id}`,
  cidr_ipv4: "10.0.0.0/16",
  description: "x",
  ...extra,
});
/** A topic policy read from a policy document data source holding `statement`. */
const topicPolicyDoc = (statement: unknown[]): Resources => ({
  aws_sns_topic_policy: { p: { policy: "${data.aws_iam_policy_document.d.json}" } },
  data: { aws_iam_policy_document: { d: { statement } } },
});
/** The cloudwatch.amazonaws.com publishing statement of a policy document, with `condition`. */
const cloudwatchPublishes = (condition: unknown[]) => ({
  actions: ["sns:Publish"],
  principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
  condition,
});
const trust = (doc: unknown) => ({ aws_iam_role: { r: { assume_role_policy: JSON.stringify(doc) } } });

/** One rule: resources that comply, and for each branch, resources that violate it with the message. */
interface Case {
  readonly compliant: readonly Resources[];
  readonly violating: readonly (readonly [branch: string, resources: Resources, message: string])[];
}

const CASES: Record<string, Case> = {
  PLK_WILDCARD_AUTO_ACCEPT: {
    compliant: [
      { aws_vpc_endpoint_service: { s: { allowed_principals: ["*"], acceptance_required: true } } },
      { aws_vpc_endpoint_service: { s: { allowed_principals: ["arn:aws:iam::111111111111:root"], acceptance_required: false } } },
      { aws_vpc_endpoint_service: { s: { acceptance_required: false } } },
    ],
    violating: [
      [
        "* with auto-accept",
        { aws_vpc_endpoint_service: { s: { allowed_principals: ["*"], acceptance_required: false } } },
        "allows every AWS account (*) and accepts their endpoints automatically",
      ],
      [
        "* with acceptance unset",
        { aws_vpc_endpoint_service: { s: { allowed_principals: ["arn:aws:iam::1:root", "*"] } } },
        "allows every AWS account (*) and accepts their endpoints automatically",
      ],
    ],
  },
  CKV_AWS_123: {
    compliant: [{ aws_vpc_endpoint_service: { s: { acceptance_required: true } } }],
    violating: [
      [
        "false",
        { aws_vpc_endpoint_service: { s: { acceptance_required: false } } },
        "accepts every endpoint of an allowed principal automatically",
      ],
      ["unset", { aws_vpc_endpoint_service: { s: {} } }, "accepts every endpoint of an allowed principal automatically"],
    ],
  },
  PLK_ENDPOINT_OWN_SG: {
    compliant: [
      { aws_vpc_endpoint: { e: { vpc_endpoint_type: "Interface", security_group_ids: ["sg"] } } },
      { aws_vpc_endpoint: { e: { vpc_endpoint_type: "Gateway" } } },
    ],
    violating: [
      ["no groups", { aws_vpc_endpoint: { e: { vpc_endpoint_type: "Interface" } } }, "has no security group of its own"],
      [
        "an empty list",
        { aws_vpc_endpoint: { e: { vpc_endpoint_type: "Interface", security_group_ids: [] } } },
        "has no security group of its own",
      ],
    ],
  },
  PLK_NLB_SECURITY_GROUPS: {
    compliant: [{ aws_lb: { n: NLB } }, { aws_lb: { a: { ...ALB, security_groups: undefined } } }],
    violating: [
      [
        "no groups",
        { aws_lb: { n: { ...NLB, security_groups: undefined } } },
        "has no security groups, and none can be added after creation",
      ],
      ["an empty list", { aws_lb: { n: { ...NLB, security_groups: [] } } }, "has no security groups, and none can be added after creation"],
      [
        "as aws_alb",
        { aws_alb: { n: { ...NLB, security_groups: undefined } } },
        "has no security groups, and none can be added after creation",
      ],
    ],
  },
  PLK_NLB_PRIVATELINK_INBOUND: {
    compliant: [{ aws_lb: { n: NLB } }, { aws_lb: { a: ALB } }],
    violating: [
      [
        "off",
        { aws_lb: { n: { ...NLB, enforce_security_group_inbound_rules_on_private_link_traffic: "off" } } },
        "does not enforce its inbound rules on PrivateLink traffic",
      ],
      [
        "unset",
        { aws_lb: { n: { ...NLB, enforce_security_group_inbound_rules_on_private_link_traffic: undefined } } },
        "does not enforce its inbound rules on PrivateLink traffic",
      ],
      [
        "as aws_alb",
        { aws_alb: { n: { ...NLB, enforce_security_group_inbound_rules_on_private_link_traffic: "off" } } },
        "does not enforce its inbound rules on PrivateLink traffic",
      ],
    ],
  },
  PLK_LB_INTERNAL: {
    compliant: [{ aws_lb: { a: ALB } }, { aws_alb: { n: NLB } }],
    violating: [
      ["internet-facing", { aws_lb: { a: { ...ALB, internal: false } } }, "is internet-facing"],
      ["internal unset", { aws_lb: { n: { ...NLB, internal: undefined } } }, "is internet-facing"],
      ["as aws_alb", { aws_alb: { a: { ...ALB, internal: false } } }, "is internet-facing"],
    ],
  },
  CKV_AWS_131: {
    compliant: [{ aws_lb: { a: ALB } }, { aws_lb: { n: NLB } }, { aws_alb: { g: { load_balancer_type: "gateway", internal: true } } }],
    violating: [
      ["false", { aws_lb: { a: { ...ALB, drop_invalid_header_fields: false } } }, "does not set drop_invalid_header_fields = true"],
      ["unset on an untyped aws_alb", { aws_alb: { a: { internal: true } } }, "does not set drop_invalid_header_fields = true"],
    ],
  },
  CKV_AWS_328: {
    compliant: [
      { aws_lb: { a: ALB } },
      { aws_lb: { a: { ...ALB, desync_mitigation_mode: "strictest" } } },
      { aws_lb: { n: NLB } },
      { aws_lb: { g: { load_balancer_type: "gateway", internal: true } } },
    ],
    violating: [
      [
        "monitor",
        { aws_lb: { a: { ...ALB, desync_mitigation_mode: "monitor" } } },
        "sets desync_mitigation_mode = monitor; use defensive or strictest explicitly",
      ],
      [
        "unset",
        { aws_alb: { a: { ...ALB, desync_mitigation_mode: undefined } } },
        "sets desync_mitigation_mode = (default); use defensive or strictest explicitly",
      ],
    ],
  },
  CKV_AWS_150: {
    compliant: [{ aws_lb: { n: NLB } }, { aws_alb: { a: ALB } }],
    violating: [
      ["false", { aws_lb: { n: { ...NLB, enable_deletion_protection: false } } }, "does not set enable_deletion_protection = true"],
      [
        "unset, as aws_alb",
        { aws_alb: { a: { ...ALB, enable_deletion_protection: undefined } } },
        "does not set enable_deletion_protection = true",
      ],
    ],
  },
  CKV_AWS_91: {
    compliant: [
      { aws_lb: { a: { ...ALB, access_logs: { enabled: true, bucket: "logs" } } } },
      { aws_alb: { a: { ...ALB, access_logs: [{ enabled: true, bucket: "logs" }] } } },
    ],
    violating: [
      ["none", { aws_lb: { a: ALB } }, "writes no access logs"],
      ["disabled", { aws_lb: { a: { ...ALB, access_logs: { enabled: false, bucket: "logs" } } } }, "writes no access logs"],
      ["no bucket", { aws_lb: { a: { ...ALB, access_logs: { enabled: true } } } }, "writes no access logs"],
      ["as a list, disabled", { aws_alb: { a: { ...ALB, access_logs: [{ enabled: false, bucket: "logs" }] } } }, "writes no access logs"],
    ],
  },
  CKV_AWS_152: {
    compliant: [{ aws_lb: { n: NLB } }, { aws_lb: { a: ALB } }],
    violating: [
      ["off", { aws_lb: { n: { ...NLB, enable_cross_zone_load_balancing: false } } }, "does not enable cross-zone load balancing"],
      [
        "unset, as aws_alb",
        { aws_alb: { n: { ...NLB, enable_cross_zone_load_balancing: undefined } } },
        "does not enable cross-zone load balancing",
      ],
    ],
  },
  PLK_ALB_NO_EGRESS: {
    compliant: [
      { aws_lb: { a: ALB }, aws_security_group: { a: SG } },
      { aws_lb: { a: ALB }, aws_security_group: { a: SG }, aws_vpc_security_group_ingress_rule: { in: ruleOn("a") } },
      { aws_lb: { a: ALB }, aws_security_group: { a: SG, b: SG }, aws_vpc_security_group_egress_rule: { out: ruleOn("b") } },
      {
        aws_lb: { n: { ...NLB, security_groups: ["${aws_security_group.a.id}"] } },
        aws_security_group: { a: SG },
        aws_vpc_security_group_egress_rule: { out: ruleOn("a") },
      },
      { aws_lb: { a: ALB }, aws_security_group: { a: SG }, aws_security_group_rule: { in: { ...ruleOn("a"), type: "ingress" } } },
      { aws_lb: { a: ALB }, aws_security_group: { a: SG, b: SG }, aws_security_group_rule: { out: { ...ruleOn("b"), type: "egress" } } },
    ],
    violating: [
      [
        "a separate egress rule (what the app writes)",
        { aws_lb: { a: ALB }, aws_security_group: { a: SG }, aws_vpc_security_group_egress_rule: { out: ruleOn("a") } },
        "has egress rules on aws_security_group.a",
      ],
      [
        "a legacy aws_security_group_rule",
        { aws_lb: { a: ALB }, aws_security_group: { a: SG }, aws_security_group_rule: { out: { ...ruleOn("a"), type: "egress" } } },
        "has egress rules on aws_security_group.a",
      ],
      [
        "an inline egress block",
        { aws_lb: { a: ALB }, aws_security_group: { a: { ...SG, egress: [{ description: "x", cidr_blocks: ["10.0.0.0/8"] }] } } },
        "has egress rules on aws_security_group.a",
      ],
      [
        "as aws_alb",
        { aws_alb: { a: ALB }, aws_security_group: { a: SG }, aws_vpc_security_group_egress_rule: { out: ruleOn("a") } },
        "has egress rules on aws_security_group.a",
      ],
      [
        "two groups with egress, one closed",
        {
          aws_lb: {
            a: { ...ALB, security_groups: ["${aws_security_group.a.id}", "${aws_security_group.b.id}", "${aws_security_group.c.id}"] },
          },
          aws_security_group: { a: SG, b: SG, c: SG },
          aws_vpc_security_group_egress_rule: { a_out: ruleOn("a"), c_out: ruleOn("c") },
        },
        "has egress rules on aws_security_group.a, aws_security_group.c",
      ],
    ],
  },
  CKV_AWS_2: {
    compliant: [
      { aws_lb_listener: { l: { protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTPS" } }] } } },
      { aws_lb_listener: { l: { protocol: "HTTPS", default_action: [{ type: "forward" }] } } },
      { aws_alb_listener: { l: { protocol: "TCP", default_action: [{ type: "forward" }] } } },
    ],
    violating: [
      ["forwarding", { aws_lb_listener: { l: { protocol: "HTTP", default_action: [{ type: "forward" }] } } }, "serves plain HTTP"],
      [
        "redirecting to HTTP",
        { aws_lb_listener: { l: { protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTP" } }] } } },
        "serves plain HTTP",
      ],
      [
        "one action of two redirects",
        {
          aws_lb_listener: {
            l: { protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTPS" } }, { type: "forward" }] },
          },
        },
        "serves plain HTTP",
      ],
      [
        "as aws_alb_listener",
        { aws_alb_listener: { l: { protocol: "HTTP", default_action: [{ type: "forward" }] } } },
        "serves plain HTTP",
      ],
      [
        "a forward action that also holds a redirect block to HTTPS",
        { aws_lb_listener: { l: { protocol: "HTTP", default_action: [{ type: "forward", redirect: { protocol: "HTTPS" } }] } } },
        "serves plain HTTP",
      ],
    ],
  },
  CKV_AWS_103: {
    compliant: [
      { aws_lb_listener: { l: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } } },
      { aws_lb_listener: { l: { protocol: "TLS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } } },
      { aws_lb_listener: { l: { protocol: "TCP" } } },
    ],
    violating: [
      [
        "HTTPS, old policy",
        { aws_lb_listener: { l: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-2016-08" } } },
        "uses ssl_policy ELBSecurityPolicy-2016-08",
      ],
      ["HTTPS, no policy", { aws_lb_listener: { l: { protocol: "HTTPS" } } }, "uses ssl_policy (AWS default, allows TLS 1.0)"],
      [
        "TLS, old policy, as aws_alb_listener",
        { aws_alb_listener: { l: { protocol: "TLS", ssl_policy: "ELBSecurityPolicy-2016-08" } } },
        "uses ssl_policy ELBSecurityPolicy-2016-08",
      ],
    ],
  },
  CKV_AWS_23: {
    compliant: [
      { aws_security_group: { a: { ...SG, ingress: [{ description: "in" }], egress: [{ description: "out" }] } } },
      { aws_vpc_security_group_ingress_rule: { r: ruleOn("a") }, aws_vpc_security_group_egress_rule: { r: ruleOn("a") } },
      { aws_security_group_rule: { r: { ...ruleOn("a"), type: "ingress" } } },
    ],
    violating: [
      ["a group without description", { aws_security_group: { a: { vpc_id: "v" } } }, "has no description"],
      [
        "a group with Terraform's default",
        { aws_security_group: { a: { ...SG, description: "Managed by Terraform" } } },
        "has no description",
      ],
      [
        "an inline ingress rule",
        { aws_security_group: { a: { ...SG, ingress: [{ from_port: 80, to_port: 80, cidr_blocks: ["10.0.0.0/8"] }] } } },
        "has an inline rule without a description",
      ],
      [
        "an inline egress rule",
        { aws_security_group: { a: { ...SG, egress: [{ description: "" }] } } },
        "has an inline rule without a description",
      ],
      [
        "a separate ingress rule (what the app writes)",
        { aws_vpc_security_group_ingress_rule: { r: ruleOn("a", { description: undefined }) } },
        "has no description",
      ],
      [
        "a separate egress rule (what the app writes)",
        { aws_vpc_security_group_egress_rule: { r: ruleOn("a", { description: "" }) } },
        "has no description",
      ],
      [
        "a legacy rule",
        { aws_security_group_rule: { r: { ...ruleOn("a", { description: undefined }), type: "egress" } } },
        "has no description",
      ],
    ],
  },
  PLK_SG_OPEN_INGRESS: {
    compliant: [
      { aws_vpc_security_group_ingress_rule: { r: ruleOn("a", { cidr_ipv4: "10.0.0.0/8" }) } },
      { aws_security_group_rule: { r: { type: "egress", cidr_blocks: ["0.0.0.0/0"], description: "x" } } },
      { aws_security_group: { a: { ...SG, egress: [{ cidr_blocks: ["0.0.0.0/0"], description: "x" }] } } },
    ],
    violating: [
      [
        "a separate rule from 0.0.0.0/0 (what the app writes)",
        { aws_vpc_security_group_ingress_rule: { r: ruleOn("a", { cidr_ipv4: "0.0.0.0/0" }) } },
        "allows ingress from anywhere",
      ],
      [
        "a separate rule from ::/0",
        { aws_vpc_security_group_ingress_rule: { r: ruleOn("a", { cidr_ipv4: undefined, cidr_ipv6: "::/0" }) } },
        "allows ingress from anywhere",
      ],
      [
        "a legacy rule",
        { aws_security_group_rule: { r: { type: "ingress", cidr_blocks: ["10.0.0.0/8", "0.0.0.0/0"], description: "x" } } },
        "allows ingress from anywhere",
      ],
      [
        "an inline IPv6 block",
        { aws_security_group: { a: { ...SG, ingress: [{ ipv6_cidr_blocks: ["::/0"], description: "x" }] } } },
        "allows ingress from anywhere",
      ],
    ],
  },
  CKV_AWS_382: {
    compliant: [
      { aws_vpc_security_group_egress_rule: { r: ruleOn("a", { cidr_ipv4: "10.0.0.0/8" }) } },
      { aws_security_group_rule: { r: { type: "ingress", cidr_blocks: ["0.0.0.0/0"], description: "x" } } },
    ],
    violating: [
      [
        "a separate rule to 0.0.0.0/0 (what the app writes)",
        { aws_vpc_security_group_egress_rule: { r: ruleOn("a", { cidr_ipv4: "0.0.0.0/0" }) } },
        "allows egress to anywhere",
      ],
      [
        "a separate rule to ::/0",
        { aws_vpc_security_group_egress_rule: { r: ruleOn("a", { cidr_ipv4: undefined, cidr_ipv6: "::/0" }) } },
        "allows egress to anywhere",
      ],
      [
        "a legacy rule",
        { aws_security_group_rule: { r: { type: "egress", cidr_blocks: ["0.0.0.0/0"], description: "x" } } },
        "allows egress to anywhere",
      ],
      [
        "an inline block",
        { aws_security_group: { a: { ...SG, egress: [{ cidr_blocks: ["0.0.0.0/0"], description: "all" }] } } },
        "allows egress to anywhere",
      ],
    ],
  },
  CKV_AWS_117: {
    compliant: [{ aws_lambda_function: { f: FN } }, { aws_lambda_function: { f: { ...FN, vpc_config: [FN.vpc_config] } } }],
    violating: [
      ["no VPC", { aws_lambda_function: { f: { ...FN, vpc_config: undefined } } }, "is not attached to a VPC in at least two subnets"],
      [
        "one subnet",
        { aws_lambda_function: { f: { ...FN, vpc_config: { subnet_ids: ["s1"] } } } },
        "is not attached to a VPC in at least two subnets",
      ],
      [
        "one subnet, block as a list",
        { aws_lambda_function: { f: { ...FN, vpc_config: [{ subnet_ids: ["s1"] }] } } },
        "is not attached to a VPC in at least two subnets",
      ],
    ],
  },
  PLK_LAMBDA_NO_INGRESS: {
    compliant: [
      { aws_lambda_function: { f: FN }, aws_security_group: { l: SG }, aws_vpc_security_group_egress_rule: { out: ruleOn("l") } },
      { aws_lambda_function: { f: FN }, aws_security_group: { l: SG, o: SG }, aws_vpc_security_group_ingress_rule: { in: ruleOn("o") } },
      {
        aws_lambda_function: { f: FN },
        aws_security_group: { l: SG },
        aws_security_group_rule: { out: { ...ruleOn("l"), type: "egress" } },
      },
      {
        aws_lambda_function: { f: FN },
        aws_security_group: { l: SG, o: SG },
        aws_security_group_rule: { in: { ...ruleOn("o"), type: "ingress" } },
      },
    ],
    violating: [
      [
        "a separate ingress rule (what the app writes)",
        { aws_lambda_function: { f: FN }, aws_security_group: { l: SG }, aws_vpc_security_group_ingress_rule: { in: ruleOn("l") } },
        "has ingress rules on aws_security_group.l",
      ],
      [
        "a legacy rule",
        {
          aws_lambda_function: { f: FN },
          aws_security_group: { l: SG },
          aws_security_group_rule: { in: { ...ruleOn("l"), type: "ingress" } },
        },
        "has ingress rules on aws_security_group.l",
      ],
      [
        "an inline ingress block",
        { aws_lambda_function: { f: FN }, aws_security_group: { l: { ...SG, ingress: [{ description: "x" }] } } },
        "has ingress rules on aws_security_group.l",
      ],
      [
        "two groups with ingress",
        {
          aws_lambda_function: {
            f: {
              ...FN,
              vpc_config: { ...FN.vpc_config, security_group_ids: ["${aws_security_group.l.id}", "${aws_security_group.m.id}"] },
            },
          },
          aws_security_group: { l: SG, m: SG },
          aws_vpc_security_group_ingress_rule: { l_in: ruleOn("l"), m_in: ruleOn("m") },
        },
        "has ingress rules on aws_security_group.l, aws_security_group.m",
      ],
    ],
  },
  CKV_AWS_50: {
    compliant: [{ aws_lambda_function: { f: FN } }, { aws_lambda_function: { f: { ...FN, tracing_config: [{ mode: "Active" }] } } }],
    violating: [
      [
        "PassThrough",
        { aws_lambda_function: { f: { ...FN, tracing_config: { mode: "PassThrough" } } } },
        "does not have tracing_config.mode = Active",
      ],
      ["unset", { aws_lambda_function: { f: { ...FN, tracing_config: undefined } } }, "does not have tracing_config.mode = Active"],
    ],
  },
  CKV_AWS_363: {
    compliant: [{ aws_lambda_function: { f: FN } }, { aws_lambda_function: { f: { ...FN, runtime: "nodejs22.x" } } }],
    violating: [
      [
        "deprecated",
        { aws_lambda_function: { f: { ...FN, runtime: "python3.9" } } },
        "has runtime python3.9, which was deprecated by Lambda on 2025-12-15 (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html): use one of python3.11, python3.12, python3.13, nodejs22.x",
      ],
      [
        "refused by the provider",
        { aws_lambda_function: { f: { ...FN, runtime: "nodejs24.x" } } },
        "has runtime nodejs24.x, which is a Lambda runtime, but the pinned AWS provider (hashicorp/aws 5.100.0) refuses it at plan: use one of python3.11, python3.12, python3.13, nodejs22.x",
      ],
      [
        "unset",
        { aws_lambda_function: { f: { ...FN, runtime: undefined } } },
        "has runtime (none), which is not a Python or Node.js Lambda runtime this app packages: use one of python3.11, python3.12, python3.13, nodejs22.x",
      ],
    ],
  },
  CKV_AWS_115: {
    compliant: [{ aws_lambda_function: { f: FN } }, { aws_lambda_function: { f: { ...FN, reserved_concurrent_executions: 0 } } }],
    violating: [
      [
        "unset",
        { aws_lambda_function: { f: { ...FN, reserved_concurrent_executions: undefined } } },
        "sets no reserved_concurrent_executions",
      ],
    ],
  },
  CKV_AWS_116: {
    compliant: [{ aws_lambda_function: { f: FN } }],
    violating: [
      ["unset", { aws_lambda_function: { f: { ...FN, dead_letter_config: undefined } } }, "has no dead_letter_config"],
      ["no target", { aws_lambda_function: { f: { ...FN, dead_letter_config: {} } } }, "has no dead_letter_config"],
    ],
  },
  CKV_AWS_272: {
    compliant: [{ aws_lambda_function: { f: FN } }],
    violating: [
      ["unset", { aws_lambda_function: { f: { ...FN, code_signing_config_arn: undefined } } }, "has no code_signing_config_arn"],
      ["empty", { aws_lambda_function: { f: { ...FN, code_signing_config_arn: "" } } }, "has no code_signing_config_arn"],
    ],
  },
  CKV_AWS_364: {
    compliant: [
      {
        aws_lambda_permission: {
          p: { principal: "elasticloadbalancing.amazonaws.com", source_arn: "arn", source_account: "111111111111" },
        },
      },
      { aws_lambda_permission: { p: { principal: "111111111111" } } },
      { aws_lambda_permission: { p: {} } },
    ],
    violating: [
      [
        "no source_arn",
        { aws_lambda_permission: { p: { principal: "elasticloadbalancing.amazonaws.com", source_account: "111111111111" } } },
        "lets elasticloadbalancing.amazonaws.com invoke without source_arn",
      ],
      [
        "no source_account",
        { aws_lambda_permission: { p: { principal: "elasticloadbalancing.amazonaws.com", source_arn: "arn" } } },
        "lets elasticloadbalancing.amazonaws.com invoke without source_account",
      ],
      [
        "neither",
        { aws_lambda_permission: { p: { principal: "s3.amazonaws.com" } } },
        "lets s3.amazonaws.com invoke without source_arn and source_account",
      ],
    ],
  },
  CKV_AWS_338: {
    compliant: [
      { aws_cloudwatch_log_group: { g: { retention_in_days: 365 } } },
      { aws_cloudwatch_log_group: { g: { retention_in_days: 3653 } } },
    ],
    violating: [
      ["30 days", { aws_cloudwatch_log_group: { g: { retention_in_days: 30 } } }, "keeps logs 30 days, less than 365"],
      ["364 days", { aws_cloudwatch_log_group: { g: { retention_in_days: 364 } } }, "keeps logs 364 days, less than 365"],
      ["forever (0)", { aws_cloudwatch_log_group: { g: { retention_in_days: 0 } } }, "keeps logs forever or has no retention_in_days"],
      ["unset", { aws_cloudwatch_log_group: { g: {} } }, "keeps logs forever or has no retention_in_days"],
    ],
  },
  CKV_AWS_158: {
    compliant: [{ aws_cloudwatch_log_group: { g: { kms_key_id: "arn:aws:kms:…" } } }],
    violating: [
      ["unset", { aws_cloudwatch_log_group: { g: {} } }, "has no kms_key_id (CloudWatch's default encryption only)"],
      ["empty", { aws_cloudwatch_log_group: { g: { kms_key_id: "" } } }, "has no kms_key_id (CloudWatch's default encryption only)"],
    ],
  },
  CKV_AWS_60: {
    compliant: [
      trust({ Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" } }] }),
      trust({ Statement: [{ Effect: "Deny", Principal: "*" }] }),
      trust({ Statement: [{ Effect: "Deny", NotPrincipal: { AWS: "arn:aws:iam::1:root" } }] }),
      trust({ Statement: [{ Principal: { Service: "a.amazonaws.com", AWS: ["arn:aws:iam::1:root"] } }] }),
      {
        data: { aws_iam_policy_document: { t: { statement: [{ principals: [{ type: "Service", identifiers: ["x.amazonaws.com"] }] }] } } },
        aws_iam_role: { r: { assume_role_policy: "${data.aws_iam_policy_document.t.json}" } },
      },
    ],
    violating: [
      ["Principal *", trust({ Statement: [{ Effect: "Allow", Principal: "*" }] }), "can be assumed by any principal"],
      ["AWS: *", trust({ Statement: [{ Principal: { AWS: "*" } }] }), "can be assumed by any principal"],
      [
        "AWS: [*] among others",
        trust({ Statement: [{ Principal: { Service: "a.amazonaws.com" } }, { Principal: { AWS: ["arn:aws:iam::1:root", "*"] } }] }),
        "can be assumed by any principal",
      ],
      [
        "AWS: * beside a named service in one principal",
        trust({ Statement: [{ Principal: { Service: "a.amazonaws.com", AWS: "*" } }] }),
        "can be assumed by any principal",
      ],
      [
        "an Allow among Denies",
        trust({
          Statement: [
            { Effect: "Deny", Principal: "*" },
            { Effect: "Allow", Principal: "*" },
          ],
        }),
        "can be assumed by any principal",
      ],
      ["no trust policy", { aws_iam_role: { r: {} } }, "has a trust policy that cannot be evaluated at synth: it is not a string"],
      [
        "NotPrincipal",
        trust({ Statement: [{ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" } }] }),
        "can be assumed by any principal",
      ],
      [
        "unreadable",
        { aws_iam_role: { r: { assume_role_policy: "${var.trust}" } } },
        "has a trust policy that cannot be evaluated at synth: it is computed at plan time (${var.trust})",
      ],
    ],
  },
  "AwsSolutions-IAM4": {
    compliant: [
      { aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::111111111111:policy/mine" } } },
      { aws_iam_role_policy_attachment: { a: {} } },
    ],
    violating: [
      [
        "aws partition",
        { aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } } },
        "attaches the AWS managed policy ReadOnlyAccess",
      ],
      [
        "partition from data",
        {
          aws_iam_role_policy_attachment: {
            a: { policy_arn: "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/X" },
          },
        },
        "attaches the AWS managed policy service-role/X",
      ],
    ],
  },
  PLK_IAM_WILDCARD: {
    compliant: [
      {
        aws_iam_role_policy: {
          p: {
            policy: POLICY([
              { Effect: "Allow", Action: ["ssm:GetParameter"], Resource: ["arn:aws:ssm:ap-northeast-1:111111111111:parameter/a"] },
            ]),
          },
        },
      },
      // A Deny may name everything: it only takes away.
      { aws_iam_role_policy: { p: { policy: POLICY([{ Effect: "Deny", Action: "*", Resource: "*" }]) } } },
      {
        aws_iam_role_policy: { p: { policy: "${data.aws_iam_policy_document.d.json}" } },
        data: {
          aws_iam_policy_document: {
            d: { statement: [{ actions: ["logs:PutLogEvents"], resources: ["${aws_cloudwatch_log_group.g.arn}:*"] }] },
          },
        },
      },
    ],
    violating: [
      [
        "wildcard action",
        { aws_iam_role_policy: { p: { policy: POLICY([{ Effect: "Allow", Action: ["s3:Get*"], Resource: ["arn:aws:s3:::b/*"] }]) } } },
        "allows the wildcard action s3:Get*",
      ],
      [
        "action as one string, effect left out",
        { aws_iam_role_policy: { p: { policy: POLICY([{ Action: "*", Resource: "arn:aws:s3:::b" }]) } } },
        "allows the wildcard action *",
      ],
      [
        "every resource",
        { aws_iam_role_policy: { p: { policy: POLICY([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }]) } } },
        'allows actions on every resource ("*")',
      ],
      [
        "NotAction",
        { aws_iam_role_policy: { p: { policy: POLICY([{ Effect: "Allow", NotAction: ["iam:*"], Resource: ["arn:aws:s3:::b"] }]) } } },
        "allows every action but some (NotAction)",
      ],
      [
        "computed",
        { aws_iam_role_policy: { p: { policy: "${var.policy}" } } },
        "has a policy that cannot be checked at synth: it is computed at plan time (${var.policy})",
      ],
    ],
  },
  CKV2_AWS_11: {
    compliant: [VPC_OK],
    violating: [
      ["no flow log", { ...VPC_OK, aws_flow_log: {} }, "has no aws_flow_log"],
      ["a flow log of another VPC", { ...VPC_OK, aws_flow_log: { f: { vpc_id: "${aws_vpc.other.id}" } } }, "has no aws_flow_log"],
    ],
  },
  CKV2_AWS_12: {
    compliant: [VPC_OK],
    violating: [
      [
        "no default group resource",
        { ...VPC_OK, aws_default_security_group: {} },
        "leaves its default security group's rules in place (no aws_default_security_group)",
      ],
      [
        "ingress left",
        { ...VPC_OK, aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}", ingress: [{ self: true }] } } },
        "has a default security group with rules",
      ],
      [
        "egress left",
        { ...VPC_OK, aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}", egress: [{ cidr_blocks: ["0.0.0.0/0"] }] } } },
        "has a default security group with rules",
      ],
      [
        "the closed group is another VPC's",
        { ...VPC_OK, aws_default_security_group: { d: { vpc_id: "${aws_vpc.other.id}" } } },
        "leaves its default security group's rules in place (no aws_default_security_group)",
      ],
    ],
  },
  CKV_AWS_130: {
    compliant: [{ aws_subnet: { s: { map_public_ip_on_launch: false } } }, { aws_subnet: { s: {} } }],
    violating: [["true", { aws_subnet: { s: { map_public_ip_on_launch: true } } }, "maps public IPs on launch"]],
  },
  CKV_AWS_26: {
    compliant: [
      { aws_sns_topic: { t: { name: "a", kms_master_key_id: "${aws_kms_key.k.arn}" } } },
      { aws_sns_topic: { t: { name: "a", kms_master_key_id: "alias/ops-alarms" } } },
    ],
    violating: [
      ["no key", { aws_sns_topic: { t: { name: "a" } } }, "has no kms_master_key_id (messages are stored unencrypted)"],
      [
        "empty key",
        { aws_sns_topic: { t: { name: "a", kms_master_key_id: "" } } },
        "has no kms_master_key_id (messages are stored unencrypted)",
      ],
      ...["alias/aws/sns", "arn:aws:kms:ap-northeast-1:111111111111:alias/aws/sns"].map(
        (key) =>
          [
            `the AWS managed key as ${key}`,
            { aws_sns_topic: { t: { name: "a", kms_master_key_id: key } } },
            `uses the AWS managed key ${key}, which CloudWatch alarms and PrivateLink notifications cannot use: give a customer managed key`,
          ] as const,
      ),
    ],
  },
  CKV_AWS_7: {
    compliant: [{ aws_kms_key: { k: { enable_key_rotation: true } } }],
    violating: [
      ["off", { aws_kms_key: { k: { enable_key_rotation: false } } }, "does not have enable_key_rotation = true"],
      ["unset", { aws_kms_key: { k: {} } }, "does not have enable_key_rotation = true"],
    ],
  },
  PLK_TOPIC_PUBLISHERS: {
    compliant: [
      topicPolicyDoc([cloudwatchPublishes([{ test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] }])]),
      // Condition keys are case-insensitive.
      topicPolicyDoc([cloudwatchPublishes([{ test: "ArnLike", variable: "AWS:SourceArn", values: ["arn:aws:cloudwatch:*"] }])]),
      {
        aws_sns_topic_policy: {
          p: {
            policy: POLICY([
              {
                Effect: "Allow",
                Principal: { Service: "vpce.amazonaws.com" },
                Action: "sns:Publish",
                Condition: { ArnLike: { "aws:SourceArn": "arn:aws:ec2:*" } },
              },
              { Effect: "Deny", Principal: "*", Action: "sns:Publish" },
              // Everyone, but only for this account's resources.
              {
                Effect: "Allow",
                Principal: "*",
                Action: "sns:Publish",
                Condition: { StringEquals: { "AWS:SourceOwner": "111111111111" } },
              },
              { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sns:Subscribe" },
            ]),
          },
        },
      },
    ],
    violating: [
      [
        "a service without a condition (Terraform blocks)",
        topicPolicyDoc([cloudwatchPublishes([{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-1"] }])]),
        "allows cloudwatch.amazonaws.com without aws:SourceAccount or aws:SourceArn: another account's resources could publish through it",
      ],
      [
        "a service without a condition (JSON)",
        {
          aws_sns_topic_policy: {
            p: { policy: POLICY([{ Effect: "Allow", Principal: { Service: ["vpce.amazonaws.com"] }, Action: "sns:Publish" }]) },
          },
        },
        "allows vpce.amazonaws.com without aws:SourceAccount or aws:SourceArn: another account's resources could publish through it",
      ],
      [
        "a service whose condition names other keys (JSON)",
        {
          aws_sns_topic_policy: {
            p: {
              policy: POLICY([
                {
                  Effect: "Allow",
                  Principal: { Service: ["cloudwatch.amazonaws.com", "vpce.amazonaws.com"] },
                  Action: "sns:Publish",
                  Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" }, Bool: "true" },
                },
              ]),
            },
          },
        },
        "allows cloudwatch.amazonaws.com, vpce.amazonaws.com without aws:SourceAccount or aws:SourceArn: another account's resources could publish through it",
      ],
      [
        "a service with a condition of the wrong shape",
        {
          aws_sns_topic_policy: {
            p: {
              policy: POLICY([
                { Effect: "Allow", Principal: { Service: "vpce.amazonaws.com" }, Action: "sns:Publish", Condition: "aws:SourceAccount" },
              ]),
            },
          },
        },
        "allows vpce.amazonaws.com without aws:SourceAccount or aws:SourceArn: another account's resources could publish through it",
      ],
      [
        "everyone, with a condition that does not scope it",
        {
          aws_sns_topic_policy: {
            p: {
              policy: POLICY([
                { Effect: "Allow", Principal: "*", Action: "sns:Publish", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } },
              ]),
            },
          },
        },
        "allows every principal (*) without a condition",
      ],
      [
        "everyone, as *",
        { aws_sns_topic_policy: { p: { policy: POLICY([{ Effect: "Allow", Principal: "*", Action: "sns:Publish" }]) } } },
        "allows every principal (*) without a condition",
      ],
      [
        "everyone, as AWS *",
        { aws_sns_topic_policy: { p: { policy: POLICY([{ Principal: { AWS: ["*"] }, Action: "sns:Publish" }]) } } },
        "allows every principal (*) without a condition",
      ],
      [
        "everyone, as a Terraform * principal",
        topicPolicyDoc([{ actions: ["sns:Publish"], principals: [{ type: "*", identifiers: ["*"] }] }]),
        "allows every principal (*) without a condition",
      ],
      [
        "computed at plan",
        { aws_sns_topic_policy: { p: { policy: "${aws_x.y.policy}" } } },
        "has a policy that cannot be checked at synth: it is computed at plan time (${aws_x.y.policy})",
      ],
    ],
  },
  CKV_AWS_319: {
    compliant: [
      { aws_cloudwatch_metric_alarm: { a: { alarm_name: "a", actions_enabled: true, alarm_actions: ["${aws_sns_topic.t.arn}"] } } },
      { aws_cloudwatch_metric_alarm: { a: { alarm_name: "a", alarm_actions: ["arn:aws:sns:ap-northeast-1:111111111111:t"] } } },
    ],
    violating: [
      [
        "actions disabled",
        { aws_cloudwatch_metric_alarm: { a: { alarm_name: "a", actions_enabled: false, alarm_actions: ["${aws_sns_topic.t.arn}"] } } },
        "has actions_enabled = false: it changes state and tells no one",
      ],
      [
        "no actions",
        { aws_cloudwatch_metric_alarm: { a: { alarm_name: "a", ok_actions: ["${aws_sns_topic.t.arn}"] } } },
        "has no alarm_actions: it changes state and tells no one",
      ],
      [
        "empty actions",
        { aws_cloudwatch_metric_alarm: { a: { alarm_name: "a", alarm_actions: [] } } },
        "has no alarm_actions: it changes state and tells no one",
      ],
    ],
  },
  PLK_AWS_NAMES: {
    compliant: [
      { aws_cloudwatch_metric_alarm: { a: { alarm_name: `x-${"a".repeat(253)}` } } },
      { aws_cloudwatch_dashboard: { d: { dashboard_name: "hello_privatelink-service" } } },
      { aws_sns_topic: { t: { name: "t".repeat(256) } } },
      { aws_sns_topic: { t: {} } },
      { aws_kms_alias: { a: { name: "alias/hello-alarms" } } },
      { aws_lb: { l: { name: "${var.x}" } } },
    ],
    violating: [
      [
        "an alarm name over 255",
        { aws_cloudwatch_metric_alarm: { a: { alarm_name: "a".repeat(256) } } },
        `has alarm_name "${"a".repeat(256)}", which is 256 characters; a CloudWatch alarm name has at most 255 (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)`,
      ],
      [
        "an alarm name with a control character",
        { aws_cloudwatch_metric_alarm: { a: { alarm_name: "a\tb" } } },
        `has alarm_name "a\tb", which may only hold printable characters in a CloudWatch alarm name (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)`,
      ],
      [
        "a dashboard name with a dot",
        { aws_cloudwatch_dashboard: { d: { dashboard_name: "hello.service" } } },
        `has dashboard_name "hello.service", which may only hold letters, digits, - and _ in a CloudWatch dashboard name (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html)`,
      ],
      [
        "a topic name over 256",
        { aws_sns_topic: { t: { name: "t".repeat(257) } } },
        `has name "${"t".repeat(257)}", which is 257 characters; an SNS topic name has at most 256 (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html)`,
      ],
      [
        "a reserved key alias",
        { aws_kms_alias: { a: { name: "alias/aws/mine" } } },
        `has name "alias/aws/mine", which must not start with "alias/aws/" in a KMS alias name: AWS reserves it (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html)`,
      ],
      [
        "a load balancer name over 32",
        { aws_lb: { l: { name: "l".repeat(33) } } },
        `has name "${"l".repeat(33)}", which is 33 characters; a load balancer name has at most 32 (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html)`,
      ],
    ],
  },
};

/** A stack of `resources` (a `data` key holds data sources). */
function view(resources: Resources) {
  const { data, ...resource } = resources as Resources & { data?: unknown };
  return stackView("t", { resource, data });
}
const findingsOf = (ruleId: string, resources: Resources) => evaluate(view(resources), RULES).findings.filter((f) => f.ruleId === ruleId);

describe("policy rules", () => {
  test("every rule has compliant and non-compliant cases, and rule IDs are unique", () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r: Rule) => r.id).sort());
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const [id, c] of Object.entries(CASES))
      expect({ id, some: c.compliant.length > 0 && c.violating.length > 0 }).toEqual({ id, some: true });
  });

  const compliant = Object.entries(CASES).flatMap(([id, c]) => c.compliant.map((r, i) => [id, i, r] as const));
  test.each(compliant)("%s passes compliant case %i", (ruleId, _i, resources) => {
    expect(findingsOf(ruleId, resources)).toEqual([]);
  });

  const violating = Object.entries(CASES).flatMap(([id, c]) =>
    c.violating.map(([branch, r, message]) => [id, branch, r, message] as const),
  );
  test.each(violating)("%s reports: %s", (ruleId, _branch, resources, message) => {
    expect(findingsOf(ruleId, resources).map((f) => f.message)).toEqual([message]);
  });
});

describe("breakages of the stacks the app writes are found", () => {
  let provider: Record<string, any>;
  let consumer: Record<string, any>;
  beforeAll(async () => {
    const all = await synthAll();
    provider = all.provider.json;
    consumer = all.consumers[0].json;
  });
  const broken = (json: Record<string, any>, edit: (j: Record<string, any>) => void) => {
    const copy = JSON.parse(JSON.stringify(json));
    edit(copy);
    return evaluate(stackView("s", copy), RULES).findings.map((f) => `${f.ruleId} ${f.address}`);
  };

  test.each<[string, "provider" | "consumer", (j: Record<string, any>) => void, string]>([
    [
      "an egress rule on the ALB's group",
      "provider",
      (j) =>
        (j.resource.aws_vpc_security_group_egress_rule.alb_out = {
          ...j.resource.aws_vpc_security_group_egress_rule.nlb_to_alb,
          security_group_id: "${aws_security_group.alb.id}",
        }),
      "PLK_ALB_NO_EGRESS aws_lb.alb",
    ],
    [
      "the function's egress opened to the internet",
      "provider",
      (j) => (j.resource.aws_vpc_security_group_egress_rule.nlb_to_alb.cidr_ipv4 = "0.0.0.0/0"),
      "CKV_AWS_382 aws_vpc_security_group_egress_rule.nlb_to_alb",
    ],
    [
      "an ingress rule on the function's group",
      "provider",
      (j) =>
        (j.resource.aws_vpc_security_group_ingress_rule.lambda_in = {
          ...j.resource.aws_vpc_security_group_ingress_rule.alb_from_nlb,
          security_group_id: "${aws_security_group.lambda.id}",
        }),
      "PLK_LAMBDA_NO_INGRESS aws_lambda_function.lambda",
    ],
    [
      "the invoke permission without source_arn",
      "provider",
      (j) => delete j.resource.aws_lambda_permission.alb_invoke.source_arn,
      "CKV_AWS_364 aws_lambda_permission.alb_invoke",
    ],
    [
      "a group's description removed",
      "provider",
      (j) => delete j.resource.aws_security_group.nlb.description,
      "CKV_AWS_23 aws_security_group.nlb",
    ],
    [
      "a rule's description removed",
      "provider",
      (j) => delete j.resource.aws_vpc_security_group_ingress_rule.alb_from_nlb.description,
      "CKV_AWS_23 aws_vpc_security_group_ingress_rule.alb_from_nlb",
    ],
    [
      "the NLB without security groups",
      "provider",
      (j) => delete j.resource.aws_lb.nlb.security_groups,
      "PLK_NLB_SECURITY_GROUPS aws_lb.nlb",
    ],
    [
      "the endpoint without its group",
      "consumer",
      (j) => delete j.resource.aws_vpc_endpoint.endpoint.security_group_ids,
      "PLK_ENDPOINT_OWN_SG aws_vpc_endpoint.endpoint",
    ],
    [
      "a client rule from anywhere",
      "consumer",
      (j) => (Object.values<any>(j.resource.aws_vpc_security_group_ingress_rule)[0].cidr_ipv4 = "0.0.0.0/0"),
      "PLK_SG_OPEN_INGRESS aws_vpc_security_group_ingress_rule.endpoint_client_10_1_0_0_16",
    ],
    [
      "the alarm topic unencrypted",
      "provider",
      (j) => delete j.resource.aws_sns_topic.alarms.kms_master_key_id,
      "CKV_AWS_26 aws_sns_topic.alarms",
    ],
    [
      "an alarm without actions",
      "consumer",
      (j) => delete j.resource.aws_cloudwatch_metric_alarm.endpoint_dropped_packets.alarm_actions,
      "CKV_AWS_319 aws_cloudwatch_metric_alarm.endpoint_dropped_packets",
    ],
    [
      "the topic key without rotation",
      "consumer",
      (j) => (j.resource.aws_kms_key.alarms.enable_key_rotation = false),
      "CKV_AWS_7 aws_kms_key.alarms",
    ],
    [
      "the endpoint service's publishing right without its conditions",
      "provider",
      (j) => delete j.data.aws_iam_policy_document.alarms_topic.statement[1].condition,
      "PLK_TOPIC_PUBLISHERS aws_sns_topic_policy.alarms",
    ],
    [
      "an alarm name too long",
      "provider",
      (j) => (j.resource.aws_cloudwatch_metric_alarm.lambda_errors.alarm_name = "e".repeat(300)),
      "PLK_AWS_NAMES aws_cloudwatch_metric_alarm.lambda_errors",
    ],
  ])("%s (%s)", (_name, which, edit, expected) => {
    // GIVEN the stack as the app writes it, with one thing broken
    // WHEN the rules evaluate it; THEN the breakage is a finding
    expect(broken(which === "provider" ? provider : consumer, edit)).toContain(expected);
  });

  test("the stacks as written have no finding (so each finding above is the breakage's)", () => {
    expect(broken(provider, () => undefined)).toEqual([]);
    expect(broken(consumer, () => undefined)).toEqual([]);
  });
});
