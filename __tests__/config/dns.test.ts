/**
 * Names clients call the service by: the service's private DNS name, a consumer's own name,
 * the certificate that must cover them, and the probe. Every bad input is one message naming
 * the field.
 */
import { resolveConfig } from "../../config/resolve";
import { configWarnings } from "../../config/warnings";
import { configWith, refusalOf } from "../fixtures";

const CERT = "arn:aws:acm:ap-northeast-1:111111111111:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
const ZONE = "Z0123456789ABCDEFGHIJ";
type Raw = Record<string, any>;

/** The default config with HTTPS (certificate name `hostname`) and the private DNS name `name`. */
const privateDns =
  (name = "api.example.com", hostname = "*.example.com") =>
  (raw: Raw) => {
    raw.service = { ...raw.service, port: 443, certificateArn: CERT, hostname, privateDnsName: name, privateDnsZoneId: ZONE };
  };

/** A second consumer, in `region`, with `extra` settings. */
const second = (region: string, extra: Raw = {}) => ({
  name: "second",
  accountId: "333333333333",
  region,
  network: {
    create: { vpcCidr: "10.2.0.0/16", azIds: region === "ap-northeast-1" ? ["apne1-az1", "apne1-az4"] : ["apne3-az1", "apne3-az2"] },
  },
  ...extra,
});

describe("config: the service's private DNS name", () => {
  test("same-Region consumers of this app's service use it; cross-Region ones and outside services do not", () => {
    const model = resolveConfig(
      configWith((raw) => {
        privateDns()(raw);
        raw.consumers.push(second("ap-northeast-3", { dnsName: "api.example.com" }));
      }),
    );
    expect(model.provider?.service.privateDns).toEqual({ name: "api.example.com", zoneId: ZONE });
    expect(model.consumers.map((c) => [c.name, c.privateDnsName, c.dnsName])).toEqual([
      ["main", "api.example.com", undefined],
      ["second", undefined, "api.example.com"],
    ]);
  });

  test("without it, no consumer uses private DNS and the provider verifies nothing", () => {
    const model = resolveConfig(configWith());
    expect(model.provider?.service.privateDns).toBeUndefined();
    expect(model.consumers[0].privateDnsName).toBeUndefined();
  });

  test.each<[string, (raw: Raw) => void, string]>([
    [
      "not a host name",
      (raw) => (raw.service.privateDnsName = "api_v1.example.com"),
      'service.privateDnsName = "api_v1.example.com": has the label "api_v1"',
    ],
    [
      "a URL",
      (raw) => (raw.service.privateDnsName = "https://api.example.com/"),
      'service.privateDnsName = "https://api.example.com/": must be a DNS name such as "api.example.com", not a URL',
    ],
    ["with a trailing dot", (raw) => (raw.service.privateDnsName = "api.example.com."), "without the trailing dot"],
    ["in capitals", (raw) => (raw.service.privateDnsName = "Api.Example.com"), "in lowercase"],
    [
      "a wildcard",
      (raw) => (raw.service.privateDnsName = "*.example.com"),
      'service.privateDnsName = "*.example.com": must be one DNS name',
    ],
    [
      "without a zone to verify it in",
      (raw) => (raw.service.privateDnsName = "api.example.com"),
      'service.privateDnsName = "api.example.com": needs service.privateDnsZoneId',
    ],
    [
      "a zone ID of the wrong form",
      (raw) => Object.assign(raw.service, { privateDnsName: "api.example.com", privateDnsZoneId: "/hostedzone/Z0123456789ABCDEFGHIJ" }),
      'service.privateDnsZoneId = "/hostedzone/Z0123456789ABCDEFGHIJ": must be the hosted zone ID alone',
    ],
    [
      "a zone ID in lowercase",
      (raw) => Object.assign(raw.service, { privateDnsName: "api.example.com", privateDnsZoneId: "z0123456789abcdefghij" }),
      'service.privateDnsZoneId = "z0123456789abcdefghij": must be a Route 53 hosted zone ID',
    ],
    [
      "a zone without a name",
      (raw) => (raw.service.privateDnsZoneId = ZONE),
      'service.privateDnsZoneId = "Z0123456789ABCDEFGHIJ": only applies with service.privateDnsName',
    ],
    [
      "a name the certificate does not cover (one label too deep)",
      privateDns("a.api.example.com"),
      'service.privateDnsName = "a.api.example.com": is not covered by the certificate\'s name, service.hostname = "*.example.com"',
    ],
    ["a name the certificate does not cover (the apex)", privateDns("example.com"), "is not covered by the certificate's name"],
    [
      "a name the certificate does not cover (another name)",
      privateDns("api.example.com", "web.example.com"),
      "is not covered by the certificate's name",
    ],
    [
      "HTTPS without the certificate's name",
      (raw) => {
        privateDns()(raw);
        delete raw.service.hostname;
      },
      'service.privateDnsName = "api.example.com": is a name clients verify the certificate against: set service.hostname',
    ],
    [
      "no provider to publish it",
      (raw) => {
        delete raw.provider;
        raw.consumers[0].serviceName = "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0";
        raw.service.privateDnsName = "api.example.com";
        raw.service.privateDnsZoneId = ZONE;
      },
      'service.privateDnsName = "api.example.com": only applies with a "provider"',
    ],
  ])("refused: %s", (_what, edit, message) => {
    expect(refusalOf(edit)).toContain(message);
  });

  test("a wildcard is one problem, said once", () => {
    const refusal = refusalOf((raw) => Object.assign(raw.service, { privateDnsName: "*.example.com", privateDnsZoneId: ZONE }));
    expect(refusal.split("\n").filter((line) => line.includes("service.privateDnsName"))).toEqual([
      '  - service.privateDnsName = "*.example.com": must be one DNS name such as "api.example.com", not a wildcard',
    ]);
  });

  test("a wildcard certificate name is enough when any one consumer has a name it covers", () => {
    expect(() =>
      configWith((raw) => {
        Object.assign(raw.service, { port: 443, certificateArn: CERT, hostname: "*.example.com" });
        raw.consumers.push(second("ap-northeast-1", { dnsName: "api.example.com" }));
      }),
    ).not.toThrow();
  });

  test("a malformed certificate name is its own one problem, not also a name it fails to cover", () => {
    const refusal = refusalOf((raw) => privateDns("api.example.com", "*.*.example.com")(raw));
    expect(refusal).toContain('service.hostname = "*.*.example.com"');
    expect(refusal).not.toContain("service.privateDnsName");
  });

  test("HTTPS without the certificate's name suggests the name itself and the wildcard of its parent", () => {
    const refusal = refusalOf((raw) => {
      privateDns()(raw);
      delete raw.service.hostname;
    });
    expect(refusal).toContain('(such as "api.example.com" or "*.example.com")');
  });

  test("a certificate of that exact name covers it", () => {
    expect(() => configWith(privateDns("api.example.com", "api.example.com"))).not.toThrow();
  });

  test("a wildcard certificate name needs a name clients can call", () => {
    expect(refusalOf((raw) => Object.assign(raw.service, { port: 443, certificateArn: CERT, hostname: "*.example.com" }))).toContain(
      'service.hostname = "*.example.com": is a wildcard, so it names no host clients can call',
    );
    expect(refusalOf((raw) => Object.assign(raw.service, { certificateArn: CERT, hostname: "*.*.example.com" }))).toContain(
      'only have "*" as its whole first label',
    );
  });
});

describe("config: a consumer's own DNS name", () => {
  test("is kept for a consumer with a created VPC", () => {
    const model = resolveConfig(configWith((raw) => (raw.consumers[0].dnsName = "hello.internal.example")));
    expect(model.consumers[0].dnsName).toBe("hello.internal.example");
  });

  test.each<[string, (raw: Raw) => void, string]>([
    ["not a host name", (raw) => (raw.consumers[0].dnsName = "hello internal"), 'consumers[0].dnsName = "hello internal"'],
    ["a wildcard", (raw) => (raw.consumers[0].dnsName = "*.internal.example"), "not a wildcard"],
    [
      "for a consumer with an existing VPC",
      (raw) => {
        raw.consumers[0].network = { existing: { vpcId: "vpc-0123456789abcdef0", endpointSubnetIds: ["subnet-0123456789abcdef0"] } };
        raw.consumers[0].clientCidrs = ["10.1.0.0/16"];
        raw.consumers[0].dnsName = "hello.internal.example";
      },
      'consumers[0].dnsName = "hello.internal.example": needs a VPC this app creates (network.create)',
    ],
    [
      "the service's private DNS name, which the endpoint already answers for",
      (raw) => {
        privateDns()(raw);
        raw.consumers[0].dnsName = "api.example.com";
      },
      'consumers[0].dnsName = "api.example.com": is service.privateDnsName',
    ],
    [
      "a name the certificate does not cover",
      (raw) => {
        Object.assign(raw.service, { port: 443, certificateArn: CERT, hostname: "*.example.com" });
        raw.consumers[0].dnsName = "hello.internal.example";
      },
      'consumers[0].dnsName = "hello.internal.example": is not covered by the certificate\'s name',
    ],
  ])("refused: %s", (_what, edit, message) => {
    expect(refusalOf(edit)).toContain(message);
  });

  test("a malformed name is one message, not also a certificate mismatch", () => {
    const message = refusalOf((raw) => {
      Object.assign(raw.service, { port: 443, certificateArn: CERT, hostname: "*.example.com" });
      raw.consumers[0].dnsName = "Hello.example.com.";
    });
    expect(message.split("\n").filter((l) => l.includes("consumers[0].dnsName"))).toEqual([
      '  - consumers[0].dnsName = "Hello.example.com.": must be a DNS name such as "api.example.com", without the trailing dot',
    ]);
  });

  test("a cross-Region consumer may use the service's private DNS name as its own name", () => {
    expect(() =>
      configWith((raw) => {
        privateDns()(raw);
        raw.consumers.push(second("ap-northeast-3", { dnsName: "api.example.com" }));
      }),
    ).not.toThrow();
  });
});

describe("config: the probe", () => {
  test("is on by default", () => {
    expect(resolveConfig(configWith()).consumers[0].probe).toBe(true);
  });

  test("can be switched off", () => {
    expect(resolveConfig(configWith((raw) => (raw.consumers[0].probe = false))).consumers[0].probe).toBe(false);
  });

  test("is off, with a warning, when the NLB would drop it: endpoint subnets outside clientCidrs", () => {
    const config = configWith((raw) => (raw.consumers[0].clientCidrs = ["10.1.0.0/24"]));
    expect(resolveConfig(config).consumers[0].probe).toBe(false);
    expect(configWarnings(config)).toContainEqual(
      expect.stringContaining("consumers[0] gets no probe: its endpoint subnets (10.1.0.0/20, 10.1.16.0/20)"),
    );
  });

  test("asked for while the NLB would drop it: refused", () => {
    expect(
      refusalOf((raw) => {
        raw.consumers[0].clientCidrs = ["10.1.0.0/24"];
        raw.consumers[0].probe = true;
      }),
    ).toContain("consumers[0].probe = true: runs in the endpoint subnets (10.1.0.0/20, 10.1.16.0/20), which clientCidrs does not cover");
  });

  test("stays on when clientCidrs cover the endpoint subnets, or the NLB does not filter", () => {
    expect(resolveConfig(configWith((raw) => (raw.consumers[0].clientCidrs = ["10.1.0.0/19"]))).consumers[0].probe).toBe(true);
    const off = configWith((raw) => {
      raw.consumers[0].clientCidrs = ["10.1.0.0/24"];
      raw.service.privateLinkInboundRules = "off";
    });
    expect(resolveConfig(off).consumers[0].probe).toBe(true);
    expect(configWarnings(off).join("\n")).not.toContain("probe");
  });

  test("a value that is not a boolean is refused", () => {
    expect(refusalOf((raw) => (raw.consumers[0].probe = "yes"))).toContain('consumers[0].probe = "yes"');
  });
});
