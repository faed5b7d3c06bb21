/**
 * The stacks are secure by default: they pass every rule, deviations are suppressed with
 * reasons that name the config field, and each security setting of the config reaches the
 * output as configured.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../../lib/policy/rules";
import { evaluate, stackView } from "../../lib/policy/evaluate";
import { scannerIgnoreFiles } from "../../lib/policy/scanner-files";
import { configWith, resource, ROOT, synthAll } from "../helpers";

/** The rule ID and address of every suppressed finding of the default app, per stack. */
const DEFAULT_SUPPRESSIONS = {
  provider: [
    ["AwsSolutions-IAM4", "aws_iam_role_policy_attachment.lambda_vpc_access"],
    ["AwsSolutions-IAM4", "aws_iam_role_policy_attachment.lambda_xray"],
    ["CKV_AWS_115", "aws_lambda_function.lambda"],
    ["CKV_AWS_116", "aws_lambda_function.lambda"],
    ["CKV_AWS_123", "aws_vpc_endpoint_service.service"],
    ["CKV_AWS_152", "aws_lb.nlb"],
    ["CKV_AWS_158", "aws_cloudwatch_log_group.lambda"],
    ["CKV_AWS_158", "aws_cloudwatch_log_group.network_flow_logs"],
    ["CKV_AWS_2", "aws_lb_listener.alb_listener"],
    ["CKV_AWS_272", "aws_lambda_function.lambda"],
    ["CKV_AWS_91", "aws_lb.alb"],
    ["CKV_AWS_91", "aws_lb.nlb"],
  ],
  consumer: [
    ["AwsSolutions-IAM4", "aws_iam_role_policy_attachment.probe_vpc_access"],
    ["AwsSolutions-IAM4", "aws_iam_role_policy_attachment.probe_xray"],
    ["CKV_AWS_115", "aws_lambda_function.probe"],
    ["CKV_AWS_116", "aws_lambda_function.probe"],
    ["CKV_AWS_158", "aws_cloudwatch_log_group.network_flow_logs"],
    ["CKV_AWS_158", "aws_cloudwatch_log_group.probe"],
    ["CKV_AWS_272", "aws_lambda_function.probe"],
  ],
};

const sortedPairs = (pairs: { ruleId: string; address: string }[]) =>
  pairs.map((p) => [p.ruleId, p.address]).sort((a, b) => (a.join() < b.join() ? -1 : 1));

describe("the default stacks", () => {
  let all: Awaited<ReturnType<typeof synthAll>>;
  beforeAll(async () => {
    all = await synthAll();
  });

  test("pass every rule; what is left is exactly the documented suppressions, each with a reason", () => {
    for (const [name, expected] of Object.entries(DEFAULT_SUPPRESSIONS)) {
      const result = evaluate(stackView(name, all.byName[name].json), RULES);
      expect(result.findings).toEqual([]);
      expect(sortedPairs(result.suppressed)).toEqual(expected);
      for (const s of result.suppressed) expect(s.reason.length).toBeGreaterThanOrEqual(10);
    }
  });

  test("the README's rule table lists every rule and every default suppression", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    for (const rule of RULES)
      expect({ rule: rule.id, listed: readme.includes(`| \`${rule.id}\` |`) }).toEqual({ rule: rule.id, listed: true });
    for (const [ruleId, address] of Object.values(DEFAULT_SUPPRESSIONS).flat()) {
      expect({ ruleId, address, listed: readme.includes(address) }).toEqual({ ruleId, address, listed: true });
    }
  });

  test("suppressions are recorded in the resource's // metadata", () => {
    const listener = resource(all.byName.provider.json, "aws_lb_listener", "alb_listener");
    expect(listener["//"].policy_suppressions.CKV_AWS_2).toMatch(/^Plain HTTP by design/);
  });

  test("network paths: clients → endpoint and NLB on the service port only; NLB → ALB by security group; no egress elsewhere", () => {
    const provider = all.byName.provider.json.resource;
    const consumer = all.byName.consumer.json.resource;
    const rules = (res: any, kind: string) =>
      Object.entries<any>(res[`aws_vpc_security_group_${kind}_rule`] ?? {}).map(([name, r]) => [
        name,
        r.security_group_id,
        r.from_port,
        r.to_port,
        r.cidr_ipv4 ?? r.referenced_security_group_id,
      ]);
    expect(rules(provider, "ingress")).toEqual([
      [
        "alb_from_nlb",
        "${aws_security_group.alb.id}",
        "${aws_lb_listener.alb_listener.port}",
        "${aws_lb_listener.alb_listener.port}",
        "${aws_security_group.nlb.id}",
      ],
      ["nlb_client_10_1_0_0_16", "${aws_security_group.nlb.id}", 80, 80, "10.1.0.0/16"],
    ]);
    expect(rules(provider, "egress")).toEqual([
      [
        "nlb_to_alb",
        "${aws_security_group.nlb.id}",
        "${aws_lb_listener.alb_listener.port}",
        "${aws_lb_listener.alb_listener.port}",
        "${aws_security_group.alb.id}",
      ],
    ]);
    expect(rules(consumer, "ingress")).toEqual([
      ["endpoint_client_10_1_0_0_16", "${aws_security_group.endpoint.id}", 80, 80, "10.1.0.0/16"],
      ["endpoint_clients", "${aws_security_group.endpoint.id}", 80, 80, "${aws_security_group.endpoint_clients.id}"],
    ]);
    // The client group (where the probe runs) reaches the endpoint on the service port, nothing else.
    expect(rules(consumer, "egress")).toEqual([
      ["endpoint_clients_endpoint", "${aws_security_group.endpoint_clients.id}", 80, 80, "${aws_security_group.endpoint.id}"],
    ]);
    expect(consumer.aws_lambda_function.probe.vpc_config.security_group_ids).toEqual(["${aws_security_group.endpoint_clients.id}"]);
    for (const res of [provider, consumer]) {
      for (const sg of Object.values<any>(res.aws_security_group)) expect(sg.description.length).toBeGreaterThan(10);
      for (const kind of ["ingress", "egress"]) {
        for (const r of Object.values<any>(res[`aws_vpc_security_group_${kind}_rule`] ?? {}))
          expect(r.description.length).toBeGreaterThan(10);
      }
    }
  });

  test("load balancers: internal, deletion protection on, ALB hardened, NLB enforcing its rules on PrivateLink traffic", () => {
    const lbs = all.byName.provider.json.resource.aws_lb;
    expect(lbs.alb).toMatchObject({
      internal: true,
      enable_deletion_protection: true,
      drop_invalid_header_fields: true,
      desync_mitigation_mode: "defensive",
    });
    expect(lbs.nlb).toMatchObject({
      internal: true,
      enable_deletion_protection: true,
      enforce_security_group_inbound_rules_on_private_link_traffic: "on",
    });
  });

  test("the function: tracing Active with the X-Ray policy, logs kept 365 days, permission scoped by ARN and account", () => {
    const res = all.byName.provider.json.resource;
    expect(res.aws_lambda_function.lambda.tracing_config).toEqual({ mode: "Active" });
    expect(res.aws_lambda_function.lambda.depends_on).toContain("aws_iam_role_policy_attachment.lambda_xray");
    expect(res.aws_iam_role_policy_attachment.lambda_xray.policy_arn).toContain(":iam::aws:policy/AWSXRayDaemonWriteAccess");
    expect(res.aws_cloudwatch_log_group.lambda.retention_in_days).toBe(365);
    expect(res.aws_lambda_permission.alb_invoke).toMatchObject({
      source_arn: "${aws_lb_target_group.alb_lambda.arn}",
      source_account: "111111111111",
    });
  });

  test("created VPCs: flow logs to CloudWatch with retention, a role only the flow logs service of this account can assume", () => {
    for (const name of ["provider", "consumer"]) {
      const json = all.byName[name].json;
      expect(json.resource.aws_flow_log.network_flow_logs).toMatchObject({
        vpc_id: "${aws_vpc.network.id}",
        traffic_type: "ALL",
        log_destination_type: "cloud-watch-logs",
        log_destination: "${aws_cloudwatch_log_group.network_flow_logs.arn}",
      });
      expect(json.resource.aws_cloudwatch_log_group.network_flow_logs.retention_in_days).toBe(365);
      const trust = json.data.aws_iam_policy_document.network_flow_logs_trust.statement[0];
      expect(trust.principals).toEqual([{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }]);
      expect(trust.condition[0]).toMatchObject({
        variable: "aws:SourceAccount",
        values: [name === "provider" ? "111111111111" : "222222222222"],
      });
      expect(json.data.aws_iam_policy_document.network_flow_logs_write.statement[0].resources).toEqual([
        "${aws_cloudwatch_log_group.network_flow_logs.arn}",
        "${aws_cloudwatch_log_group.network_flow_logs.arn}:*",
      ]);
      expect(json.resource.aws_default_security_group.network).not.toHaveProperty("ingress");
    }
  });

  test("scanner ignore files hold exactly the suppressions, in trivy's and checkov's IDs", () => {
    const files = scannerIgnoreFiles(stackView("provider", all.byName.provider.json), RULES);
    const trivyIds = [...files[".trivyignore.yaml"].matchAll(/- id: (\S+)/g)].map((m) => m[1]);
    expect(trivyIds).toEqual(["AVD-AWS-0017", "AVD-AWS-0017", "AVD-AWS-0054"]);
    const checkovIds = [...files[".checkov.yaml"].matchAll(/^ {2}- (CKV\S+)/gm)].map((m) => m[1]);
    expect(checkovIds).toEqual([
      "CKV_AWS_115",
      "CKV_AWS_116",
      "CKV_AWS_123",
      "CKV_AWS_152",
      "CKV_AWS_158",
      "CKV_AWS_158",
      "CKV_AWS_2",
      "CKV_AWS_272",
      "CKV_AWS_91",
      "CKV_AWS_91",
    ]);
    const consumer = scannerIgnoreFiles(stackView("consumer", all.byName.consumer.json), RULES);
    expect(consumer[".checkov.yaml"]).not.toContain("CKV_AWS_2 ");
  });
});

describe("security settings from the config", () => {
  test("HTTPS: the ALB listens on 443 with TLS 1.3/1.2 only, no port 80 at all, NLB on TCP 443 health-checking over HTTPS", async () => {
    const all = await synthAll(
      configWith((r) => {
        delete r.service.port;
        r.service.certificateArn = "arn:aws:acm:ap-northeast-1:111111111111:certificate/0123abcd-0000-1111-2222-333344445555";
        r.service.hostname = "hello.example.com";
      }),
    );
    const res = all.byName.provider.json.resource;
    expect(Object.keys(res.aws_lb_listener).sort()).toEqual(["alb_listener", "nlb_tcp"]);
    expect(res.aws_lb_listener.alb_listener).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    });
    expect(res.aws_lb_listener.alb_listener.certificate_arn).toContain(":certificate/");
    expect(res.aws_lb_listener.alb_listener["//"]?.policy_suppressions).toBeUndefined();
    expect(res.aws_lb_listener.nlb_tcp).toMatchObject({ port: 443, protocol: "TCP" });
    expect(res.aws_lb_target_group.nlb_alb.health_check.protocol).toBe("HTTPS");
    expect(all.byName.consumer.json.output.curl_command.value).toBe(
      "curl --connect-to hello.example.com:443:${aws_vpc_endpoint.endpoint.dns_entry[0].dns_name}:443 https://hello.example.com/",
    );
  });

  test("PrivateLink inbound enforcement off: no client rules on the NLB, and the deviation is suppressed with its reason", async () => {
    const res = (await synthAll(configWith((r) => (r.service.privateLinkInboundRules = "off")))).byName.provider.json.resource;
    expect(res.aws_lb.nlb.enforce_security_group_inbound_rules_on_private_link_traffic).toBe("off");
    expect(Object.keys(res.aws_vpc_security_group_ingress_rule)).toEqual(["alb_from_nlb"]);
    expect(res.aws_lb.nlb["//"].policy_suppressions.PLK_NLB_PRIVATELINK_INBOUND).toContain("explicit principals");
  });

  test("deletion protection off, strictest desync, access logs: as configured, with suppressions only where needed", async () => {
    const res = (
      await synthAll(
        configWith(
          (r) =>
            (r.loadBalancers = {
              deletionProtection: false,
              desyncMitigationMode: "strictest",
              accessLogs: { bucket: "alb-logs-bucket", prefix: "hello" },
            }),
        ),
      )
    ).byName.provider.json.resource;
    expect(res.aws_lb.alb).toMatchObject({
      enable_deletion_protection: false,
      desync_mitigation_mode: "strictest",
      access_logs: { enabled: true, bucket: "alb-logs-bucket", prefix: "hello" },
    });
    expect(Object.keys(res.aws_lb.alb["//"].policy_suppressions)).toEqual(["CKV_AWS_150"]);
    expect(res.aws_lb.nlb.enable_deletion_protection).toBe(false);
  });

  test("Lambda: tracing PassThrough, reserved concurrency, KMS, code signing and egress as configured", async () => {
    const res = (
      await synthAll(
        configWith((r) => {
          r.lambda.tracing = "PassThrough";
          r.lambda.reservedConcurrency = 20;
          r.lambda.logKmsKeyArn = "arn:aws:kms:ap-northeast-1:111111111111:key/0123abcd-0000-1111-2222-333344445555";
          r.lambda.codeSigningConfigArn = "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-0123456789abcdefg";
          r.lambda.signedPackage = { bucket: "signed-packages", key: "signed/hello.zip", objectVersion: "v1" };
          r.lambda.egress = [{ cidr: "10.0.128.0/20", port: 443, description: "Internal API in the provider VPC" }];
        }),
      )
    ).byName.provider.json.resource;
    expect(res.aws_lambda_function.lambda).toMatchObject({
      tracing_config: { mode: "PassThrough" },
      reserved_concurrent_executions: 20,
      s3_bucket: "signed-packages",
      s3_key: "signed/hello.zip",
      s3_object_version: "v1",
    });
    expect(Object.keys(res.aws_lambda_function.lambda["//"].policy_suppressions).sort()).toEqual(["CKV_AWS_116", "CKV_AWS_50"]);
    expect(res.aws_iam_role_policy_attachment.lambda_xray).toBeUndefined();
    expect(res.aws_cloudwatch_log_group.lambda.kms_key_id).toContain(":key/");
    expect(res.aws_vpc_security_group_egress_rule.lambda_egress_10_0_128_0_20_443).toMatchObject({
      cidr_ipv4: "10.0.128.0/20",
      from_port: 443,
      description: "Internal API in the provider VPC",
    });
  });

  test("acceptance required: no CKV_AWS_123 suppression, and listed endpoints are accepted", async () => {
    const res = (
      await synthAll(
        configWith((r) => {
          r.service.acceptanceRequired = true;
          r.service.acceptEndpointIds = ["vpce-0123456789abcdef0"];
        }),
      )
    ).byName.provider.json.resource;
    expect(res.aws_vpc_endpoint_service.service.acceptance_required).toBe(true);
    expect(res.aws_vpc_endpoint_service.service["//"]?.policy_suppressions).toBeUndefined();
    expect(res.aws_vpc_endpoint_connection_accepter.service_accept_vpce_0123456789abcdef0).toEqual(
      expect.objectContaining({
        vpc_endpoint_id: "vpce-0123456789abcdef0",
        vpc_endpoint_service_id: "${aws_vpc_endpoint_service.service.id}",
      }),
    );
  });
});
