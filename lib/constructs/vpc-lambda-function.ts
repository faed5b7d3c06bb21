/** A Lambda function in a VPC, with its role, log group, security group and package. */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { Construct } from "constructs";
import { AssetType, TerraformAsset, TerraformResource } from "../cdktf";
import type { LambdaPackage } from "../lambda-package";
import { addressName, withAddress } from "../naming";
import { describeSubnets, SubnetGroup } from "./network";
import { CREATE_FIRST, spansDistinctAzs } from "../placement-checks";
import { suppress } from "../policy/suppress";
import { cidrName, Firewall } from "./security-group";
import { accessPolicy, IamStatement } from "../aws/iam-policy";

export type { IamStatement } from "../aws/iam-policy";

/** An outbound connection the function may open. */
export interface EgressRule {
  /** Destination CIDR. */
  readonly cidr: string;
  /** Destination TCP port. */
  readonly port: number;
  /** Why the function needs it. */
  readonly description: string;
}

/**
 * A package AWS Signer signed, where Signer wrote it (a versioned S3 bucket). Lambda checks
 * its signature against the function's code signing config; a zip built at synth has none.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html
 */
export interface SignedS3Package {
  readonly kind: "signed-s3";
  readonly bucket: string;
  readonly key: string;
  /** The object version: a new signed upload is a new version, and the plan shows it. */
  readonly objectVersion: string;
}

/** Properties of {@link VpcLambdaFunction}. */
export interface VpcLambdaFunctionProps {
  /** The function name; also names the role, security group and log group. */
  readonly functionName: string;
  /** The zip built at synth and its base64 SHA-256, or a package AWS Signer signed, in S3. */
  readonly package: LambdaPackage | SignedS3Package;
  /** `module.function` inside the zip. */
  readonly handler: string;
  /** The runtime identifier. @default - python3.13 */
  readonly runtime?: string;
  /** Memory in MB; also sets the CPU share. */
  readonly memoryMb: number;
  /** Timeout in seconds. */
  readonly timeoutSeconds: number;
  /** Size of /tmp in MB, 512-10240. @default 512 */
  readonly ephemeralStorageMb?: number;
  /** Lambda's log format: `Text`, or `JSON` (each line an object; the runtime's logger writes fields). @default "Text" */
  readonly logFormat?: "Text" | "JSON";
  /** Instruction set. */
  readonly architecture: "arm64" | "x86_64";
  /** CloudWatch Logs retention in days. */
  readonly logRetentionDays: number;
  /** KMS key for the log group. @default - CloudWatch Logs' own encryption */
  readonly logKmsKeyArn?: string;
  /** X-Ray tracing mode. @default "Active" */
  readonly tracing?: "Active" | "PassThrough";
  /** Reserved concurrency. @default - none: the function shares the account's unreserved pool */
  readonly reservedConcurrency?: number;
  /** A code signing config; only with a {@link SignedS3Package}, which it can verify. @default - none */
  readonly codeSigningConfigArn?: string;
  /** Outbound connections the function may open. @default - none */
  readonly egress?: readonly EgressRule[];
  /** Plain environment variables. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Variables holding the ARN of an SSM parameter or a Secrets Manager secret; the role may
   * read exactly those. @default - none
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Extra permissions of the role. @default - none */
  readonly iamStatements?: readonly IamStatement[];
  /** Layer version ARNs, in order. @default - none */
  readonly layers?: readonly string[];
  /** The VPC of the function's security group. */
  readonly vpcId: string;
  /** Subnets for the function's ENIs; two or more AZs keep it available. */
  readonly subnets: SubnetGroup;
  /** The AWS partition, for the managed policy ARNs. */
  readonly partition: string;
  /**
   * A security group to put the function in instead of its own (whose rules are then the
   * function's egress). @default - a group of its own, with `egress` as its only rules
   */
  readonly securityGroupId?: string;
  /** Who invokes the function, and how (the dead-letter queue finding's reason). @default - the ALB, synchronously */
  readonly invokedBy?: string;
  /**
   * Whether the plan refuses subnets in fewer than two AZs, when they are only known then.
   * @default true - the function stays available when one AZ fails
   */
  readonly requireTwoAzs?: boolean;
}

/** A VPC-attached Lambda function that can only be invoked, never reached over the network. */
export class VpcLambdaFunction extends Construct {
  /** The function name. */
  public readonly functionName: string;
  /** The function ARN. */
  public readonly functionArn: string;
  /** The function resource. */
  public readonly lambdaFunction: LambdaFunction;
  /** The function's log group. */
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: VpcLambdaFunctionProps) {
    super(scope, id);
    const name = addressName(this);
    const tracing = props.tracing ?? "Active";

    if (props.codeSigningConfigArn && !("kind" in props.package)) {
      throw new Error(
        `VpcLambdaFunction ${props.functionName}: a code signing config needs a signed package; a zip built at synth is unsigned`,
      );
    }
    const code = codeOf(this, props.package);

    const role = withAddress(
      new IamRole(this, "role", {
        name: `${props.functionName}-lambda`,
        description: `Execution role of the ${props.functionName} Lambda function`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        // Replaced only under a new name (the app's): created first, as the function is.
        lifecycle: CREATE_FIRST,
      }),
      name,
    );
    const managedPolicy = (suffix: string, policy: string, reason: string) => {
      const attachment = withAddress(
        new IamRolePolicyAttachment(this, suffix, { role: role.name, policyArn: `arn:${props.partition}:iam::aws:policy/${policy}` }),
        addressName(this, suffix.replace(/-/g, "_")),
      );
      suppress(attachment, "AwsSolutions-IAM4", reason);
      return attachment;
    };
    const vpcAccess = managedPolicy(
      "vpc-access",
      "service-role/AWSLambdaVPCAccessExecutionRole",
      "AWS-maintained policy documented for VPC functions: ENI management plus writing the function's own logs",
    );
    const dependencies: TerraformResource[] = [vpcAccess];
    const policy = accessPolicy(Object.values(props.secrets ?? {}), props.iamStatements ?? []);
    if (policy) {
      const access = withAddress(
        new IamRolePolicy(this, "access", { name: "access", role: role.name, policy }),
        addressName(this, "access"),
      );
      // The reasons the config gives for its wildcards are the finding's suppression.
      const wild = (s: IamStatement) => s.actions.some((a) => /[*?]/.test(a)) || s.resources.includes("*");
      const reasons = (props.iamStatements ?? []).flatMap((s) => (s.reason && wild(s) ? [s.reason] : []));
      if (reasons.length > 0) suppress(access, "PLK_IAM_WILDCARD", reasons.join("; "));
      dependencies.push(access);
    }
    if (tracing === "Active") {
      dependencies.push(
        managedPolicy(
          "xray",
          "AWSXRayDaemonWriteAccess",
          "AWS-maintained policy documented for Lambda active tracing; X-Ray write actions take no resource ARNs",
        ),
      );
    }

    // Created before the function, so Lambda does not create it without a retention period.
    const logGroup = withAddress(
      new CloudwatchLogGroup(this, "logs", {
        name: `/aws/lambda/${props.functionName}`,
        retentionInDays: props.logRetentionDays,
        kmsKeyId: props.logKmsKeyArn,
        lifecycle: CREATE_FIRST,
      }),
      name,
    );

    const securityGroupId = props.securityGroupId ?? this.ownGroup(name, props);

    const fn = withAddress(
      new LambdaFunction(this, "function", {
        functionName: props.functionName,
        role: role.arn,
        handler: props.handler,
        runtime: props.runtime ?? "python3.13",
        architectures: [props.architecture],
        memorySize: props.memoryMb,
        timeout: props.timeoutSeconds,
        // Written always: a size left out would keep whatever was deployed.
        ephemeralStorage: { size: props.ephemeralStorageMb ?? 512 },
        ...code,
        environment: variables(props.environment, props.secrets),
        layers: props.layers?.length ? [...props.layers] : undefined,
        vpcConfig: { subnetIds: [...props.subnets.subnetIds], securityGroupIds: [securityGroupId] },
        loggingConfig: { logFormat: props.logFormat ?? "Text", logGroup: logGroup.name },
        tracingConfig: { mode: tracing },
        reservedConcurrentExecutions: props.reservedConcurrency,
        codeSigningConfigArn: props.codeSigningConfigArn,
        // Without the ENI permissions in place first, creation can fail with "The provided
        // execution role does not have permissions to call CreateNetworkInterface".
        dependsOn: [...dependencies, logGroup],
        // Only a new name replaces the function: the target group moves to the new one first.
        lifecycle: {
          ...CREATE_FIRST,
          ...(props.subnets.azIdsKnown || props.requireTwoAzs === false
            ? {}
            : {
                precondition: [spansDistinctAzs(props.subnets.azIds, 2, describeSubnets("The Lambda function's subnets", props.subnets))],
              }),
        },
      }),
      name,
    );
    suppress(
      fn,
      "CKV_AWS_116",
      `${props.invokedBy ?? "The ALB invokes the function synchronously"}; a dead-letter queue only receives failed asynchronous invocations`,
    );
    this.lambdaFunction = fn;
    this.logGroup = logGroup;
    this.functionName = fn.functionName;
    this.functionArn = fn.arn;
  }

  /** A group of the function's own: no ingress (it is invoked through the Lambda API, not the network), egress as configured. */
  private ownGroup(name: string, props: VpcLambdaFunctionProps): string {
    const firewall = new Firewall(this, "firewall", {
      address: name,
      name: `${props.functionName}-lambda`,
      description: `Lambda ${props.functionName}: no ingress (invoked through the Lambda API), egress only as configured`,
      vpcId: props.vpcId,
    });
    (props.egress ?? []).forEach((rule) => firewall.allowOut(`egress_${cidrName(rule.cidr)}_${rule.port}`, rule));
    return firewall.securityGroupId;
  }
}

/** The function's environment, or undefined when it has none (so the block stays out of the output). */
function variables(environment: Readonly<Record<string, string>> = {}, secrets: Readonly<Record<string, string>> = {}) {
  const all = { ...environment, ...secrets };
  const keys = Object.keys(all).sort();
  return keys.length ? { variables: Object.fromEntries(keys.map((k) => [k, all[k]])) } : undefined;
}

/** Where the function's code comes from: the synth zip as a stack file, or the signed S3 object. */
function codeOf(scope: Construct, pkg: LambdaPackage | SignedS3Package) {
  if ("kind" in pkg) return { s3Bucket: pkg.bucket, s3Key: pkg.key, s3ObjectVersion: pkg.objectVersion };
  // A FILE asset: cdktf copies the zip into the stack folder and writes a relative path,
  // so the folder works when uploaded alone.
  const asset = new TerraformAsset(scope, "package", { path: pkg.zipPath, type: AssetType.FILE });
  // filebase64sha256 of the zip; cdktf's MD5 assetHash would never match and redeploy forever.
  return { filename: asset.path, sourceCodeHash: pkg.sourceCodeHash };
}
