/**
 * AWS's own rules, applied to the config (config/aws-rules.ts and the fields that use
 * lib/aws): each with an input it accepts and one it refuses, and the exact line that names
 * the field, the value, AWS's rule and its source.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLES_DIR } from "../fixtures";
import { problems } from "../support/config-problems";

type Raw = Record<string, any>;
const PARTITIONS = "https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html";
const ARNS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html";
const AZ_IDS = "https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html";
const CROSS_REGION =
  "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html#endpoint-service-cross-region";
const SG_QUOTA =
  "60 inbound (and, separately, outbound) rules per security group (AWS's default; quota vpc L-0EA8095F, https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups)";

/** Moves consumer 0 to `region` with AZ IDs of that Region. */
const consumerIn = (region: string, azIds: string[]) => (r: Raw) => {
  r.consumers[0].region = region;
  r.consumers[0].network.create.azIds = azIds;
};
/** `count` distinct /24 client CIDRs. */
const cidrs = (count: number) => Array.from({ length: count }, (_, i) => `10.${100 + Math.floor(i / 250)}.${i % 250}.0/24`);

describe("partitions: every stack, service and ARN in the provider's", () => {
  test.each<[string, (r: Raw) => void, string[]]>([
    ["a consumer in another Region of the same partition", consumerIn("ap-northeast-3", ["apne3-az1", "apne3-az2"]), []],
    [
      "a consumer in China",
      consumerIn("cn-north-1", ["cnn1-az1", "cnn1-az2"]),
      [
        `consumers[0].region = "cn-north-1": is in partition aws-cn, provider.region (ap-northeast-1) in aws: PrivateLink, IAM principals and cross-stack state never cross partitions (${PARTITIONS})`,
        `consumers[0].region = "cn-north-1": cn-north-1 is not known to support cross-Region PrivateLink (the consumer's Region, ap-northeast-1 the service's); AWS lists the Regions in ${CROSS_REGION}. If AWS has added it, list it in aws.crossRegionPrivateLinkRegions`,
      ],
    ],
    [
      "a consumer in a GovCloud Region the table does not list (partition from its code)",
      consumerIn("us-gov-north-1", ["usgn1-az1", "usgn1-az2"]),
      [
        `consumers[0].region = "us-gov-north-1": is in partition aws-us-gov, provider.region (ap-northeast-1) in aws: PrivateLink, IAM principals and cross-stack state never cross partitions (${PARTITIONS})`,
        `consumers[0].region = "us-gov-north-1": us-gov-north-1 is not known to support cross-Region PrivateLink (the consumer's Region, ap-northeast-1 the service's); AWS lists the Regions in ${CROSS_REGION}. If AWS has added it, list it in aws.crossRegionPrivateLinkRegions`,
      ],
    ],
    [
      "a principal of another partition",
      (r) => (r.service.allowedPrincipals = [{ principal: "arn:aws-us-gov:iam::555555555555:root", clientCidrs: ["10.44.0.0/16"] }]),
      [
        `service.allowedPrincipals[0].principal = "arn:aws-us-gov:iam::555555555555:root": is an ARN of partition aws-us-gov; its stack is in aws (ARNs name their partition: ${ARNS})`,
      ],
    ],
    [
      "a consumer's role of another partition than the consumer's Region",
      (r) => (r.consumers[0].assumeRole = { roleArn: "arn:aws-cn:iam::222222222222:role/deploy" }),
      [
        `consumers[0].assumeRole.roleArn = "arn:aws-cn:iam::222222222222:role/deploy": is an ARN of partition aws-cn; its stack is in aws (ARNs name their partition: ${ARNS})`,
      ],
    ],
    [
      "the provider's role of another partition",
      (r) => (r.provider.assumeRole = { roleArn: "arn:aws-cn:iam::111111111111:role/deploy" }),
      [
        `provider.assumeRole.roleArn = "arn:aws-cn:iam::111111111111:role/deploy": is an ARN of partition aws-cn; its stack is in aws (ARNs name their partition: ${ARNS})`,
      ],
    ],
    [
      "an outside service in another partition",
      (r) => {
        delete r.provider;
        r.consumers[0].serviceName = "com.amazonaws.vpce.cn-north-1.vpce-svc-0123456789abcdef0";
        r.consumers[0].serviceRegion = "cn-north-1";
      },
      [
        `consumers[0].serviceRegion = "cn-north-1": is in partition aws-cn, consumers[0].region (ap-northeast-1) in aws: PrivateLink, IAM principals and cross-stack state never cross partitions (${PARTITIONS})`,
        `consumers[0].serviceRegion = "cn-north-1": cn-north-1 is not known to support cross-Region PrivateLink (the service's Region, for consumer "main" in ap-northeast-1); AWS lists the Regions in ${CROSS_REGION}. If AWS has added it, list it in aws.crossRegionPrivateLinkRegions`,
      ],
    ],
  ])("%s", (_name, edit, expected) => {
    expect(problems(edit)).toEqual(expected);
  });
});

describe("AZ IDs belong to their stack's Region", () => {
  test.each<[string, (r: Raw) => void, string[]]>([
    ["the provider's AZ IDs of its Region", () => undefined, []],
    [
      "a provider AZ ID of another Region",
      (r) => (r.provider.network.create.azIds = ["apne1-az1", "use1-az4"]),
      [
        // The consumer's apne1-az4 is then no longer among the provider's AZs.
        `consumers[0].network.create.azIds[1] = "apne1-az4": is not one of the provider's AZ IDs (apne1-az1, use1-az4); the endpoint service only supports AZs where its NLB has a subnet`,
        `provider.network.create.azIds[1] = "use1-az4": is not an AZ ID of ap-northeast-1: its AZ IDs start with "apne1-az" (the prefix is Region-specific; ${AZ_IDS})`,
      ],
    ],
    [
      "a consumer AZ ID of another Region (the prefix is not derived from the Region code)",
      consumerIn("ap-northeast-3", ["apne3-az1", "apne1-az2"]),
      [
        `consumers[0].network.create.azIds[1] = "apne1-az2": is not an AZ ID of ap-northeast-3: its AZ IDs start with "apne3-az" (the prefix is Region-specific; ${AZ_IDS})`,
      ],
    ],
    ["a Region the table does not know: its AZ IDs are not checked", consumerIn("ap-south-7", ["aps7-az1", "aps7-az2"]), expect.any(Array)],
  ])("%s", (_name, edit, expected) => {
    const lines = problems(edit);
    expect(lines).toEqual(expected);
    expect(lines.filter((l) => l.includes("is not an AZ ID of ap-south-7"))).toEqual([]);
  });
});

describe("cross-Region PrivateLink", () => {
  test.each<[string, (r: Raw) => void, string[]]>([
    ["both Regions support it", consumerIn("ap-northeast-3", ["apne3-az1", "apne3-az2"]), []],
    [
      "a consumer Region not known to support it",
      consumerIn("ap-east-2", ["ape2-az1", "ape2-az2"]),
      [
        `consumers[0].region = "ap-east-2": ap-east-2 is not known to support cross-Region PrivateLink (the consumer's Region, ap-northeast-1 the service's); AWS lists the Regions in ${CROSS_REGION}. If AWS has added it, list it in aws.crossRegionPrivateLinkRegions`,
      ],
    ],
    [
      "the same, declared in aws.crossRegionPrivateLinkRegions",
      (r) => {
        consumerIn("ap-east-2", ["ape2-az1", "ape2-az2"])(r);
        r.aws = { crossRegionPrivateLinkRegions: ["ap-east-2"] };
      },
      [],
    ],
    [
      "a provider Region not known to support it",
      (r) => {
        r.provider.region = "mx-central-1";
        r.provider.network.create.azIds = ["mxc1-az1", "mxc1-az2"];
      },
      [
        `provider.region = "mx-central-1": mx-central-1 is not known to support cross-Region PrivateLink (the service's Region, for consumer "main" in ap-northeast-1); AWS lists the Regions in ${CROSS_REGION}. If AWS has added it, list it in aws.crossRegionPrivateLinkRegions`,
      ],
    ],
    [
      "an endpoint subnet in an AZ that cannot connect across Regions",
      (r) => {
        r.provider.region = "ap-northeast-3";
        r.provider.network.create.azIds = ["apne3-az1", "apne3-az2"];
        r.consumers[0].network.create.azIds = ["apne1-az1", "apne1-az3"];
      },
      [
        `consumers[0].network.create.azIds[1] = "apne1-az3": is an AZ where endpoints cannot connect to a service in another Region (${CROSS_REGION}): use another AZ`,
      ],
    ],
    [
      "the same AZ in the service's own Region is fine",
      (r) => {
        r.provider.network.create.azIds = ["apne1-az1", "apne1-az3"];
        r.consumers[0].network.create.azIds = ["apne1-az1", "apne1-az3"];
      },
      [],
    ],
  ])("%s", (_name, edit, expected) => {
    expect(problems(edit)).toEqual(expected);
  });
});

describe("a service named in another Region needs serviceRegion (a consumer of a service managed elsewhere)", () => {
  const outside = () => JSON.parse(readFileSync(join(EXAMPLES_DIR, "consumer-of-outside-service.json"), "utf8"));
  const IN_US_EAST_1 = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
  test.each<[string, (r: Raw) => void, string[]]>([
    ["a service in the consumer's Region", () => undefined, []],
    [
      "a service in another Region, without serviceRegion",
      (r) => (r.consumers[0].serviceName = IN_US_EAST_1),
      [
        `consumers[0].serviceName = "${IN_US_EAST_1}": names a service in us-east-1, not in the consumer's Region (ap-northeast-1): for a cross-Region endpoint, set serviceRegion to "us-east-1" (${CROSS_REGION})`,
      ],
    ],
    ["the same, with serviceRegion", (r) => Object.assign(r.consumers[0], { serviceName: IN_US_EAST_1, serviceRegion: "us-east-1" }), []],
    [
      "a serviceRegion that is not the name's",
      (r) => (r.consumers[0].serviceRegion = "us-west-2"),
      [
        `consumers[0].serviceRegion = "us-west-2": is not the Region serviceName names (ap-northeast-1): an endpoint service's name carries its Region; set serviceRegion to "ap-northeast-1"`,
      ],
    ],
  ])("%s", (_name, edit, expected) => {
    expect(problems(edit, outside())).toEqual(expected);
  });
});

describe("certificates and KMS keys in the Region (and a certificate in the account) that uses them", () => {
  const cert = (region: string, account = "111111111111") => `arn:aws:acm:${region}:${account}:certificate/abc`;
  const key = (region: string, partition = "aws") => `arn:${partition}:kms:${region}:111111111111:key/abc`;
  const LOG_KEYS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html";
  test.each<[string, (r: Raw) => void, string[]]>([
    ["a certificate in the provider's Region", (r) => (r.service.certificateArn = cert("ap-northeast-1")), []],
    [
      "a certificate in us-east-1 (CloudFront's Region, not the ALB's)",
      (r) => (r.service.certificateArn = cert("us-east-1")),
      [
        `service.certificateArn = "${cert("us-east-1")}": is in us-east-1; the ALB's certificate must be in the provider's Region, ap-northeast-1 (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html)`,
      ],
    ],
    [
      "a certificate of another account (ACM certificates are never shared)",
      (r) => (r.service.certificateArn = cert("ap-northeast-1", "999999999999")),
      [
        `service.certificateArn = "${cert("ap-northeast-1", "999999999999")}": is a certificate of account 999999999999; the ALB's certificate must be in the provider's account, 111111111111: ACM certificates are not shared between accounts (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html)`,
      ],
    ],
    [
      "the provider's flow-log key in another Region",
      (r) => (r.provider.network.create.flowLogs = { kmsKeyArn: key("us-east-1") }),
      [
        `provider.network.create.flowLogs.kmsKeyArn = "${key("us-east-1")}": is in us-east-1; the flow logs' KMS key must be in the provider's Region, ap-northeast-1 (${LOG_KEYS})`,
      ],
    ],
    [
      "a consumer's flow-log key in its own Region",
      (r) => (r.consumers[0].network.create.flowLogs = { kmsKeyArn: key("ap-northeast-1") }),
      [],
    ],
    [
      "a consumer's flow-log key in another Region",
      (r) => (r.consumers[0].network.create.flowLogs = { kmsKeyArn: key("eu-west-1") }),
      [
        `consumers[0].network.create.flowLogs.kmsKeyArn = "${key("eu-west-1")}": is in eu-west-1; the flow logs' KMS key must be in the consumer's Region, ap-northeast-1 (${LOG_KEYS})`,
      ],
    ],
    [
      "a consumer's flow-log key of another partition",
      (r) => (r.consumers[0].network.create.flowLogs = { kmsKeyArn: key("cn-north-1", "aws-cn") }),
      [
        `consumers[0].network.create.flowLogs.kmsKeyArn = "${key("cn-north-1", "aws-cn")}": is an ARN of partition aws-cn; its stack is in aws (ARNs name their partition: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html)`,
        `consumers[0].network.create.flowLogs.kmsKeyArn = "${key("cn-north-1", "aws-cn")}": is in cn-north-1; the flow logs' KMS key must be in the consumer's Region, ap-northeast-1 (${LOG_KEYS})`,
      ],
    ],
    ["a log key in the provider's Region", (r) => (r.lambda.logKmsKeyArn = key("ap-northeast-1")), []],
    [
      "a log key in another Region",
      (r) => (r.lambda.logKmsKeyArn = key("eu-west-1")),
      [
        `lambda.logKmsKeyArn = "${key("eu-west-1")}": is in eu-west-1; the log group's KMS key must be in the provider's Region, ap-northeast-1 (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html)`,
      ],
    ],
  ])("%s", (_name, edit, expected) => {
    expect(problems(edit)).toEqual(expected);
  });
});

describe("security group rules within the quota, or a raised quota in the config", () => {
  test.each<[string, (r: Raw) => void, string[]]>([
    ["60 client CIDRs: exactly the quota", (r) => (r.consumers[0].clientCidrs = cidrs(60)), []],
    [
      "61 client CIDRs on one consumer",
      (r) => (r.consumers[0].clientCidrs = cidrs(61)),
      [
        `consumers = [{"name":"main","accountId":"222222222222","region":"ap-nort…(1194 characters in all): give the NLB's security group 61 inbound rules, one per distinct client CIDR of the consumers and service.allowedPrincipals, over the quota of ${SG_QUOTA}. Ways out: raise the quota and set aws.quotas.rulesPerSecurityGroup, merge client CIDRs into wider blocks, or set service.privateLinkInboundRules: "off"`,
        `consumers[0].clientCidrs = ["10.100.0.0/24","10.100.1.0/24","10.100.2.0/24","10.100.3.0…(1028 characters in all): lists 61 CIDRs, one inbound rule each on the endpoint's security group, over the quota of ${SG_QUOTA}. Ways out: raise the quota and set aws.quotas.rulesPerSecurityGroup, or merge CIDRs into wider blocks`,
      ],
    ],
    [
      "61 client CIDRs with the quota raised to 61",
      (r) => {
        r.consumers[0].clientCidrs = cidrs(61);
        r.aws = { quotas: { rulesPerSecurityGroup: 61 } };
      },
      [],
    ],
    [
      "61 client CIDRs over two consumers and a principal with inbound rules off: the NLB needs none",
      (r) => {
        r.consumers[0].clientCidrs = cidrs(40);
        r.consumers.push({ ...r.consumers[0], name: "second", clientCidrs: cidrs(61).slice(40) });
        r.service.privateLinkInboundRules = "off";
      },
      [],
    ],
    [
      "61 lambda egress rules",
      (r) => (r.lambda.egress = cidrs(61).map((cidr) => ({ cidr, port: 443, description: "API" }))),
      [
        expect.stringMatching(
          /^lambda\.egress = \[.*: lists 61 rules, one outbound rule each on the function's security group, over the quota of 60 inbound \(and, separately, outbound\) rules per security group \(AWS's default; .*\)\. Ways out: raise the quota and set aws\.quotas\.rulesPerSecurityGroup, or merge destinations$/,
        ),
      ],
    ],
  ])("%s", (_name, edit, expected) => {
    expect(problems(edit)).toEqual(expected);
  });

  test("the NLB counts client CIDRs across consumers and principals, each distinct CIDR once", () => {
    const lines = problems((r) => {
      r.consumers[0].clientCidrs = cidrs(40);
      r.consumers.push({ ...r.consumers[0], name: "second", clientCidrs: cidrs(50).slice(20) }); // 10 new
      r.service.allowedPrincipals = [{ principal: "arn:aws:iam::444444444444:root", clientCidrs: cidrs(61).slice(50) }]; // 11 new
    });
    expect(lines).toEqual([
      expect.stringMatching(/^consumers = .*: give the NLB's security group 61 inbound rules, one per distinct client CIDR/),
    ]);
  });

  test.each<[number, string[]]>([
    [
      59,
      [
        `aws.quotas.rulesPerSecurityGroup = 59: must be at least AWS's default, 60 (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups)`,
      ],
    ],
    [1000, []],
    [
      1001,
      [
        `aws.quotas.rulesPerSecurityGroup = 1001: must be at most 1000, the most AWS raises it to (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups)`,
      ],
    ],
  ])("a raised quota of %i", (value, expected) => {
    expect(problems((r) => (r.aws = { quotas: { rulesPerSecurityGroup: value } }))).toEqual(expected);
  });
});

describe("VPCs created per account and Region within the quota, or a raised quota in the config", () => {
  /** `n` consumers creating VPCs in `accountId`, in ap-northeast-1. */
  const consumers =
    (n: number, accountId = "222222222222") =>
    (r: Raw) =>
      (r.consumers = Array.from({ length: n }, (_, i) => ({
        ...structuredClone(r.consumers[0]),
        name: `c${i}`,
        accountId,
        network: { create: { vpcCidr: `10.${i + 1}.0.0/16`, azIds: ["apne1-az1", "apne1-az4"] } },
      })));
  const over = (path: string, place: string, total: number) =>
    expect.stringMatching(
      new RegExp(
        `^${path.replace(/[.[\]]/g, "\\$&")} = .*: brings the VPCs this config creates in ${place} to 6 \\(${total} in all\\), over the quota of 5 VPCs per Region in an account .*\\(AWS's default; quota vpc L-F678F1CE, https://docs\\.aws\\.amazon\\.com/vpc/latest/userguide/amazon-vpc-limits\\.html#vpc-limits-vpcs-subnets\\)\\. Ways out: raise the quota and set aws\\.quotas\\.vpcsPerRegion, or give some stacks an existing VPC \\(network\\.existing\\)$`,
      ),
    );
  test.each<[string, (r: Raw) => void, unknown[]]>([
    ["five in one account and Region: exactly the quota", consumers(5), []],
    ["seven: named at the sixth", consumers(7), [over("consumers[5].network.create", "account 222222222222, Region ap-northeast-1", 7)]],
    [
      "the provider's VPC counts with the consumers' in its account",
      consumers(5, "111111111111"),
      [over("consumers[4].network.create", "account 111111111111, Region ap-northeast-1", 6)],
    ],
    [
      "six over two accounts: counted per account",
      (r) => {
        consumers(6)(r);
        r.consumers[5].accountId = "333333333333";
      },
      [],
    ],
    [
      "existing VPCs are not created: not counted",
      (r) => {
        consumers(6)(r);
        r.consumers[5].network = {
          existing: { vpcId: "vpc-0123456789abcdef0", endpointSubnetIds: ["subnet-0123456789abcdef1", "subnet-0123456789abcdef2"] },
        };
        r.consumers[5].clientCidrs = ["10.6.0.0/16"];
      },
      [],
    ],
    [
      "six with the quota raised to 6",
      (r) => {
        consumers(6)(r);
        r.aws = { quotas: { vpcsPerRegion: 6 } };
      },
      [],
    ],
  ])("%s", (_name, edit, expected) => {
    expect(problems(edit)).toEqual(expected);
  });

  test("a raised quota below AWS's default is refused; AWS names no most", () => {
    expect(problems((r) => (r.aws = { quotas: { vpcsPerRegion: 4 } }))).toEqual([
      "aws.quotas.vpcsPerRegion = 4: must be at least AWS's default, 5 (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-vpcs-subnets)",
    ]);
    expect(problems((r) => (r.aws = { quotas: { vpcsPerRegion: 500 } }))).toEqual([]);
  });
});

describe("values AWS or Terraform would read differently, or that would not work", () => {
  test.each<[string, (r: Raw) => void, string[]]>([
    [
      "a CIDR with a leading zero (octal to some tools, refused by Terraform)",
      (r) => (r.provider.network.create.vpcCidr = "10.0.00.0/16"),
      [
        'provider.network.create.vpcCidr = "10.0.00.0/16": has a number with a leading zero: Terraform refuses it and other tools read it as octal; write the numbers in plain decimal (https://pkg.go.dev/net#ParseCIDR)',
      ],
    ],
    [
      "a client CIDR with a leading zero in its prefix length",
      (r) => (r.consumers[0].clientCidrs = ["10.1.0.0/016"]),
      [
        'consumers[0].clientCidrs[0] = "10.1.0.0/016": has a number with a leading zero: Terraform refuses it and other tools read it as octal; write the numbers in plain decimal (https://pkg.go.dev/net#ParseCIDR)',
      ],
    ],
    ["zeros that are whole numbers are fine", (r) => (r.consumers[0].clientCidrs = ["10.0.0.0/16", "100.64.0.0/10"]), []],
    [
      "the health check at the service root",
      (r) => (r.service.healthCheckPath = "/"),
      [
        'service.healthCheckPath = "/": must not be the service root: the ALB answers this path itself with the health text, so every call to / would never reach the function',
      ],
    ],
    [
      'a name starting with "sg-", which every security group name would then start with',
      (r) => (r.name = "sg-orders"),
      [
        'name = "sg-orders": must not start with "sg-": it starts every resource name, and AWS reserves that prefix in a security group name (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html)',
      ],
    ],
    ['a consumer named "sg-x": its names start with the app\'s name', (r) => (r.consumers[0].name = "sg-x"), []],
    [
      "code signing with the zip built at synth",
      (r) => (r.lambda.codeSigningConfigArn = "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-0123456789abcdef0"),
      [
        'lambda.codeSigningConfigArn = "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-con…(84 characters in all): needs lambda.signedPackage (the bucket, key and version AWS Signer wrote): the zip built at synth is unsigned, so Lambda would block it or check nothing (https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html)',
      ],
    ],
    [
      "a signed package without a code signing config",
      (r) => (r.lambda.signedPackage = { bucket: "signed", key: "hello.zip", objectVersion: "v1" }),
      [
        'lambda.signedPackage = {"bucket":"signed","key":"hello.zip","objectVersion":"v1"}: only applies with lambda.codeSigningConfigArn, which makes Lambda verify its signature (https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html)',
      ],
    ],
    [
      "code signing with a signed package",
      (r) => {
        r.lambda.codeSigningConfigArn = "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-0123456789abcdef0";
        r.lambda.signedPackage = { bucket: "signed", key: "hello.zip", objectVersion: "v1" };
      },
      [],
    ],
    ["a Region of the table outside the usual code pattern", consumerIn("eusc-de-east-1", ["x-az1", "x-az2"]), expect.any(Array)],
  ])("%s", (_name, edit, expected) => {
    const lines = problems(edit);
    expect(lines).toEqual(expected);
    expect(lines.filter((l) => l.includes("must be an AWS Region code"))).toEqual([]);
  });
});

describe("a role a stack assumes is in that stack's account", () => {
  const role = (account: string, path = "") => ({ roleArn: `arn:aws:iam::${account}:role/${path}deploy` });
  const refused = (field: string, account: string, stackField: string, own: string) =>
    `${field} = "arn:aws:iam::${account}:role/deploy": is a role of account ${account}, not of ${stackField} (${own}): Terraform acts in the account of the role it assumes, and the stack's provider allows ${own} only. Give a role of ${own}, or the account the stack is meant for`;
  test.each<[string, (r: Raw) => void, string[]]>([
    ["the provider's role in its account", (r) => (r.provider.assumeRole = role("111111111111")), []],
    ["a role with a path (role/ops/deploy), as IAM allows", (r) => (r.provider.assumeRole = role("111111111111", "ops/team-a/")), []],
    [
      "an IAM Identity Center role (role/aws-reserved/sso.amazonaws.com/…)",
      (r) => (r.provider.assumeRole = role("111111111111", "aws-reserved/sso.amazonaws.com/ap-northeast-1/AWSReservedSSO_Admin_0123abcd/")),
      [],
    ],
    [
      "the provider's role in another account",
      (r) => (r.provider.assumeRole = role("999999999999")),
      [refused("provider.assumeRole.roleArn", "999999999999", "provider.accountId", "111111111111")],
    ],
    ["a consumer's role in its account", (r) => (r.consumers[0].assumeRole = role("222222222222")), []],
    [
      "a consumer's role in the provider's account",
      (r) => (r.consumers[0].assumeRole = role("111111111111")),
      [refused("consumers[0].assumeRole.roleArn", "111111111111", "consumers[0].accountId", "222222222222")],
    ],
    [
      "a user's ARN where a role goes",
      (r) => (r.provider.assumeRole = { roleArn: "arn:aws:iam::111111111111:user/bob" }),
      [
        'provider.assumeRole.roleArn = "arn:aws:iam::111111111111:user/bob": must be an IAM role ARN such as "arn:aws:iam::111111111111:role/deploy" or, with a path, ":role/ops/deploy"',
      ],
    ],
  ])("%s", (_name, edit, expected) => {
    // GIVEN the default config with this role to assume; WHEN validated; THEN exactly these problems
    expect(problems(edit)).toEqual(expected);
  });
});

describe("one VPC per consumer", () => {
  const existing = (vpcId: string) => ({ existing: { vpcId, endpointSubnetIds: ["subnet-0123456789abcdef1"] } });
  const two =
    (vpcA: string, vpcB: string, accountB = "222222222222") =>
    (r: Raw) => {
      r.consumers = [
        { ...r.consumers[0], network: existing(vpcA), clientCidrs: ["10.1.0.0/16"] },
        { ...r.consumers[0], name: "second", accountId: accountB, network: existing(vpcB), clientCidrs: ["10.2.0.0/16"] },
      ];
    };
  test.each<[string, (r: Raw) => void, string[]]>([
    ["two consumers, two VPCs", two("vpc-0123456789abcdef0", "vpc-0123456789abcdef1"), []],
    ["the same VPC ID in two accounts (different VPCs)", two("vpc-0123456789abcdef0", "vpc-0123456789abcdef0", "333333333333"), []],
    [
      "two consumers in one VPC",
      two("vpc-0123456789abcdef0", "vpc-0123456789abcdef0"),
      [
        'consumers[1].network.existing.vpcId = "vpc-0123456789abcdef0": is consumer "main"\'s VPC too; give each consumer its own VPC (one endpoint per VPC serves all of its clients)',
      ],
    ],
  ])("%s", (_name, edit, expected) => {
    expect(problems(edit)).toEqual(expected);
  });
});
