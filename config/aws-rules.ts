/**
 * AWS's own rules and quotas (lib/aws/), applied across the config's sections: partitions,
 * AZ IDs of the right Region, cross-Region PrivateLink, same-Region ARNs, roles assumed in
 * their stack's account, and the rule counts of the security groups the app writes. Each message names the field, the value's
 * problem, AWS's rule and its source.
 */
import type { z } from "zod";
import { partitionOf, REGION_SOURCES, regionFacts, crossRegionAzProblem } from "../lib/aws/regions";
import { describeQuota, quotaValues, QuotaValues } from "../lib/aws/quotas";
import type { AppConfigShape } from "./schema";

type Path = (string | number)[];

/** Adds an issue to `ctx` for every AWS rule `cfg` breaks. */
export function awsRules(cfg: AppConfigShape, ctx: z.RefinementCtx): void {
  const issue = (path: Path, message: string) => ctx.addIssue({ code: "custom", path, message });
  partitions(cfg, issue);
  azIdsOfRegion(cfg, issue);
  crossRegion(cfg, issue);
  sameRegionArns(cfg, issue);
  roleAccounts(cfg, issue);
  ruleQuotas(cfg, quotaValues(cfg.aws.quotas), issue);
  vpcQuotas(cfg, quotaValues(cfg.aws.quotas), issue);
}

/**
 * The VPCs the config creates, by place ("account 111111111111, Region ap-northeast-1"): the
 * field of each, in config order.
 */
export function createdVpcsByPlace(cfg: AppConfigShape): Map<string, Path[]> {
  const created = [
    ...(cfg.provider?.network.create
      ? [{ path: ["provider", "network", "create"], accountId: cfg.provider.accountId, region: cfg.provider.region }]
      : []),
    ...cfg.consumers.flatMap((c, i) =>
      c.network.create ? [{ path: ["consumers", i, "network", "create"], accountId: c.accountId, region: c.region }] : [],
    ),
  ];
  const byPlace = new Map<string, Path[]>();
  for (const vpc of created) {
    const key = `account ${vpc.accountId}, Region ${vpc.region}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), vpc.path]);
  }
  return byPlace;
}

/**
 * The VPCs the config creates in one account and Region stay within the VPCs-per-Region quota:
 * past it, the stacks after the quota's last VPC fail at apply (VpcLimitExceeded). Named at
 * the first VPC over it.
 */
function vpcQuotas(cfg: AppConfigShape, quotas: QuotaValues, issue: Issue): void {
  const limit = quotas.vpcsPerRegion;
  for (const [place, paths] of createdVpcsByPlace(cfg)) {
    if (paths.length > limit) {
      issue(
        paths[limit],
        `brings the VPCs this config creates in ${place} to ${limit + 1} (${paths.length} in all), over the quota of ${describeQuota("vpcsPerRegion", limit)}. Ways out: raise the quota and set aws.quotas.vpcsPerRegion, or give some stacks an existing VPC (network.existing)`,
      );
    }
  }
}

type Issue = (path: Path, message: string) => void;

/** Every stack and every service lives in one partition: PrivateLink never crosses them. */
function partitions(cfg: AppConfigShape, issue: Issue): void {
  // zod runs these rules even on a config its sections refused: with no provider and an
  // empty consumer list ("must list at least one consumer") there is no stack to compare.
  if (!cfg.provider && cfg.consumers.length === 0) return;
  const home = cfg.provider
    ? { region: cfg.provider.region, what: "provider.region" }
    : { region: cfg.consumers[0].region, what: "consumers[0].region" };
  const partition = partitionOf(home.region);
  const check = (path: Path, region: string) => {
    const other = partitionOf(region);
    if (other !== partition) {
      issue(
        path,
        `is in partition ${other}, ${home.what} (${home.region}) in ${partition}: PrivateLink, IAM principals and cross-stack state never cross partitions (${REGION_SOURCES.partitions})`,
      );
    }
  };
  cfg.consumers.forEach((c, i) => {
    check(["consumers", i, "region"], c.region);
    if (c.serviceRegion) check(["consumers", i, "serviceRegion"], c.serviceRegion);
  });
  const arnPartition = (arn: string) => arn.split(":")[1];
  const arns: [Path, string | undefined, string][] = [
    [["service", "certificateArn"], cfg.service.certificateArn, partition],
    [["lambda", "logKmsKeyArn"], cfg.lambda.logKmsKeyArn, partition],
    [["provider", "network", "create", "flowLogs", "kmsKeyArn"], cfg.provider?.network.create?.flowLogs.kmsKeyArn, partition],
    [["provider", "assumeRole", "roleArn"], cfg.provider?.assumeRole?.roleArn, partition],
    ...cfg.consumers.map((c, i): [Path, string | undefined, string] => [
      ["consumers", i, "network", "create", "flowLogs", "kmsKeyArn"],
      c.network.create?.flowLogs.kmsKeyArn,
      partitionOf(c.region),
    ]),
    ...cfg.consumers.map((c, i): [Path, string | undefined, string] => [
      ["consumers", i, "assumeRole", "roleArn"],
      c.assumeRole?.roleArn,
      partitionOf(c.region),
    ]),
    ...cfg.service.allowedPrincipals.map(({ principal: p }, i): [Path, string | undefined, string] => [
      ["service", "allowedPrincipals", i, "principal"],
      p === "*" ? undefined : p,
      partition,
    ]),
  ];
  for (const [path, arn, expected] of arns) {
    if (arn && arnPartition(arn) !== expected) {
      issue(
        path,
        `is an ARN of partition ${arnPartition(arn)}; its stack is in ${expected} (ARNs name their partition: ${REGION_SOURCES.arns})`,
      );
    }
  }
}

/** AZ IDs carry their Region's prefix (`apne1-az1` is in ap-northeast-1). */
function azIdsOfRegion(cfg: AppConfigShape, issue: Issue): void {
  for (const { path, region, azIds } of createdAzIds(cfg)) {
    const prefix = regionFacts(region)?.azIdPrefix;
    if (!prefix) continue;
    azIds.forEach((id, i) => {
      if (!id.startsWith(`${prefix}-az`)) {
        issue(
          [...path, i],
          `is not an AZ ID of ${region}: its AZ IDs start with "${prefix}-az" (the prefix is Region-specific; ${REGION_SOURCES.azIds})`,
        );
      }
    });
  }
}

/**
 * The AZ IDs of each VPC the config creates: the field that lists them, and the VPC's Region.
 * (zod runs the rules on a config its sections refused too: a list that is not there is left out.)
 */
export function createdAzIds(cfg: AppConfigShape): { path: Path; region: string; azIds: readonly string[] }[] {
  const networks: { path: Path; region: string; azIds: readonly string[] | undefined }[] = [
    ...(cfg.provider
      ? [{ path: ["provider", "network", "create", "azIds"], region: cfg.provider.region, azIds: cfg.provider.network.create?.azIds }]
      : []),
    ...cfg.consumers.map((c, i) => ({
      path: ["consumers", i, "network", "create", "azIds"],
      region: c.region,
      azIds: c.network.create?.azIds,
    })),
  ];
  return networks.flatMap((n) => (Array.isArray(n.azIds) ? [{ ...n, azIds: n.azIds }] : []));
}

/** The Region of a consumer's service: the outside service's (its serviceRegion, else the consumer's own), else the provider's. */
export function serviceRegionOf(cfg: AppConfigShape, c: AppConfigShape["consumers"][number]): string | undefined {
  return c.serviceName ? (c.serviceRegion ?? c.region) : cfg.provider?.region;
}

/** A consumer in another Region than its service needs cross-Region PrivateLink in both. */
function crossRegion(cfg: AppConfigShape, issue: Issue): void {
  const declared = new Set(cfg.aws.crossRegionPrivateLinkRegions);
  const supports = (region: string) => declared.has(region) || regionFacts(region)?.crossRegionPrivateLink === true;
  const refuse = (path: Path, region: string, role: string) =>
    issue(
      path,
      `${region} is not known to support cross-Region PrivateLink (${role}); AWS lists the Regions in ${REGION_SOURCES.crossRegion}. If AWS has added it, list it in aws.crossRegionPrivateLinkRegions`,
    );
  cfg.consumers.forEach((c, i) => {
    const serviceRegion = serviceRegionOf(cfg, c);
    // An endpoint service's name carries its Region (com.amazonaws.vpce.<Region>.vpce-svc-…).
    const named = c.serviceName?.split(".")[3];
    if (named && named !== serviceRegion) {
      issue(
        c.serviceRegion ? ["consumers", i, "serviceRegion"] : ["consumers", i, "serviceName"],
        c.serviceRegion
          ? `is not the Region serviceName names (${named}): an endpoint service's name carries its Region; set serviceRegion to "${named}"`
          : `names a service in ${named}, not in the consumer's Region (${c.region}): for a cross-Region endpoint, set serviceRegion to "${named}" (${REGION_SOURCES.crossRegion})`,
      );
      return;
    }
    if (!serviceRegion || serviceRegion === c.region) return;
    if (!supports(c.region)) refuse(["consumers", i, "region"], c.region, `the consumer's Region, ${serviceRegion} the service's`);
    if (!supports(serviceRegion)) {
      refuse(
        c.serviceName ? ["consumers", i, "serviceRegion"] : ["provider", "region"],
        serviceRegion,
        `the service's Region, for consumer "${c.name}" in ${c.region}`,
      );
    }
    c.network.create?.azIds.forEach((id, j) => {
      const problem = crossRegionAzProblem(id);
      if (problem) issue(["consumers", i, "network", "create", "azIds", j], problem);
    });
  });
}

const CERTIFICATES_SOURCE = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html";
const LOG_KEYS_SOURCE = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html";

/**
 * ACM certificates and KMS keys must be in the Region of the resource that uses them, and
 * the ALB's certificate in its account too: ACM certificates are never shared between
 * accounts, so a listener given another account's fails with CertificateNotFound.
 */
function sameRegionArns(cfg: AppConfigShape, issue: Issue): void {
  const check = (path: Path, arn: string | undefined, what: string, region: string, whose: string, source: string) => {
    const arnRegion = arn?.split(":")[3];
    if (arn && arnRegion !== region) issue(path, `is in ${arnRegion}; ${what} must be in ${whose} Region, ${region} (${source})`);
  };
  cfg.consumers.forEach((c, i) =>
    check(
      ["consumers", i, "network", "create", "flowLogs", "kmsKeyArn"],
      c.network.create?.flowLogs.kmsKeyArn,
      "the flow logs' KMS key",
      c.region,
      "the consumer's",
      LOG_KEYS_SOURCE,
    ),
  );
  if (!cfg.provider) return;
  const { region, accountId } = cfg.provider;
  check(["service", "certificateArn"], cfg.service.certificateArn, "the ALB's certificate", region, "the provider's", CERTIFICATES_SOURCE);
  const certificateAccount = cfg.service.certificateArn?.split(":")[4];
  if (certificateAccount && certificateAccount !== accountId) {
    issue(
      ["service", "certificateArn"],
      `is a certificate of account ${certificateAccount}; the ALB's certificate must be in the provider's account, ${accountId}: ACM certificates are not shared between accounts (${CERTIFICATES_SOURCE})`,
    );
  }
  check(["lambda", "logKmsKeyArn"], cfg.lambda.logKmsKeyArn, "the log group's KMS key", region, "the provider's", LOG_KEYS_SOURCE);
  check(
    ["provider", "network", "create", "flowLogs", "kmsKeyArn"],
    cfg.provider.network.create?.flowLogs.kmsKeyArn,
    "the flow logs' KMS key",
    region,
    "the provider's",
    LOG_KEYS_SOURCE,
  );
}

/**
 * A role a stack assumes is in that stack's account: Terraform then acts as that role, in its
 * account, and the stack's provider allows its own account only (allowed_account_ids), so a
 * role of another account fails every plan ("AWS account ID not allowed").
 */
function roleAccounts(cfg: AppConfigShape, issue: Issue): void {
  const check = (path: Path, role: string | undefined, accountId: string, field: string) => {
    const account = role?.split(":")[4];
    if (role && account !== accountId) {
      issue(
        path,
        `is a role of account ${account}, not of ${field} (${accountId}): Terraform acts in the account of the role it assumes, and the stack's provider allows ${accountId} only. Give a role of ${accountId}, or the account the stack is meant for`,
      );
    }
  };
  if (cfg.provider)
    check(["provider", "assumeRole", "roleArn"], cfg.provider.assumeRole?.roleArn, cfg.provider.accountId, "provider.accountId");
  cfg.consumers.forEach((c, i) =>
    check(["consumers", i, "assumeRole", "roleArn"], c.assumeRole?.roleArn, c.accountId, `consumers[${i}].accountId`),
  );
}

/** The security groups the app writes stay within the rules-per-group quota. */
function ruleQuotas(cfg: AppConfigShape, quotas: QuotaValues, issue: Issue): void {
  const limit = quotas.rulesPerSecurityGroup;
  const quota = describeQuota("rulesPerSecurityGroup", limit);
  const own = cfg.consumers.filter((c) => !c.serviceName);
  if (cfg.provider && cfg.service.privateLinkInboundRules === "on") {
    const cidrs = new Set([
      ...own.flatMap((c) => c.clientCidrs ?? (c.network.create ? [c.network.create.vpcCidr] : [])),
      ...cfg.service.allowedPrincipals.flatMap((p) => p.clientCidrs ?? []),
    ]);
    if (cidrs.size > limit) {
      issue(
        ["consumers"],
        `give the NLB's security group ${cidrs.size} inbound rules, one per distinct client CIDR of the consumers and service.allowedPrincipals, over the quota of ${quota}. Ways out: raise the quota and set aws.quotas.rulesPerSecurityGroup, merge client CIDRs into wider blocks, or set service.privateLinkInboundRules: "off"`,
      );
    }
  }
  cfg.consumers.forEach((c, i) => {
    const count = c.clientCidrs?.length ?? 0;
    if (count > limit) {
      issue(
        ["consumers", i, "clientCidrs"],
        `lists ${count} CIDRs, one inbound rule each on the endpoint's security group, over the quota of ${quota}. Ways out: raise the quota and set aws.quotas.rulesPerSecurityGroup, or merge CIDRs into wider blocks`,
      );
    }
  });
  if (cfg.lambda.egress.length > limit) {
    issue(
      ["lambda", "egress"],
      `lists ${cfg.lambda.egress.length} rules, one outbound rule each on the function's security group, over the quota of ${quota}. Ways out: raise the quota and set aws.quotas.rulesPerSecurityGroup, or merge destinations`,
    );
  }
}
