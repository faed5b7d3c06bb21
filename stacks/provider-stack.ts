/** Account A: network, Lambda, ALB, NLB and the endpoint service that publishes them. */
import { Construct } from "constructs";
import type { FunctionModel, MonitoringModel, ProviderModel } from "../config/model";
import { providerWatch } from "../lib/monitoring";
import { AlbFrontingNlb } from "../lib/constructs/alb-fronting-nlb";
import { AwsAccount } from "../lib/constructs/aws-account";
import { accountRootPrincipal, EndpointService } from "../lib/constructs/endpoint-service";
import { LambdaAlb } from "../lib/constructs/lambda-alb";
import { ExistingNetwork, PrivateNetwork, SubnetGroup } from "../lib/constructs/network";
import { StateBackend, useStateBackend } from "../lib/constructs/state-backend";
import { VpcLambdaFunction } from "../lib/constructs/vpc-lambda-function";
import { TerraformOutput, TerraformStack } from "../lib/cdktf";
import type { LambdaPackage } from "../lib/lambda-package";
import { recordProviderDeviations } from "./deviations";
import { monitorStack } from "./monitoring";
import { createdNetwork } from "./networks";

/** What a consumer needs to know about the published service. */
export interface PrivateLinkService {
  /** The endpoint service name (a token resolved at apply time). */
  readonly serviceName: string;
  /** The Region the service lives in. */
  readonly region: string;
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

/** Properties of {@link ProviderStack}: the provider's model, and what every stack shares. */
export interface ProviderStackProps {
  /** The provider side, resolved from the config. */
  readonly provider: ProviderModel;
  /** Name prefix of every resource. */
  readonly name: string;
  /** Tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Where state lives. */
  readonly backend: StateBackend;
  /** Each function's zip, built before synth, by the function's config name. */
  readonly lambdaPackages: Readonly<Record<string, LambdaPackage>>;
}

/** The subnets of each role on the provider side, and the VPC when this app creates it. */
interface ProviderPlacement {
  readonly vpcId: string;
  readonly lambda: SubnetGroup;
  readonly alb: SubnetGroup;
  readonly nlb: SubnetGroup;
  readonly created?: PrivateNetwork;
}

/** The service provider's stack. */
export class ProviderStack extends TerraformStack {
  /** The handle consumer stacks receive. */
  public readonly service: PrivateLinkService;

  constructor(scope: Construct, id: string, props: ProviderStackProps) {
    super(scope, id);
    const { provider, name } = props;
    useStateBackend(this, props.backend);
    const aws = new AwsAccount(this, "aws", { ...provider.account, tags: props.tags });
    const placement = this.placement(name, provider);
    const { lambda, loadBalancers: lb, listener, service } = provider;

    const fns = provider.functions.map((f) => {
      const pkg = props.lambdaPackages[f.name];
      if (!pkg && !lambda.signedPackage) throw new Error(`ProviderStack: no package built for function ${f.name}`);
      return {
        model: f,
        construct: new VpcLambdaFunction(this, f.main ? "lambda" : `lambda-${f.name}`, {
          functionName: f.functionName,
          package: lambda.signedPackage ? { kind: "signed-s3", ...lambda.signedPackage } : pkg,
          handler: f.handler,
          runtime: f.runtime,
          memoryMb: f.memoryMb,
          timeoutSeconds: f.timeoutSeconds,
          ephemeralStorageMb: f.ephemeralStorageMb,
          logFormat: f.logFormat,
          architecture: f.architecture,
          logRetentionDays: lambda.logRetentionDays,
          logKmsKeyArn: lambda.logKmsKeyArn,
          tracing: lambda.tracing,
          reservedConcurrency: f.reservedConcurrency,
          codeSigningConfigArn: lambda.codeSigningConfigArn,
          egress: f.egress,
          environment: f.environment,
          secrets: f.secrets,
          iamStatements: f.iamStatements,
          layers: f.layers,
          vpcId: placement.vpcId,
          subnets: placement.lambda,
          partition: aws.partition,
        }),
      };
    });
    const defaultFn = fns.find((f) => f.model.routes.length === 0) ?? fns[0];

    const alb = new LambdaAlb(this, "alb", {
      name,
      vpcId: placement.vpcId,
      subnets: placement.alb,
      port: listener.port,
      healthCheckPath: service.healthCheckPath,
      targets: fns.map(({ model, construct }) => ({
        key: model.main ? "" : model.name,
        targetGroupName: model.targetGroupName,
        functionName: construct.functionName,
        functionArn: construct.functionArn,
        routes: model.routes,
        multiValueHeaders: model.multiValueHeaders,
      })),
      accountId: provider.account.accountId,
      certificateArn: listener.certificateArn,
      deletionProtection: lb.deletionProtection,
      desyncMitigationMode: lb.desyncMitigationMode,
      accessLogs: lb.accessLogs,
    });

    const nlb = new AlbFrontingNlb(this, "nlb", {
      name,
      vpcId: placement.vpcId,
      subnets: placement.nlb,
      port: listener.port,
      alb,
      clientCidrs: provider.consumers.clientCidrs,
      privateLinkInboundRules: service.privateLinkInboundRules,
      deletionProtection: lb.deletionProtection,
    });

    const endpointService = new EndpointService(this, "service", {
      name,
      networkLoadBalancerArn: nlb.loadBalancerArn,
      acceptanceRequired: service.acceptanceRequired,
      acceptEndpointIds: service.acceptEndpointIds,
      allowedPrincipals: [...provider.consumers.accountIds.map((a) => accountRootPrincipal(aws.partition, a)), ...service.extraPrincipals],
      supportedRegions: supportedRegions(provider.account.region, provider.consumers.regions),
      privateDns: service.privateDns,
    });

    recordProviderDeviations(provider, { fns, alb, nlb, endpointService, network: placement.created });
    if (provider.monitoring) {
      const monitoring = this.monitor(provider, provider.monitoring, {
        name,
        partition: aws.partition,
        placement,
        fns,
        alb,
        nlb,
        endpointService,
      });
      new TerraformOutput(this, "alarm_topic_arn", {
        value: monitoring.topicArn,
        description: "SNS topic of the service's alarms and endpoint connection events: subscribe to it",
      });
      new TerraformOutput(this, "dashboard_name", {
        value: monitoring.dashboardName,
        description: "CloudWatch dashboard of the request path, hop by hop",
      });
    }

    new TerraformOutput(this, "endpoint_service_name", {
      value: endpointService.serviceName,
      description: "Service name to give consumers for their interface endpoint",
    });
    new TerraformOutput(this, "endpoint_service_id", { value: endpointService.serviceId, description: "Endpoint service ID" });
    if (service.privateDns) {
      new TerraformOutput(this, "private_dns_name", {
        value: service.privateDns.name,
        description:
          "The service's private DNS name: consumer endpoints in the service's Region answer for it once AWS has verified the domain",
      });
    }
    new TerraformOutput(this, "nlb_az_ids", {
      value: nlb.azIds,
      description: "AZ IDs where the service is available: consumers' endpoint subnets must be in these",
    });
    new TerraformOutput(this, "nlb_dns_name", { value: nlb.dnsName, description: "Internal NLB DNS name (provider VPC only)" });
    new TerraformOutput(this, "alb_dns_name", { value: alb.dnsName, description: "Internal ALB DNS name (provider VPC only)" });
    new TerraformOutput(this, "function_name", {
      value: defaultFn.construct.functionName,
      description: "Lambda function behind the ALB",
    });
    if (fns.length > 1) {
      new TerraformOutput(this, "function_names", {
        value: Object.fromEntries(fns.map((f) => [f.model.name, f.construct.functionName])),
        description: "Every function behind the ALB, by its name in the config",
      });
    }

    this.service = {
      serviceName: endpointService.serviceName,
      region: provider.account.region,
      azIds: nlb.azIds,
      azIdsKnown: placement.nlb.azIdsKnown,
    };
  }

  /** Alarms at every hop, connection notifications, both to one topic, and the dashboard. */
  private monitor(
    provider: ProviderModel,
    settings: MonitoringModel,
    parts: {
      name: string;
      partition: string;
      placement: ProviderPlacement;
      fns: readonly { model: FunctionModel; construct: VpcLambdaFunction }[];
      alb: LambdaAlb;
      nlb: AlbFrontingNlb;
      endpointService: EndpointService;
    },
  ): { topicArn: string; dashboardName: string } {
    const { accountId, region } = provider.account;
    const { name, partition, placement, alb, nlb, endpointService } = parts;
    const watch = providerWatch({
      name,
      thresholds: settings.thresholds,
      serviceId: endpointService.serviceId,
      nlb: nlb.loadBalancer.arnSuffix,
      nlbAzs: placement.nlb.subnetIds.map((subnetId, i) => ({
        // AZ IDs when known at synth (a created VPC), else the subnet IDs the config lists.
        key: placement.nlb.azIdsKnown ? placement.nlb.azIds[i] : subnetId,
        name: placement.nlb.azNames[i],
      })),
      nlbFiltersClients: provider.service.privateLinkInboundRules === "on",
      alb: alb.loadBalancer.arnSuffix,
      functions: parts.fns.map(({ model, construct }, i) => ({
        addressSuffix: model.main ? "" : `_${model.name}`,
        functionName: model.functionName,
        functionNameRef: construct.functionName,
        targetGroup: alb.targetGroups[i].arnSuffix,
        timeoutSeconds: model.timeoutSeconds,
        reservedConcurrency: model.reservedConcurrency,
      })),
    });
    const { topic, dashboardName } = monitorStack(this, {
      topicName: `${name}-alarms`,
      dashboardName: `${name}-service`,
      accountId,
      region,
      partition,
      settings,
      // Any endpoint service of this account, not this one's ARN: a policy document naming it
      // is read again at apply whenever the service changes, and every such plan would
      // show the topic policy changing.
      publishers: [{ service: "vpce.amazonaws.com", sourceArns: [`arn:${partition}:ec2:${region}:${accountId}:vpc-endpoint-service/*`] }],
      watch,
    });
    endpointService.notifyConnections(topic.topicArn, topic.readiness);
    return { topicArn: topic.topicArn, dashboardName };
  }

  private placement(name: string, provider: ProviderModel): ProviderPlacement {
    const net = provider.network;
    if (net.kind === "create") {
      const network = createdNetwork(this, name, net, provider.account.accountId);
      return { vpcId: network.vpcId, lambda: network.subnets, alb: network.subnets, nlb: network.subnets, created: network };
    }
    const network = new ExistingNetwork(this, "network", {
      vpcId: net.vpcId,
      subnetIds: [...net.lambdaSubnetIds, ...net.albSubnetIds, ...net.nlbSubnetIds],
    });
    const field = "provider.network.existing";
    return {
      vpcId: network.vpcId,
      lambda: network.group(net.lambdaSubnetIds, `${field}.lambdaSubnetIds`),
      alb: network.group(net.albSubnetIds, `${field}.albSubnetIds`),
      nlb: network.group(net.nlbSubnetIds, `${field}.nlbSubnetIds`),
    };
  }
}
