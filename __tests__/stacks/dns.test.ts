/**
 * The names clients call, in the output: the provider's private DNS name with its domain
 * verification, consumers that answer for it, a consumer's own private hosted zone, and the
 * URLs, curl commands and probe that use them.
 */
import { configWith, resource, synthAll } from "../helpers";

const CERT = "arn:aws:acm:ap-northeast-1:111111111111:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
const ZONE = "Z0123456789ABCDEFGHIJ";
type Raw = Record<string, any>;

const https = (raw: Raw, hostname: string) => Object.assign(raw.service, { port: 443, certificateArn: CERT, hostname });
const osaka = (extra: Raw = {}) => ({
  name: "osaka",
  accountId: "333333333333",
  region: "ap-northeast-3",
  network: { create: { vpcCidr: "10.2.0.0/16", azIds: ["apne3-az1", "apne3-az2"] } },
  ...extra,
});

describe("a private DNS name over HTTPS, a same-Region and a cross-Region consumer", () => {
  let all: Awaited<ReturnType<typeof synthAll>>;
  beforeAll(async () => {
    all = await synthAll(
      configWith((raw) => {
        https(raw, "*.example.com");
        Object.assign(raw.service, { privateDnsName: "api.example.com", privateDnsZoneId: ZONE });
        raw.consumers.push(osaka({ dnsName: "orders.example.com" }));
      }),
    );
  });
  const stack = (name: string) => all.byName[name].json;

  test("the endpoint service carries the name", () => {
    expect(resource(stack("provider"), "aws_vpc_endpoint_service", "service").private_dns_name).toBe("api.example.com");
    expect(stack("provider").output.private_dns_name.value).toBe("api.example.com");
  });

  test("the domain is verified: the TXT record AWS asks for, in the given public zone (Route 53 completes its name with the zone's domain), then the verification, waiting for it", () => {
    const { "//": _r, ...record } = resource(stack("provider"), "aws_route53_record", "service_dns_verification");
    expect(record).toEqual({
      zone_id: ZONE,
      name: "${aws_vpc_endpoint_service.service.private_dns_name_configuration[0].name}",
      type: "TXT",
      ttl: 300,
      records: ["${aws_vpc_endpoint_service.service.private_dns_name_configuration[0].value}"],
    });
    const { "//": _v, ...verification } = resource(
      stack("provider"),
      "aws_vpc_endpoint_service_private_dns_verification",
      "service_dns_verification",
    );
    expect(verification).toEqual({
      service_id: "${aws_vpc_endpoint_service.service.id}",
      wait_for_verification: true,
      depends_on: ["aws_route53_record.service_dns_verification"],
    });
  });

  test("the same-Region consumer's endpoint answers for the name; its URL, curl and probe use it, no --connect-to", () => {
    const consumer = stack("consumer");
    expect(resource(consumer, "aws_vpc_endpoint", "endpoint").private_dns_enabled).toBe(true);
    expect(consumer.output.service_url.value).toBe("https://api.example.com/");
    expect(consumer.output.curl_command.value).toBe("curl https://api.example.com/");
    expect(resource(consumer, "aws_lambda_function", "probe").environment.variables).toEqual({
      SERVICE_URL: "https://api.example.com/",
      PROBE_TIMEOUT_SECONDS: "10",
    });
    expect(consumer.resource.aws_route53_zone).toBeUndefined();
    // A created VPC has DNS on: nothing to check at plan.
    expect(consumer.data?.aws_vpc).toBeUndefined();
  });

  test("the cross-Region consumer: no private DNS, its own name in a private zone of its VPC, aliased to the endpoint", () => {
    const consumer = stack("consumer-osaka");
    expect(resource(consumer, "aws_vpc_endpoint", "endpoint").private_dns_enabled).toBe(false);
    const { "//": _z, ...zone } = resource(consumer, "aws_route53_zone", "dns");
    expect(zone).toEqual({
      name: "orders.example.com",
      comment: expect.any(String),
      vpc: [{ vpc_id: "${aws_vpc.network.id}" }],
    });
    const { "//": _a, ...alias } = resource(consumer, "aws_route53_record", "dns");
    expect(alias).toEqual({
      zone_id: "${aws_route53_zone.dns.zone_id}",
      name: "orders.example.com",
      type: "A",
      alias: {
        name: "${aws_vpc_endpoint.endpoint.dns_entry[0].dns_name}",
        zone_id: "${aws_vpc_endpoint.endpoint.dns_entry[0].hosted_zone_id}",
        evaluate_target_health: false,
      },
    });
    expect(consumer.output.service_url.value).toBe("https://orders.example.com/");
    expect(consumer.output.curl_command.value).toBe("curl https://orders.example.com/");
  });
});

describe("HTTPS with the certificate's exact name and no DNS name for it", () => {
  test("curl and the probe connect to the endpoint and verify the certificate's name", async () => {
    const all = await synthAll(configWith((raw) => https(raw, "hello.example.com")));
    const consumer = all.byName.consumer.json;
    const endpoint = "${aws_vpc_endpoint.endpoint.dns_entry[0].dns_name}";
    expect(consumer.output.service_url.value).toBe("https://hello.example.com/");
    expect(consumer.output.curl_command.value).toBe(`curl --connect-to hello.example.com:443:${endpoint}:443 https://hello.example.com/`);
    expect(resource(consumer, "aws_lambda_function", "probe").environment.variables).toEqual({
      SERVICE_URL: "https://hello.example.com/",
      PROBE_TIMEOUT_SECONDS: "10",
      CONNECT_TO: endpoint,
    });
  });
});

describe("an existing consumer VPC with the service's private DNS name", () => {
  test("the plan checks the VPC's DNS attributes before the endpoint is created", async () => {
    const all = await synthAll(
      configWith((raw) => {
        https(raw, "api.example.com");
        Object.assign(raw.service, { privateDnsName: "api.example.com", privateDnsZoneId: ZONE });
        raw.consumers[0].network = { existing: { vpcId: "vpc-0123456789abcdef0", endpointSubnetIds: ["subnet-0123456789abcdef0"] } };
        raw.consumers[0].clientCidrs = ["10.1.0.0/16"];
      }),
    );
    const consumer = all.byName.consumer.json;
    expect(consumer.data.aws_vpc.vpc.id).toBe("vpc-0123456789abcdef0");
    const endpoint = resource(consumer, "aws_vpc_endpoint", "endpoint");
    expect(endpoint.private_dns_enabled).toBe(true);
    expect(endpoint.lifecycle.precondition).toContainEqual({
      condition: "${(data.aws_vpc.vpc.enable_dns_support && data.aws_vpc.vpc.enable_dns_hostnames)}",
      error_message: expect.stringContaining("enableDnsSupport and enableDnsHostnames"),
    });
    // A probe in one existing subnet is fine: it is a check, not the service.
    expect(JSON.stringify(resource(consumer, "aws_lambda_function", "probe").lifecycle)).not.toContain("precondition");
  });
});

describe("the probe", () => {
  test("is a function in the client security group, invoked by hand, with its name as an output", async () => {
    const all = await synthAll();
    const consumer = all.byName.consumer.json;
    const probe = resource(consumer, "aws_lambda_function", "probe");
    expect(probe).toMatchObject({
      function_name: "hello-privatelink-consumer-probe",
      handler: "probe.handler",
      runtime: "python3.13",
      vpc_config: { security_group_ids: ["${aws_security_group.endpoint_clients.id}"] },
    });
    expect(consumer.output.probe_function_name.value).toBe("${aws_lambda_function.probe.function_name}");
    // It has no security group of its own: the client group is its whole network access.
    expect(Object.keys(consumer.resource.aws_security_group).sort()).toEqual(["endpoint", "endpoint_clients"]);
  });

  test("switched off: no function, no output; the client group stays", async () => {
    const all = await synthAll(configWith((raw) => (raw.consumers[0].probe = false)));
    const consumer = all.byName.consumer.json;
    expect(consumer.resource.aws_lambda_function).toBeUndefined();
    expect(consumer.output.probe_function_name).toBeUndefined();
    expect(consumer.output.client_security_group_id.value).toBe("${aws_security_group.endpoint_clients.id}");
  });

  test("a second consumer's probe is named after it", async () => {
    const all = await synthAll(configWith((raw) => raw.consumers.push(osaka())));
    expect(resource(all.byName["consumer-osaka"].json, "aws_lambda_function", "probe").function_name).toBe(
      "hello-privatelink-consumer-osaka-probe",
    );
  });
});
