/** The resolved model: defaults applied once, discriminated choices, stack names, own or outside services. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../../config/load";
import { resolveConfig, subnetsOf } from "../../config/resolve";
import type { AppConfig } from "../../config/schema";
import { configWith, defaultRawConfig, EXAMPLES_DIR } from "../fixtures";

const example = (file: string) => resolveConfig(parseConfig(JSON.parse(readFileSync(join(EXAMPLES_DIR, file), "utf8")), file));

describe("resolving the default config", () => {
  const model = resolveConfig(configWith());

  test("one provider and one consumer, with the project's stack names", () => {
    // GIVEN the default config; WHEN resolved; THEN the stacks are `provider` and `consumer`
    expect(model.provider?.stackName).toBe("provider");
    expect(model.consumers.map((c) => c.stackName)).toEqual(["consumer"]);
  });

  test("created networks carry their subnets, derived once, and the flow-log defaults", () => {
    // GIVEN created VPCs without subnetCidrs; WHEN resolved; THEN /20s in AZ order
    expect(model.provider?.network).toEqual({
      kind: "create",
      vpcCidr: "10.0.0.0/16",
      subnets: [
        { azId: "apne1-az1", cidr: "10.0.0.0/20" },
        { azId: "apne1-az4", cidr: "10.0.16.0/20" },
      ],
      flowLogs: { retentionDays: 365 },
    });
  });

  test("a consumer without clientCidrs gets its VPC's CIDR, and the provider lets exactly those in", () => {
    // GIVEN the default consumer (no clientCidrs); WHEN resolved
    // THEN the consumer and the provider agree on one default, worked out in one place
    expect(model.consumers[0].clientCidrs).toEqual(["10.1.0.0/16"]);
    expect(model.provider?.consumers).toEqual({ accountIds: ["222222222222"], clientCidrs: ["10.1.0.0/16"], regions: ["ap-northeast-1"] });
  });

  test("the listener: port 80 over HTTP by default, 443 when a certificate makes it HTTPS", () => {
    // GIVEN the default and an HTTPS config; WHEN resolved; THEN the ports follow
    expect(model.consumers[0].listener).toEqual({ port: 80 });
    const https = resolveConfig(
      configWith((r) => {
        delete r.service.port;
        r.service.certificateArn = "arn:aws:acm:ap-northeast-1:111111111111:certificate/abc";
      }),
    );
    expect(https.provider?.listener).toEqual({ port: 443, certificateArn: "arn:aws:acm:ap-northeast-1:111111111111:certificate/abc" });
    expect(https.consumers[0].listener).toBe(https.provider?.listener);
  });

  test("the backend is a discriminated choice", () => {
    // GIVEN the default local backend; WHEN resolved; THEN kind local with its folder
    expect(model.backend).toEqual({ kind: "local", directory: "state" });
    expect(model.consumers[0].service).toEqual({ kind: "own" });
  });
});

describe("resolving the examples", () => {
  test("existing networks keep their subnets per role; S3 state keeps every setting", () => {
    // GIVEN the existing-VPC, S3-state example; WHEN resolved
    const model = example("existing-vpcs-s3-state.json");
    // THEN the networks are the existing kind, and the consumer's CIDRs are the configured ones
    expect(model.provider?.network.kind).toBe("existing");
    expect(model.consumers[0].network).toEqual({
      kind: "existing",
      vpcId: "vpc-0f1e2d3c4b5a69788",
      endpointSubnetIds: ["subnet-0f1e2d3c4b5a69781", "subnet-0f1e2d3c4b5a69782"],
    });
    expect(model.provider?.consumers.clientCidrs).toEqual(["10.20.0.0/16", "172.16.8.0/22"]);
    expect(model.backend).toMatchObject({
      kind: "s3",
      bucket: "example-terraform-state",
      useLockfile: true,
      encrypt: true,
      profile: "state-admin",
    });
  });

  test("several consumers: one stack each, Regions listed, principals once per account", () => {
    // GIVEN two consumers in two Regions; WHEN resolved
    const model = example("many-consumers-cross-region-hcp.json");
    // THEN each is named after itself and the provider knows both Regions and accounts
    expect(model.consumers.map((c) => c.stackName)).toEqual(["consumer-tokyo", "consumer-osaka"]);
    expect(model.provider?.consumers.regions).toEqual(["ap-northeast-1", "ap-northeast-3"]);
    expect(model.provider?.consumers.accountIds).toEqual(["222222222222", "333333333333"]);
    expect(model.provider?.service.extraPrincipals).toEqual(["arn:aws:iam::444444444444:role/partner-integration"]);
    expect(model.backend).toMatchObject({ kind: "cloud", organization: "example-org", project: "privatelink" });
  });

  test("a consumer of an outside service is marked so, in its own Region unless told otherwise", () => {
    // GIVEN a consumer with serviceName and no provider; WHEN resolved
    const model = example("consumer-of-outside-service.json");
    // THEN no provider, and the consumer's service is the outside one
    expect(model.provider).toBeUndefined();
    expect(model.consumers[0].service).toEqual({
      kind: "outside",
      serviceName: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0",
      region: "ap-northeast-1",
    });
  });

  test("outside consumers are not the provider's to allow, and accounts and CIDRs are listed once", () => {
    // GIVEN two consumers in one account with the same CIDR, and an outside consumer
    const raw = defaultRawConfig();
    raw.consumers.push({ ...raw.consumers[0], name: "twin" });
    raw.consumers.push({
      ...raw.consumers[0],
      name: "elsewhere",
      accountId: "999999999999",
      serviceName: "com.amazonaws.vpce.ap-northeast-3.vpce-svc-0123456789abcdef0",
      serviceRegion: "ap-northeast-3",
    });
    // WHEN resolved
    const model = resolveConfig(parseConfig(raw, "test"));
    // THEN the provider lists the one account and CIDR once; the outside one keeps its Region
    expect(model.provider?.consumers.accountIds).toEqual(["222222222222"]);
    expect(model.provider?.consumers.clientCidrs).toEqual(["10.1.0.0/16"]);
    expect(model.consumers[2].service).toMatchObject({ kind: "outside", region: "ap-northeast-3" });
  });
});

describe("subnetsOf", () => {
  test("given CIDRs follow the AZ order of azIds, not the key order", () => {
    // GIVEN subnetCidrs listed in another order; WHEN resolved; THEN in azIds order
    expect(
      subnetsOf({
        vpcCidr: "10.0.0.0/16",
        azIds: ["apne1-az1", "apne1-az4"],
        subnetCidrs: { "apne1-az4": "10.0.9.0/24", "apne1-az1": "10.0.8.0/24" },
        flowLogs: { retentionDays: 365 },
      }),
    ).toEqual([
      { azId: "apne1-az1", cidr: "10.0.8.0/24" },
      { azId: "apne1-az4", cidr: "10.0.9.0/24" },
    ]);
  });

  test("refuses an unvalidated CIDR instead of guessing", () => {
    // GIVEN a CIDR the schema would have refused; WHEN derived; THEN an error, not a wrong subnet
    expect(() => subnetsOf({ vpcCidr: "10.0.0/16", azIds: ["a"], flowLogs: { retentionDays: 1 } })).toThrow(
      "unvalidated vpcCidr 10.0.0/16",
    );
  });
});

describe("resolving a config the schema never saw", () => {
  /** The default config, validated, then broken by `edit` (as a caller skipping validation would). */
  const broken = (edit: (config: Record<string, any>) => void) => {
    const config: Record<string, any> = configWith();
    edit(config);
    return () => resolveConfig(config as AppConfig);
  };

  test.each<[string, (config: Record<string, any>) => void, string]>([
    ["a provider network with neither choice", (c) => (c.provider.network = {}), "unvalidated config without provider.network.existing"],
    [
      "a consumer network with neither choice",
      (c) => Object.assign(c.consumers[0], { network: {}, clientCidrs: ["10.1.0.0/16"] }),
      "unvalidated config without network.existing",
    ],
    [
      "an existing consumer network without client CIDRs",
      (c) => (c.consumers[0].network = { existing: { vpcId: "vpc-0f1e2d3c4b5a69788", endpointSubnetIds: ["subnet-0f1e2d3c4b5a69781"] } }),
      "consumer main: unvalidated config without clientCidrs",
    ],
  ])("%s is an error naming what is missing, not a guess", (_name, edit, message) => {
    // GIVEN a config missing what the schema requires; WHEN resolved; THEN an error naming it
    expect(broken(edit)).toThrow(new Error(message));
  });

  test("a backend with no kind chosen is local state in ./state", () => {
    // GIVEN a backend section naming no kind; WHEN resolved; THEN the default local folder
    expect(broken((c) => (c.backend = {}))().backend).toEqual({ kind: "local", directory: "state" });
  });
});

describe("stack names never depend on how many consumers there are", () => {
  const names = (edit: (raw: Record<string, any>) => void) => resolveConfig(configWith(edit)).consumers.map((c) => c.stackName);
  const east = (raw: Record<string, any>) => ({ ...raw.consumers[0], name: "east", accountId: "333333333333" });

  test.each([
    ["the consumer main, alone", () => undefined, ["consumer"]],
    ["main and east", (r: Record<string, any>) => r.consumers.push(east(r)), ["consumer", "consumer-east"]],
    ["east alone", (r: Record<string, any>) => (r.consumers = [east(r)]), ["consumer-east"]],
  ])("%s: %j", (_case, edit, expected) => {
    expect(names(edit)).toEqual(expected);
  });

  test("adding or removing a consumer renames no other stack", () => {
    const one = names(() => undefined);
    const two = names((r) => r.consumers.push(east(r)));
    expect(two.slice(0, 1)).toEqual(one);
    const eastAlone = names((r) => (r.consumers = [east(r)]));
    expect(two.slice(1)).toEqual(eastAlone);
  });

  test.each([
    [
      "a lone consumer deployed as `consumer` keeps it with stackName",
      (r: Record<string, any>) => (r.consumers = [{ ...east(r), stackName: "consumer" }]),
      ["consumer"],
    ],
    [
      "main among several, deployed as `consumer-main`, keeps it with stackName",
      (r: Record<string, any>) => {
        r.consumers.push(east(r));
        r.consumers[0].stackName = "consumer-main";
      },
      ["consumer-main", "consumer-east"],
    ],
  ])("migration: %s", (_case, edit, expected) => {
    expect(names(edit)).toEqual(expected);
  });
});
