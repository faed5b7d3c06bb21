/** Warnings at synth: valid configs that are probably not what the user meant. */
import { configWarnings } from "../../config/warnings";
import { configWith } from "../fixtures";

type Raw = Record<string, any>;

/** The seed's function, and a second one (`api`) answering `routes`. */
const withRoutes = (r: Raw, routes: Raw[]) => {
  const seed = { source: "hello", runtime: "python3.13", handler: "lambda_function.lambda_handler" };
  r.functions = [
    { name: "main", ...seed },
    { name: "api", ...seed, routes },
  ];
};
const overlap = (field: string, cidr: string) =>
  `${field} = "${cidr}" overlaps the provider VPC (provider.network.create.vpcCidr = "10.0.0.0/16"): the NLB's client rule lets hosts in that overlap, inside the provider VPC, reach the service too. Narrow the client CIDR if that is not meant.`;

test.each<[string, (r: Raw) => void, string[]]>([
  ["the default config", () => undefined, []],
  [
    "a consumer client CIDR inside the provider VPC",
    // (probe off: its own warning is tested with the probe's config)
    (r) => Object.assign(r.consumers[0], { clientCidrs: ["10.0.5.0/24"], probe: false }),
    [overlap("consumers[0].clientCidrs[0]", "10.0.5.0/24")],
  ],
  [
    "a consumer client CIDR around it",
    (r) => (r.consumers[0].clientCidrs = ["10.1.0.0/16", "10.0.0.0/8"]),
    [overlap("consumers[0].clientCidrs[1]", "10.0.0.0/8")],
  ],
  [
    "a principal's client CIDR inside it",
    (r) => (r.service.allowedPrincipals = [{ principal: "arn:aws:iam::444444444444:root", clientCidrs: ["10.44.0.0/16", "10.0.9.0/24"] }]),
    [overlap("service.allowedPrincipals[0].clientCidrs[1]", "10.0.9.0/24")],
  ],
  [
    "with inbound rules off the NLB has no client rules: nothing to warn about",
    (r) => {
      r.consumers[0].clientCidrs = ["10.0.5.0/24"];
      r.service.privateLinkInboundRules = "off";
    },
    [],
  ],
  ["a neighbouring block that does not overlap", (r) => (r.consumers[0].clientCidrs = ["10.1.0.0/16"]), []],
  [
    "no client CIDRs: the consumer's whole VPC is its client CIDR, and it is the provider's",
    (r) => Object.assign(r.consumers[0], { network: { create: { vpcCidr: "10.0.0.0/16", azIds: ["apne1-az1", "apne1-az4"] } } }),
    [overlap("consumers[0].network.create.vpcCidr (its client CIDR)", "10.0.0.0/16")],
  ],
  [
    "a cross-Region consumer without a probe: nothing watches its endpoint",
    (r) =>
      Object.assign(r.consumers[0], {
        region: "ap-northeast-3",
        network: { create: { vpcCidr: "10.1.0.0/16", azIds: ["apne3-az1", "apne3-az2"] } },
        probe: false,
      }),
    [
      "consumers[0] reaches its service in ap-northeast-1 from ap-northeast-3: PrivateLink publishes no endpoint metrics for cross-Region access (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html), so its stack has no endpoint alarms, and with probe false nothing checks it. Set probe to true and run npm run smoke -- --from consumer after a deploy (or from your own schedule)",
    ],
  ],
  [
    "an AZ ID of the Region's form that AWS does not publish (a typo)",
    (r) => {
      r.provider.network.create.azIds = ["apne1-az1", "apne1-az9"];
      r.consumers[0].network.create.azIds = ["apne1-az1", "apne1-az9"];
    },
    [
      'provider.network.create.azIds[1] = "apne1-az9" is not an AZ ID AWS publishes for ap-northeast-1 (apne1-az1, apne1-az2, apne1-az3, apne1-az4): CreateSubnet refuses an AZ that does not exist. If AWS has opened it since, ignore this',
      'consumers[0].network.create.azIds[1] = "apne1-az9" is not an AZ ID AWS publishes for ap-northeast-1 (apne1-az1, apne1-az2, apne1-az3, apne1-az4): CreateSubnet refuses an AZ that does not exist. If AWS has opened it since, ignore this',
    ],
  ],
  [
    "a Region code of the right form that does not exist (a typo)",
    (r) => {
      r.provider.region = "eu-west-4";
      r.provider.network.create.azIds = ["euw4-az1", "euw4-az2"];
      r.consumers[0].region = "eu-west-4";
      r.consumers[0].network.create.azIds = ["euw4-az1", "euw4-az2"];
    },
    ["provider.region", "consumers[0].region"].map(
      (field) =>
        `${field} = "eu-west-4" is not an AWS Region this app knows: the AWS provider refuses a Region it does not know when it plans ("Invalid AWS Region"). Check the code (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html); if AWS has opened it since, ignore this`,
    ),
  ],
  [
    "two routes whose derived priorities collide: the one that took the next place can move later",
    (r) => withRoutes(r, [{ paths: ["/p57/*"] }, { paths: ["/p40/*"] }]),
    [
      "functions[1].routes[0] derives priority 44586, which another route holds, so it gets 44587; adding or removing that route later moves it, and its listener rule is rewritten in place. Give it a priority of its own (priority: 44587) to keep it",
    ],
  ],
  [
    "the same routes with the moved one's priority pinned: nothing can move",
    (r) => withRoutes(r, [{ paths: ["/p57/*"], priority: 44587 }, { paths: ["/p40/*"] }]),
    [],
  ],
  [
    "a cross-Region consumer with its probe: the probe is how to check it, nothing to warn about",
    (r) =>
      Object.assign(r.consumers[0], {
        region: "ap-northeast-3",
        network: { create: { vpcCidr: "10.1.0.0/16", azIds: ["apne3-az1", "apne3-az2"] } },
        probe: true,
      }),
    [],
  ],
])("%s", (_name, edit, expected) => {
  expect(configWarnings(configWith(edit))).toEqual(expected);
});

test("an existing provider VPC's CIDR is unknown at synth: no warning", () => {
  const config = configWith((r) => {
    r.provider.network = {
      existing: {
        vpcId: "vpc-0123456789abcdef0",
        lambdaSubnetIds: ["subnet-0123456789abcdef1", "subnet-0123456789abcdef2"],
        albSubnetIds: ["subnet-0123456789abcdef1", "subnet-0123456789abcdef2"],
        nlbSubnetIds: ["subnet-0123456789abcdef1"],
      },
    };
    r.consumers[0].clientCidrs = ["10.0.5.0/24"];
    r.consumers[0].probe = false;
  });
  expect(configWarnings(config)).toEqual([]);
});

describe("VPCs per Region: exactly AWS's default quota in one account and Region", () => {
  /** The default config with `n` consumers creating VPCs in the consumer account (222222222222). */
  const consumers = (n: number) => (r: Raw) =>
    (r.consumers = Array.from({ length: n }, (_, i) => ({
      ...structuredClone(r.consumers[0]),
      name: `c${i}`,
      network: { create: { vpcCidr: `10.${i + 1}.0.0/16`, azIds: ["apne1-az1", "apne1-az4"] } },
    })));
  const AT_DEFAULT =
    "the config creates 5 VPCs in account 222222222222, Region ap-northeast-1: AWS's default quota is 5 VPCs per Region, and a default VPC or any other VPC there counts too (VpcLimitExceeded at apply). If the account's quota is raised, set aws.quotas.vpcsPerRegion to it to silence this";

  test.each<[string, (r: Raw) => void, string[]]>([
    ["four: room for the default VPC", consumers(4), []],
    ["five", consumers(5), [AT_DEFAULT]],
    [
      "five, with the account's quota given",
      (r) => {
        consumers(5)(r);
        r.aws = { quotas: { vpcsPerRegion: 5 } };
      },
      [],
    ],
    [
      "five over two Regions: counted per Region",
      (r) => {
        consumers(5)(r);
        Object.assign(r.consumers[4], {
          region: "ap-northeast-3",
          network: { create: { vpcCidr: "10.5.0.0/16", azIds: ["apne3-az1", "apne3-az2"] } },
        });
      },
      [],
    ],
  ])("%s", (_name, edit, expected) => {
    expect(configWarnings(configWith(edit))).toEqual(expected);
  });
});
