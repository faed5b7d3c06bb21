/**
 * Deviations from the policy rules that a config chooses, recorded where the config is
 * known. Each suppression names the config field behind it, so a reviewer (and the scanner
 * ignore files) can trace it back. Constructs record only what their own design implies.
 */
import type { FunctionModel, ProviderModel } from "../config/model";
import type { AlbFrontingNlb } from "../lib/constructs/alb-fronting-nlb";
import type { EndpointService } from "../lib/constructs/endpoint-service";
import type { LambdaAlb } from "../lib/constructs/lambda-alb";
import type { PrivateNetwork } from "../lib/constructs/network";
import type { VpcLambdaFunction } from "../lib/constructs/vpc-lambda-function";
import { suppress } from "../lib/policy/suppress";

/** The constructs of a provider stack whose settings come from the config. */
export interface ProviderParts {
  readonly fns: readonly { readonly model: FunctionModel; readonly construct: VpcLambdaFunction }[];
  readonly alb: LambdaAlb;
  readonly nlb: AlbFrontingNlb;
  readonly endpointService: EndpointService;
  /** The VPC, when this app creates it. */
  readonly network?: PrivateNetwork;
}

/** Flow-log settings of a created network (`<side>.network.create.flowLogs`). */
export function recordNetworkDeviations(network: PrivateNetwork, flowLogs: { retentionDays: number; kmsKeyArn?: string }): void {
  if (!flowLogs.kmsKeyArn) {
    suppress(
      network.flowLogGroup,
      "CKV_AWS_158",
      "No KMS key configured (network.create.flowLogs.kmsKeyArn); CloudWatch Logs encrypts at rest with its own keys",
    );
  }
  if (flowLogs.retentionDays < 365) {
    suppress(
      network.flowLogGroup,
      "CKV_AWS_338",
      `Retention of ${flowLogs.retentionDays} days chosen in network.create.flowLogs.retentionDays`,
    );
  }
}

/** Everything the provider's config turns off or leaves out. */
export function recordProviderDeviations(provider: ProviderModel, parts: ProviderParts): void {
  const { loadBalancers, service, listener } = provider;
  if (parts.network && provider.network.kind === "create") recordNetworkDeviations(parts.network, provider.network.flowLogs);

  for (const { model, construct } of parts.fns) recordFunctionDeviations(provider, model, construct);

  const alb = parts.alb.loadBalancer;
  if (!loadBalancers.deletionProtection) suppress(alb, "CKV_AWS_150", "Deletion protection turned off in loadBalancers.deletionProtection");
  if (!loadBalancers.accessLogs) {
    suppress(
      alb,
      "CKV_AWS_91",
      "Access logs are optional (loadBalancers.accessLogs.bucket); the function logs every request to CloudWatch Logs",
    );
  }
  if (!listener.certificateArn) {
    suppress(
      parts.alb.listener,
      "CKV_AWS_2",
      "Plain HTTP by design: the ALB is internal and reachable only from its NLB, so traffic stays inside PrivateLink and the provider VPC; set service.certificateArn for HTTPS",
    );
  }

  const nlb = parts.nlb.loadBalancer;
  if (!loadBalancers.deletionProtection) suppress(nlb, "CKV_AWS_150", "Deletion protection turned off in loadBalancers.deletionProtection");
  if (service.privateLinkInboundRules === "off") {
    suppress(
      nlb,
      "PLK_NLB_PRIVATELINK_INBOUND",
      "service.privateLinkInboundRules = off: access rests on the endpoint service's explicit principals and each consumer's endpoint security group",
    );
  }

  if (!service.acceptanceRequired) {
    suppress(
      parts.endpointService.endpointService,
      "CKV_AWS_123",
      "Auto-accept by choice (service.acceptanceRequired): only the explicitly listed accounts and roles can create endpoints, never *",
    );
  }
}

/** What the shared `lambda` settings and the function's own turn off or leave out. */
function recordFunctionDeviations(provider: ProviderModel, fn: FunctionModel, construct: VpcLambdaFunction): void {
  const { lambda } = provider;
  const { lambdaFunction, logGroup } = construct;
  if (!lambda.logKmsKeyArn) {
    suppress(logGroup, "CKV_AWS_158", "No KMS key configured (lambda.logKmsKeyArn); CloudWatch Logs encrypts at rest with its own keys");
  }
  if (lambda.logRetentionDays < 365) {
    suppress(logGroup, "CKV_AWS_338", `Retention of ${lambda.logRetentionDays} days chosen in lambda.logRetentionDays`);
  }
  if (lambda.tracing !== "Active") suppress(lambdaFunction, "CKV_AWS_50", "Tracing set to PassThrough in lambda.tracing");
  if (fn.reservedConcurrency === undefined) {
    suppress(
      lambdaFunction,
      "CKV_AWS_115",
      "No reserved concurrency by default (lambda.reservedConcurrency): reserving can fail in accounts with a low concurrency quota",
    );
  }
  if (!lambda.codeSigningConfigArn) {
    suppress(
      lambdaFunction,
      "CKV_AWS_272",
      "No code signing config given (lambda.codeSigningConfigArn); the package is built reproducibly from this repository at synth",
    );
  }
}
