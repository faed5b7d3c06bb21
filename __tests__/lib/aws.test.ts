/**
 * AWS's rules as data (lib/aws): every entry has its source, the tables agree with
 * themselves, and each check over them accepts a good input and refuses a bad one.
 */
import { Testing } from "../../lib/cdktf";
import { NAME_RULES, NameKind, nameProblem } from "../../lib/aws/names";
import { refusedNames, resourcesOf, DeployedStack } from "../../lib/aws/name-checks";
import { describeQuota, QUOTAS, quotaValues } from "../../lib/aws/quotas";
import {
  crossRegionAzProblem,
  NO_CROSS_REGION_AZ_IDS,
  partitionOf,
  REGION_SOURCES,
  REGIONS,
  regionFacts,
  regionOfAzIdPrefix,
} from "../../lib/aws/regions";
import { TAG_RULES } from "../../lib/aws/tags";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { TerraformStack } from "../../lib/cdktf";

const HTTPS_SOURCE = /^https:\/\/[a-z0-9.-]+\.(amazon\.com|aws|go\.dev)\//;

describe("Regions", () => {
  test("every Region's published AZ IDs carry its own prefix, and no two Regions share a prefix", () => {
    for (const [region, facts] of Object.entries(REGIONS)) {
      for (const id of facts.azIds) expect({ region, id, ok: id.startsWith(`${facts.azIdPrefix}-az`) }).toEqual({ region, id, ok: true });
    }
    const prefixes = Object.values(REGIONS).flatMap((f) => (f.azIdPrefix ? [f.azIdPrefix] : []));
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  test("every public, China and GovCloud Region has a partition; the prefix is never derived from the code", () => {
    expect(partitionOf("ap-northeast-1")).toBe("aws");
    expect(partitionOf("cn-northwest-1")).toBe("aws-cn");
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
    expect(partitionOf("eusc-de-east-1")).toBe("aws-eusc");
    // ap-northeast-1's prefix is apne1, eu-central-1's euc1, ca-central-1's cac1: no rule makes them.
    expect([REGIONS["ap-northeast-1"].azIdPrefix, REGIONS["eu-central-1"].azIdPrefix, REGIONS["ca-central-1"].azIdPrefix]).toEqual([
      "apne1",
      "euc1",
      "cac1",
    ]);
    expect(Object.values(REGIONS).filter((f) => f.partition === "aws").length).toBeGreaterThanOrEqual(34);
  });

  test.each([
    ["us-gov-north-1", "aws-us-gov"],
    ["cn-south-1", "aws-cn"],
    ["us-iso-east-1", "aws-iso"],
    ["us-isob-east-1", "aws-iso-b"],
    ["us-isof-south-1", "aws-iso-f"],
    ["eu-isoe-west-1", "aws-iso-e"],
    ["eusc-de-west-1", "aws-eusc"],
    ["xx-new-1", "aws"],
  ])("a Region the table does not list, %s, gets its partition from its code: %s", (region, partition) => {
    expect(regionFacts(region)).toBeUndefined();
    expect(partitionOf(region)).toBe(partition);
  });

  test("lookups only find Regions, never object properties", () => {
    expect(regionFacts("constructor")).toBeUndefined();
    expect(regionFacts("toString")).toBeUndefined();
    expect(regionOfAzIdPrefix("apne3")).toBe("ap-northeast-3");
    expect(regionOfAzIdPrefix("zz9")).toBeUndefined();
  });

  test("cross-Region PrivateLink: the AZs that cannot use it are named, others pass", () => {
    for (const id of NO_CROSS_REGION_AZ_IDS) expect(crossRegionAzProblem(id)).toContain(REGION_SOURCES.crossRegion);
    expect(crossRegionAzProblem("apne1-az1")).toBeUndefined();
    expect(REGIONS["ap-northeast-1"].crossRegionPrivateLink).toBe(true);
    expect(REGIONS["cn-north-1"].crossRegionPrivateLink).toBe(false);
    for (const source of Object.values(REGION_SOURCES)) expect(source).toMatch(HTTPS_SOURCE);
  });
});

describe("name rules", () => {
  test("every rule has a source, a length and a pattern", () => {
    for (const [kind, rule] of Object.entries(NAME_RULES)) {
      expect({ kind, source: rule.source }).toEqual({ kind, source: expect.stringMatching(HTTPS_SOURCE) });
      expect(rule.maxLength).toBeGreaterThan(0);
    }
  });

  test.each<[NameKind, string, string | undefined]>([
    ["iamRole", "hello-privatelink-lambda", undefined],
    ["iamRole", "r".repeat(64), undefined],
    ["iamRole", "r".repeat(65), `is 65 characters; an IAM role name has at most 64 (${NAME_RULES.iamRole.source})`],
    ["iamRole", "has space", `may only hold letters, digits and _+=,.@- in an IAM role name (${NAME_RULES.iamRole.source})`],
    ["securityGroup", "hello-alb", undefined],
    [
      "securityGroup",
      "sg-hello",
      `must not start with "sg-" in a security group name: AWS reserves it (${NAME_RULES.securityGroup.source})`,
    ],
    ["loadBalancer", "hello-nlb", undefined],
    [
      "loadBalancer",
      "internal-hello",
      `must not start with "internal-" in a load balancer name: AWS reserves it (${NAME_RULES.loadBalancer.source})`,
    ],
    [
      "loadBalancer",
      "hello-",
      `may only hold letters, digits and hyphens, no hyphen first or last in a load balancer name (${NAME_RULES.loadBalancer.source})`,
    ],
    ["targetGroup", "t".repeat(33), `is 33 characters; a target group name has at most 32 (${NAME_RULES.targetGroup.source})`],
    ["logGroup", "/aws/lambda/hello", undefined],
    [
      "logGroup",
      "aws/lambda/hello",
      `must not start with "aws/" in a CloudWatch Logs log group name: AWS reserves it (${NAME_RULES.logGroup.source})`,
    ],
    [
      "lambdaFunction",
      "hello.world",
      `may only hold letters, digits, hyphens and underscores in a Lambda function name (${NAME_RULES.lambdaFunction.source})`,
    ],
  ])("%s %j: %s", (kind, name, expected) => {
    expect(nameProblem(kind, name)).toBe(expected);
  });
});

describe("names across stacks", () => {
  const stack = (
    name: string,
    accountId: string,
    region: string,
    resources: Record<string, Record<string, Record<string, unknown>>>,
  ): DeployedStack => ({
    name,
    accountId,
    region,
    json: { resource: resources },
  });
  const role = (name: string) => ({ aws_iam_role: { flow_logs: { name } } });
  const logs = (name: string) => ({ aws_cloudwatch_log_group: { flow_logs: { name } } });

  test("an IAM role name twice in one account is refused, even across Regions and letter case", () => {
    expect(
      refusedNames([
        stack("consumer-a", "1", "ap-northeast-1", role("x-flow-logs")),
        stack("consumer-b", "1", "eu-west-1", role("X-Flow-Logs")),
      ]),
    ).toEqual([
      `an IAM role name "X-Flow-Logs" is used by both consumer-a's aws_iam_role.flow_logs and consumer-b's aws_iam_role.flow_logs in account 1; AWS requires it to be unique per account (${NAME_RULES.iamRole.source})`,
    ]);
  });

  test("a log group name is unique per account and Region: another Region or account is fine", () => {
    expect(
      refusedNames([
        stack("a", "1", "ap-northeast-1", logs("/x")),
        stack("b", "1", "eu-west-1", logs("/x")),
        stack("c", "2", "ap-northeast-1", logs("/x")),
      ]),
    ).toEqual([]);
    expect(refusedNames([stack("a", "1", "ap-northeast-1", logs("/x")), stack("b", "1", "ap-northeast-1", logs("/x"))])).toEqual([
      `a CloudWatch Logs log group name "/x" is used by both a's aws_cloudwatch_log_group.flow_logs and b's aws_cloudwatch_log_group.flow_logs in account 1 in ap-northeast-1; AWS requires it to be unique per account and Region (${NAME_RULES.logGroup.source})`,
    ]);
  });

  test("a name against its rule is refused; names Terraform computes are not compared", () => {
    expect(refusedNames([stack("p", "1", "r", role("r".repeat(65)))])).toEqual([
      `p's aws_iam_role.flow_logs is named "${"r".repeat(65)}", which is 65 characters; an IAM role name has at most 64 (${NAME_RULES.iamRole.source})`,
    ]);
    expect(refusedNames([stack("a", "1", "r", role("${var.x}")), stack("b", "1", "r", role("${var.x}"))])).toEqual([]);
  });

  test("resourcesOf reads the names a stack's constructs hold, by their addresses", () => {
    const s = new TerraformStack(Testing.app(), "s");
    new IamRole(s, "role", { name: "app-role", assumeRolePolicy: "{}" }).overrideLogicalId("role");
    new CloudwatchLogGroup(s, "logs", { name: "/app" }).overrideLogicalId("logs");
    expect(resourcesOf(s, ["aws_iam_role"])).toEqual({
      resource: { aws_iam_role: { role: expect.objectContaining({ name: "app-role" }) } },
    });
  });
});

describe("quotas and tags", () => {
  test("every quota has its default, code and source; raised values replace the default", () => {
    for (const [name, q] of Object.entries(QUOTAS)) {
      expect({ name, source: q.source }).toEqual({ name, source: expect.stringMatching(HTTPS_SOURCE) });
      expect(q.default).toBeGreaterThan(0);
    }
    expect(quotaValues().rulesPerSecurityGroup).toBe(60);
    expect(quotaValues({ rulesPerSecurityGroup: 120 }).rulesPerSecurityGroup).toBe(120);
    expect(describeQuota("rulesPerSecurityGroup", 60)).toContain("AWS's default; quota vpc L-0EA8095F");
    expect(describeQuota("rulesPerSecurityGroup", 120)).toContain("raised in aws.quotas");
  });

  test("tag rules: the strictest service's limits, with sources", () => {
    expect([TAG_RULES.maxKeyLength, TAG_RULES.maxValueLength, TAG_RULES.maxTags]).toEqual([127, 255, 50]);
    expect(TAG_RULES.pattern.test("Team: a/b=c+d-e@f_g.h")).toBe(true);
    expect(TAG_RULES.pattern.test("a&b")).toBe(false);
    expect([TAG_RULES.source, TAG_RULES.elbSource].every((s) => HTTPS_SOURCE.test(s))).toBe(true);
  });
});
