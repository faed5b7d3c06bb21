/**
 * Every policy rule, both ways: a compliant resource passes and a non-compliant one is
 * reported. The table must cover every rule in RULES.
 */
import { evaluate, Rule, stackView } from "../../lib/policy/evaluate";
import { RULES } from "../../lib/policy/rules";

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
  vpc_config: { subnet_ids: ["s1", "s2"], security_group_ids: ["${aws_security_group.l.id}"] },
  tracing_config: { mode: "Active" },
  reserved_concurrent_executions: 5,
  dead_letter_config: { target_arn: "arn:aws:sqs:ap-northeast-1:111111111111:dlq" },
  code_signing_config_arn: "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-0123456789abcdefg",
};
const VPC_OK: Resources = {
  aws_vpc: { v: { cidr_block: "10.0.0.0/16" } },
  aws_flow_log: { f: { vpc_id: "${aws_vpc.v.id}" } },
  aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}" } },
};

/** [rule ID, resources that comply, resources that violate it]. */
const CASES: Array<[string, Resources, Resources]> = [
  [
    "PLK_WILDCARD_AUTO_ACCEPT",
    { aws_vpc_endpoint_service: { s: { allowed_principals: ["*"], acceptance_required: true } } },
    { aws_vpc_endpoint_service: { s: { allowed_principals: ["*"], acceptance_required: false } } },
  ],
  [
    "CKV_AWS_123",
    { aws_vpc_endpoint_service: { s: { acceptance_required: true } } },
    { aws_vpc_endpoint_service: { s: { acceptance_required: false } } },
  ],
  [
    "PLK_ENDPOINT_OWN_SG",
    { aws_vpc_endpoint: { e: { vpc_endpoint_type: "Interface", security_group_ids: ["sg"] } } },
    { aws_vpc_endpoint: { e: { vpc_endpoint_type: "Interface" } } },
  ],
  ["PLK_NLB_SECURITY_GROUPS", { aws_lb: { n: NLB } }, { aws_lb: { n: { ...NLB, security_groups: undefined } } }],
  [
    "PLK_NLB_PRIVATELINK_INBOUND",
    { aws_lb: { n: NLB } },
    { aws_lb: { n: { ...NLB, enforce_security_group_inbound_rules_on_private_link_traffic: "off" } } },
  ],
  ["PLK_LB_INTERNAL", { aws_lb: { a: ALB } }, { aws_lb: { a: { ...ALB, internal: false } } }],
  ["CKV_AWS_131", { aws_lb: { a: ALB } }, { aws_lb: { a: { ...ALB, drop_invalid_header_fields: false } } }],
  [
    "CKV_AWS_328",
    { aws_lb: { a: { ...ALB, desync_mitigation_mode: "strictest" } } },
    { aws_lb: { a: { ...ALB, desync_mitigation_mode: "monitor" } } },
  ],
  ["CKV_AWS_150", { aws_lb: { n: NLB } }, { aws_lb: { n: { ...NLB, enable_deletion_protection: false } } }],
  ["CKV_AWS_91", { aws_lb: { a: { ...ALB, access_logs: { enabled: true, bucket: "logs" } } } }, { aws_lb: { a: ALB } }],
  ["CKV_AWS_152", { aws_lb: { n: NLB } }, { aws_lb: { n: { ...NLB, enable_cross_zone_load_balancing: false } } }],
  [
    "PLK_ALB_NO_EGRESS",
    { aws_lb: { a: ALB }, aws_security_group: { a: SG } },
    {
      aws_lb: { a: ALB },
      aws_security_group: { a: SG },
      aws_vpc_security_group_egress_rule: {
        out: { security_group_id: "${aws_security_group.a.id}", cidr_ipv4: "10.0.0.0/16", description: "x" },
      },
    },
  ],
  [
    "CKV_AWS_2",
    { aws_lb_listener: { l: { protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTPS" } }] } } },
    { aws_lb_listener: { l: { protocol: "HTTP", default_action: [{ type: "forward" }] } } },
  ],
  [
    "CKV_AWS_103",
    { aws_lb_listener: { l: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } } },
    { aws_lb_listener: { l: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-2016-08" } } },
  ],
  [
    "CKV_AWS_23",
    { aws_security_group: { a: SG } },
    { aws_security_group: { a: { ...SG, ingress: [{ from_port: 80, to_port: 80, cidr_blocks: ["10.0.0.0/8"] }] } } },
  ],
  [
    "PLK_SG_OPEN_INGRESS",
    { aws_vpc_security_group_ingress_rule: { r: { cidr_ipv4: "10.0.0.0/8", description: "x" } } },
    { aws_vpc_security_group_ingress_rule: { r: { cidr_ipv4: "0.0.0.0/0", description: "x" } } },
  ],
  [
    "CKV_AWS_382",
    { aws_vpc_security_group_egress_rule: { r: { cidr_ipv4: "10.0.0.0/8", description: "x" } } },
    { aws_security_group: { a: { ...SG, egress: [{ cidr_blocks: ["0.0.0.0/0"], description: "all" }] } } },
  ],
  ["CKV_AWS_117", { aws_lambda_function: { f: FN } }, { aws_lambda_function: { f: { ...FN, vpc_config: undefined } } }],
  [
    "PLK_LAMBDA_NO_INGRESS",
    { aws_lambda_function: { f: FN }, aws_security_group: { l: SG } },
    {
      aws_lambda_function: { f: FN },
      aws_security_group: { l: SG },
      aws_vpc_security_group_ingress_rule: {
        in: { security_group_id: "${aws_security_group.l.id}", cidr_ipv4: "10.0.0.0/16", description: "x" },
      },
    },
  ],
  ["CKV_AWS_50", { aws_lambda_function: { f: FN } }, { aws_lambda_function: { f: { ...FN, tracing_config: { mode: "PassThrough" } } } }],
  ["CKV_AWS_115", { aws_lambda_function: { f: FN } }, { aws_lambda_function: { f: { ...FN, reserved_concurrent_executions: undefined } } }],
  ["CKV_AWS_116", { aws_lambda_function: { f: FN } }, { aws_lambda_function: { f: { ...FN, dead_letter_config: undefined } } }],
  ["CKV_AWS_272", { aws_lambda_function: { f: FN } }, { aws_lambda_function: { f: { ...FN, code_signing_config_arn: undefined } } }],
  [
    "CKV_AWS_364",
    {
      aws_lambda_permission: { p: { principal: "elasticloadbalancing.amazonaws.com", source_arn: "arn", source_account: "111111111111" } },
    },
    { aws_lambda_permission: { p: { principal: "elasticloadbalancing.amazonaws.com", source_arn: "arn" } } },
  ],
  [
    "CKV_AWS_338",
    { aws_cloudwatch_log_group: { g: { retention_in_days: 365 } } },
    { aws_cloudwatch_log_group: { g: { retention_in_days: 30 } } },
  ],
  ["CKV_AWS_158", { aws_cloudwatch_log_group: { g: { kms_key_id: "arn:aws:kms:…" } } }, { aws_cloudwatch_log_group: { g: {} } }],
  [
    "CKV_AWS_60",
    { aws_iam_role: { r: { assume_role_policy: JSON.stringify({ Statement: [{ Principal: { Service: "lambda.amazonaws.com" } }] }) } } },
    { aws_iam_role: { r: { assume_role_policy: JSON.stringify({ Statement: [{ Principal: { AWS: "*" } }] }) } } },
  ],
  [
    "AwsSolutions-IAM4",
    { aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::111111111111:policy/mine" } } },
    { aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } } },
  ],
  ["CKV2_AWS_11", VPC_OK, { ...VPC_OK, aws_flow_log: {} }],
  ["CKV2_AWS_12", VPC_OK, { ...VPC_OK, aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}", ingress: [{ self: true }] } } }],
  ["CKV_AWS_130", { aws_subnet: { s: { map_public_ip_on_launch: false } } }, { aws_subnet: { s: { map_public_ip_on_launch: true } } }],
];

const findingsOf = (ruleId: string, resources: Resources) =>
  evaluate(stackView("t", { resource: resources }), RULES).findings.filter((f) => f.ruleId === ruleId);

describe("policy rules", () => {
  test("every rule has a compliant and a non-compliant case, and rule IDs are unique", () => {
    expect(CASES.map(([id]) => id).sort()).toEqual(RULES.map((r: Rule) => r.id).sort());
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  test.each(CASES)("%s passes a compliant resource", (ruleId, compliant) => {
    expect(findingsOf(ruleId, compliant)).toEqual([]);
  });

  test.each(CASES)("%s reports a non-compliant resource", (ruleId, _compliant, violating) => {
    const findings = findingsOf(ruleId, violating);
    expect(findings).toHaveLength(1);
    expect(findings[0].message.length).toBeGreaterThan(5);
  });
});
