import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { addresses, configWith, resource, SynthesizedStack, synthAll } from "../helpers";
import { consumerResourcePrefix } from "../../config/stack-names";
import { curlCommand, serviceUrl } from "../../stacks/consumer-stack";

describe("consumer stack (default config)", () => {
  let stack: SynthesizedStack;
  let providerStack: SynthesizedStack;
  beforeAll(async () => {
    const all = await synthAll();
    expect(all.consumers).toHaveLength(1);
    stack = all.consumers[0];
    providerStack = all.provider;
  });

  test("inventory: resource types and addresses are pinned", () => {
    expect(addresses(stack.json)).toEqual([
      "aws_cloudwatch_dashboard.dashboard",
      "aws_cloudwatch_log_group.network_flow_logs",
      "aws_cloudwatch_log_group.probe",
      "aws_cloudwatch_metric_alarm.endpoint_dropped_packets",
      "aws_cloudwatch_metric_alarm.endpoint_reset_packets",
      "aws_default_security_group.network",
      "aws_flow_log.network_flow_logs",
      "aws_iam_role.network_flow_logs",
      "aws_iam_role.probe",
      "aws_iam_role_policy.network_flow_logs",
      "aws_iam_role_policy_attachment.probe_vpc_access",
      "aws_iam_role_policy_attachment.probe_xray",
      "aws_kms_alias.alarms",
      "aws_kms_key.alarms",
      "aws_lambda_function.probe",
      "aws_security_group.endpoint",
      "aws_security_group.endpoint_clients",
      "aws_sns_topic.alarms",
      "aws_sns_topic_policy.alarms",
      "aws_subnet.network_private_apne1_az1",
      "aws_subnet.network_private_apne1_az4",
      "aws_vpc.network",
      "aws_vpc_endpoint.endpoint",
      "aws_vpc_security_group_egress_rule.endpoint_clients_endpoint",
      "aws_vpc_security_group_ingress_rule.endpoint_client_10_1_0_0_16",
      "aws_vpc_security_group_ingress_rule.endpoint_clients",
      "data.aws_iam_policy_document.alarms_topic",
      "data.aws_iam_policy_document.network_flow_logs_trust",
      "data.aws_iam_policy_document.network_flow_logs_write",
      "data.aws_partition.current",
      "data.terraform_remote_state.cross-stack-reference-input-provider",
    ]);
    expect(Object.keys(stack.json.output).sort()).toEqual([
      "alarm_topic_arn",
      "client_security_group_id",
      "curl_command",
      "dashboard_name",
      "endpoint_dns_name",
      "endpoint_id",
      "probe_function_name",
      "service_url",
    ]);
  });

  test("the AWS provider pins account B", () => {
    expect(stack.text).toHaveProviderWithProperties(AwsProvider, {
      region: "ap-northeast-1",
      allowed_account_ids: ["222222222222"],
    });
  });

  test("subnets use the same AZ IDs as the provider", () => {
    const azIds = (json: Record<string, any>) =>
      Object.values(json.resource.aws_subnet)
        .map((s: any) => s.availability_zone_id)
        .sort();
    expect(azIds(stack.json)).toEqual(["apne1-az1", "apne1-az4"]);
    expect(azIds(stack.json)).toEqual(azIds(providerStack.json));
  });

  test("the endpoint security group allows TCP 80 from the consumer VPC CIDR and the client group only", () => {
    const rule = (kind: string, name: string) => {
      const { "//": _, ...props } = resource(stack.json, kind, name);
      return props;
    };
    expect(Object.keys(stack.json.resource.aws_vpc_security_group_ingress_rule).sort()).toEqual([
      "endpoint_client_10_1_0_0_16",
      "endpoint_clients",
    ]);
    expect(rule("aws_vpc_security_group_ingress_rule", "endpoint_client_10_1_0_0_16")).toMatchObject({
      security_group_id: "${aws_security_group.endpoint.id}",
      ip_protocol: "tcp",
      from_port: 80,
      to_port: 80,
      cidr_ipv4: "10.1.0.0/16",
    });
    expect(rule("aws_vpc_security_group_ingress_rule", "endpoint_clients")).toEqual({
      security_group_id: "${aws_security_group.endpoint.id}",
      description: "Members of the client security group to the PrivateLink service port",
      ip_protocol: "tcp",
      from_port: 80,
      to_port: 80,
      referenced_security_group_id: "${aws_security_group.endpoint_clients.id}",
    });
    // The client group's one rule: out to the endpoint's group on the service port. No ingress.
    expect(Object.keys(stack.json.resource.aws_vpc_security_group_egress_rule)).toEqual(["endpoint_clients_endpoint"]);
    expect(rule("aws_vpc_security_group_egress_rule", "endpoint_clients_endpoint")).toEqual({
      security_group_id: "${aws_security_group.endpoint_clients.id}",
      description: "The PrivateLink service port on the interface endpoint",
      ip_protocol: "tcp",
      from_port: 80,
      to_port: 80,
      referenced_security_group_id: "${aws_security_group.endpoint.id}",
    });
    expect(stack.json.output.client_security_group_id.value).toBe("${aws_security_group.endpoint_clients.id}");
  });

  test("the interface endpoint takes the service name from the provider stack's remote state", () => {
    expect(stack.text).toHaveResourceWithProperties(VpcEndpoint, {
      vpc_endpoint_type: "Interface",
      private_dns_enabled: false,
      security_group_ids: ["${aws_security_group.endpoint.id}"],
      vpc_id: "${aws_vpc.network.id}",
    });
    const endpoint = resource(stack.json, "aws_vpc_endpoint", "endpoint");
    expect(endpoint.subnet_ids).toHaveLength(2);
    const remote = "data.terraform_remote_state.cross-stack-reference-input-provider";
    const outputName = "cross-stack-output-aws_vpc_endpoint_serviceserviceservice_name";
    expect(endpoint.service_name).toBe(`\${${remote}.outputs.${outputName}}`);
    expect(providerStack.json.output[outputName].value).toBe("${aws_vpc_endpoint_service.service.service_name}");
    expect(endpoint).not.toHaveProperty("service_region");
  });

  test("the remote state reads the provider's relative local state path", () => {
    expect(stack.json.data.terraform_remote_state["cross-stack-reference-input-provider"]).toMatchObject({
      backend: "local",
      config: { path: "../../../state/terraform.provider.tfstate" },
    });
    expect(stack.json.terraform.backend).toEqual({ local: { path: "../../../state/terraform.consumer.tfstate" } });
  });

  test("outputs: endpoint ID, DNS name and a ready-to-run curl", () => {
    expect(stack.json.output.endpoint_id.value).toBe("${aws_vpc_endpoint.endpoint.id}");
    expect(stack.json.output.endpoint_dns_name.value).toBe("${aws_vpc_endpoint.endpoint.dns_entry[0].dns_name}");
    expect(stack.json.output.curl_command.value).toBe("curl http://${aws_vpc_endpoint.endpoint.dns_entry[0].dns_name}/");
  });
});

describe("what consumers are told", () => {
  test("service URLs and curl commands for HTTP, custom ports and HTTPS", () => {
    expect(serviceUrl("vpce.example", 80)).toBe("http://vpce.example/");
    expect(serviceUrl("vpce.example", 8080)).toBe("http://vpce.example:8080/");
    expect(serviceUrl("vpce.example", 443, {})).toBe("https://vpce.example/");
    expect(curlCommand("vpce.example", 8443, { hostname: "svc.example.com" })).toBe(
      "curl --connect-to svc.example.com:8443:vpce.example:8443 https://svc.example.com:8443/",
    );
  });
});

describe("consumer resource names: unique per account across consumers", () => {
  test('two consumers in one account get their own role and log group names; "main" keeps the default\'s', async () => {
    // GIVEN the default consumer "main" and a second one in the same account and Region
    const all = await synthAll(
      configWith((r) => {
        r.consumers.push({
          ...r.consumers[0],
          name: "batch",
          network: { create: { vpcCidr: "10.2.0.0/16", azIds: ["apne1-az1", "apne1-az4"] } },
        });
        r.backend = { local: { directory: "state" } };
      }),
    );
    const names = (s: SynthesizedStack) => ({
      role: resource(s.json, "aws_iam_role", "network_flow_logs").name,
      logs: resource(s.json, "aws_cloudwatch_log_group", "network_flow_logs").name,
      group: resource(s.json, "aws_security_group", "endpoint").name,
    });
    // WHEN both are synthesized; THEN no name is shared, and "main" keeps its names
    expect(all.consumers.map(names)).toEqual([
      {
        role: "hello-privatelink-consumer-flow-logs",
        logs: "/vpc/flow-logs/hello-privatelink-consumer",
        group: "hello-privatelink-consumer-endpoint",
      },
      {
        role: "hello-privatelink-consumer-batch-flow-logs",
        logs: "/vpc/flow-logs/hello-privatelink-consumer-batch",
        // Unique per VPC only, and kept: renaming a group in use would force its replacement.
        group: "hello-privatelink-consumer-endpoint",
      },
    ]);
  });

  test.each([
    ["main", "app-consumer"],
    ["tokyo", "app-consumer-tokyo"],
  ])("consumer %s: prefix %s", (consumer, prefix) => {
    expect(consumerResourcePrefix("app", consumer)).toBe(prefix);
  });
});
