/** A Lambda function in a VPC, with its role, log group, security group and package. */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { Construct } from "constructs";
import { AssetType, TerraformAsset } from "./cdktf";
import type { LambdaPackage } from "./lambda-package";
import { addressName, withAddress } from "./naming";
import type { SubnetGroup } from "./network";
import { spansDistinctAzs } from "./placement-checks";
import { Firewall } from "./security-group";

/** Properties of {@link VpcLambdaFunction}. */
export interface VpcLambdaFunctionProps {
  /** The function name; also names the role, security group and log group. */
  readonly functionName: string;
  /** The zip built at synth and its base64 SHA-256. */
  readonly package: LambdaPackage;
  /** `module.function` inside the zip. */
  readonly handler: string;
  /** The runtime identifier. @default - python3.13 */
  readonly runtime?: string;
  /** Memory in MB; also sets the CPU share. */
  readonly memoryMb: number;
  /** Timeout in seconds. */
  readonly timeoutSeconds: number;
  /** Instruction set. */
  readonly architecture: "arm64" | "x86_64";
  /** CloudWatch Logs retention in days. */
  readonly logRetentionDays: number;
  /** The VPC of the function's security group. */
  readonly vpcId: string;
  /** Subnets for the function's ENIs; two or more AZs keep it available. */
  readonly subnets: SubnetGroup;
  /** The AWS partition, for the managed policy ARN. */
  readonly partition: string;
}

/** A VPC-attached Lambda function that can only be invoked, never reached over the network. */
export class VpcLambdaFunction extends Construct {
  /** The function name. */
  public readonly functionName: string;
  /** The function ARN. */
  public readonly functionArn: string;
  /** The function's security group: no ingress (invocations come through the Lambda API). */
  public readonly firewall: Firewall;

  constructor(scope: Construct, id: string, props: VpcLambdaFunctionProps) {
    super(scope, id);
    const name = addressName(this);

    // A FILE asset: cdktf copies the zip into the stack folder and writes a relative path,
    // so the folder works when uploaded alone.
    const asset = new TerraformAsset(this, "package", { path: props.package.zipPath, type: AssetType.FILE });

    const role = withAddress(
      new IamRole(this, "role", {
        name: `${props.functionName}-lambda`,
        description: `Execution role of the ${props.functionName} Lambda function`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      }),
      name,
    );
    // AWS-maintained: ENI management for VPC functions plus writing its own logs.
    const vpcAccess = withAddress(
      new IamRolePolicyAttachment(this, "vpc-access", {
        role: role.name,
        policyArn: `arn:${props.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
      }),
      addressName(this, "vpc_access"),
    );
    // Created before the function, so Lambda does not create it without a retention period.
    const logGroup = withAddress(
      new CloudwatchLogGroup(this, "logs", {
        name: `/aws/lambda/${props.functionName}`,
        retentionInDays: props.logRetentionDays,
      }),
      name,
    );
    this.firewall = new Firewall(this, "firewall", {
      address: addressName(this),
      name: `${props.functionName}-lambda`,
      description: `Lambda ${props.functionName}: no ingress, invoked through the Lambda API`,
      vpcId: props.vpcId,
    });

    const fn = withAddress(
      new LambdaFunction(this, "function", {
        functionName: props.functionName,
        role: role.arn,
        handler: props.handler,
        runtime: props.runtime ?? "python3.13",
        architectures: [props.architecture],
        memorySize: props.memoryMb,
        timeout: props.timeoutSeconds,
        filename: asset.path,
        // filebase64sha256 of the zip; cdktf's MD5 assetHash would never match and redeploy forever.
        sourceCodeHash: props.package.sourceCodeHash,
        vpcConfig: { subnetIds: [...props.subnets.subnetIds], securityGroupIds: [this.firewall.securityGroupId] },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        // Without the ENI permissions in place first, creation can fail with "The provided
        // execution role does not have permissions to call CreateNetworkInterface".
        dependsOn: [vpcAccess, logGroup],
        lifecycle: props.subnets.azIdsKnown
          ? undefined
          : { precondition: [spansDistinctAzs(props.subnets.azIds, 2, "The Lambda function's subnets (provider.network.existing.lambdaSubnetIds)")] },
      }),
      name,
    );
    this.functionName = fn.functionName;
    this.functionArn = fn.arn;
  }
}
