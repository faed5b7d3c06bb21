/** A VPC endpoint service (PrivateLink) in front of an NLB. */
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { Construct } from "constructs";
import { VpcEndpointConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-accepter";
import { addressName, withAddress } from "../naming";

/** Properties of {@link EndpointService}. */
export interface EndpointServiceProps {
  /** The NLB that receives the PrivateLink traffic. */
  readonly networkLoadBalancerArn: string;
  /** Whether each endpoint connection waits for the provider to accept it. */
  readonly acceptanceRequired: boolean;
  /** IAM principals allowed to create endpoints: account roots or roles, never `*` with auto-accept. */
  readonly allowedPrincipals: readonly string[];
  /** Other Regions consumers may connect from. @default - the service's own Region only */
  readonly supportedRegions?: readonly string[];
  /** Name tag. */
  readonly name: string;
  /** Endpoint IDs to accept, when acceptance is required. @default - none */
  readonly acceptEndpointIds?: readonly string[];
}

/** Publishes the NLB as a PrivateLink service to an explicit list of principals. */
export class EndpointService extends Construct {
  /** The endpoint service resource. */
  public readonly endpointService: VpcEndpointService;
  /** The service name consumers put in their interface endpoint (`com.amazonaws.vpce...`). */
  public readonly serviceName: string;
  /** The endpoint service ID. */
  public readonly serviceId: string;

  constructor(scope: Construct, id: string, props: EndpointServiceProps) {
    super(scope, id);
    const service = withAddress(
      new VpcEndpointService(this, "service", {
        acceptanceRequired: props.acceptanceRequired,
        networkLoadBalancerArns: [props.networkLoadBalancerArn],
        allowedPrincipals: [...props.allowedPrincipals],
        supportedRegions: props.supportedRegions?.length ? [...props.supportedRegions] : undefined,
        tags: { Name: props.name },
      }),
      addressName(this),
    );
    for (const endpointId of props.acceptEndpointIds ?? []) {
      withAddress(
        new VpcEndpointConnectionAccepter(this, `accept-${endpointId}`, { vpcEndpointServiceId: service.id, vpcEndpointId: endpointId }),
        addressName(this, `accept_${endpointId}`),
      );
    }
    this.endpointService = service;
    this.serviceName = service.serviceName;
    this.serviceId = service.id;
  }
}

/** The IAM principal ARN of a whole account. */
export function accountRootPrincipal(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}
