/** VpcFlowLogs: all of a VPC's traffic to a CloudWatch log group, through a role only the flow logs service of one account may assume. */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { VpcFlowLogs, VpcFlowLogsProps } from "../../lib/constructs/flow-logs";
import { suppress } from "../../lib/policy/suppress";
import { TerraformOutput, TerraformStack } from "../../lib/cdktf";
import { resourceOf, scope, synth } from "./harness";

const ACCOUNT = "111111111111";
const KMS_KEY = "arn:aws:kms:ap-northeast-1:111111111111:key/0123abcd-0000-1111-2222-333344445555";

const PROPS: VpcFlowLogsProps = { vpcId: "vpc-0abc", name: "hello", accountId: ACCOUNT, retentionDays: 30 };

/** Flow logs built as construct "flow-logs", so every address is `flow_logs` (or `flow_logs_<suffix>`). */
function flowLogs(props: Partial<VpcFlowLogsProps> = {}) {
  const { stack } = scope();
  const logs = new VpcFlowLogs(stack, "flow-logs", { ...PROPS, ...props });
  return { stack, logs };
}

/** What `value` (a token, or a string with tokens in it) becomes in the stack's Terraform JSON. */
function rendered(stack: TerraformStack, value: unknown): unknown {
  const id = `rendered_${stack.node.children.length}`;
  new TerraformOutput(stack, id, { value });
  return synth(stack).json.output[id].value;
}

/**
 * The stack as Terraform will see it, with each element's `"//"` metadata kept (the harness's
 * `synth` uses cdktf's Testing.synth, which strips it, and suppressions live there).
 */
function withMetadata(stack: TerraformStack): Record<string, any> {
  return stack.toTerraform();
}

describe("VpcFlowLogs resources", () => {
  test("the inventory of addresses is pinned, all named after the construct id", () => {
    // GIVEN flow logs built as construct "flow-logs"
    const { stack } = flowLogs();
    // WHEN the stack is synthesized
    const { json } = synth(stack);
    // THEN these are exactly its resources and data sources
    const addresses = (block: Record<string, any> = {}, prefix = "") =>
      Object.entries(block).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${prefix}${type}.${name}`));
    expect([...addresses(json.resource), ...addresses(json.data, "data.")].sort()).toEqual([
      "aws_cloudwatch_log_group.flow_logs",
      "aws_flow_log.flow_logs",
      "aws_iam_role.flow_logs",
      "aws_iam_role_policy.flow_logs",
      "data.aws_iam_policy_document.flow_logs_trust",
      "data.aws_iam_policy_document.flow_logs_write",
    ]);
  });

  test("the log group is /vpc/flow-logs/<name> with the retention, and no KMS key by default", () => {
    // GIVEN flow logs named hello, kept 30 days, without a KMS key
    const { stack } = flowLogs();
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN the log group has exactly the name and the retention, and a new name creates the new group first
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/vpc/flow-logs/hello", retention_in_days: 30 });
    expect(resourceOf(json, "aws_cloudwatch_log_group", "flow_logs")).toEqual({
      name: "/vpc/flow-logs/hello",
      retention_in_days: 30,
      lifecycle: { create_before_destroy: true },
    });
  });

  test.each([1, 30, 365, 3653])("retention of %i days is written as given", (retentionDays) => {
    // GIVEN flow logs kept `retentionDays` days
    const { stack } = flowLogs({ retentionDays });
    // WHEN the stack is synthesized
    const group = resourceOf(synth(stack).json, "aws_cloudwatch_log_group", "flow_logs");
    // THEN the log group keeps records that long
    expect(group.retention_in_days).toBe(retentionDays);
  });

  test("a KMS key, when given, encrypts the log group", () => {
    // GIVEN a KMS key ARN
    const { stack } = flowLogs({ kmsKeyArn: KMS_KEY });
    // WHEN the stack is synthesized
    const { text } = synth(stack);
    // THEN the log group's kms_key_id is that ARN
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/vpc/flow-logs/hello", kms_key_id: KMS_KEY });
  });

  test("logGroup is the log group the records go to", () => {
    // GIVEN flow logs
    const { stack, logs } = flowLogs();
    // WHEN logGroup is read
    const group = logs.logGroup;
    // THEN it is aws_cloudwatch_log_group.flow_logs, the flow log's destination
    expect(group).toBeInstanceOf(CloudwatchLogGroup);
    expect(rendered(stack, group.arn)).toBe("${aws_cloudwatch_log_group.flow_logs.arn}");
    expect(resourceOf(synth(stack).json, "aws_flow_log", "flow_logs").log_destination).toBe("${aws_cloudwatch_log_group.flow_logs.arn}");
  });
});

describe("VpcFlowLogs role", () => {
  test("the trust policy lets only vpc-flow-logs.amazonaws.com assume the role, and only for the VPC's account", () => {
    // GIVEN flow logs for account 111111111111
    const { stack } = flowLogs();
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN the trust document has one statement: sts:AssumeRole by that service, conditioned on aws:SourceAccount
    expect(json.data.aws_iam_policy_document.flow_logs_trust).toEqual({
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT] }],
        },
      ],
    });
    expect(text).toHaveDataSource(DataAwsIamPolicyDocument);
  });

  test.each(["111111111111", "222222222222"])("the trust condition names account %s", (accountId) => {
    // GIVEN flow logs for `accountId`
    const { stack } = flowLogs({ accountId });
    // WHEN the stack is synthesized
    const statement = synth(stack).json.data.aws_iam_policy_document.flow_logs_trust.statement[0];
    // THEN aws:SourceAccount equals that account, and no statement says Deny or widens the principal
    expect(statement.condition).toEqual([{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }]);
    expect(statement).not.toHaveProperty("effect");
  });

  test("the role is <name>-flow-logs and takes its trust policy from the trust document", () => {
    // GIVEN flow logs named hello
    const { stack } = flowLogs();
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN aws_iam_role.flow_logs refers to the trust document's JSON and names the log group in its description
    expect(text).toHaveResourceWithProperties(IamRole, {
      name: "hello-flow-logs",
      assume_role_policy: "${data.aws_iam_policy_document.flow_logs_trust.json}",
    });
    expect(resourceOf(json, "aws_iam_role", "flow_logs").description).toBe(
      "Lets VPC Flow Logs write to ${aws_cloudwatch_log_group.flow_logs.name}",
    );
  });

  test("the write policy allows the three log actions on the log group ARN and its streams (ARN:*) only", () => {
    // GIVEN flow logs
    const { stack } = flowLogs();
    // WHEN the stack is synthesized
    const { json } = synth(stack);
    // THEN the write document has one statement scoped to the log group
    expect(json.data.aws_iam_policy_document.flow_logs_write).toEqual({
      statement: [
        {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: ["${aws_cloudwatch_log_group.flow_logs.arn}", "${aws_cloudwatch_log_group.flow_logs.arn}:*"],
        },
      ],
    });
    expect(JSON.stringify(json.data.aws_iam_policy_document.flow_logs_write)).not.toContain('"*"');
  });

  test("the write policy is attached inline to the role", () => {
    // GIVEN flow logs
    const { stack } = flowLogs();
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN aws_iam_role_policy.flow_logs joins the write document to the role
    expect(text).toHaveResourceWithProperties(IamRolePolicy, {
      name: "write-flow-logs",
      role: "${aws_iam_role.flow_logs.id}",
      policy: "${data.aws_iam_policy_document.flow_logs_write.json}",
    });
    expect(Object.keys(json.resource.aws_iam_role_policy)).toEqual(["flow_logs"]);
    expect(json.resource.aws_iam_role_policy_attachment).toBeUndefined();
  });
});

describe("VpcFlowLogs flow log", () => {
  test("records ALL traffic of the VPC to CloudWatch Logs through the role, aggregated every 60 s", () => {
    // GIVEN flow logs for vpc-0abc
    const { stack } = flowLogs();
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN aws_flow_log.flow_logs has exactly these arguments
    expect(text).toHaveResourceWithProperties(FlowLog, { traffic_type: "ALL", max_aggregation_interval: 60 });
    expect(resourceOf(json, "aws_flow_log", "flow_logs")).toEqual({
      vpc_id: "vpc-0abc",
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: "${aws_cloudwatch_log_group.flow_logs.arn}",
      iam_role_arn: "${aws_iam_role.flow_logs.arn}",
      max_aggregation_interval: 60,
      tags: { Name: "hello-flow-logs" },
    });
  });

  test("a VPC ID that is a reference is passed through as a reference", () => {
    // GIVEN a VPC ID that is an interpolation of another resource
    const { stack } = flowLogs({ vpcId: "${aws_vpc.net.id}" });
    // WHEN the stack is synthesized
    const flowLog = resourceOf(synth(stack).json, "aws_flow_log", "flow_logs");
    // THEN the flow log refers to it
    expect(flowLog.vpc_id).toBe("${aws_vpc.net.id}");
  });
});

describe("VpcFlowLogs policy suppressions", () => {
  test.each([
    [1, "no KMS key", undefined],
    [30, "no KMS key", undefined],
    [364, "no KMS key", undefined],
    [365, "no KMS key", undefined],
    [3653, "no KMS key", undefined],
    [1, "a KMS key", KMS_KEY],
    [364, "a KMS key", KMS_KEY],
    [365, "a KMS key", KMS_KEY],
  ])("retention %i days, %s: the construct records no suppression on any of its elements", (retentionDays, _label, kmsKeyArn) => {
    // GIVEN flow logs with a short or long retention, with or without KMS
    const { stack } = flowLogs({ retentionDays, kmsKeyArn });
    // WHEN the stack is rendered with its "//" metadata
    const tf = withMetadata(stack);
    // THEN the log group (and every other element) has no policy_suppressions: deviations are the caller's to record
    const group = tf.resource.aws_cloudwatch_log_group.flow_logs;
    expect(group["//"]).toBeDefined();
    expect(group["//"].policy_suppressions).toBeUndefined();
    expect(JSON.stringify(tf)).not.toContain("policy_suppressions");
  });

  test("a suppression recorded by the caller on logGroup does show in the same view (so the check above can fail)", () => {
    // GIVEN flow logs without KMS
    const { stack, logs } = flowLogs();
    // WHEN the caller suppresses CKV_AWS_158 on the log group
    suppress(logs.logGroup, "CKV_AWS_158", "No KMS key configured in this test");
    // THEN the log group's "//" metadata carries exactly that suppression
    const group = withMetadata(stack).resource.aws_cloudwatch_log_group.flow_logs;
    expect(group["//"].policy_suppressions).toEqual({ CKV_AWS_158: "No KMS key configured in this test" });
  });
});
