/** Account B: a VPC with an interface endpoint to the provider's service. */
import { Construct } from "constructs";
import type { AppConfig } from "../config/schema";
import { subnetsOf } from "../config/schema";
import { AwsAccount } from "../lib/aws-account";
import { TerraformOutput, TerraformStack } from "../lib/cdktf";
import { InterfaceEndpoint } from "../lib/interface-endpoint";
import { PrivateNetwork } from "../lib/network";
import { useLocalState } from "../lib/state-backend";
import type { PrivateLinkService } from "./provider-stack";

/** One consumer's configuration. */
export type ConsumerConfig = AppConfig["consumers"][number];

/** Properties of {@link ConsumerStack}. */
export interface ConsumerStackProps {
  /** This consumer's account, Region and network. */
  readonly consumer: ConsumerConfig;
  /** The service to connect to, from the provider stack. */
  readonly service: PrivateLinkService;
  /** Name prefix for resources and tags. */
  readonly name: string;
  /** Tags for every resource. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A service consumer's stack. */
export class ConsumerStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id);
    const { consumer, service } = props;
    useLocalState(this);
    new AwsAccount(this, "aws", { accountId: consumer.accountId, region: consumer.region, tags: props.tags });

    const network = new PrivateNetwork(this, "network", {
      name: `${props.name}-consumer`,
      vpcCidr: consumer.network.vpcCidr,
      subnets: subnetsOf(consumer.network),
    });
    const endpoint = new InterfaceEndpoint(this, "endpoint", {
      name: `${props.name}-consumer`,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds,
      serviceName: service.serviceName,
      serviceRegion: service.region === consumer.region ? undefined : service.region,
      port: service.port,
      clientCidrs: consumer.clientCidrs ?? [network.vpcCidr],
    });

    const url = service.port === 80 ? `http://${endpoint.dnsName}/` : `http://${endpoint.dnsName}:${service.port}/`;
    new TerraformOutput(this, "endpoint_id", { value: endpoint.endpointId, description: "Interface endpoint ID" });
    new TerraformOutput(this, "endpoint_dns_name", { value: endpoint.dnsName, description: "Regional DNS name of the endpoint" });
    new TerraformOutput(this, "curl_command", {
      value: `curl ${url}`,
      description: "Run from a client in the consumer VPC to call the Lambda through PrivateLink",
    });
  }
}
