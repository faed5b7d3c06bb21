/** Account B: an interface endpoint to the provider's service, in a new or existing VPC. */
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { DataAwsVpcEndpointService } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Construct } from "constructs";
import type { ConsumerModel, ListenerModel, MonitoringModel } from "../config/model";
import { consumerWatch } from "../lib/monitoring";
import { AwsAccount } from "../lib/constructs/aws-account";
import { InterfaceEndpoint, InterfaceEndpointProps } from "../lib/constructs/interface-endpoint";
import { ExistingNetwork, SubnetGroup } from "../lib/constructs/network";
import { VpcLambdaFunction } from "../lib/constructs/vpc-lambda-function";
import type { LambdaPackage } from "../lib/lambda-package";
import { suppress } from "../lib/policy/suppress";
import { StateBackend, useStateBackend } from "../lib/constructs/state-backend";
import { TerraformOutput, TerraformStack } from "../lib/cdktf";
import { withAddress } from "../lib/naming";
import { consumerResourcePrefix, probeFunctionName } from "../config/stack-names";
import { recordNetworkDeviations } from "./deviations";
import { monitorStack } from "./monitoring";
import { createdNetwork } from "./networks";
import type { PrivateLinkService } from "./provider-stack";

/** Properties of {@link ConsumerStack}. */
export interface ConsumerStackProps {
  /** This consumer, resolved from the config. */
  readonly consumer: ConsumerModel;
  /** The service of this app's provider stack; required when the consumer's service is "own". */
  readonly service?: PrivateLinkService;
  /** Name prefix for resources. */
  readonly name: string;
  /** Tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Where state lives. */
  readonly backend: StateBackend;
  /** The probe's package, when the consumer has a probe. */
  readonly probePackage?: LambdaPackage;
}

/** The service a consumer's endpoint connects to, with where it lives. */
interface Target {
  readonly serviceName: string;
  readonly region: string;
  /** This app's service, when it is. */
  readonly own?: PrivateLinkService;
}

/** A service consumer's stack. */
export class ConsumerStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id);
    const { consumer } = props;
    useStateBackend(this, props.backend);
    const aws = new AwsAccount(this, "aws", { ...consumer.account, tags: props.tags });

    const prefix = consumerResourcePrefix(props.name, consumer.name);
    const { vpcId, subnets } = this.placement(prefix, consumer);
    const target = targetOf(id, consumer, props.service);
    const region = consumer.account.region;
    const privateDnsEnabled = consumer.privateDnsName !== undefined;

    // The service's Region, when it is not the consumer's (cross-Region PrivateLink).
    const serviceRegion = target.region === region ? undefined : target.region;
    const endpoint = new InterfaceEndpoint(this, "endpoint", {
      // The endpoint's security group keeps the name (and description) it has always had:
      // renaming a group forces its replacement, which AWS refuses while the endpoint uses
      // it. Group names only need to differ within a VPC, and each consumer has its own.
      name: `${props.name}-consumer`,
      vpcId,
      subnets,
      serviceName: target.serviceName,
      serviceRegion,
      port: consumer.listener.port,
      clientCidrs: consumer.clientCidrs,
      supportedAzs: this.supportedAzs(region, subnets, target),
      privateDnsEnabled,
      vpcDns: privateDnsEnabled && consumer.network.kind === "existing" ? this.vpcDns(vpcId) : undefined,
    });
    if (consumer.dnsName) this.privateName(consumer.dnsName, vpcId, endpoint);

    const tls = tlsOf(consumer.listener);
    // The name clients call: the consumer's own, the service's private DNS name, or the endpoint's.
    const name = consumer.dnsName ?? consumer.privateDnsName;
    const host = name ?? endpoint.dnsName;
    const urlTls = tls && (name ? {} : tls);
    const url = serviceUrl(host, consumer.listener.port, urlTls);
    new TerraformOutput(this, "endpoint_id", { value: endpoint.endpointId, description: "Interface endpoint ID" });
    new TerraformOutput(this, "endpoint_dns_name", { value: endpoint.dnsName, description: "Regional DNS name of the endpoint" });
    new TerraformOutput(this, "service_url", { value: url, description: "URL of the service" });
    new TerraformOutput(this, "curl_command", {
      value: curlCommand(host, consumer.listener.port, urlTls),
      description: "Run from a client in the consumer VPC (in the client security group) to call the Lambda through PrivateLink",
    });
    new TerraformOutput(this, "client_security_group_id", {
      value: endpoint.clientSecurityGroupId,
      description: "Security group for clients of the service: attach it to an instance, container or function in the consumer VPC",
    });
    if (consumer.monitoring) {
      const monitoring = this.monitor(prefix, consumer.monitoring, consumer.account, aws.partition, endpoint, serviceRegion);
      new TerraformOutput(this, "alarm_topic_arn", {
        value: monitoring.topicArn,
        description: "SNS topic of the endpoint's alarms: subscribe to it",
      });
      new TerraformOutput(this, "dashboard_name", { value: monitoring.dashboardName, description: "CloudWatch dashboard of the endpoint" });
    }
    if (consumer.probe) {
      // Over HTTPS to the certificate's name without a DNS name for it: connect to the endpoint, verify the name.
      const connectTo = urlTls?.hostname ? endpoint.dnsName : undefined;
      const probe = this.probe(
        { vpcId, subnets, url, connectTo, securityGroupId: endpoint.clientSecurityGroupId, partition: aws.partition },
        props,
      );
      new TerraformOutput(this, "probe_function_name", {
        value: probe.functionName,
        description: "Function that calls the service from inside the consumer VPC: npm run smoke -- --from <this stack>",
      });
    }
  }

  /** Alarms on the endpoint to one topic, and the dashboard. */
  private monitor(
    prefix: string,
    settings: MonitoringModel,
    account: ConsumerModel["account"],
    partition: string,
    endpoint: InterfaceEndpoint,
    serviceRegion: string | undefined,
  ): { topicArn: string; dashboardName: string } {
    const { topic, dashboardName } = monitorStack(this, {
      topicName: `${prefix}-alarms`,
      dashboardName: `${prefix}-endpoint`,
      accountId: account.accountId,
      region: account.region,
      partition,
      settings,
      watch: consumerWatch({
        name: prefix,
        thresholds: settings.thresholds,
        endpointId: endpoint.endpointId,
        serviceName: endpoint.serviceName,
        vpcId: endpoint.vpcId,
        serviceRegion,
      }),
    });
    return { topicArn: topic.topicArn, dashboardName };
  }

  /** A private hosted zone of the consumer VPC for `dnsName`, its apex an alias of the endpoint. */
  private privateName(dnsName: string, vpcId: string, endpoint: InterfaceEndpoint): void {
    // A zone of exactly this name: one of its parent domain would hide every other name in it from the VPC.
    const zone = withAddress(
      new Route53Zone(this, "dns-zone", {
        name: dnsName,
        comment: `The service's name in this VPC: an alias of its PrivateLink endpoint`,
        vpc: [{ vpcId }],
      }),
      "dns",
    );
    withAddress(
      new Route53Record(this, "dns-record", {
        zoneId: zone.zoneId,
        name: dnsName,
        type: "A",
        // Route 53 says to leave target health off for interface endpoints.
        alias: { name: endpoint.dnsName, zoneId: endpoint.hostedZoneId, evaluateTargetHealth: false },
      }),
      "dns",
    );
  }

  /** The existing VPC's DNS attributes, read at plan. */
  private vpcDns(vpcId: string) {
    const vpc = withAddress(new DataAwsVpc(this, "vpc", { id: vpcId }), "vpc");
    return { support: vpc.enableDnsSupport, hostnames: vpc.enableDnsHostnames };
  }

  /** The probe: a function in the client security group that calls the service URL. */
  private probe(
    where: { vpcId: string; subnets: SubnetGroup; url: string; connectTo?: string; securityGroupId: string; partition: string },
    props: ConsumerStackProps,
  ): VpcLambdaFunction {
    if (!props.probePackage) throw new Error(`ConsumerStack ${this.node.id}: the probe needs its package`);
    const probe = new VpcLambdaFunction(this, "probe", {
      functionName: probeFunctionName(props.name, props.consumer.name),
      package: props.probePackage,
      handler: "probe.handler",
      runtime: PROBE_RUNTIME,
      memoryMb: 128,
      timeoutSeconds: 15,
      architecture: "arm64",
      logRetentionDays: 365,
      tracing: "Active",
      environment: { SERVICE_URL: where.url, PROBE_TIMEOUT_SECONDS: "10", ...(where.connectTo ? { CONNECT_TO: where.connectTo } : {}) },
      vpcId: where.vpcId,
      subnets: where.subnets,
      securityGroupId: where.securityGroupId,
      partition: where.partition,
      invokedBy: "npm run smoke invokes the probe synchronously",
      // A check, not a service: one AZ is enough.
      requireTwoAzs: false,
    });
    suppress(
      probe.logGroup,
      "CKV_AWS_158",
      "The probe logs only its own invocations; CloudWatch Logs encrypts them at rest with its own keys",
    );
    suppress(
      probe.lambdaFunction,
      "CKV_AWS_115",
      "The probe runs only when invoked by hand (npm run smoke -- --from); reserving concurrency for it would take it from the account",
    );
    suppress(probe.lambdaFunction, "CKV_AWS_272", "The probe's package is built reproducibly from this repository at synth");
    if (where.subnets.subnetIds.length < 2) {
      suppress(
        probe.lambdaFunction,
        "CKV_AWS_117",
        "The probe runs in the endpoint subnets, and this consumer has one (network.existing.endpointSubnetIds): it is a check, not the service",
      );
    }
    return probe;
  }

  private placement(name: string, consumer: ConsumerModel): { vpcId: string; subnets: SubnetGroup } {
    const net = consumer.network;
    if (net.kind === "create") {
      const network = createdNetwork(this, name, net, consumer.account.accountId);
      recordNetworkDeviations(network, net.flowLogs);
      return { vpcId: network.vpcId, subnets: network.subnets };
    }
    const network = new ExistingNetwork(this, "network", { vpcId: net.vpcId, subnetIds: net.endpointSubnetIds });
    return { vpcId: network.vpcId, subnets: network.group(net.endpointSubnetIds) };
  }

  /**
   * The plan-time AZ check, where synth could not do it: by AZ ID against this app's NLB, or
   * by AZ name against a same-Region outside service as this account sees it. Across Regions
   * no check is possible (the endpoint service data source does not support it).
   */
  private supportedAzs(region: string, subnets: SubnetGroup, target: Target): InterfaceEndpointProps["supportedAzs"] {
    if (target.region !== region) return undefined;
    if (target.own) {
      return target.own.azIdsKnown && subnets.azIdsKnown ? undefined : { azIds: target.own.azIds };
    }
    const lookup = withAddress(new DataAwsVpcEndpointService(this, "service", { serviceName: target.serviceName }), "service");
    return { azNames: lookup.availabilityZones };
  }
}

function targetOf(stack: string, consumer: ConsumerModel, service?: PrivateLinkService): Target {
  if (consumer.service.kind === "outside") return { serviceName: consumer.service.serviceName, region: consumer.service.region };
  if (!service) throw new Error(`ConsumerStack ${stack}: a consumer of this app's service needs the provider stack's service`);
  return { serviceName: service.serviceName, region: service.region, own: service };
}

/** The probe's runtime. */
export const PROBE_RUNTIME = "python3.13";

/** Set when the service speaks HTTPS; `hostname` is the certificate's exact name, if known. */
type Tls = { readonly hostname?: string } | undefined;

const tlsOf = (listener: ListenerModel): Tls =>
  listener.certificateArn ? { hostname: listener.hostname?.startsWith("*.") ? undefined : listener.hostname } : undefined;

const withPort = (host: string, port: number, scheme: string) =>
  (scheme === "http" && port === 80) || (scheme === "https" && port === 443) ? host : `${host}:${port}`;

/** The URL clients call: the endpoint's DNS name, or the certificate's name over HTTPS. */
export function serviceUrl(dnsName: string, port: number, tls?: { readonly hostname?: string }): string {
  const scheme = tls ? "https" : "http";
  return `${scheme}://${withPort(tls?.hostname ?? dnsName, port, scheme)}/`;
}

/**
 * A ready-to-run curl. Over HTTPS with a known certificate name, `--connect-to` sends the
 * request to the endpoint while curl verifies the certificate against that name.
 */
export function curlCommand(dnsName: string, port: number, tls?: { readonly hostname?: string }): string {
  if (tls?.hostname) return `curl --connect-to ${tls.hostname}:${port}:${dnsName}:${port} ${serviceUrl(dnsName, port, tls)}`;
  return `curl ${serviceUrl(dnsName, port, tls)}`;
}
