/**
 * The limits of each field, section and cross-section rule, at their edges: the last value
 * accepted, the first refused, and the exact line that names the field, the value and the rule.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../../config/load";
import { resolveConfig } from "../../config/resolve";
import { defaultRawConfig, EXAMPLES_DIR } from "../fixtures";
import { problems } from "../support/config-problems";

type Raw = Record<string, any>;

const CIDR = 'must be an IPv4 CIDR block from /16 to /28 with no host bits set, e.g. "10.0.0.0/16"';
const CLIENT_CIDR = 'must be an IPv4 CIDR block from /8 to /32 with no host bits set, e.g. "10.1.0.0/16" (0.0.0.0/0 is never allowed)';
const SMALL_SUBNET = "is smaller than /27, the minimum for an ALB subnet";
const CERT = "arn:aws:acm:ap-northeast-1:111111111111:certificate/abc";
const ENDPOINT = "vpce-0123456789abcdef0";
const azIds = (count: number) => Array.from({ length: count }, (_, i) => `apne1-az${i + 1}`);

describe("CIDR blocks: the prefixes each field allows", () => {
  test.each<[string, string, string[]]>([
    ["/16, the largest block", "10.0.0.0/16", []],
    ["/15, one bit larger", "10.0.0.0/15", [`provider.network.create.vpcCidr = "10.0.0.0/15": ${CIDR}`]],
    ["/23, the smallest VPC its /27 subnets can be derived from", "10.0.0.0/23", []],
    [
      "/24, too small to derive /27s from",
      "10.0.0.0/24",
      [
        'provider.network.create.vpcCidr = "10.0.0.0/24": is too small to derive subnets from (each would be /28; an ALB needs /27 or larger): use /23 or larger, or give subnetCidrs',
      ],
    ],
  ])("a VPC CIDR of %s", (_name, vpcCidr, expected) => {
    // GIVEN the provider's VPC CIDR at the edge, subnets derived; WHEN validated; THEN exactly these problems
    expect(problems((r) => (r.provider.network.create.vpcCidr = vpcCidr))).toEqual(expected);
  });

  test("a /23 VPC's derived subnets are its sixteen /27s, in AZ order", () => {
    // GIVEN a /23 VPC with two AZ IDs; WHEN resolved; THEN the first two /27s
    const raw = defaultRawConfig();
    raw.provider.network.create.vpcCidr = "10.0.0.0/23";
    const network = resolveConfig(parseConfig(raw, "test")).provider?.network;
    expect(network).toMatchObject({
      subnets: [
        { azId: "apne1-az1", cidr: "10.0.0.0/27" },
        { azId: "apne1-az4", cidr: "10.0.0.32/27" },
      ],
    });
  });

  test("a VPC too small to derive subnets from is fine when the subnets are given", () => {
    // GIVEN a /24 VPC with a /27 per AZ ID; WHEN validated; THEN accepted
    expect(
      problems((r) => {
        r.provider.network.create.vpcCidr = "10.0.0.0/24";
        r.provider.network.create.subnetCidrs = { "apne1-az1": "10.0.0.0/27", "apne1-az4": "10.0.0.32/27" };
      }),
    ).toEqual([]);
  });

  test.each<[string, string, string[]]>([
    ["/24", "10.0.0.0/24", []],
    ["/27, the smallest an ALB accepts", "10.0.0.0/27", []],
    [
      "/28, a CIDR but too small for an ALB",
      "10.0.0.0/28",
      [`provider.network.create.subnetCidrs["apne1-az1"] = "10.0.0.0/28": ${SMALL_SUBNET}`],
    ],
    [
      "/29, not a CIDR the field allows (named once: the network's rules wait for valid values)",
      "10.0.0.0/29",
      [`provider.network.create.subnetCidrs["apne1-az1"] = "10.0.0.0/29": ${CIDR}`],
    ],
  ])("a subnet CIDR of %s", (_name, cidr, expected) => {
    // GIVEN one given subnet at the edge, the other a /24; WHEN validated; THEN exactly these problems
    expect(problems((r) => (r.provider.network.create.subnetCidrs = { "apne1-az1": cidr, "apne1-az4": "10.0.128.0/24" }))).toEqual(
      expected,
    );
  });

  test.each<[string, string, string[]]>([
    ["/8, the widest", "10.0.0.0/8", []],
    ["/7, one bit wider", "10.0.0.0/7", [`consumers[0].clientCidrs[0] = "10.0.0.0/7": ${CLIENT_CIDR}`]],
    ["/32, one address", "10.1.2.3/32", []],
  ])("a client CIDR of %s", (_name, cidr, expected) => {
    // GIVEN a consumer's client CIDR at the edge; WHEN validated; THEN exactly these problems
    expect(problems((r) => (r.consumers[0].clientCidrs = [cidr]))).toEqual(expected);
  });
});

describe("created networks: AZ IDs and given subnets", () => {
  test("16 AZ IDs, as many as subnets can be derived for, are accepted; the last gets the last /20", () => {
    // GIVEN 16 AZ IDs for the provider and no subnetCidrs; WHEN validated and resolved
    const raw = defaultRawConfig();
    raw.provider.network.create.azIds = azIds(16);
    const network: Record<string, any> | undefined = resolveConfig(parseConfig(raw, "test")).provider?.network;
    // THEN one /20 per AZ ID, the last one at the end of the /16
    expect(network?.subnets).toHaveLength(16);
    expect(network?.subnets[15]).toEqual({ azId: "apne1-az16", cidr: "10.0.240.0/20" });
  });

  test("17 AZ IDs are fine when the subnets are given", () => {
    // GIVEN 17 AZ IDs, each with a /24; WHEN validated; THEN accepted (only derivation is limited to 16)
    expect(
      problems((r) => {
        r.provider.network.create.azIds = azIds(17);
        r.provider.network.create.subnetCidrs = Object.fromEntries(azIds(17).map((id, i) => [id, `10.0.${i}.0/24`]));
      }),
    ).toEqual([]);
  });

  test.each<[string, (raw: Raw) => void, string[]]>([
    [
      "an AZ ID listed twice",
      (r) => (r.provider.network.create.azIds = ["apne1-az1", "apne1-az4", "apne1-az1"]),
      ['provider.network.create.azIds[2] = "apne1-az1": is listed twice; each AZ ID may appear once'],
    ],
    [
      "a subnet for an AZ ID not listed",
      (r) =>
        (r.provider.network.create.subnetCidrs = { "apne1-az1": "10.0.0.0/24", "apne1-az4": "10.0.1.0/24", "apne1-az2": "10.0.2.0/24" }),
      ['provider.network.create.subnetCidrs["apne1-az2"] = "10.0.2.0/24": names an AZ ID that is not in azIds (apne1-az1, apne1-az4)'],
    ],
    [
      "no subnet for an AZ ID listed",
      (r) => (r.provider.network.create.subnetCidrs = { "apne1-az1": "10.0.0.0/24" }),
      [
        'provider.network.create.subnetCidrs = {"apne1-az1":"10.0.0.0/24"}: has no entry for AZ ID "apne1-az4": give one CIDR per AZ ID, or leave subnetCidrs out to derive them',
      ],
    ],
    [
      "no subnet for any AZ ID",
      (r) => (r.consumers[0].network.create.subnetCidrs = {}),
      [
        'consumers[0].network.create.subnetCidrs = {}: has no entry for AZ IDs "apne1-az1", "apne1-az4": give one CIDR per AZ ID, or leave subnetCidrs out to derive them',
      ],
    ],
  ])("%s", (_name, edit, expected) => {
    // GIVEN the default config with this network; WHEN validated; THEN exactly these problems
    expect(problems(edit)).toEqual(expected);
  });
});

describe("lists whose entries must differ", () => {
  test.each<[string, (raw: Raw) => void, string[]]>([
    [
      "a client CIDR",
      (r) => (r.consumers[0].clientCidrs = ["10.1.0.0/16", "10.2.0.0/16", "10.1.0.0/16"]),
      ['consumers[0].clientCidrs[2] = "10.1.0.0/16": is listed twice; each CIDR may appear once'],
    ],
    [
      "an existing subnet ID",
      (r) =>
        (r.consumers[0] = {
          ...r.consumers[0],
          network: {
            existing: { vpcId: "vpc-0f1e2d3c4b5a69788", endpointSubnetIds: ["subnet-0f1e2d3c4b5a69781", "subnet-0f1e2d3c4b5a69781"] },
          },
          clientCidrs: ["10.1.0.0/16"],
        }),
      ['consumers[0].network.existing.endpointSubnetIds[1] = "subnet-0f1e2d3c4b5a69781": is listed twice; each subnet ID may appear once'],
    ],
    [
      "an endpoint ID to accept",
      (r) => {
        r.service.acceptanceRequired = true;
        r.service.acceptEndpointIds = [ENDPOINT, ENDPOINT];
      },
      [`service.acceptEndpointIds[1] = "${ENDPOINT}": is listed twice; each endpoint ID may appear once`],
    ],
    [
      "a principal",
      (r) => {
        const entry = { principal: "arn:aws:iam::444444444444:root", clientCidrs: ["10.44.0.0/16"] };
        r.service.allowedPrincipals = [entry, entry];
      },
      ['service.allowedPrincipals[1].principal = "arn:aws:iam::444444444444:root": is listed twice; each principal may appear once'],
    ],
  ])("%s listed twice is named, with the kind of entry", (_name, edit, expected) => {
    // GIVEN a list with one entry twice; WHEN validated; THEN the second one is named
    expect(problems(edit)).toEqual(expected);
  });

  test.each<[string, { cidr: string; port: number }[]]>([
    [
      "the same destination on two ports",
      [
        { cidr: "10.9.0.0/16", port: 443 },
        { cidr: "10.9.0.0/16", port: 8443 },
      ],
    ],
    [
      "two destinations on the same port",
      [
        { cidr: "10.9.0.0/16", port: 443 },
        { cidr: "10.8.0.0/16", port: 443 },
      ],
    ],
  ])("Lambda egress: %s is not a repeat", (_name, rules) => {
    // GIVEN two egress rules that differ in destination or port; WHEN validated; THEN accepted
    expect(problems((r) => (r.lambda.egress = rules.map((rule, i) => ({ ...rule, description: `rule ${i}` }))))).toEqual([]);
  });
});

describe("settings that only apply together with another", () => {
  test.each<[string, (raw: Raw) => void, string[]]>([
    [
      "endpoint IDs to accept with auto-accept",
      (r) => (r.service.acceptEndpointIds = [ENDPOINT]),
      [
        `service.acceptEndpointIds = ["${ENDPOINT}"]: only applies with service.acceptanceRequired: true (with auto-accept there is nothing to accept)`,
      ],
    ],
    [
      "endpoint IDs to accept with acceptance required",
      (r) => {
        r.service.acceptanceRequired = true;
        r.service.acceptEndpointIds = [ENDPOINT];
      },
      [],
    ],
    [
      "a hostname without a certificate",
      (r) => (r.service.hostname = "hello.example.com"),
      ['service.hostname = "hello.example.com": only applies with service.certificateArn (the name clients verify in the certificate)'],
    ],
    [
      "a hostname with a certificate",
      (r) => {
        r.service.hostname = "hello.example.com";
        r.service.certificateArn = CERT;
      },
      [],
    ],
  ])("%s", (_name, edit, expected) => {
    // GIVEN the service section with these settings; WHEN validated; THEN exactly these problems
    expect(problems(edit)).toEqual(expected);
  });
});

describe("tags: AWS's limits on keys, values and count", () => {
  const SOURCE = "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html";
  const KEY_LENGTH = `tag keys are 1-127 characters (Elastic Load Balancing's limit, the strictest; ${SOURCE})`;
  test.each<[string, string, string[]]>([
    ["empty", "", [`tags[""] = "x": ${KEY_LENGTH}`]],
    ["one character", "a", []],
    ["127 characters", "k".repeat(127), []],
    ["127 characters outside the BMP (254 UTF-16 units)", "\u{20000}".repeat(127), []],
  ])("a key of %s", (_name, key, expected) => {
    // GIVEN one tag with this key; WHEN validated; THEN exactly these problems
    expect(problems((r) => (r.tags = { [key]: "x" }))).toEqual(expected);
  });

  test("a key of 128 characters is refused", () => {
    // GIVEN one tag with a 128-character key; WHEN validated; THEN the length rule
    expect(problems((r) => (r.tags = { ["k".repeat(128)]: "x" }))).toEqual([
      `tags["${"k".repeat(59)}…(128 characters in all)] = "x": ${KEY_LENGTH}`,
    ]);
  });

  test.each<[string, string, boolean]>([
    ["255 characters", "v".repeat(255), true],
    ["255 characters outside the BMP", "\u{20000}".repeat(255), true],
    ["256 characters", "v".repeat(256), false],
  ])("a value of %s", (_name, value, accepted) => {
    // GIVEN one tag with this value; WHEN validated; THEN accepted up to 255 characters
    const lines = problems((r) => (r.tags = { team: value }));
    expect(lines).toEqual(
      accepted
        ? []
        : [
            `tags.team = "${"v".repeat(59)}…(256 characters in all): must be at most 255 characters (an AWS tag value; Elastic Load Balancing's limit; ${SOURCE})`,
          ],
    );
  });

  test("keys that differ only in letter case are refused, each after the first (IAM takes them for one)", () => {
    // GIVEN three spellings of one key, and keys that merely share letters
    const IAM = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html";
    const lines = problems((r) => (r.tags = { Team: "a", team: "b", Owner: "o", TEAM: "c", "Team-2": "d", Ärger: "e", ärger: "f" }));
    // THEN each later spelling is named, with the first, why and where it is documented
    const refused = (field: string, value: string, first: string) =>
      `${field} = "${value}": differs from the key "${first}" only in letter case: IAM takes them for one key and refuses the functions' roles ("Duplicate tag keys found"; ${IAM}). Keep one`;
    expect(lines).toEqual([refused("tags.team", "b", "Team"), refused("tags.TEAM", "c", "Team"), refused('tags["ärger"]', "f", "Ärger")]);
    // AND one spelling of each is accepted
    expect(problems((r) => (r.tags = { Team: "a", Owner: "o", name: "n" }))).toEqual([]);
  });

  const tagsOf = (count: number, withName: boolean) =>
    Object.fromEntries([
      ...(withName ? [["Name", "n"]] : []),
      ...Array.from({ length: count - (withName ? 1 : 0) }, (_, i) => [`t${i}`, "x"]),
    ]);
  test.each<[string, number, boolean, number | undefined]>([
    ["49 tags, plus Name: 50", 49, false, undefined],
    ["50 tags, plus Name: 51", 50, false, 51],
    ["50 tags including Name: 50", 50, true, undefined],
    ["51 tags including Name: 51", 51, true, 51],
  ])("%s", (_name, count, withName, refusedAt) => {
    // GIVEN this many tags, with or without a Name tag of their own; WHEN validated
    const lines = problems((r) => (r.tags = tagsOf(count, withName)));
    // THEN at most 50 on a resource, counting the Name tag once
    expect(lines).toEqual(
      refusedAt === undefined
        ? []
        : [
            expect.stringMatching(
              new RegExp(
                `^tags = \\{.*: makes ${refusedAt} tags with the Name tag each resource gets; AWS allows at most 50 on a resource \\(https://docs\\.aws\\.amazon\\.com/tag-editor/latest/userguide/tagging\\.html\\)$`,
              ),
            ),
          ],
    );
  });
});

describe("the health check path: the ALB rule that answers it takes it as a path pattern", () => {
  const RULE = `must be a URL path such as "/healthz": "/" first, then letters, digits and ._~/- only (no query string), 128 characters at most (the ALB rule that answers it matches it as a path pattern, where * and ? are wildcards; https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)`;
  test.each<[string, string, boolean]>([
    ["the default", "/healthz", true],
    ["nested, with every allowed mark", "/a/b_c.d~e-f", true],
    ["128 characters", `/${"a".repeat(127)}`, true],
    ["129 characters", `/${"a".repeat(128)}`, false],
    ["no leading slash", "healthz", false],
    ["empty", "", false],
    ["a query string", "/healthz?deep=1", false],
    ["a wildcard", "/health*", false],
    ["a space", "/health z", false],
    ["a letter outside ASCII", "/gesundheit-prüfen", false],
  ])("%s", (_name, path, accepted) => {
    // GIVEN the service's health check path; WHEN validated; THEN accepted, or one line with every rule
    const lines = problems((r) => (r.service.healthCheckPath = path));
    expect(lines).toEqual(
      accepted
        ? []
        : [expect.stringMatching(new RegExp(`^service\\.healthCheckPath = .*: ${RULE.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`))],
    );
  });
});

describe("ALB access logs: a bucket of the provider's Region and a prefix ELB accepts", () => {
  const PREFIX = "must be an S3 key prefix without leading or trailing /";
  const AWSLOGS =
    'must not contain "AWSLogs": Elastic Load Balancing writes under <prefix>/AWSLogs/ itself and refuses such a prefix (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html)';
  test.each<[string, Record<string, unknown>, string[]]>([
    ["a bucket alone", { bucket: "example-logs" }, []],
    ["a bucket and a nested prefix", { bucket: "example.logs", prefix: "alb/orders" }, []],
    ["a prefix with a leading slash", { bucket: "example-logs", prefix: "/alb" }, [`loadBalancers.accessLogs.prefix = "/alb": ${PREFIX}`]],
    ["a prefix with a trailing slash", { bucket: "example-logs", prefix: "alb/" }, [`loadBalancers.accessLogs.prefix = "alb/": ${PREFIX}`]],
    [
      "a prefix holding AWSLogs",
      { bucket: "example-logs", prefix: "team/AWSLogs" },
      [`loadBalancers.accessLogs.prefix = "team/AWSLogs": ${AWSLOGS}`],
    ],
    ["awslogs in another case is a prefix like any", { bucket: "example-logs", prefix: "awslogs" }, []],
    [
      "a bucket name in capitals",
      { bucket: "Example-Logs" },
      ['loadBalancers.accessLogs.bucket = "Example-Logs": must be an S3 bucket name in the provider\'s Region'],
    ],
  ])("%s", (_name, accessLogs, expected) => {
    // GIVEN ALB access logs to this bucket and prefix; WHEN validated; THEN exactly these problems
    expect(problems((r) => (r.loadBalancers = { accessLogs }))).toEqual(expected);
  });
});

describe("S3 backend key prefix", () => {
  const S3 = { bucket: "example-state", region: "ap-northeast-1" };
  test.each<[string, string[]]>([
    ["privatelink", []],
    ["team/privatelink", []],
    ["/privatelink", ['backend.s3.keyPrefix = "/privatelink": must not start or end with /']],
    ["privatelink/", ['backend.s3.keyPrefix = "privatelink/": must not start or end with /']],
    ["/", ['backend.s3.keyPrefix = "/": must not start or end with /']],
  ])("%s", (keyPrefix, expected) => {
    // GIVEN S3 state under this prefix; WHEN validated; THEN no slash at either end
    expect(problems((r) => (r.backend = { s3: { ...S3, keyPrefix } }))).toEqual(expected);
  });
});

describe("HCP Terraform workspaces follow the stacks", () => {
  const outside = () => JSON.parse(readFileSync(join(EXAMPLES_DIR, "consumer-of-outside-service.json"), "utf8"));

  test("a workspace for a stack the app does not have names the stacks it has", () => {
    // GIVEN the default config (provider and consumer) and a third workspace; WHEN validated
    // THEN the extra one is named, with the stacks listed
    expect(
      problems((r) => (r.backend = { cloud: { organization: "org", workspaces: { provider: "p", consumer: "c", extra: "x" } } })),
    ).toEqual(['backend.cloud.workspaces.extra = "x": names no stack of this app (stacks: provider, consumer)']);
  });

  test.each<[string, string, boolean]>([
    ["90 characters", "w".repeat(90), true],
    ["91 characters", "w".repeat(91), false],
    ["a space", "orders api", false],
    ["a dot", "orders.api", false],
  ])("a workspace name of %s", (_name, name, accepted) => {
    // GIVEN the provider's workspace named so; WHEN validated; THEN HCP Terraform's rule, with its length
    const lines = problems((r) => (r.backend = { cloud: { organization: "org", workspaces: { provider: name, consumer: "c" } } }));
    expect(lines).toEqual(
      accepted
        ? []
        : [expect.stringMatching(/^backend\.cloud\.workspaces\.provider = .*: must be a workspace name of 1-90 letters, digits, - and _$/)],
    );
  });

  test("one workspace for two stacks is named by the second stack's key (they would overwrite each other's state)", () => {
    const lines = problems((r) => (r.backend = { cloud: { organization: "org", workspaces: { provider: "shared", consumer: "shared" } } }));
    expect(lines).toEqual([
      'backend.cloud.workspaces.consumer = "shared": is stack "provider"\'s workspace too: each stack needs a workspace of its own, or the two overwrite each other\'s state',
    ]);
  });

  test("stacks that share a name are named once, by the field that names them, not again by their workspaces", () => {
    // GIVEN two consumers whose stacks take one name, and a workspace per intended stack
    const lines = problems((r) => {
      r.consumers.push({ ...r.consumers[0], name: "east", stackName: "consumer" });
      r.backend = { cloud: { organization: "org", workspaces: { provider: "p", consumer: "c", "consumer-east": "e" } } };
    });
    // THEN one line: the stack name's
    expect(lines).toEqual([
      'consumers[1].stackName = "consumer": gives stack "consumer", which consumer "main" has too; give each consumer a stackName of its own',
    ]);
  });

  test("without a provider, the only stack is the consumer's", () => {
    // GIVEN a config of one outside-service consumer, with workspaces for it
    const lines = (workspaces: Record<string, string>) =>
      problems((r) => (r.backend = { cloud: { organization: "org", workspaces } }), outside());
    // WHEN validated; THEN the consumer's workspace suffices, and a provider workspace names no stack
    expect(lines({ "consumer-partner": "c" })).toEqual([]);
    expect(lines({ "consumer-partner": "c", provider: "p" })).toEqual([
      'backend.cloud.workspaces.provider = "p": names no stack of this app (stacks: consumer-partner)',
    ]);
  });
});
