/** A VPC endpoint service (PrivateLink) in front of an NLB. */
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { Construct } from "constructs";
import { VpcEndpointConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-accepter";
import { VpcEndpointServicePrivateDnsVerification } from "@cdktf/provider-aws/lib/vpc-endpoint-service-private-dns-verification";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { VpcEndpointConnectionNotification } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-notification";
import type { ITerraformDependable } from "../cdktf";
import { addressName, withAddress } from "../naming";
import { CREATE_FIRST } from "../placement-checks";

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
  /**
   * A private DNS name for the service, and the Route 53 public hosted zone of its domain,
   * where the TXT record AWS checks to verify the domain is written. @default - none
   */
  readonly privateDns?: { readonly name: string; readonly zoneId: string };
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
        privateDnsName: props.privateDns?.name,
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
    if (props.privateDns) verifyDomain(this, service, props.privateDns.zoneId);
    this.endpointService = service;
    this.serviceName = service.serviceName;
    this.serviceId = service.id;
  }

  /**
   * Sends every endpoint connection event (connect, accept, reject, delete) to an SNS topic,
   * once `readiness` (the topic policy that lets PrivateLink publish) is in place.
   */
  public notifyConnections(topicArn: string, readiness: readonly ITerraformDependable[]): void {
    withAddress(
      new VpcEndpointConnectionNotification(this, "notifications", {
        vpcEndpointServiceId: this.serviceId,
        connectionNotificationArn: topicArn,
        connectionEvents: ["Accept", "Connect", "Delete", "Reject"],
        dependsOn: readiness.length > 0 ? [...readiness] : undefined,
        // Another topic replaces it: events keep flowing while it is swapped.
        lifecycle: CREATE_FIRST,
      }),
      addressName(this, "connections"),
    );
  }
}

/**
 * Proves the domain is ours, so consumers may use the private DNS name: the TXT record AWS
 * asks for, in the public zone of the name's domain, then the verification, which waits until
 * AWS reports the domain verified. AWS: "You can verify example.com, instead of
 * a.example.com" (https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html).
 */
function verifyDomain(scope: Construct, service: VpcEndpointService, zoneId: string): void {
  const config = service.privateDnsNameConfiguration.get(0);
  const record = withAddress(
    new Route53Record(scope, "dns-verification-record", {
      zoneId,
      // AWS gives a relative name (`_<token>`): Route 53 completes it with the zone's domain,
      // and a verified domain covers its subdomains, the private DNS name among them.
      name: config.name,
      type: "TXT",
      ttl: 300,
      records: [config.value],
    }),
    addressName(scope, "dns_verification"),
  );
  withAddress(
    new VpcEndpointServicePrivateDnsVerification(scope, "dns-verification", {
      serviceId: service.id,
      waitForVerification: true,
      dependsOn: [record],
    }),
    addressName(scope, "dns_verification"),
  );
}

/** The IAM principal ARN of a whole account. */
export function accountRootPrincipal(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}
