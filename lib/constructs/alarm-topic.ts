/**
 * The SNS topic alarms (and endpoint connection notifications) go to: one this construct
 * creates, encrypted with a customer managed KMS key the publishing services may use, or an
 * existing one, by ARN.
 */
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { Construct } from "constructs";
import { Fn } from "../cdktf";
import type { ITerraformDependable } from "../cdktf";
import { addressName, withAddress } from "../naming";
import { CREATE_FIRST } from "../placement-checks";

/** A service that publishes to the topic, and the resources it publishes for. */
export interface TopicPublisher {
  /** Its service principal, such as `cloudwatch.amazonaws.com`. */
  readonly service: string;
  /** ARN patterns of the resources it publishes for (the `aws:SourceArn` they must match). */
  readonly sourceArns: readonly string[];
}

/** Properties of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** The topic's name, and its key alias (`alias/<name>`). */
  readonly name: string;
  /** The account of the stack: only its resources may publish. */
  readonly accountId: string;
  readonly partition: string;
  /** The services that publish to the topic. */
  readonly publishers: readonly TopicPublisher[];
  /** An existing topic to use instead: nothing is created, and its policy is its owner's. @default - a new topic */
  readonly existingTopicArn?: string;
}

/** An encrypted topic that only the named services may publish to, for this account's resources. */
export class AlarmTopic extends Construct {
  /** The topic's ARN. */
  public readonly topicArn: string;
  /** What publishing needs in place first (the topic policy); empty for an existing topic. */
  public readonly readiness: ITerraformDependable[];
  /** The KMS key of a created topic. */
  public readonly key?: KmsKey;
  /** A created topic. */
  public readonly topic?: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (props.existingTopicArn) {
      this.topicArn = props.existingTopicArn;
      this.readiness = [];
      return;
    }
    const name = addressName(this);
    const root = `arn:${props.partition}:iam::${props.accountId}:root`;
    const services = props.publishers.map((p) => p.service);
    // CloudWatch and PrivateLink publish with their own principals, so the key must let them
    // use it: the AWS managed key (alias/aws/sns) cannot, and its policy cannot be changed.
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    // Inline, not a policy document data source: scanners read a data source as an identity
    // policy and flag `"Resource": "*"`, which in a key policy means this key.
    const keyPolicy = Fn.jsonencode({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" },
        {
          Sid: "PublishersEncryptMessages",
          Effect: "Allow",
          Principal: { Service: services },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          // As AWS documents it, without conditions: SNS makes these calls for the
          // publisher, and the topic policy below already limits who may publish.
        },
      ],
    });
    const key = withAddress(
      new KmsKey(this, "key", {
        description: `Encrypts the SNS topic ${props.name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: keyPolicy,
      }),
      name,
    );
    // Renamed with the app or consumer: the new topic and alias exist before the old go.
    withAddress(new KmsAlias(this, "alias", { name: `alias/${props.name}`, targetKeyId: key.keyId, lifecycle: CREATE_FIRST }), name);
    const topic = withAddress(new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: key.arn, lifecycle: CREATE_FIRST }), name);
    // Each publisher only for resources of this account, of the kinds named (confused deputy).
    const topicPolicy = withAddress(
      new DataAwsIamPolicyDocument(this, "topic-policy", {
        statement: props.publishers.map((p, i) => ({
          sid: `Publish${i}`,
          actions: ["sns:Publish"],
          resources: [topic.arn],
          principals: [{ type: "Service", identifiers: [p.service] }],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [...p.sourceArns] },
          ],
        })),
      }),
      addressName(this, "topic"),
    );
    const policy = withAddress(
      new SnsTopicPolicy(this, "policy", { arn: topic.arn, policy: topicPolicy.json, lifecycle: CREATE_FIRST }),
      name,
    );
    this.topicArn = topic.arn;
    this.readiness = [policy];
    this.key = key;
    this.topic = topic;
  }
}
