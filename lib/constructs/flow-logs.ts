/** VPC flow logs to CloudWatch Logs, with their own narrowly scoped role. */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { addressName, withAddress } from "../naming";
import { CREATE_FIRST } from "../placement-checks";

/** Properties of {@link VpcFlowLogs}. */
export interface VpcFlowLogsProps {
  /** The VPC to record. */
  readonly vpcId: string;
  /** Names the log group (`/vpc/flow-logs/<name>`) and the role. */
  readonly name: string;
  /** The account that owns the VPC; the role trusts the flow logs service for it only. */
  readonly accountId: string;
  /** Days to keep the records. */
  readonly retentionDays: number;
  /** A KMS key for the log group. @default - CloudWatch Logs' own encryption */
  readonly kmsKeyArn?: string;
}

/** Records all of a VPC's traffic (accepted and rejected) in a CloudWatch log group. */
export class VpcFlowLogs extends Construct {
  /** The log group the records go to. */
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const name = addressName(this);
    const logGroup = withAddress(
      new CloudwatchLogGroup(this, "logs", {
        name: `/vpc/flow-logs/${props.name}`,
        retentionInDays: props.retentionDays,
        kmsKeyId: props.kmsKeyArn,
        // Replaced only under a new name (the app's or the consumer's): created first.
        lifecycle: CREATE_FIRST,
      }),
      name,
    );
    this.logGroup = logGroup;
    // Policy documents as data sources, not JSON strings: tokens inside jsonencoded strings
    // render wrongly in `cdktf synth --hcl` (terraform-cdk#3911).
    const trust = withAddress(
      new DataAwsIamPolicyDocument(this, "trust", {
        statement: [
          {
            actions: ["sts:AssumeRole"],
            principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
            condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
          },
        ],
      }),
      addressName(this, "trust"),
    );
    const role = withAddress(
      new IamRole(this, "role", {
        name: `${props.name}-flow-logs`,
        description: `Lets VPC Flow Logs write to ${logGroup.name}`,
        assumeRolePolicy: trust.json,
        lifecycle: CREATE_FIRST,
      }),
      name,
    );
    const write = withAddress(
      new DataAwsIamPolicyDocument(this, "write", {
        statement: [
          {
            actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            resources: [logGroup.arn, `${logGroup.arn}:*`],
          },
        ],
      }),
      addressName(this, "write"),
    );
    withAddress(new IamRolePolicy(this, "policy", { name: "write-flow-logs", role: role.id, policy: write.json }), name);
    withAddress(
      new FlowLog(this, "flow-log", {
        vpcId: props.vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: { Name: `${props.name}-flow-logs` },
      }),
      name,
    );
  }
}
