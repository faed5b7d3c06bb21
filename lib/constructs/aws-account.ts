/** The AWS provider of a stack, pinned to one account. */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { Construct } from "constructs";
import { TerraformStack } from "../cdktf";
import { withAddress } from "../naming";
import { terraformLiteral } from "../terraform-literal";

/** A role the provider assumes. */
export interface AssumeRole {
  /** The role ARN. */
  readonly roleArn: string;
  /** The external ID the role's trust policy requires. @default - none */
  readonly externalId?: string;
  /** The session name shown in CloudTrail. @default - chosen by the AWS SDK */
  readonly sessionName?: string;
}

/** Properties of {@link AwsAccount}. */
export interface AwsAccountProps {
  /** The 12-digit account every resource of the stack must land in. */
  readonly accountId: string;
  /** The AWS Region code. */
  readonly region: string;
  /** Tags applied to every taggable resource through the provider's `default_tags`. */
  readonly tags?: Readonly<Record<string, string>>;
  /** A named profile from the AWS config files. @default - the default credential chain */
  readonly profile?: string;
  /** A role to assume. @default - none */
  readonly assumeRole?: AssumeRole;
}

/** Configures the stack's AWS provider; exposes the partition for building ARNs. */
export class AwsAccount extends Construct {
  /** The account ID the provider is pinned to. */
  public readonly accountId: string;
  private partitionData?: DataAwsPartition;

  constructor(scope: Construct, id: string, props: AwsAccountProps) {
    super(scope, id);
    this.accountId = props.accountId;
    new AwsProvider(this, "aws", {
      region: props.region,
      // A deploy with the wrong credentials stops before it touches anything.
      allowedAccountIds: [props.accountId],
      profile: props.profile,
      // A role's IAM path may hold `${` or `%{` (IAM allows them): written as the literal text,
      // never as a Terraform template.
      assumeRole: props.assumeRole ? [{ ...props.assumeRole, roleArn: terraformLiteral(props.assumeRole.roleArn) }] : undefined,
      defaultTags: props.tags && Object.keys(props.tags).length > 0 ? [{ tags: { ...props.tags } }] : undefined,
    });
    // The prebuilt binding writes `"source": "aws"`; OpenTofu then re-locks on every init
    // (opentofu#2402). The fully qualified source means the same to both tools.
    TerraformStack.of(this).addOverride("terraform.required_providers.aws.source", "hashicorp/aws");
  }

  /** The AWS partition (`aws`, `aws-cn`, `aws-us-gov`), read at plan time; looked up on first use. */
  public get partition(): string {
    this.partitionData ??= withAddress(new DataAwsPartition(this, "partition"), "current");
    return this.partitionData.partition;
  }
}
