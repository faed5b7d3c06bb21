import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { addresses, configWith, resource, SynthesizedStack, synthAll } from "../helpers";

describe("provider stack (default config)", () => {
  let stack: SynthesizedStack;
  let stackDir: string;
  beforeAll(async () => {
    const all = await synthAll();
    stack = all.provider;
    stackDir = join(all.app.outdir, "stacks", "provider");
  });

  test("inventory: resource types and addresses are pinned (a changed address destroys and re-creates)", () => {
    expect(addresses(stack.json)).toEqual([
      "aws_cloudwatch_dashboard.dashboard",
      "aws_cloudwatch_log_group.lambda",
      "aws_cloudwatch_log_group.network_flow_logs",
      "aws_cloudwatch_metric_alarm.alb_5xx_rate",
      "aws_cloudwatch_metric_alarm.alb_response_time",
      "aws_cloudwatch_metric_alarm.alb_target_5xx_rate",
      "aws_cloudwatch_metric_alarm.lambda_duration",
      "aws_cloudwatch_metric_alarm.lambda_errors",
      "aws_cloudwatch_metric_alarm.lambda_throttles",
      "aws_cloudwatch_metric_alarm.nlb_blocked_flows",
      "aws_cloudwatch_metric_alarm.nlb_zonal_health_apne1_az1",
      "aws_cloudwatch_metric_alarm.nlb_zonal_health_apne1_az4",
      "aws_cloudwatch_metric_alarm.service_reset_packets",
      "aws_default_security_group.network",
      "aws_flow_log.network_flow_logs",
      "aws_iam_role.lambda",
      "aws_iam_role.network_flow_logs",
      "aws_iam_role_policy.network_flow_logs",
      "aws_iam_role_policy_attachment.lambda_vpc_access",
      "aws_iam_role_policy_attachment.lambda_xray",
      "aws_kms_alias.alarms",
      "aws_kms_key.alarms",
      "aws_lambda_function.lambda",
      "aws_lambda_permission.alb_invoke",
      "aws_lb.alb",
      "aws_lb.nlb",
      "aws_lb_listener.alb_listener",
      "aws_lb_listener.nlb_tcp",
      "aws_lb_listener_rule.alb_health",
      "aws_lb_target_group.alb_lambda",
      "aws_lb_target_group.nlb_alb",
      "aws_lb_target_group_attachment.alb_lambda",
      "aws_lb_target_group_attachment.nlb_alb",
      "aws_security_group.alb",
      "aws_security_group.lambda",
      "aws_security_group.nlb",
      "aws_sns_topic.alarms",
      "aws_sns_topic_policy.alarms",
      "aws_subnet.network_private_apne1_az1",
      "aws_subnet.network_private_apne1_az4",
      "aws_vpc.network",
      "aws_vpc_endpoint_connection_notification.service_connections",
      "aws_vpc_endpoint_service.service",
      "aws_vpc_security_group_egress_rule.nlb_to_alb",
      "aws_vpc_security_group_ingress_rule.alb_from_nlb",
      "aws_vpc_security_group_ingress_rule.nlb_client_10_1_0_0_16",
      "data.aws_iam_policy_document.alarms_topic",
      "data.aws_iam_policy_document.network_flow_logs_trust",
      "data.aws_iam_policy_document.network_flow_logs_write",
      "data.aws_partition.current",
    ]);
    expect(Object.keys(stack.json.output).sort()).toEqual([
      "alarm_topic_arn",
      "alb_dns_name",
      "cross-stack-output-aws_vpc_endpoint_serviceserviceservice_name",
      "dashboard_name",
      "endpoint_service_id",
      "endpoint_service_name",
      "function_name",
      "nlb_az_ids",
      "nlb_dns_name",
    ]);
  });

  test("the AWS provider pins account A and the Region, with a fully qualified source", () => {
    expect(stack.text).toHaveProviderWithProperties(AwsProvider, {
      region: "ap-northeast-1",
      allowed_account_ids: ["111111111111"],
    });
    expect(stack.json.terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: "5.100.0" });
  });

  test("subnets are placed by AZ ID and never map public IPs", () => {
    for (const [azId, cidr] of [
      ["apne1-az1", "10.0.0.0/20"],
      ["apne1-az4", "10.0.16.0/20"],
    ]) {
      expect(stack.text).toHaveResourceWithProperties(Subnet, {
        availability_zone_id: azId,
        cidr_block: cidr,
        map_public_ip_on_launch: false,
      });
    }
    expect(JSON.stringify(stack.json.resource.aws_subnet)).not.toContain('"availability_zone"');
    expect(stack.json.resource.aws_internet_gateway).toBeUndefined();
    expect(stack.json.resource.aws_nat_gateway).toBeUndefined();
  });

  test("the function runs the seed's handler on python3.13 in two subnets with its own security group", () => {
    const fn = resource(stack.json, "aws_lambda_function", "lambda");
    expect(stack.text).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "hello-privatelink",
      handler: "lambda_function.lambda_handler",
      runtime: "python3.13",
      memory_size: 128,
      timeout: 10,
    });
    expect(fn.vpc_config.subnet_ids).toHaveLength(2);
    expect(fn.vpc_config.security_group_ids).toEqual(["${aws_security_group.lambda.id}"]);
    expect(fn.filename).toMatch(/^assets\/[^/]+\/[0-9A-F]+\/hello\.zip$/);
  });

  test("source_code_hash is the base64 SHA-256 of the zip the stack folder holds (what filebase64sha256 gives)", () => {
    // GIVEN the zip the function's filename points to, in the synthesized stack folder
    const fn = resource(stack.json, "aws_lambda_function", "lambda");
    const zip = readFileSync(join(stackDir, fn.filename));
    // WHEN hashed here, independently; THEN it is the hash Terraform will compare
    expect(fn.source_code_hash).toBe(createHash("sha256").update(zip).digest("base64"));
  });

  test("the handler names a callable in the zip (python imports it from the package itself)", () => {
    // GIVEN the handler setting and the zip in the stack folder
    const fn = resource(stack.json, "aws_lambda_function", "lambda");
    const [module, func] = fn.handler.split(".");
    const script = `import importlib, sys\nsys.path.insert(0, sys.argv[1])\nprint(callable(getattr(importlib.import_module(sys.argv[2]), sys.argv[3], None)))`;
    // WHEN python loads it the way Lambda does (module from the package root)
    const run = spawnSync("python3", ["-B", "-c", script, join(stackDir, fn.filename), module, func], { encoding: "utf8" });
    // THEN the function exists
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("True");
  });

  test("the function depends on its VPC access policy attachment and its log group", () => {
    const fn = resource(stack.json, "aws_lambda_function", "lambda");
    expect(fn.depends_on).toEqual(
      expect.arrayContaining(["aws_iam_role_policy_attachment.lambda_vpc_access", "aws_cloudwatch_log_group.lambda"]),
    );
    expect(resource(stack.json, "aws_iam_role_policy_attachment", "lambda_vpc_access").policy_arn).toBe(
      "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    );
  });

  test("the role trusts lambda.amazonaws.com only", () => {
    const role = resource(stack.json, "aws_iam_role", "lambda");
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(Object.keys(stack.json.resource.aws_iam_role).sort()).toEqual(["lambda", "network_flow_logs"]);
    expect(stack.text).toHaveResourceWithProperties(IamRole, { name: "hello-privatelink-lambda" });
  });

  test("the log group is /aws/lambda/<name> with a retention period", () => {
    expect(stack.text).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/aws/lambda/hello-privatelink",
      retention_in_days: 365,
    });
  });

  test("the ALB is internal, in two subnets, with its own security group and invalid headers dropped", () => {
    expect(stack.text).toHaveResourceWithProperties(Lb, {
      name: "hello-privatelink-alb",
      load_balancer_type: "application",
      internal: true,
      drop_invalid_header_fields: true,
      security_groups: ["${aws_security_group.alb.id}"],
    });
    expect(resource(stack.json, "aws_lb", "alb").subnets).toHaveLength(2);
  });

  test("the ALB listener is HTTP on the service port and forwards to the lambda target group", () => {
    expect(stack.text).toHaveResourceWithProperties(LbListener, {
      load_balancer_arn: "${aws_lb.alb.arn}",
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.alb_lambda.arn}" }],
    });
  });

  test("the lambda target group sets health_check.enabled explicitly and takes no port/protocol/vpc", () => {
    const tg = resource(stack.json, "aws_lb_target_group", "alb_lambda");
    expect(tg.target_type).toBe("lambda");
    expect(tg.health_check).toEqual({ enabled: false });
    expect(tg).not.toHaveProperty("port");
    expect(tg).not.toHaveProperty("protocol");
    expect(tg).not.toHaveProperty("vpc_id");
  });

  test("ELB may invoke the function only from the lambda target group, in this account", () => {
    expect(stack.text).toHaveResourceWithProperties(LambdaPermission, {
      action: "lambda:InvokeFunction",
      principal: "elasticloadbalancing.amazonaws.com",
      function_name: "${aws_lambda_function.lambda.function_name}",
      source_arn: "${aws_lb_target_group.alb_lambda.arn}",
      source_account: "111111111111",
    });
  });

  test("the lambda registration depends on the invoke permission", () => {
    const attachment = resource(stack.json, "aws_lb_target_group_attachment", "alb_lambda");
    expect(attachment.target_id).toBe("${aws_lambda_function.lambda.arn}");
    expect(attachment.depends_on).toContain("aws_lambda_permission.alb_invoke");
  });

  test("the NLB is internal, in the ALB's subnets, with security groups attached at creation", () => {
    expect(stack.text).toHaveResourceWithProperties(Lb, {
      name: "hello-privatelink-nlb",
      load_balancer_type: "network",
      internal: true,
      security_groups: ["${aws_security_group.nlb.id}"],
      enforce_security_group_inbound_rules_on_private_link_traffic: "on",
    });
    expect(resource(stack.json, "aws_lb", "nlb").subnets).toEqual(resource(stack.json, "aws_lb", "alb").subnets);
  });

  test("invariant: the alb target group is TCP on the port read from the ALB listener object", () => {
    const tg = resource(stack.json, "aws_lb_target_group", "nlb_alb");
    expect(tg).toMatchObject({ target_type: "alb", protocol: "TCP", port: "${aws_lb_listener.alb_listener.port}" });
    expect(tg.health_check).toMatchObject({ enabled: true, protocol: "HTTP", path: "/healthz" });
    expect(stack.text).toHaveResourceWithProperties(LbTargetGroup, { vpc_id: "${aws_vpc.network.id}", target_type: "alb" });
  });

  test("the ALB registration targets the ALB's ARN and depends on its listener", () => {
    const attachment = resource(stack.json, "aws_lb_target_group_attachment", "nlb_alb");
    expect(attachment.target_id).toBe("${aws_lb.alb.arn}");
    expect(attachment.depends_on).toContain("aws_lb_listener.alb_listener");
  });

  test("the NLB listener is TCP on the service port and forwards to the alb target group", () => {
    expect(stack.text).toHaveResourceWithProperties(LbListener, {
      load_balancer_arn: "${aws_lb.nlb.arn}",
      port: 80,
      protocol: "TCP",
      default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.nlb_alb.arn}" }],
    });
  });

  test("the ALB answers the health-check path itself, so NLB health checks never invoke the function", () => {
    const rule = resource(stack.json, "aws_lb_listener_rule", "alb_health");
    expect(rule.listener_arn).toBe("${aws_lb_listener.alb_listener.arn}");
    expect(rule.condition).toEqual([{ path_pattern: { values: ["/healthz"] } }]);
    expect(rule.action[0]).toMatchObject({ type: "fixed-response", fixed_response: { status_code: "200" } });
  });

  test("the endpoint service fronts the NLB, sets acceptance explicitly and allows the consumer account", () => {
    expect(stack.text).toHaveResourceWithProperties(VpcEndpointService, {
      acceptance_required: false,
      network_load_balancer_arns: ["${aws_lb.nlb.arn}"],
      allowed_principals: ["arn:${data.aws_partition.current.partition}:iam::222222222222:root"],
    });
    expect(resource(stack.json, "aws_vpc_endpoint_service", "service")).not.toHaveProperty("supported_regions");
  });

  test("outputs: service name, NLB and ALB DNS names, function name", () => {
    expect(stack.json.output.endpoint_service_name.value).toBe("${aws_vpc_endpoint_service.service.service_name}");
    expect(stack.json.output.nlb_dns_name.value).toBe("${aws_lb.nlb.dns_name}");
    expect(stack.json.output.alb_dns_name.value).toBe("${aws_lb.alb.dns_name}");
    expect(stack.json.output.function_name.value).toBe("${aws_lambda_function.lambda.function_name}");
  });

  test("state is local, relative and outside cdktf.out", () => {
    expect(stack.json.terraform.backend).toEqual({ local: { path: "../../../state/terraform.provider.tfstate" } });
  });
});

describe("provider stack (config variations)", () => {
  test("a non-default port flows to both listeners, the NLB rule and the target group via the listener", async () => {
    const { provider } = await synthAll(configWith((raw) => (raw.service.port = 8080)));
    const listeners = provider.json.resource.aws_lb_listener;
    expect(listeners.alb_listener.port).toBe(8080);
    expect(listeners.nlb_tcp.port).toBe(8080);
    expect(resource(provider.json, "aws_lb_target_group", "nlb_alb").port).toBe("${aws_lb_listener.alb_listener.port}");
    expect(resource(provider.json, "aws_vpc_security_group_ingress_rule", "nlb_client_10_1_0_0_16")).toMatchObject({
      from_port: 8080,
      to_port: 8080,
      cidr_ipv4: "10.1.0.0/16",
    });
  });

  test("explicit subnet CIDRs are used as given", async () => {
    const config = configWith((raw) => {
      raw.provider.network.create.subnetCidrs = { "apne1-az1": "10.0.100.0/24", "apne1-az4": "10.0.101.0/24" };
    });
    const { provider } = await synthAll(config);
    expect(resource(provider.json, "aws_subnet", "network_private_apne1_az1").cidr_block).toBe("10.0.100.0/24");
    expect(resource(provider.json, "aws_subnet", "network_private_apne1_az4").cidr_block).toBe("10.0.101.0/24");
  });
});
