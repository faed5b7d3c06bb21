/** VpcLambdaFunction on its own: role, policies, log group, function, security group, checks. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { TerraformOutput } from "../../lib/cdktf";
import type { TerraformStack } from "../../lib/cdktf";
import type { LambdaPackage } from "../../lib/lambda-package";
import type { SubnetGroup } from "../../lib/constructs/network";
import { SignedS3Package, VpcLambdaFunction, VpcLambdaFunctionProps } from "../../lib/constructs/vpc-lambda-function";
import { SUPPRESSIONS_KEY } from "../../lib/policy/suppress";
import { lambdaPackage } from "../helpers";
import { resourceOf, scope, synth } from "./harness";

const KNOWN_SUBNETS: SubnetGroup = {
  subnetIds: ["subnet-a", "subnet-b"],
  azIds: ["apne1-az1", "apne1-az4"],
  azNames: ["ap-northeast-1a", "ap-northeast-1c"],
  azIdsKnown: true,
};
const PLAN_TIME_SUBNETS: SubnetGroup = { ...KNOWN_SUBNETS, azIdsKnown: false, source: "provider.network.existing.lambdaSubnetIds" };

/** Rules whose suppression depends on the config; the stacks record them, never the construct. */
const CONFIG_DRIVEN_RULES = ["CKV_AWS_50", "CKV_AWS_115", "CKV_AWS_272", "CKV_AWS_158", "CKV_AWS_338"];

let fakePackage: LambdaPackage;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "plk-vpc-lambda-"));
  const zipPath = join(dir, "fn.zip");
  writeFileSync(zipPath, "not really a zip");
  fakePackage = { zipPath, sourceCodeHash: "abc=", entries: ["x.py"] };
});

function props(overrides: Partial<VpcLambdaFunctionProps> = {}): VpcLambdaFunctionProps {
  return {
    functionName: "hello",
    package: fakePackage,
    handler: "lambda_function.lambda_handler",
    memoryMb: 256,
    timeoutSeconds: 15,
    architecture: "arm64",
    logRetentionDays: 90,
    vpcId: "vpc-0123456789abcdef0",
    subnets: KNOWN_SUBNETS,
    partition: "aws",
    ...overrides,
  };
}

/** A package AWS Signer signed. */
const SIGNED: SignedS3Package = { kind: "signed-s3", bucket: "signed-packages", key: "signed/hello.zip", objectVersion: "v1-abc" };

/** Builds the function as construct "lambda" in a fresh stack and synthesizes it. */
function build(overrides: Partial<VpcLambdaFunctionProps> = {}) {
  const { stack } = scope();
  const fn = new VpcLambdaFunction(stack, "lambda", props(overrides));
  return { stack, fn, ...synth(stack) };
}

/** Recorded suppressions (rule ID → reason) per `type.name`; Testing.synth strips the "//" metadata. */
function suppressions(stack: TerraformStack): Record<string, Record<string, string>> {
  const raw = stack.toTerraform() as { resource?: Record<string, Record<string, any>> };
  const found: Record<string, Record<string, string>> = {};
  for (const [type, byName] of Object.entries(raw.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) found[`${type}.${name}`] = body["//"]?.[SUPPRESSIONS_KEY] ?? {};
  }
  return found;
}

describe("VpcLambdaFunction: execution role", () => {
  test("the role trusts lambda.amazonaws.com and nothing else", () => {
    // GIVEN a function named hello
    // WHEN it is synthesized
    const { text, json } = build();
    // THEN its role is named after it and only Lambda may assume it
    expect(text).toHaveResourceWithProperties(IamRole, { name: "hello-lambda" });
    expect(JSON.parse(resourceOf(json, "aws_iam_role", "lambda").assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });

  test.each([
    ["aws", "Active" as const, ["lambda_vpc_access", "lambda_xray"]],
    ["aws-cn", "Active" as const, ["lambda_vpc_access", "lambda_xray"]],
    ["aws", "PassThrough" as const, ["lambda_vpc_access"]],
    ["aws-us-gov", undefined, ["lambda_vpc_access", "lambda_xray"]],
  ])("partition %s, tracing %s: attachments %j", (partition, tracing, expected) => {
    // GIVEN a partition and a tracing mode (undefined means the default, Active)
    // WHEN the function is synthesized
    const { json } = build({ partition, tracing });
    // THEN VPC access is always attached, X-Ray write access only with active tracing, ARNs in that partition
    const attachments = json.resource.aws_iam_role_policy_attachment;
    expect(Object.keys(attachments).sort()).toEqual(expected);
    expect(attachments.lambda_vpc_access).toEqual({
      role: "${aws_iam_role.lambda.name}",
      policy_arn: `arn:${partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
    });
    if (expected.includes("lambda_xray")) {
      expect(attachments.lambda_xray.policy_arn).toBe(`arn:${partition}:iam::aws:policy/AWSXRayDaemonWriteAccess`);
    }
  });
});

describe("VpcLambdaFunction: log group", () => {
  test.each([
    [30, undefined],
    [365, "arn:aws:kms:ap-northeast-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
  ])("retention %d days, KMS key %s", (logRetentionDays, logKmsKeyArn) => {
    // GIVEN a retention period and an optional KMS key
    // WHEN the function is synthesized
    const { text, json } = build({ logRetentionDays, logKmsKeyArn });
    // THEN the log group is /aws/lambda/<name> with exactly those settings, and the function logs to it
    const logGroup = resourceOf(json, "aws_cloudwatch_log_group", "lambda");
    expect(logGroup.name).toBe("/aws/lambda/hello");
    expect(logGroup.retention_in_days).toBe(logRetentionDays);
    if (logKmsKeyArn) expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { kms_key_id: logKmsKeyArn });
    else expect(logGroup).not.toHaveProperty("kms_key_id");
    expect(resourceOf(json, "aws_lambda_function", "lambda").logging_config).toEqual({
      log_format: "Text",
      log_group: "${aws_cloudwatch_log_group.lambda.name}",
    });
  });
});

describe("VpcLambdaFunction: the function", () => {
  test("the given settings reach the function, with runtime python3.13 by default", () => {
    // GIVEN the minimal props: no runtime, tracing, concurrency or code signing
    // WHEN the function is synthesized
    const { text, json } = build();
    // THEN the function carries the given settings and the defaults, and nothing optional
    expect(text).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "hello",
      role: "${aws_iam_role.lambda.arn}",
      handler: "lambda_function.lambda_handler",
      runtime: "python3.13",
      architectures: ["arm64"],
      memory_size: 256,
      timeout: 15,
      tracing_config: { mode: "Active" },
      // /tmp at Lambda's default, written so that a size removed from the config goes back to it
      ephemeral_storage: { size: 512 },
    });
    const fn = resourceOf(json, "aws_lambda_function", "lambda");
    expect(fn).not.toHaveProperty("reserved_concurrent_executions");
    expect(fn).not.toHaveProperty("code_signing_config_arn");
  });

  test.each([
    ["python3.12", "x86_64" as const, 1024, 60, "PassThrough" as const],
    ["python3.13", "arm64" as const, 128, 3, "Active" as const],
  ])("runtime %s on %s, %d MB, %d s, tracing %s", (runtime, architecture, memoryMb, timeoutSeconds, tracing) => {
    // GIVEN explicit runtime, architecture, memory, timeout and tracing
    // WHEN the function is synthesized
    const { json } = build({ runtime, architecture, memoryMb, timeoutSeconds, tracing });
    // THEN each reaches the function unchanged
    expect(resourceOf(json, "aws_lambda_function", "lambda")).toMatchObject({
      runtime,
      architectures: [architecture],
      memory_size: memoryMb,
      timeout: timeoutSeconds,
      tracing_config: { mode: tracing },
    });
  });

  test.each([
    [2048, "JSON" as const],
    [10240, "Text" as const],
  ])("/tmp of %d MB and %s logs reach the function", (ephemeralStorageMb, logFormat) => {
    const fn = resourceOf(build({ ephemeralStorageMb, logFormat }).json, "aws_lambda_function", "lambda");
    expect(fn.ephemeral_storage).toEqual({ size: ephemeralStorageMb });
    expect(fn.logging_config).toEqual({ log_format: logFormat, log_group: "${aws_cloudwatch_log_group.lambda.name}" });
  });

  test.each([
    [5, "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-0123456789abcdef0"],
    [0, undefined],
    [undefined, "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-0123456789abcdef0"],
  ])("reserved concurrency %s and code signing %s are set only when given", (reservedConcurrency, codeSigningConfigArn) => {
    // GIVEN an optional reserved concurrency (0 included) and an optional code signing config
    // WHEN the function is synthesized
    const pkg = codeSigningConfigArn ? SIGNED : fakePackage;
    const fn = resourceOf(build({ reservedConcurrency, codeSigningConfigArn, package: pkg }).json, "aws_lambda_function", "lambda");
    // THEN each is present exactly when given
    if (reservedConcurrency === undefined) expect(fn).not.toHaveProperty("reserved_concurrent_executions");
    else expect(fn.reserved_concurrent_executions).toBe(reservedConcurrency);
    if (codeSigningConfigArn === undefined) expect(fn).not.toHaveProperty("code_signing_config_arn");
    else expect(fn.code_signing_config_arn).toBe(codeSigningConfigArn);
  });

  test("a signed package is deployed from its S3 object version; no zip goes into the stack", () => {
    // GIVEN the package AWS Signer wrote, and a code signing config
    const { json, stack } = build({
      package: SIGNED,
      codeSigningConfigArn: "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-1",
    });
    const fn = resourceOf(json, "aws_lambda_function", "lambda");
    // THEN the function's code is that object, pinned to its version, and there is no asset
    expect(fn).toMatchObject({ s3_bucket: SIGNED.bucket, s3_key: SIGNED.key, s3_object_version: SIGNED.objectVersion });
    expect(fn).not.toHaveProperty("filename");
    expect(fn).not.toHaveProperty("source_code_hash");
    expect(stack.node.findAll().filter((c) => c.node.id === "package")).toEqual([]);
  });

  test("a code signing config with the zip built at synth is refused: that zip is unsigned", () => {
    expect(() => build({ codeSigningConfigArn: "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-1" })).toThrow(
      "VpcLambdaFunction hello: a code signing config needs a signed package; a zip built at synth is unsigned",
    );
  });

  test("the package is a relative asset path whose hash is the package's own", () => {
    // GIVEN a package with a known hash
    // WHEN the function is synthesized
    const fn = resourceOf(build().json, "aws_lambda_function", "lambda");
    // THEN filename points into the stack's assets, never at the machine's path, and the hash is passed through
    expect(fn.filename).toMatch(/^assets\/[^/]+\/[0-9A-F]+\/fn\.zip$/);
    expect(fn.filename).not.toContain(fakePackage.zipPath);
    expect(fn.source_code_hash).toBe("abc=");
  });

  test("with the real package, source_code_hash is the zip's base64 SHA-256", async () => {
    // GIVEN the real Lambda package
    const pkg = await lambdaPackage();
    // WHEN the function is built from it
    const fn = resourceOf(build({ package: pkg }).json, "aws_lambda_function", "lambda");
    // THEN the hash is the package's, not cdktf's MD5 asset hash
    expect(fn.source_code_hash).toBe(pkg.sourceCodeHash);
    expect(fn.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(fn.filename).toMatch(/\/hello\.zip$/);
  });

  test("a package whose zip does not exist fails at construction", () => {
    // GIVEN a package pointing at a missing file
    const { stack } = scope();
    const missing = { ...fakePackage, zipPath: join(tmpdir(), "plk-no-such-dir", "missing.zip") };
    // WHEN the function is built
    const construct = () => new VpcLambdaFunction(stack, "lambda", props({ package: missing }));
    // THEN the asset cannot be read and the construct throws
    expect(construct).toThrow(/ENOENT/);
  });

  test("the function sits in the given subnets with its own security group", () => {
    // GIVEN two subnets
    // WHEN the function is synthesized
    const { text, json } = build();
    // THEN its ENIs go to those subnets and only its own group
    expect(resourceOf(json, "aws_lambda_function", "lambda").vpc_config).toEqual({
      subnet_ids: ["subnet-a", "subnet-b"],
      security_group_ids: ["${aws_security_group.lambda.id}"],
    });
    expect(text).toHaveResourceWithProperties(SecurityGroup, { name: "hello-lambda", vpc_id: "vpc-0123456789abcdef0" });
  });

  test.each([
    ["Active" as const, ["aws_iam_role_policy_attachment.lambda_vpc_access", "aws_iam_role_policy_attachment.lambda_xray"]],
    ["PassThrough" as const, ["aws_iam_role_policy_attachment.lambda_vpc_access"]],
  ])("tracing %s: the function depends on its policy attachments and its log group", (tracing, attachments) => {
    // GIVEN a tracing mode
    // WHEN the function is synthesized
    const fn = resourceOf(build({ tracing }).json, "aws_lambda_function", "lambda");
    // THEN it waits for every attachment and the log group
    expect([...fn.depends_on].sort()).toEqual([...attachments, "aws_cloudwatch_log_group.lambda"].sort());
  });

  test("the construct exposes the function, its log group, name and ARN", () => {
    // GIVEN a function
    const { stack } = scope();
    // WHEN it is built and its properties are written as outputs
    const fn = new VpcLambdaFunction(stack, "lambda", props());
    new TerraformOutput(stack, "name", { value: fn.functionName });
    new TerraformOutput(stack, "arn", { value: fn.functionArn });
    new TerraformOutput(stack, "log_group", { value: fn.logGroup.name });
    new TerraformOutput(stack, "resource_arn", { value: fn.lambdaFunction.arn });
    const { output } = synth(stack).json;
    // THEN they are the function's and log group's resources and attributes
    expect(fn.lambdaFunction).toBeInstanceOf(LambdaFunction);
    expect(fn.logGroup).toBeInstanceOf(CloudwatchLogGroup);
    expect(output.name.value).toBe("${aws_lambda_function.lambda.function_name}");
    expect(output.arn.value).toBe("${aws_lambda_function.lambda.arn}");
    expect(output.log_group.value).toBe("${aws_cloudwatch_log_group.lambda.name}");
    expect(output.resource_arn.value).toBe("${aws_lambda_function.lambda.arn}");
  });
});

describe("VpcLambdaFunction: network rules", () => {
  test("without egress the group has no rules in either direction", () => {
    // GIVEN no egress
    // WHEN the function is synthesized
    const { json } = build();
    // THEN there is a group but no rule at all
    expect(Object.keys(json.resource.aws_security_group)).toEqual(["lambda"]);
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    expect(json.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
  });

  test("each egress rule is one TCP rule named by CIDR and port; still no ingress", () => {
    // GIVEN two outbound connections
    const egress = [
      { cidr: "10.0.0.0/16", port: 443, description: "HTTPS to the VPC's interface endpoints" },
      { cidr: "192.168.1.0/24", port: 5432, description: "PostgreSQL on premises" },
    ];
    // WHEN the function is synthesized
    const { json } = build({ egress });
    // THEN each is its own rule on the function's group, with a stable address
    expect(json.resource.aws_vpc_security_group_egress_rule).toEqual({
      lambda_egress_10_0_0_0_16_443: {
        security_group_id: "${aws_security_group.lambda.id}",
        description: "HTTPS to the VPC's interface endpoints",
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        cidr_ipv4: "10.0.0.0/16",
      },
      lambda_egress_192_168_1_0_24_5432: {
        security_group_id: "${aws_security_group.lambda.id}",
        description: "PostgreSQL on premises",
        ip_protocol: "tcp",
        from_port: 5432,
        to_port: 5432,
        cidr_ipv4: "192.168.1.0/24",
      },
    });
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  test("the same CIDR and port twice is refused", () => {
    // GIVEN two egress rules with one CIDR and port
    const { stack } = scope();
    const egress = [
      { cidr: "10.0.0.0/16", port: 443, description: "first" },
      { cidr: "10.0.0.0/16", port: 443, description: "second" },
    ];
    // WHEN the function is built
    const construct = () => new VpcLambdaFunction(stack, "lambda", props({ egress }));
    // THEN the duplicate rule is a construct clash
    expect(construct).toThrow(/out-egress_10_0_0_0_16_443/);
  });

  test("two functions with the same construct ID in one stack would share addresses: refused", () => {
    // GIVEN a function "lambda" in the stack
    const { stack } = scope();
    new VpcLambdaFunction(stack, "lambda", props());
    // WHEN another "lambda" is built under a different parent
    const construct = () => new VpcLambdaFunction(new Construct(stack, "other"), "lambda", props({ functionName: "other" }));
    // THEN the address clash is named
    expect(construct).toThrow("Terraform address aws_iam_role.lambda is chosen twice in stack test");
  });
});

describe("VpcLambdaFunction: suppressions", () => {
  test.each([["Active" as const], ["PassThrough" as const]])("tracing %s: design suppressions are recorded, with reasons", (tracing) => {
    // GIVEN a function with a tracing mode
    const { stack } = build({ tracing });
    // WHEN its suppressions are read from the "//" metadata
    const recorded = suppressions(stack);
    // THEN each managed policy attachment suppresses AwsSolutions-IAM4 and the function CKV_AWS_116, nothing else
    const attachments = Object.keys(recorded).filter((a) => a.startsWith("aws_iam_role_policy_attachment."));
    expect(attachments.length).toBe(tracing === "Active" ? 2 : 1);
    for (const a of attachments) expect(Object.keys(recorded[a])).toEqual(["AwsSolutions-IAM4"]);
    expect(Object.keys(recorded["aws_lambda_function.lambda"])).toEqual(["CKV_AWS_116"]);
    expect(recorded["aws_lambda_function.lambda"].CKV_AWS_116).toMatch(/dead-letter/);
    for (const a of attachments) expect(recorded[a]["AwsSolutions-IAM4"].length).toBeGreaterThanOrEqual(10);
  });

  test.each([
    ["defaults", {}],
    ["tracing off, no KMS key, short retention, no concurrency", { tracing: "PassThrough" as const, logRetentionDays: 1 }],
    [
      "every option set",
      {
        tracing: "Active" as const,
        logKmsKeyArn: "arn:aws:kms:ap-northeast-1:111111111111:key/k",
        reservedConcurrency: 10,
        codeSigningConfigArn: "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-1",
        package: SIGNED,
      },
    ],
  ])("%s: no config-driven suppression is recorded by the construct", (_label, overrides: Partial<VpcLambdaFunctionProps>) => {
    // GIVEN a function with config-dependent settings
    const { stack } = build(overrides);
    // WHEN every recorded suppression is collected
    const ruleIds = Object.values(suppressions(stack)).flatMap((r) => Object.keys(r));
    // THEN none of the config-driven rules is among them (the stacks record those)
    expect(ruleIds.length).toBeGreaterThan(0);
    for (const rule of CONFIG_DRIVEN_RULES) expect(ruleIds).not.toContain(rule);
  });
});

describe("VpcLambdaFunction: plan-time placement check", () => {
  test("with AZ IDs known at synth there is no precondition", () => {
    // GIVEN subnets whose AZ IDs are literals
    // WHEN the function is synthesized
    const fn = resourceOf(build({ subnets: KNOWN_SUBNETS }).json, "aws_lambda_function", "lambda");
    // THEN the lifecycle has no precondition, only create-before-destroy (a new name replaces it)
    expect(fn.lifecycle).toEqual({ create_before_destroy: true });
  });

  test.each([
    ["with a source", PLAN_TIME_SUBNETS, "The Lambda function's subnets (provider.network.existing.lambdaSubnetIds) must be"],
    ["without a source", { ...PLAN_TIME_SUBNETS, source: undefined }, "The Lambda function's subnets must be"],
  ])("AZ IDs read at plan, %s: ≥2 distinct AZs are required", (_label, subnets, messageStart) => {
    // GIVEN subnets whose AZ IDs Terraform reads at plan, with or without a source
    // WHEN the function is synthesized
    const fn = resourceOf(build({ subnets }).json, "aws_lambda_function", "lambda");
    // THEN one precondition checks distinct AZs, and its message names the source when there is one
    expect(fn.lifecycle.precondition).toHaveLength(1);
    const [check] = fn.lifecycle.precondition;
    expect(check.condition).toContain(">= 2");
    expect(check.condition).toContain('distinct(["apne1-az1", "apne1-az4"])');
    expect(check.error_message.startsWith(messageStart)).toBe(true);
    expect(check.error_message).toContain("at least 2 different AZs");
    expect(check.error_message).toContain('${join(", ", ["apne1-az1", "apne1-az4"])}');
  });
});
