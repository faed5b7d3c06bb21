/** EndpointService: the PrivateLink service in front of the NLB, and the account root principal. */
import { VpcEndpointConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-accepter";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "../../lib/cdktf";
import { accountRootPrincipal, EndpointService, EndpointServiceProps } from "../../lib/constructs/endpoint-service";
import { SUPPRESSIONS_KEY, suppress } from "../../lib/policy/suppress";
import { resourceOf, scope, synth } from "./harness";

const NLB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:loadbalancer/net/nlb/0123456789abcdef";

function props(overrides: Partial<EndpointServiceProps> = {}): EndpointServiceProps {
  return {
    networkLoadBalancerArn: NLB_ARN,
    acceptanceRequired: true,
    allowedPrincipals: ["arn:aws:iam::222222222222:root"],
    name: "hello-privatelink",
    ...overrides,
  };
}

/** The stack's JSON as synthesized, `"//"` metadata included (the harness's synth strips it). */
function rawJson(stack: TerraformStack): Record<string, any> {
  return JSON.parse(JSON.stringify(stack.toTerraform()));
}

/** Every policy suppression recorded on any resource of `json`, as `address: {rule: reason}`. */
function suppressionsIn(json: Record<string, any>): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const [type, byName] of Object.entries<Record<string, any>>(json.resource ?? {})) {
    for (const [name, attrs] of Object.entries<any>(byName)) {
      const listed = attrs["//"]?.[SUPPRESSIONS_KEY];
      if (listed !== undefined) found[`${type}.${name}`] = listed;
    }
  }
  return found;
}

describe("EndpointService: the aws_vpc_endpoint_service", () => {
  test.each([true, false])("acceptance_required is %s as given, with the NLB, the principals and the Name tag", (acceptanceRequired) => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN a service is built with that acceptance setting
    new EndpointService(stack, "service", props({ acceptanceRequired }));
    // THEN the resource carries the setting, the one NLB, the principal and the Name tag
    const { text, json } = synth(stack);
    expect(text).toHaveResourceWithProperties(VpcEndpointService, {
      acceptance_required: acceptanceRequired,
      network_load_balancer_arns: [NLB_ARN],
      allowed_principals: ["arn:aws:iam::222222222222:root"],
      tags: { Name: "hello-privatelink" },
    });
    expect(resourceOf(json, "aws_vpc_endpoint_service", "service").acceptance_required).toBe(acceptanceRequired);
  });

  test("allowed_principals keep the order given", () => {
    // GIVEN principals out of alphabetical order: an account root, a role and another root
    const { stack } = scope();
    const principals = ["arn:aws:iam::333333333333:root", "arn:aws:iam::222222222222:role/consumer", "arn:aws:iam::111111111111:root"];
    // WHEN the service is built
    new EndpointService(stack, "service", props({ allowedPrincipals: principals }));
    // THEN they are written in the same order
    expect(resourceOf(synth(stack).json, "aws_vpc_endpoint_service", "service").allowed_principals).toEqual(principals);
  });

  test("the caller's principal list is copied, not kept: later changes to it do not reach the service", () => {
    // GIVEN a mutable list of principals
    const { stack } = scope();
    const principals = ["arn:aws:iam::222222222222:root"];
    // WHEN the service is built and the list is changed afterwards
    new EndpointService(stack, "service", props({ allowedPrincipals: principals }));
    principals.push("*");
    // THEN the service still allows only the principal given at construction
    expect(resourceOf(synth(stack).json, "aws_vpc_endpoint_service", "service").allowed_principals).toEqual([
      "arn:aws:iam::222222222222:root",
    ]);
  });

  test.each([
    ["not given", undefined],
    ["empty", []],
  ])("supported_regions is left out when %s", (_, supportedRegions) => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the service is built without other Regions
    new EndpointService(stack, "service", props({ supportedRegions }));
    // THEN the argument is absent (the service's own Region only)
    expect(resourceOf(synth(stack).json, "aws_vpc_endpoint_service", "service")).not.toHaveProperty("supported_regions");
  });

  test.each([[["ap-northeast-1", "us-east-1"]], [["us-west-2"]]])("supported_regions %j is written as given", (supportedRegions) => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the service is built with supported Regions
    new EndpointService(stack, "service", props({ supportedRegions }));
    // THEN they are written in that order
    expect(resourceOf(synth(stack).json, "aws_vpc_endpoint_service", "service").supported_regions).toEqual(supportedRegions);
  });

  test("the address follows the construct ID", () => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the service's construct ID has a hyphen
    new EndpointService(stack, "endpoint-service", props());
    // THEN the resource is named after it, with the hyphen made valid
    expect(Object.keys(synth(stack).json.resource.aws_vpc_endpoint_service)).toEqual(["endpoint_service"]);
  });

  test("two services taking the same address in one stack are refused, naming both", () => {
    // GIVEN a service "service" at the stack's root
    const { stack } = scope();
    new EndpointService(stack, "service", props());
    // WHEN another construct holds a service with the same ID
    const second = () => new EndpointService(new Construct(stack, "other"), "service", props());
    // THEN the second is refused, naming both construct paths
    expect(second).toThrow(
      "Terraform address aws_vpc_endpoint_service.service is chosen twice in stack test: by test/service/service and by test/other/service/service",
    );
  });
});

describe("EndpointService: connection accepters", () => {
  test.each([
    ["not given", undefined],
    ["empty", []],
  ])("none when acceptEndpointIds is %s", (_, acceptEndpointIds) => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the service is built with no endpoint IDs to accept
    new EndpointService(stack, "service", props({ acceptEndpointIds }));
    // THEN there is no accepter
    const { json } = synth(stack);
    expect(json.resource.aws_vpc_endpoint_connection_accepter).toBeUndefined();
    expect(Object.keys(json.resource)).toEqual(["aws_vpc_endpoint_service"]);
  });

  test.each([
    [["vpce-0a1b2c3d4e5f60001"], ["service_accept_vpce_0a1b2c3d4e5f60001"]],
    [
      ["vpce-0a1b2c3d4e5f60001", "vpce-0a1b2c3d4e5f60002"],
      ["service_accept_vpce_0a1b2c3d4e5f60001", "service_accept_vpce_0a1b2c3d4e5f60002"],
    ],
  ])("one accepter per endpoint ID %j, at service_accept_<id>, referencing the service", (acceptEndpointIds, addresses) => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the service is built with endpoint IDs to accept
    new EndpointService(stack, "service", props({ acceptEndpointIds }));
    // THEN each ID has its own accepter, named after it, on this service
    const { text, json } = synth(stack);
    expect(Object.keys(json.resource.aws_vpc_endpoint_connection_accepter)).toEqual(addresses);
    acceptEndpointIds.forEach((endpointId, i) => {
      expect(resourceOf(json, "aws_vpc_endpoint_connection_accepter", addresses[i])).toEqual({
        vpc_endpoint_id: endpointId,
        vpc_endpoint_service_id: "${aws_vpc_endpoint_service.service.id}",
      });
    });
    expect(text).toHaveResourceWithProperties(VpcEndpointConnectionAccepter, { vpc_endpoint_id: acceptEndpointIds[0] });
  });

  test("the same endpoint ID twice is refused", () => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN one endpoint ID is listed twice
    const build = () => new EndpointService(stack, "service", props({ acceptEndpointIds: ["vpce-1", "vpce-1"] }));
    // THEN construction fails on the second accepter
    expect(build).toThrow("There is already a Construct with name 'accept-vpce-1'");
  });
});

describe("EndpointService: policy suppressions", () => {
  test.each([true, false])(
    "the construct records none with acceptanceRequired %s (CKV_AWS_123 belongs to the stack layer)",
    (acceptanceRequired) => {
      // GIVEN a stack
      const { stack } = scope();
      // WHEN a service with accepters is built
      new EndpointService(stack, "service", props({ acceptanceRequired, acceptEndpointIds: ["vpce-1"] }));
      // THEN no resource carries a suppression, though the metadata they would go in is there
      const json = rawJson(stack);
      expect(suppressionsIn(json)).toEqual({});
      expect(resourceOf(json, "aws_vpc_endpoint_service", "service")["//"]).toBeDefined();
    },
  );

  test("a suppression the stack layer records is where the check above looks", () => {
    // GIVEN a service with auto-accept
    const { stack } = scope();
    const service = new EndpointService(stack, "service", props({ acceptanceRequired: false }));
    // WHEN the stack layer records CKV_AWS_123 on it
    suppress(service.endpointService, "CKV_AWS_123", "Auto-accept chosen in service.acceptanceRequired");
    // THEN the same probe finds it
    expect(suppressionsIn(rawJson(stack))).toEqual({
      "aws_vpc_endpoint_service.service": { CKV_AWS_123: "Auto-accept chosen in service.acceptanceRequired" },
    });
  });
});

describe("EndpointService: what it exposes", () => {
  test("endpointService is the resource; serviceName and serviceId reference it", () => {
    // GIVEN a service
    const { stack } = scope();
    const service = new EndpointService(stack, "service", props());
    // WHEN its name and ID are used as outputs
    new TerraformOutput(stack, "service_name", { value: service.serviceName });
    new TerraformOutput(stack, "service_id", { value: service.serviceId });
    // THEN they reference the service's attributes
    const { json } = synth(stack);
    expect(service.endpointService).toBeInstanceOf(VpcEndpointService);
    expect(service.endpointService.terraformResourceType).toBe("aws_vpc_endpoint_service");
    expect(service.endpointService.friendlyUniqueId).toBe("service");
    expect(json.output.service_name.value).toBe("${aws_vpc_endpoint_service.service.service_name}");
    expect(json.output.service_id.value).toBe("${aws_vpc_endpoint_service.service.id}");
  });
});

describe("accountRootPrincipal", () => {
  test.each([
    ["aws", "222222222222", "arn:aws:iam::222222222222:root"],
    ["aws-cn", "333333333333", "arn:aws-cn:iam::333333333333:root"],
    ["aws-us-gov", "444444444444", "arn:aws-us-gov:iam::444444444444:root"],
  ])("partition %s, account %s: %s", (partition, accountId, expected) => {
    // GIVEN a partition and an account ID
    // WHEN the account's root principal is asked for
    const arn = accountRootPrincipal(partition, accountId);
    // THEN it is the IAM root ARN in that partition
    expect(arn).toBe(expected);
  });
});
