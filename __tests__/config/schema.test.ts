import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, formatPath, loadConfig, parseConfig } from "../../config/load";
import { subnetsOf } from "../../config/resolve";
import { z } from "zod";
import { configSchema } from "../../config/schema";
import { configWith, defaultRawConfig, examples, EXAMPLES_DIR, refusalOf, ROOT } from "../fixtures";

const EXISTING_PROVIDER = {
  vpcId: "vpc-0a1b2c3d4e5f60718",
  lambdaSubnetIds: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
  albSubnetIds: ["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"],
  nlbSubnetIds: ["subnet-0a1b2c3d4e5f60721"],
};
const S3 = { bucket: "example-state", keyPrefix: "privatelink", region: "ap-northeast-1" };

/** The error message `edit` provokes, or a failure if the config is accepted. */
const messageFor = refusalOf;

describe("config: the shipped default", () => {
  test("is the seed's setup: ap-northeast-1, placeholder accounts, two AZ IDs", () => {
    const config = loadConfig(join(ROOT, "config", "default.json"));
    expect(config.provider).toMatchObject({ accountId: "111111111111", region: "ap-northeast-1" });
    expect(config.consumers).toHaveLength(1);
    expect(config.consumers[0]).toMatchObject({ accountId: "222222222222", region: "ap-northeast-1" });
    expect(config.provider?.network.create?.azIds).toEqual(["apne1-az1", "apne1-az4"]);
    expect(config.service).toEqual({
      port: 80,
      privateLinkInboundRules: "on",
      acceptanceRequired: false,
      acceptEndpointIds: [],
      healthCheckPath: "/healthz",
      allowedPrincipals: [],
    });
    expect(config.backend).toEqual({ local: { directory: "state" } });
  });

  test("defaults fill what a minimal config leaves out", () => {
    const raw = defaultRawConfig();
    delete raw.service;
    delete raw.lambda;
    delete raw.name;
    delete raw.tags;
    const config = parseConfig(raw, "minimal");
    expect(config.name).toBe("hello-privatelink");
    expect(config.service.port).toBe(80);
    expect(config.lambda).toEqual({
      memoryMb: 128,
      timeoutSeconds: 10,
      architecture: "arm64",
      ephemeralStorageMb: 512,
      logFormat: "Text",
      logRetentionDays: 365,
      tracing: "Active",
      egress: [],
    });
    expect(config.loadBalancers).toEqual({ deletionProtection: true, desyncMitigationMode: "defensive" });
  });

  test("subnets are derived as /20s in AZ order, or taken as given", () => {
    expect(subnetsOf(configWith().provider!.network.create!)).toEqual([
      { azId: "apne1-az1", cidr: "10.0.0.0/20" },
      { azId: "apne1-az4", cidr: "10.0.16.0/20" },
    ]);
    const given = configWith(
      (raw) => (raw.provider.network.create.subnetCidrs = { "apne1-az4": "10.0.9.0/24", "apne1-az1": "10.0.8.0/24" }),
    );
    expect(subnetsOf(given.provider!.network.create!)).toEqual([
      { azId: "apne1-az1", cidr: "10.0.8.0/24" },
      { azId: "apne1-az4", cidr: "10.0.9.0/24" },
    ]);
  });
});

describe("config: bad input is refused with the field, the value and what is allowed", () => {
  test.each<[string, (raw: Record<string, any>) => void, RegExp]>([
    ["account ID too short", (r) => (r.provider.accountId = "12345"), /provider\.accountId = "12345": must be a 12-digit AWS account ID/],
    [
      "account ID as a number",
      (r) => (r.consumers[0].accountId = 222222222222),
      /consumers\[0\]\.accountId = 222222222222: must be a 12-digit AWS account ID written as a string/,
    ],
    ["account ID with letters", (r) => (r.provider.accountId = "11111111111a"), /provider\.accountId = "11111111111a"/],
    ["region typo", (r) => (r.provider.region = "ap-northeast1"), /provider\.region = "ap-northeast1": must be an AWS Region code/],
    ["region as AZ name", (r) => (r.consumers[0].region = "ap-northeast-1a"), /consumers\[0\]\.region = "ap-northeast-1a"/],
    [
      "CIDR syntax",
      (r) => (r.provider.network.create.vpcCidr = "10.0.0/16"),
      /provider\.network\.create\.vpcCidr = "10\.0\.0\/16": must be an IPv4 CIDR block/,
    ],
    ["CIDR host bits", (r) => (r.provider.network.create.vpcCidr = "10.0.0.1/16"), /vpcCidr = "10\.0\.0\.1\/16": .*no host bits set/],
    [
      "CIDR prefix too large a block",
      (r) => (r.provider.network.create.vpcCidr = "10.0.0.0/8"),
      /vpcCidr = "10\.0\.0\.0\/8": must be an IPv4 CIDR block from \/16 to \/28/,
    ],
    [
      "CIDR prefix too small a block",
      (r) => (r.consumers[0].network.create.vpcCidr = "10.1.0.0/29"),
      /consumers\[0\]\.network\.create\.vpcCidr = "10\.1\.0\.0\/29"/,
    ],
    [
      "VPC too small to derive subnets",
      (r) => (r.provider.network.create.vpcCidr = "10.0.0.0/24"),
      /vpcCidr = "10\.0\.0\.0\/24": is too small to derive subnets/,
    ],
    [
      "subnet outside its VPC",
      (r) => (r.provider.network.create.subnetCidrs = { "apne1-az1": "10.9.0.0/24", "apne1-az4": "10.0.1.0/24" }),
      /provider\.network\.create\.subnetCidrs\["apne1-az1"\] = "10\.9\.0\.0\/24": is not inside vpcCidr 10\.0\.0\.0\/16/,
    ],
    [
      "overlapping subnets",
      (r) => (r.provider.network.create.subnetCidrs = { "apne1-az1": "10.0.0.0/20", "apne1-az4": "10.0.8.0/24" }),
      /subnetCidrs\["apne1-az4"\] = "10\.0\.8\.0\/24": overlaps subnetCidrs\.apne1-az1 \(10\.0\.0\.0\/20\)/,
    ],
    [
      "subnet for an AZ ID not listed",
      (r) => (r.provider.network.create.subnetCidrs = { "apne1-az1": "10.0.0.0/24", "apne1-az2": "10.0.1.0/24" }),
      /subnetCidrs\["apne1-az2"\] = "10\.0\.1\.0\/24": names an AZ ID that is not in azIds/,
    ],
    [
      "AZ name instead of AZ ID",
      (r) => (r.provider.network.create.azIds = ["ap-northeast-1a", "apne1-az4"]),
      /azIds\[0\] = "ap-northeast-1a": must be an availability zone ID/,
    ],
    [
      "duplicate AZ IDs",
      (r) => (r.provider.network.create.azIds = ["apne1-az1", "apne1-az1"]),
      /provider\.network\.create\.azIds\[1\] = "apne1-az1": is listed twice/,
    ],
    [
      "one AZ where an ALB needs two",
      (r) => (r.provider.network.create.azIds = ["apne1-az1"]),
      /provider\.network\.create\.azIds = \["apne1-az1"\]: must list at least 2 AZ IDs: an ALB needs subnets in two AZs/,
    ],
    [
      "consumer AZ the service does not have",
      (r) => (r.consumers[0].network.create.azIds = ["apne1-az1", "apne1-az2"]),
      /consumers\[0\]\.network\.create\.azIds\[1\] = "apne1-az2": is not one of the provider's AZ IDs \(apne1-az1, apne1-az4\)/,
    ],
    ["port 0", (r) => (r.service.port = 0), /service\.port = 0: must be a whole number from 1 to 65535/],
    ["port 65536", (r) => (r.service.port = 65536), /service\.port = 65536: must be a whole number from 1 to 65535/],
    ["port as a string", (r) => (r.service.port = "80"), /service\.port = "80": must be a whole number from 1 to 65535/],
    [
      "log retention not allowed by CloudWatch",
      (r) => (r.lambda.logRetentionDays = 10),
      /lambda\.logRetentionDays = 10: must be one of 1, 3, 5/,
    ],
    ["Lambda timeout over 900 s", (r) => (r.lambda.timeoutSeconds = 901), /lambda\.timeoutSeconds = 901/],
    ["Lambda memory under 128 MB", (r) => (r.lambda.memoryMb = 64), /lambda\.memoryMb = 64/],
    [
      "name too long for load balancer names",
      (r) => (r.name = "a-very-long-service-name"),
      /name = "a-very-long-service-name": must be 1-20 characters/,
    ],
    ["name reserved prefix", (r) => (r.name = "internal-svc"), /name = "internal-svc": must not start with "internal-"/],
    [
      "unknown top-level key",
      (r) => (r.lamda = {}),
      /lamda: unknown key "lamda" in the top level; allowed keys: name, tags, backend, provider, consumers, service, loadBalancers, lambda/,
    ],
    [
      "unknown nested key",
      (r) => (r.provider.acountId = "111111111111"),
      /provider\.acountId: unknown key "acountId" in provider; allowed keys: accountId, region, profile, assumeRole, network/,
    ],
    [
      "unknown key inside a list item",
      (r) => (r.consumers[0].vpc = "x"),
      /consumers\[0\]\.vpc: unknown key "vpc" in consumers\[0\]; allowed keys: name, accountId, region/,
    ],
    ["missing required field", (r) => delete r.provider.region, /provider\.region: is required but missing/],
    ["no consumers", (r) => (r.consumers = []), /consumers = \[\]: must list at least one consumer/],
    [
      "duplicate consumer names (once: not again as a stack both would have)",
      (r) => r.consumers.push({ ...r.consumers[0] }),
      /^Invalid config test\.json:\n {2}- consumers\[1\]\.name = "main": is used by another consumer; names must be unique$/,
    ],
    [
      "a stackName another consumer's stack has",
      (r) => r.consumers.push({ ...r.consumers[0], name: "east", stackName: "consumer" }),
      /consumers\[1\]\.stackName = "consumer": gives stack "consumer", which consumer "main" has too; give each consumer a stackName of its own/,
    ],
    [
      "a name whose stack another consumer's stackName took",
      (r) => {
        r.consumers[0].stackName = "consumer-east";
        r.consumers.push({ ...r.consumers[0], name: "east", stackName: undefined });
      },
      /consumers\[1\]\.name = "east": gives stack "consumer-east", which consumer "main" has too/,
    ],
    [
      "stackName provider",
      (r) => (r.consumers[0].stackName = "provider"),
      /consumers\[0\]\.stackName = "provider": must not be "provider"/,
    ],
    [
      "stackName not a name",
      (r) => (r.consumers[0].stackName = "Consumer_1"),
      /consumers\[0\]\.stackName = "Consumer_1": must be 1-40 lowercase letters/,
    ],
    // Networks: exactly one of create / existing, with well-formed IDs.
    [
      "network with neither create nor existing",
      (r) => (r.provider.network = {}),
      /provider\.network = \{\}: must have exactly one of "create" .* or "existing"/,
    ],
    [
      "network with both create and existing",
      (r) => (r.provider.network.existing = EXISTING_PROVIDER),
      /provider\.network = .*: must have exactly one of "create"/,
    ],
    [
      "old flat network shape",
      (r) => (r.provider.network = { vpcCidr: "10.0.0.0/16", azIds: ["apne1-az1", "apne1-az4"] }),
      /provider\.network\.vpcCidr: unknown key "vpcCidr" in provider\.network; allowed keys: create, existing/,
    ],
    [
      "bad VPC ID",
      (r) => (r.provider.network = { existing: { ...EXISTING_PROVIDER, vpcId: "vpc-123" } }),
      /provider\.network\.existing\.vpcId = "vpc-123": must be a VPC ID/,
    ],
    [
      "bad subnet ID",
      (r) => (r.provider.network = { existing: { ...EXISTING_PROVIDER, lambdaSubnetIds: ["subnet-0a1b2c3d4e5f60711", "sn-1"] } }),
      /provider\.network\.existing\.lambdaSubnetIds\[1\] = "sn-1": must be a subnet ID/,
    ],
    [
      "duplicate subnet IDs in one role",
      (r) =>
        (r.provider.network = {
          existing: { ...EXISTING_PROVIDER, albSubnetIds: ["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60721"] },
        }),
      /provider\.network\.existing\.albSubnetIds\[1\] = "subnet-0a1b2c3d4e5f60721": is listed twice/,
    ],
    [
      "one ALB subnet",
      (r) => (r.provider.network = { existing: { ...EXISTING_PROVIDER, albSubnetIds: ["subnet-0a1b2c3d4e5f60721"] } }),
      /provider\.network\.existing\.albSubnetIds = \["subnet-0a1b2c3d4e5f60721"\]: must list at least 2 subnets in different AZs: an ALB needs two/,
    ],
    [
      "existing consumer network without client CIDRs",
      (r) => (r.consumers[0].network = { existing: { vpcId: "vpc-0f1e2d3c4b5a69788", endpointSubnetIds: ["subnet-0f1e2d3c4b5a69781"] } }),
      /- consumers\[0\]\.clientCidrs: is required with an existing network/,
    ],
    [
      "client CIDR open to the world",
      (r) => (r.consumers[0].clientCidrs = ["0.0.0.0/0"]),
      /consumers\[0\]\.clientCidrs\[0\] = "0\.0\.0\.0\/0": must be an IPv4 CIDR block from \/8 to \/32/,
    ],
    [
      "the same Lambda egress twice",
      (r) =>
        (r.lambda.egress = [
          { cidr: "10.0.0.0/16", port: 443, description: "api" },
          { cidr: "10.0.0.0/16", port: 443, description: "again" },
        ]),
      /lambda\.egress\[1\] = \{.*\}: is listed twice; each destination and port may appear once/,
    ],
    // Credentials.
    [
      "assume role with a user ARN",
      (r) => (r.provider.assumeRole = { roleArn: "arn:aws:iam::111111111111:user/me" }),
      /provider\.assumeRole\.roleArn = "arn:aws:iam::111111111111:user\/me": must be an IAM role ARN/,
    ],
    ["profile of the wrong type", (r) => (r.consumers[0].profile = 7), /consumers\[0\]\.profile = 7: must be a string, not a number/],
    // Principals.
    [
      "principal with a path",
      (r) => (r.service.allowedPrincipals = [{ principal: "arn:aws:iam::444444444444:role/team/deployer", clientCidrs: ["10.44.0.0/16"] }]),
      /service\.allowedPrincipals\[0\]\.principal = "arn:aws:iam::444444444444:role\/team\/deployer": must be .*no paths/,
    ],
    [
      "principal with a short account",
      (r) => (r.service.allowedPrincipals = [{ principal: "arn:aws:iam::4444:root", clientCidrs: ["10.44.0.0/16"] }]),
      /service\.allowedPrincipals\[0\]\.principal = "arn:aws:iam::4444:root"/,
    ],
    [
      "wildcard principal with auto-accept",
      (r) => (r.service.allowedPrincipals = [{ principal: "*", clientCidrs: ["10.44.0.0/16"] }]),
      /service\.allowedPrincipals\[0\]\.principal = "\*": is only allowed with service\.acceptanceRequired: true/,
    ],
    [
      "principal that repeats a consumer account",
      (r) => (r.service.allowedPrincipals = [{ principal: "arn:aws:iam::222222222222:root", clientCidrs: ["10.44.0.0/16"] }]),
      /service\.allowedPrincipals\[0\]\.principal = "arn:aws:iam::222222222222:root": is already allowed as consumer "main"'s account/,
    ],
    [
      "principal as a plain string (the old form)",
      (r) => (r.service.allowedPrincipals = ["arn:aws:iam::444444444444:root"]),
      /service\.allowedPrincipals\[0\] = "arn:aws:iam::444444444444:root": must be an object: \{"principal"/,
    ],
    [
      "principal without client CIDRs while inbound rules are enforced",
      (r) => (r.service.allowedPrincipals = [{ principal: "arn:aws:iam::444444444444:root" }]),
      /- service\.allowedPrincipals\[0\]\.clientCidrs: is required while service\.privateLinkInboundRules is "on"/,
    ],
    // Outside services.
    [
      "no provider and no service name",
      (r) => delete r.provider,
      /- consumers\[0\]\.serviceName: is required when the config has no "provider"/,
    ],
    [
      "service name malformed",
      (r) => (r.consumers[0].serviceName = "vpce-svc-123"),
      /consumers\[0\]\.serviceName = "vpce-svc-123": must be an endpoint service name/,
    ],
    [
      "service Region without service name",
      (r) => (r.consumers[0].serviceRegion = "us-east-1"),
      /consumers\[0\]\.serviceRegion = "us-east-1": only applies with serviceName/,
    ],
    // Backends.
    ["no backend kind", (r) => (r.backend = {}), /backend = \{\}: must have exactly one of "local", "s3" or "cloud"/],
    ["two backend kinds", (r) => (r.backend = { local: {}, s3: S3 }), /backend = .*: must have exactly one of "local", "s3" or "cloud"/],
    [
      "local state inside cdktf.out",
      (r) => (r.backend = { local: { directory: "cdktf.out/state" } }),
      /backend\.local\.directory = "cdktf\.out\/state": must not be inside cdktf\.out/,
    ],
    [
      "local state inside cdktf.out, spelled with ./",
      (r) => (r.backend = { local: { directory: "./cdktf.out/state" } }),
      /backend\.local\.directory = "\.\/cdktf\.out\/state": must not be inside cdktf\.out/,
    ],
    [
      "local state inside a function's folder (it would ship in the zip)",
      (r) => (r.backend = { local: { directory: "lambda-src/hello" } }),
      /backend\.local\.directory = "lambda-src\/hello": must not be inside lambda-src: a function's folder is zipped/,
    ],
    [
      "local state at an absolute path",
      (r) => (r.backend = { local: { directory: "/var/state" } }),
      /backend\.local\.directory = "\/var\/state": must be a relative folder/,
    ],
    [
      "local state outside the project",
      (r) => (r.backend = { local: { directory: "../state" } }),
      /backend\.local\.directory = "\.\.\/state": must stay inside the project/,
    ],
    [
      "S3 bucket name",
      (r) => (r.backend = { s3: { ...S3, bucket: "My_Bucket" } }),
      /backend\.s3\.bucket = "My_Bucket": must be an S3 bucket name/,
    ],
    ["S3 without a region", (r) => (r.backend = { s3: { bucket: "b-1", keyPrefix: "p" } }), /backend\.s3\.region: is required but missing/],
    [
      "cloud workspaces missing for two stacks: one line",
      (r) => (r.backend = { cloud: { organization: "org", workspaces: {} } }),
      /^Invalid config test\.json:\n {2}- backend\.cloud\.workspaces = \{\}: has no workspace for stacks "provider", "consumer" \(stacks: provider, consumer\)$/,
    ],
    [
      "cloud workspace missing for a stack",
      (r) => (r.backend = { cloud: { organization: "org", workspaces: { provider: "p" } } }),
      /backend\.cloud\.workspaces = \{"provider":"p"\}: has no workspace for stack "consumer" \(stacks: provider, consumer\)/,
    ],
    [
      "cloud workspace for a stack that does not exist",
      (r) => (r.backend = { cloud: { organization: "org", workspaces: { provider: "p", consumer: "c", "consumer-x": "x" } } }),
      /backend\.cloud\.workspaces\["consumer-x"\] = "x": names no stack of this app/,
    ],
    [
      "cloud token in the config",
      (r) => (r.backend = { cloud: { organization: "org", token: "secret", workspaces: { provider: "p", consumer: "c" } } }),
      /backend\.cloud\.token: unknown key "token" in backend\.cloud; allowed keys: organization, project, hostname, workspaces/,
    ],
    [
      "more AZ IDs than subnets can be derived for",
      (r) => (r.provider.network.create.azIds = Array.from({ length: 17 }, (_, i) => `apne1-az${i + 1}`)),
      /provider\.network\.create\.azIds = \["apne1-az1",.*: lists 17 AZ IDs; subnets are derived for at most 16/,
    ],
    [
      "a reserved tag key",
      (r) => (r.tags = { "AWS:team": "x" }),
      /tags\["AWS:team"\] = "x": tag keys must not start with "aws:" in any letter case \(AWS reserves it; https:\/\/docs\.aws\.amazon\.com\/tag-editor/,
    ],
    [
      "a tag key too long",
      (r) => (r.tags = { ["k".repeat(129)]: "x" }),
      /tags\["kkk.*: tag keys are 1-127 characters \(Elastic Load Balancing's limit/,
    ],
    [
      "a tag value too long",
      (r) => (r.tags = { team: "v".repeat(257) }),
      /tags\.team = "vvv.*: must be at most 255 characters \(an AWS tag value; Elastic Load Balancing's limit; https:/,
    ],
    [
      "a tag value with template syntax",
      (r) => (r.tags = { team: '${file("/etc/passwd")}' }),
      /tags\.team = "\$\{file\(\\"\/etc\/passwd\\"\)\}": may only hold letters, digits, spaces and _\.:\/=\+-@ \(an AWS tag value; https:\/\/docs\.aws\.amazon\.com\/tag-editor/,
    ],
    ["a tag key with template syntax", (r) => (r.tags = { "%{if}": "x" }), /tags\["%\{if\}"\] = "x": tag keys may only hold letters/],
    [
      "too many tags",
      (r) => (r.tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, "x"]))),
      /tags = \{"t0":"x".*: makes 51 tags with the Name tag each resource gets; AWS allows at most 50 on a resource/,
    ],
    [
      "a profile with template syntax",
      (r) => (r.provider.profile = "${var.p}"),
      /provider\.profile = "\$\{var\.p\}": must be a profile name/,
    ],
    [
      "an HCP project with template syntax",
      (r) => (r.backend = { cloud: { organization: "org", project: "%{x}", workspaces: { provider: "p", consumer: "c" } } }),
      /backend\.cloud\.project = "%\{x\}": must be an HCP Terraform project name/,
    ],
  ])("%s", (_name, edit, expected) => {
    expect(messageFor(edit)).toMatch(expected);
  });

  test("every problem is listed, each on its own line, after one heading naming the file", () => {
    const message = messageFor((r) => {
      r.provider.accountId = "1";
      r.service.port = 0;
    });
    const lines = message.split("\n");
    expect(lines[0]).toBe("Invalid config test.json:");
    expect(lines.slice(1)).toHaveLength(2);
  });

  test("the accepted forms pass: a wildcard with acceptance required, roles and users as principals", () => {
    const config = configWith((r) => {
      r.service.acceptanceRequired = true;
      r.service.allowedPrincipals = ["*", "arn:aws:iam::444444444444:role/partner", "arn:aws:iam::555555555555:user/ops"].map(
        (principal) => ({
          principal,
          clientCidrs: ["10.44.0.0/16"],
        }),
      );
    });
    expect(config.service.allowedPrincipals).toHaveLength(3);
  });

  test.each(examples)("example %s is valid", (file) => {
    expect(() => loadConfig(join(EXAMPLES_DIR, file))).not.toThrow();
  });

  test("a missing file names the file and the way to choose another", () => {
    expect(() => loadConfig("/nonexistent/privatelink.json")).toThrow(
      new ConfigError(
        "Config file /nonexistent/privatelink.json does not exist. Set PRIVATELINK_CONFIG to a JSON config file, or leave it unset to use config/default.json.",
      ),
    );
  });

  test("unparseable JSON names the file and the parser's position", () => {
    const file = join(mkdtempSync(join(tmpdir(), "plk-cfg-")), "broken.json");
    writeFileSync(file, '{ "name": "x", }');
    expect(() => loadConfig(file)).toThrow(/^Config file .*broken\.json is not valid JSON: .* at line 1, column 16\.$/);
  });

  test("field paths are written the way a user would", () => {
    expect(formatPath(["consumers", 0, "network", "azIds", 1])).toBe("consumers[0].network.azIds[1]");
    expect(formatPath(["subnetCidrs", "apne1-az1"])).toBe('subnetCidrs["apne1-az1"]');
    expect(formatPath([])).toBe("");
  });
});

/** The configs shipped: the default and the examples, as written. */
const SHIPPED: [string, unknown][] = [
  ["default.json", defaultRawConfig()],
  ...examples.map((f): [string, unknown] => [f, JSON.parse(readFileSync(join(EXAMPLES_DIR, f), "utf8"))]),
];

/**
 * The rules across sections (and an object's rules across its fields) run only once the
 * values they read passed their own checks (schema.ts's pipe, fields.ts `whenValid`); zod
 * alone would run them on a string off its pattern or a list too short. Every rule must cope
 * with whatever passes: the user gets the refusal, never a crash. Each config shipped has
 * each of its values, one at a time, removed and emptied.
 */
describe("a value the sections refuse never crashes a cross-section rule", () => {
  type Path = (string | number)[];
  const REMOVE = Symbol("remove");
  /** Every path in `node`, containers included. */
  const pathsOf = (node: unknown, path: Path = []): Path[] => [
    path,
    ...(Array.isArray(node) ? node.flatMap((v, i) => pathsOf(v, [...path, i])) : []),
    ...(node !== null && typeof node === "object" && !Array.isArray(node)
      ? Object.entries(node).flatMap(([k, v]) => pathsOf(v, [...path, k]))
      : []),
  ];
  const emptied = (value: unknown): unknown =>
    Array.isArray(value)
      ? []
      : typeof value === "string"
        ? ""
        : typeof value === "number"
          ? -1
          : value !== null && typeof value === "object"
            ? {}
            : null;
  /** `raw` with the value at `path` removed or replaced. */
  const edited = (raw: unknown, path: Path, value: unknown) => {
    const copy = structuredClone(raw) as Record<string | number, any>;
    const parent = path.slice(0, -1).reduce((node, key) => node[key], copy);
    const key = path[path.length - 1];
    if (value !== REMOVE) parent[key] = value;
    else if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return copy;
  };
  /** What parsing each variant of `raw` threw other than a ConfigError. */
  const crashes = (raw: unknown): string[] =>
    pathsOf(raw)
      .filter((path) => path.length > 0 && path[0] !== "$schema")
      .flatMap((path) => {
        const value = path.reduce((node: any, key) => node[key], raw);
        return [REMOVE, emptied(value)].flatMap((variant) => {
          try {
            parseConfig(edited(raw, path, variant), "(test)");
          } catch (err) {
            if (!(err instanceof ConfigError)) {
              return [`${formatPath(path)} ${variant === REMOVE ? "removed" : `= ${JSON.stringify(variant)}`}: ${String(err)}`];
            }
          }
          return [];
        });
      });
  test.each(SHIPPED)("%s", (_, raw) => {
    expect(crashes(raw)).toEqual([]);
  });

  test("proof: a crash is reported with the value that caused it", () => {
    const spy = jest.spyOn(configSchema, "safeParse").mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined");
    });
    try {
      expect(crashes({ name: "x" })).toEqual([
        "name removed: TypeError: Cannot read properties of undefined",
        'name = "": TypeError: Cannot read properties of undefined',
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});

/**
 * A value its own field refuses is named once: no rule that read it names it (or what was
 * made from it: a function name from the app's name, subnets from an AZ ID) a second time.
 * Each leaf value of each config shipped is replaced, one at a time, with values pasted the
 * way users paste them.
 */
describe("a refused value is named once, by its own field", () => {
  type Path = (string | number)[];
  const leaves = (node: unknown, path: Path = []): Path[] =>
    Array.isArray(node)
      ? node.flatMap((v, i) => leaves(v, [...path, i]))
      : node !== null && typeof node === "object"
        ? Object.entries(node).flatMap(([k, v]) => leaves(v, [...path, k]))
        : [path];
  const variants = (value: unknown): unknown[] =>
    typeof value === "string"
      ? [`${value}\u00a0`, "", ` ${value}`, value.toUpperCase(), `${value}${value}`, "x"]
      : typeof value === "number"
        ? [-1, value + 0.5, 0, 1e9]
        : typeof value === "boolean"
          ? ["true", 1]
          : [];
  /** Refusals where the edited field is named along with other lines. */
  const namedTwice = (raw: unknown): string[] =>
    leaves(raw)
      .filter((path) => path[0] !== "$schema")
      .flatMap((path) =>
        variants(path.reduce((node: any, key) => node[key], raw)).flatMap((value) => {
          const copy = structuredClone(raw) as Record<string | number, any>;
          path.slice(0, -1).reduce((node, key) => node[key], copy)[path[path.length - 1]] = value;
          let message = "";
          try {
            parseConfig(copy, "(test)");
          } catch (err) {
            if (!(err instanceof ConfigError)) throw err;
            message = err.message;
          }
          const lines = message.split("\n").filter((l) => l.startsWith("  - "));
          const field = `  - ${formatPath(path)} `;
          return lines.length > 1 && lines.some((l) => l.startsWith(field))
            ? [`${formatPath(path)} = ${JSON.stringify(value)}:\n${lines.join("\n")}`]
            : [];
        }),
      );
  test.each(SHIPPED)("%s", (_, raw) => {
    expect(namedTwice(raw)).toEqual([]);
  });

  test("proof: a value named by its field and again by a rule is reported; one named once is not", () => {
    // GIVEN the schema answering as it did before the rules waited for valid values
    const issues: z.ZodIssue[] = [
      { code: "custom", path: ["name"], message: "must be 1-20 characters" },
      { code: "custom", path: ["functions", 0, "name"], message: "makes the function name, which is too long" },
    ];
    const spy = jest.spyOn(configSchema, "safeParse").mockReturnValue({ success: false, error: new z.ZodError(issues) });
    try {
      // THEN each edit of `name` is reported, with both lines
      expect(namedTwice({ name: "hello" })).toHaveLength(variants("hello").length);
      expect(namedTwice({ name: "hello" })[0]).toMatch(/^name = .*\n {2}- name = .*\n {2}- functions\[0\]\.name/);
      // AND an edit of another field, which the lines do not name, is not
      expect(namedTwice({ tags: { Project: "p" } })).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});
