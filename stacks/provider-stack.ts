/** Account A: network, Lambda, ALB, NLB and the endpoint service that publishes them. */
import { Construct } from "constructs";
import type { AppConfig, ProviderConfig } from "../config/schema";
import { AlbFrontingNlb } from "../lib/alb-fronting-nlb";
import { AwsAccount } from "../lib/aws-account";
import { TerraformOutput, TerraformStack } from "../lib/cdktf";
import { accountRootPrincipal, EndpointService } from "../lib/endpoint-service";
import { LambdaAlb } from "../lib/lambda-alb";
import type { LambdaPackage } from "../lib/lambda-package";
import { ExistingNetwork, SubnetGroup } from "../lib/network";
import { createdNetwork } from "./networks";
import { useStateBackend } from "../lib/state-backend";
import { VpcLambdaFunction } from "../lib/vpc-lambda-function";

/** What a consumer needs to know about the published service. */
export interface PrivateLinkService {
  /** The endpoint service name (a token resolved at apply time). */
  readonly serviceName: string;
  /** The Region the service lives in. */
  readonly region: string;
  /** The TCP port clients connect to. */
  readonly port: number;
  /** AZ IDs of the NLB: consumers' endpoint subnets must be within them. */
  readonly azIds: string[];
  /** True when `azIds` are literals known at synth. */
  readonly azIdsKnown: boolean;
}

/**
 * The service's Regions when any consumer is in another Region: AWS reports the home Region
 * among `supported_regions`, so it is listed too, or every plan would show a diff.
 */
export function supportedRegions(home: string, consumerRegions: readonly string[]): string[] | undefined {
  const others = [...new Set(consumerRegions)].filter((r) => r !== home).sort();
  return others.length > 0 ? [home, ...others] : undefined;
}

/** Properties of {@link ProviderStack}. */
export interface ProviderStackProps {
  /** The validated app configuration. */
  readonly config: AppConfig;
  /** The provider side of it. */
  readonly side: ProviderConfig;
  /** The Lambda zip built before synth. */
  readonly lambdaPackage: LambdaPackage;
}

/** The subnets of each role on the provider side. */
interface ProviderPlacement {
  readonly vpcId: string;
  readonly lambda: SubnetGroup;
  readonly alb: SubnetGroup;
  readonly nlb: SubnetGroup;
}

/** The service provider's stack. */
export class ProviderStack extends TerraformStack {
  /** The handle consumer stacks receive. */
  public readonly service: PrivateLinkService;

  constructor(scope: Construct, id: string, props: ProviderStackProps) {
    super(scope, id);
    const { config, side } = props;
    useStateBackend(this, config.backend);
    const aws = new AwsAccount(this, "aws", {
      accountId: side.accountId,
      region: side.region,
      profile: side.profile,
      assumeRole: side.assumeRole,
      tags: config.tags,
    });
    const placement = this.placement(config.name, side);
    const lb = config.loadBalancers;
    // Consumers of a service managed elsewhere (serviceName given) are not ours to allow.
    const ownConsumers = config.consumers.filter((c) => !c.serviceName);

    const fn = new VpcLambdaFunction(this, "lambda", {
      functionName: config.name,
      package: props.lambdaPackage,
      handler: "lambda_function.lambda_handler",
      runtime: "python3.13",
      memoryMb: config.lambda.memoryMb,
      timeoutSeconds: config.lambda.timeoutSeconds,
      architecture: config.lambda.architecture,
      logRetentionDays: config.lambda.logRetentionDays,
      logKmsKeyArn: config.lambda.logKmsKeyArn,
      tracing: config.lambda.tracing,
      reservedConcurrency: config.lambda.reservedConcurrency,
      codeSigningConfigArn: config.lambda.codeSigningConfigArn,
      egress: config.lambda.egress,
      vpcId: placement.vpcId,
      subnets: placement.lambda,
      partition: aws.partition,
    });

    const alb = new LambdaAlb(this, "alb", {
      name: config.name,
      vpcId: placement.vpcId,
      subnets: placement.alb,
      port: config.service.port,
      healthCheckPath: config.service.healthCheckPath,
      functionName: fn.functionName,
      functionArn: fn.functionArn,
      accountId: side.accountId,
      certificateArn: config.service.certificateArn,
      deletionProtection: lb.deletionProtection,
      desyncMitigationMode: lb.desyncMitigationMode,
      accessLogs: lb.accessLogs,
    });

    const nlb = new AlbFrontingNlb(this, "nlb", {
      name: config.name,
      vpcId: placement.vpcId,
      subnets: placement.nlb,
      port: config.service.port,
      alb,
      clientCidrs: [...new Set(ownConsumers.flatMap((c) => c.clientCidrs ?? [c.network.create!.vpcCidr]))],
      privateLinkInboundRules: config.service.privateLinkInboundRules,
      deletionProtection: lb.deletionProtection,
    });

    const service = new EndpointService(this, "service", {
      name: config.name,
      networkLoadBalancerArn: nlb.loadBalancerArn,
      acceptanceRequired: config.service.acceptanceRequired,
      acceptEndpointIds: config.service.acceptEndpointIds,
      allowedPrincipals: [
        ...new Set(ownConsumers.map((c) => accountRootPrincipal(aws.partition, c.accountId))),
        ...config.service.allowedPrincipals,
      ],
      supportedRegions: supportedRegions(
        side.region,
        ownConsumers.map((c) => c.region),
      ),
    });

    new TerraformOutput(this, "endpoint_service_name", {
      value: service.serviceName,
      description: "Service name to give consumers for their interface endpoint",
    });
    new TerraformOutput(this, "endpoint_service_id", { value: service.serviceId, description: "Endpoint service ID" });
    new TerraformOutput(this, "nlb_az_ids", {
      value: nlb.azIds,
      description: "AZ IDs where the service is available: consumers' endpoint subnets must be in these",
    });
    new TerraformOutput(this, "nlb_dns_name", { value: nlb.dnsName, description: "Internal NLB DNS name (provider VPC only)" });
    new TerraformOutput(this, "alb_dns_name", { value: alb.dnsName, description: "Internal ALB DNS name (provider VPC only)" });
    new TerraformOutput(this, "function_name", { value: fn.functionName, description: "Lambda function behind the ALB" });

    this.service = {
      serviceName: service.serviceName,
      region: side.region,
      port: nlb.port,
      azIds: nlb.azIds,
      azIdsKnown: placement.nlb.azIdsKnown,
    };
  }

  private placement(name: string, side: ProviderConfig): ProviderPlacement {
    const { create, existing } = side.network;
    if (create) {
      const network = createdNetwork(this, name, create, side.accountId);
      return { vpcId: network.vpcId, lambda: network.subnets, alb: network.subnets, nlb: network.subnets };
    }
    const ids = existing!;
    const network = new ExistingNetwork(this, "network", {
      vpcId: ids.vpcId,
      subnetIds: [...ids.lambdaSubnetIds, ...ids.albSubnetIds, ...ids.nlbSubnetIds],
    });
    return {
      vpcId: network.vpcId,
      lambda: network.group(ids.lambdaSubnetIds),
      alb: network.group(ids.albSubnetIds),
      nlb: network.group(ids.nlbSubnetIds),
    };
  }
}
