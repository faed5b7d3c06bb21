/** Account B: an interface endpoint to the provider's service, in a new or existing VPC. */
import { DataAwsVpcEndpointService } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service";
import { Construct } from "constructs";
import type { BackendConfig, ConsumerConfig } from "../config/schema";
import { AwsAccount } from "../lib/aws-account";
import { TerraformOutput, TerraformStack } from "../lib/cdktf";
import { InterfaceEndpoint, InterfaceEndpointProps } from "../lib/interface-endpoint";
import { withAddress } from "../lib/naming";
import { ExistingNetwork, SubnetGroup } from "../lib/network";
import { createdNetwork } from "./networks";
import { useStateBackend } from "../lib/state-backend";
import type { PrivateLinkService } from "./provider-stack";

/** Properties of {@link ConsumerStack}. */
export interface ConsumerStackProps {
  /** This consumer's account, Region, network and (for outside services) service name. */
  readonly consumer: ConsumerConfig;
  /** The service published by this app's provider stack. @default - `consumer.serviceName` */
  readonly service?: PrivateLinkService;
  /** The service port clients connect to. */
  readonly port: number;
  /** Set when the service speaks HTTPS; `hostname` is the name in its certificate, if known. */
  readonly tls?: { readonly hostname?: string };
  /** Name prefix for resources and tags. */
  readonly name: string;
  /** Where state lives. */
  readonly backend: BackendConfig;
  /** Tags for every resource. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A service consumer's stack. */
export class ConsumerStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id);
    const { consumer, service } = props;
    useStateBackend(this, props.backend);
    new AwsAccount(this, "aws", {
      accountId: consumer.accountId,
      region: consumer.region,
      profile: consumer.profile,
      assumeRole: consumer.assumeRole,
      tags: props.tags,
    });

    const { vpcId, subnets, vpcCidr } = this.placement(`${props.name}-consumer`, consumer);
    const serviceName = service?.serviceName ?? consumer.serviceName;
    if (!serviceName) throw new Error(`ConsumerStack ${id}: no service to connect to`);
    const serviceRegion = service?.region ?? consumer.serviceRegion ?? consumer.region;

    const endpoint = new InterfaceEndpoint(this, "endpoint", {
      name: `${props.name}-consumer`,
      vpcId,
      subnets,
      serviceName,
      serviceRegion: serviceRegion === consumer.region ? undefined : serviceRegion,
      port: props.port,
      clientCidrs: consumer.clientCidrs ?? [vpcCidr!],
      supportedAzs: this.supportedAzs(consumer, subnets, serviceName, serviceRegion, service),
    });

    new TerraformOutput(this, "endpoint_id", { value: endpoint.endpointId, description: "Interface endpoint ID" });
    new TerraformOutput(this, "endpoint_dns_name", { value: endpoint.dnsName, description: "Regional DNS name of the endpoint" });
    new TerraformOutput(this, "service_url", {
      value: serviceUrl(endpoint.dnsName, props.port, props.tls),
      description: "URL of the service",
    });
    new TerraformOutput(this, "curl_command", {
      value: curlCommand(endpoint.dnsName, props.port, props.tls),
      description: "Run from a client in the consumer VPC to call the Lambda through PrivateLink",
    });
  }

  private placement(name: string, consumer: ConsumerConfig): { vpcId: string; subnets: SubnetGroup; vpcCidr?: string } {
    const { create, existing } = consumer.network;
    if (create) {
      const network = createdNetwork(this, name, create, consumer.accountId);
      return { vpcId: network.vpcId, subnets: network.subnets, vpcCidr: network.vpcCidr };
    }
    const ids = existing!;
    const network = new ExistingNetwork(this, "network", { vpcId: ids.vpcId, subnetIds: ids.endpointSubnetIds });
    return { vpcId: network.vpcId, subnets: network.group(ids.endpointSubnetIds) };
  }

  /**
   * The plan-time AZ check, where synth could not do it: by AZ ID against this app's NLB, or
   * by AZ name against a same-Region outside service as this account sees it. Across Regions
   * no check is possible (the endpoint service data source does not support it).
   */
  private supportedAzs(
    consumer: ConsumerConfig,
    subnets: SubnetGroup,
    serviceName: string,
    serviceRegion: string,
    service?: PrivateLinkService,
  ): InterfaceEndpointProps["supportedAzs"] {
    if (serviceRegion !== consumer.region) return undefined;
    if (service) {
      return service.azIdsKnown && subnets.azIdsKnown ? undefined : { azIds: service.azIds };
    }
    const lookup = withAddress(new DataAwsVpcEndpointService(this, "service", { serviceName }), "service");
    return { azNames: lookup.availabilityZones };
  }
}

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
