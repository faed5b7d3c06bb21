/**
 * AWS Regions as data: partition, the prefix of their AZ IDs, the AZ IDs AWS publishes, and
 * whether cross-Region PrivateLink is known to work there.
 *
 * Sources:
 * - Regions and partitions: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 *   and the SDK's partitions table, https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json
 * - AZ IDs (their prefix is Region-specific and must not be derived from the Region code):
 *   https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html ;
 *   China and GovCloud: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/endpoints-quotas.html
 *   (cn-northwest-1's "cnnw1" is not in an AWS page; it agrees with every account's CLI output seen)
 * - Cross-Region PrivateLink (launched 2024-11, more Regions 2024-12 and 2025-03):
 *   https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html#endpoint-service-cross-region ,
 *   https://aws.amazon.com/about-aws/whats-new/2024/11/aws-privatelink-across-region-connectivity/ ,
 *   https://aws.amazon.com/about-aws/whats-new/2024/12/aws-private-link-cross-region-connectivity-additional-regions ,
 *   https://aws.amazon.com/about-aws/whats-new/2025/03/aws-privatelink-cross-region-connectivity-6-additional-regions/ .
 *   AWS's guide names no list; the flags below follow those announcements. A Region AWS has
 *   added since can be declared in the config (aws.crossRegionPrivateLinkRegions).
 */

/** The partitions PrivateLink never crosses. */
export type Partition = "aws" | "aws-cn" | "aws-us-gov" | "aws-eusc";

/** What the app knows of one Region. */
export interface RegionFacts {
  readonly partition: Partition;
  /** The prefix of the Region's AZ IDs (`apne1` in `apne1-az1`); undefined where unknown. */
  readonly azIdPrefix: string | undefined;
  /** The AZ IDs AWS publishes for the Region (an account may see fewer). */
  readonly azIds: readonly string[];
  /** Endpoint services here can list other Regions, and endpoints here can reach other Regions. */
  readonly crossRegionPrivateLink: boolean;
}

/** Every Region the app knows, by code. */
export const REGIONS: Readonly<Record<string, RegionFacts>> = {
  "us-east-1": {
    partition: "aws",
    azIdPrefix: "use1",
    azIds: ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"],
    crossRegionPrivateLink: true,
  },
  "us-east-2": { partition: "aws", azIdPrefix: "use2", azIds: ["use2-az1", "use2-az2", "use2-az3"], crossRegionPrivateLink: true },
  "us-west-1": { partition: "aws", azIdPrefix: "usw1", azIds: ["usw1-az1", "usw1-az2", "usw1-az3"], crossRegionPrivateLink: true },
  "us-west-2": {
    partition: "aws",
    azIdPrefix: "usw2",
    azIds: ["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"],
    crossRegionPrivateLink: true,
  },
  "af-south-1": { partition: "aws", azIdPrefix: "afs1", azIds: ["afs1-az1", "afs1-az2", "afs1-az3"], crossRegionPrivateLink: true },
  "ap-east-1": { partition: "aws", azIdPrefix: "ape1", azIds: ["ape1-az1", "ape1-az2", "ape1-az3"], crossRegionPrivateLink: true },
  "ap-east-2": { partition: "aws", azIdPrefix: "ape2", azIds: ["ape2-az1", "ape2-az2", "ape2-az3"], crossRegionPrivateLink: false },
  "ap-northeast-1": {
    partition: "aws",
    azIdPrefix: "apne1",
    azIds: ["apne1-az1", "apne1-az2", "apne1-az3", "apne1-az4"],
    crossRegionPrivateLink: true,
  },
  "ap-northeast-2": {
    partition: "aws",
    azIdPrefix: "apne2",
    azIds: ["apne2-az1", "apne2-az2", "apne2-az3", "apne2-az4"],
    crossRegionPrivateLink: true,
  },
  "ap-northeast-3": { partition: "aws", azIdPrefix: "apne3", azIds: ["apne3-az1", "apne3-az2", "apne3-az3"], crossRegionPrivateLink: true },
  "ap-south-1": { partition: "aws", azIdPrefix: "aps1", azIds: ["aps1-az1", "aps1-az2", "aps1-az3"], crossRegionPrivateLink: true },
  "ap-south-2": { partition: "aws", azIdPrefix: "aps2", azIds: ["aps2-az1", "aps2-az2", "aps2-az3"], crossRegionPrivateLink: true },
  "ap-southeast-1": { partition: "aws", azIdPrefix: "apse1", azIds: ["apse1-az1", "apse1-az2", "apse1-az3"], crossRegionPrivateLink: true },
  "ap-southeast-2": { partition: "aws", azIdPrefix: "apse2", azIds: ["apse2-az1", "apse2-az2", "apse2-az3"], crossRegionPrivateLink: true },
  "ap-southeast-3": { partition: "aws", azIdPrefix: "apse3", azIds: ["apse3-az1", "apse3-az2", "apse3-az3"], crossRegionPrivateLink: true },
  "ap-southeast-4": { partition: "aws", azIdPrefix: "apse4", azIds: ["apse4-az1", "apse4-az2", "apse4-az3"], crossRegionPrivateLink: true },
  "ap-southeast-5": {
    partition: "aws",
    azIdPrefix: "apse5",
    azIds: ["apse5-az1", "apse5-az2", "apse5-az3"],
    crossRegionPrivateLink: false,
  },
  "ap-southeast-6": {
    partition: "aws",
    azIdPrefix: "apse6",
    azIds: ["apse6-az1", "apse6-az2", "apse6-az3"],
    crossRegionPrivateLink: false,
  },
  "ap-southeast-7": {
    partition: "aws",
    azIdPrefix: "apse7",
    azIds: ["apse7-az1", "apse7-az2", "apse7-az3"],
    crossRegionPrivateLink: false,
  },
  "ca-central-1": { partition: "aws", azIdPrefix: "cac1", azIds: ["cac1-az1", "cac1-az2", "cac1-az4"], crossRegionPrivateLink: true },
  "ca-west-1": { partition: "aws", azIdPrefix: "caw1", azIds: ["caw1-az1", "caw1-az2", "caw1-az3"], crossRegionPrivateLink: true },
  "eu-central-1": { partition: "aws", azIdPrefix: "euc1", azIds: ["euc1-az1", "euc1-az2", "euc1-az3"], crossRegionPrivateLink: true },
  "eu-central-2": { partition: "aws", azIdPrefix: "euc2", azIds: ["euc2-az1", "euc2-az2", "euc2-az3"], crossRegionPrivateLink: true },
  "eu-north-1": { partition: "aws", azIdPrefix: "eun1", azIds: ["eun1-az1", "eun1-az2", "eun1-az3"], crossRegionPrivateLink: true },
  "eu-south-1": { partition: "aws", azIdPrefix: "eus1", azIds: ["eus1-az1", "eus1-az2", "eus1-az3"], crossRegionPrivateLink: true },
  "eu-south-2": { partition: "aws", azIdPrefix: "eus2", azIds: ["eus2-az1", "eus2-az2", "eus2-az3"], crossRegionPrivateLink: true },
  "eu-west-1": { partition: "aws", azIdPrefix: "euw1", azIds: ["euw1-az1", "euw1-az2", "euw1-az3"], crossRegionPrivateLink: true },
  "eu-west-2": { partition: "aws", azIdPrefix: "euw2", azIds: ["euw2-az1", "euw2-az2", "euw2-az3"], crossRegionPrivateLink: true },
  "eu-west-3": { partition: "aws", azIdPrefix: "euw3", azIds: ["euw3-az1", "euw3-az2", "euw3-az3"], crossRegionPrivateLink: true },
  "il-central-1": { partition: "aws", azIdPrefix: "ilc1", azIds: ["ilc1-az1", "ilc1-az2", "ilc1-az3"], crossRegionPrivateLink: true },
  "me-central-1": { partition: "aws", azIdPrefix: "mec1", azIds: ["mec1-az1", "mec1-az2", "mec1-az3"], crossRegionPrivateLink: true },
  "me-south-1": { partition: "aws", azIdPrefix: "mes1", azIds: ["mes1-az1", "mes1-az2", "mes1-az3"], crossRegionPrivateLink: true },
  "mx-central-1": { partition: "aws", azIdPrefix: "mxc1", azIds: ["mxc1-az1", "mxc1-az2", "mxc1-az3"], crossRegionPrivateLink: false },
  "sa-east-1": { partition: "aws", azIdPrefix: "sae1", azIds: ["sae1-az1", "sae1-az2", "sae1-az3"], crossRegionPrivateLink: true },
  "cn-north-1": { partition: "aws-cn", azIdPrefix: "cnn1", azIds: [], crossRegionPrivateLink: false },
  "cn-northwest-1": { partition: "aws-cn", azIdPrefix: "cnnw1", azIds: [], crossRegionPrivateLink: false },
  "us-gov-east-1": { partition: "aws-us-gov", azIdPrefix: "usge1", azIds: [], crossRegionPrivateLink: false },
  "us-gov-west-1": { partition: "aws-us-gov", azIdPrefix: "usgw1", azIds: [], crossRegionPrivateLink: false },
  "eusc-de-east-1": { partition: "aws-eusc", azIdPrefix: undefined, azIds: [], crossRegionPrivateLink: false },
};

/** The facts of `region`, or undefined for a Region this table does not know. */
export function regionFacts(region: string): RegionFacts | undefined {
  return Object.prototype.hasOwnProperty.call(REGIONS, region) ? REGIONS[region] : undefined;
}

/** The Region whose AZ IDs start with `prefix`. */
export function regionOfAzIdPrefix(prefix: string): string | undefined {
  return Object.entries(REGIONS).find(([, facts]) => facts.azIdPrefix === prefix)?.[0];
}

/** Where AWS documents what the checks on Regions rely on. */
export const REGION_SOURCES = {
  partitions: "https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html",
  arns: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
  azIds: "https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html",
  crossRegion: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html#endpoint-service-cross-region",
} as const;

/** Partitions by Region-code prefix, for Regions the table does not list yet. */
const PARTITION_PREFIXES: readonly (readonly [string, string])[] = [
  ["cn-", "aws-cn"],
  ["us-gov-", "aws-us-gov"],
  ["us-isob-", "aws-iso-b"],
  ["us-isof-", "aws-iso-f"],
  ["eu-isoe-", "aws-iso-e"],
  ["us-iso-", "aws-iso"],
  ["eusc-", "aws-eusc"],
];

/** The partition of `region`: from the table, else from its code's prefix. */
export function partitionOf(region: string): string {
  return regionFacts(region)?.partition ?? PARTITION_PREFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

/**
 * AZs whose endpoints cannot use cross-Region PrivateLink.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html#endpoint-service-cross-region
 */
export const NO_CROSS_REGION_AZ_IDS: readonly string[] = ["use1-az3", "usw1-az2", "apne1-az3", "apne2-az2", "apne2-az4"];

/** Why an endpoint in `azId` cannot reach a service in another Region, if it cannot. */
export function crossRegionAzProblem(azId: string): string | undefined {
  return NO_CROSS_REGION_AZ_IDS.includes(azId)
    ? `is an AZ where endpoints cannot connect to a service in another Region (${REGION_SOURCES.crossRegion}): use another AZ`
    : undefined;
}
