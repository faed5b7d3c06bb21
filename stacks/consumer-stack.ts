/** Account B: an interface endpoint to the provider's service, in a new or existing VPC. */
import { DataAwsVpcEndpointService } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service";
import { Construct } from "constructs";
import type { ConsumerModel, ListenerModel } from "../config/model";
import { AwsAccount } from "../lib/constructs/aws-account";
import { InterfaceEndpoint, InterfaceEndpointProps } from "../lib/constructs/interface-endpoint";
import { ExistingNetwork, SubnetGroup } from "../lib/constructs/network";
import { StateBackend, useStateBackend } from "../lib/constructs/state-backend";
import { TerraformOutput, TerraformStack } from "../lib/cdktf";
import { withAddress } from "../lib/naming";
import { recordNetworkDeviations } from "./deviations";
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
    new AwsAccount(this, "aws", { ...consumer.account, tags: props.tags });

    const prefix = consumerResourcePrefix(props.name, consumer.name);
    const { vpcId, subnets } = this.placement(prefix, consumer);
    const target = targetOf(id, consumer, props.service);
    const region = consumer.account.region;

    const endpoint = new InterfaceEndpoint(this, "endpoint", {
      // The endpoint's security group keeps the name (and description) it has always had:
      // renaming a group forces its replacement, which AWS refuses while the endpoint uses
      // it. Group names only need to differ within a VPC, and each consumer has its own.
      name: `${props.name}-consumer`,
      vpcId,
      subnets,
      serviceName: target.serviceName,
      serviceRegion: target.region === region ? undefined : target.region,
      port: consumer.listener.port,
      clientCidrs: consumer.clientCidrs,
      supportedAzs: this.supportedAzs(region, subnets, target),
    });

    const tls = tlsOf(consumer.listener);
    new TerraformOutput(this, "endpoint_id", { value: endpoint.endpointId, description: "Interface endpoint ID" });
    new TerraformOutput(this, "endpoint_dns_name", { value: endpoint.dnsName, description: "Regional DNS name of the endpoint" });
    new TerraformOutput(this, "service_url", {
      value: serviceUrl(endpoint.dnsName, consumer.listener.port, tls),
      description: "URL of the service",
    });
    new TerraformOutput(this, "curl_command", {
      value: curlCommand(endpoint.dnsName, consumer.listener.port, tls),
      description: "Run from a client in the consumer VPC to call the Lambda through PrivateLink",
    });
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

/**
 * The prefix of a consumer's account-wide names (its flow logs' IAM role and log group, and
 * its VPC's Name tags). It holds the consumer's name, so two consumers in one account never
 * create IAM roles or log groups of the same name; the consumer named "main" (the default
 * config's) keeps `<name>-consumer`, the names it has always had.
 */
export function consumerResourcePrefix(appName: string, consumerName: string): string {
  return consumerName === "main" ? `${appName}-consumer` : `${appName}-consumer-${consumerName}`;
}

function targetOf(stack: string, consumer: ConsumerModel, service?: PrivateLinkService): Target {
  if (consumer.service.kind === "outside") return { serviceName: consumer.service.serviceName, region: consumer.service.region };
  if (!service) throw new Error(`ConsumerStack ${stack}: a consumer of this app's service needs the provider stack's service`);
  return { serviceName: service.serviceName, region: service.region, own: service };
}

/** Set when the service speaks HTTPS; `hostname` is the name in its certificate, if known. */
type Tls = { readonly hostname?: string } | undefined;

const tlsOf = (listener: ListenerModel): Tls => (listener.certificateArn ? { hostname: listener.hostname } : undefined);

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
