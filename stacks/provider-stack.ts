/** Account A: VPC, Lambda, ALB, NLB and the endpoint service that publishes them. */
import { Construct } from "constructs";
import type { AppConfig } from "../config/schema";
import { subnetsOf } from "../config/schema";
import { AlbFrontingNlb } from "../lib/alb-fronting-nlb";
import { AwsAccount } from "../lib/aws-account";
import { TerraformOutput, TerraformStack } from "../lib/cdktf";
import { accountRootPrincipal, EndpointService } from "../lib/endpoint-service";
import { LambdaAlb } from "../lib/lambda-alb";
import type { LambdaPackage } from "../lib/lambda-package";
import { PrivateNetwork } from "../lib/network";
import { useLocalState } from "../lib/state-backend";
import { VpcLambdaFunction } from "../lib/vpc-lambda-function";

/** What a consumer needs to know about the published service. */
export interface PrivateLinkService {
  /** The endpoint service name (a token resolved at apply time). */
  readonly serviceName: string;
  /** The Region the service lives in. */
  readonly region: string;
  /** The TCP port clients connect to. */
  readonly port: number;
}

/** Properties of {@link ProviderStack}. */
export interface ProviderStackProps {
  /** The validated app configuration. */
  readonly config: AppConfig;
  /** The Lambda zip built before synth. */
  readonly lambdaPackage: LambdaPackage;
}

/** The service provider's stack. */
export class ProviderStack extends TerraformStack {
  /** The handle consumer stacks receive. */
  public readonly service: PrivateLinkService;

  constructor(scope: Construct, id: string, props: ProviderStackProps) {
    super(scope, id);
    const { config } = props;
    const side = config.provider;
    useLocalState(this);
    const aws = new AwsAccount(this, "aws", { accountId: side.accountId, region: side.region, tags: config.tags });

    const network = new PrivateNetwork(this, "network", {
      name: config.name,
      vpcCidr: side.network.vpcCidr,
      subnets: subnetsOf(side.network),
    });

    const fn = new VpcLambdaFunction(this, "lambda", {
      functionName: config.name,
      package: props.lambdaPackage,
      handler: "lambda_function.lambda_handler",
      runtime: "python3.13",
      memoryMb: config.lambda.memoryMb,
      timeoutSeconds: config.lambda.timeoutSeconds,
      architecture: config.lambda.architecture,
      logRetentionDays: config.lambda.logRetentionDays,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds,
      partition: aws.partition,
    });

    const alb = new LambdaAlb(this, "alb", {
      name: config.name,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds,
      port: config.service.port,
      healthCheckPath: config.service.healthCheckPath,
      functionName: fn.functionName,
      functionArn: fn.functionArn,
      accountId: side.accountId,
    });

    const clientCidrs = [...new Set(config.consumers.flatMap((c) => c.clientCidrs ?? [c.network.vpcCidr]))];
    const nlb = new AlbFrontingNlb(this, "nlb", {
      name: config.name,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds,
      port: config.service.port,
      alb,
      clientCidrs,
    });

    const service = new EndpointService(this, "service", {
      name: config.name,
      networkLoadBalancerArn: nlb.loadBalancerArn,
      acceptanceRequired: config.service.acceptanceRequired,
      allowedPrincipals: [...new Set(config.consumers.map((c) => accountRootPrincipal(aws.partition, c.accountId)))],
      supportedRegions: [...new Set(config.consumers.map((c) => c.region).filter((r) => r !== side.region))],
    });

    new TerraformOutput(this, "endpoint_service_name", {
      value: service.serviceName,
      description: "Service name to give consumers for their interface endpoint",
    });
    new TerraformOutput(this, "endpoint_service_id", { value: service.serviceId, description: "Endpoint service ID" });
    new TerraformOutput(this, "nlb_dns_name", { value: nlb.dnsName, description: "Internal NLB DNS name (provider VPC only)" });
    new TerraformOutput(this, "alb_dns_name", { value: alb.dnsName, description: "Internal ALB DNS name (provider VPC only)" });
    new TerraformOutput(this, "function_name", { value: fn.functionName, description: "Lambda function behind the ALB" });

    this.service = { serviceName: service.serviceName, region: side.region, port: nlb.port };
  }
}
