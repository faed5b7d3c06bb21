/**
 * AWS quotas the app plans around, with their defaults. A quota an account has raised is set
 * in the config (`aws.quotas`); the app then plans with that value.
 *
 * Sources:
 * - VPC: https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
 * - PrivateLink: https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html
 * - ALB: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
 * - IAM: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * - Lambda: https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 * - Tags: https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
 */

/** One quota: its default and where AWS documents it. */
export interface Quota {
  /** What is limited, as a person would say it. */
  readonly what: string;
  readonly default: number;
  /** The Service Quotas code, for `aws service-quotas get-service-quota`. */
  readonly code?: string;
  /** The most it can be raised to, where AWS says. */
  readonly max?: number;
  readonly source: string;
}

const VPC = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html";

/** The quotas, by the name the config uses for them. */
export const QUOTAS = {
  rulesPerSecurityGroup: {
    what: "inbound (and, separately, outbound) rules per security group",
    default: 60,
    code: "vpc L-0EA8095F",
    // AWS caps this quota times security groups per network interface at 1,000.
    max: 1000,
    source: `${VPC}#vpc-limits-security-groups`,
  },
  securityGroupsPerNetworkInterface: {
    what: "security groups per network interface (an NLB's or an interface endpoint's)",
    default: 5,
    code: "vpc L-2AFB9258",
    max: 16,
    source: `${VPC}#vpc-limits-security-groups`,
  },
  vpcsPerRegion: {
    what: "VPCs per Region in an account (its default VPC, and VPCs made elsewhere, count too)",
    default: 5,
    code: "vpc L-F678F1CE",
    source: `${VPC}#vpc-limits-vpcs-subnets`,
  },
  interfaceEndpointsPerVpc: {
    what: "interface VPC endpoints per VPC",
    default: 50,
    code: "vpc L-29B6F2EB",
    source: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html",
  },
  rulesPerApplicationLoadBalancer: {
    what: "rules per Application Load Balancer (default rules not counted)",
    default: 100,
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html",
  },
  lambdaConcurrentExecutions: {
    what: "concurrent executions of Lambda functions per Region in an account",
    default: 1000,
    code: "lambda L-B99A9384",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html",
  },
  iamRolesPerAccount: {
    what: "IAM roles per account",
    default: 1000,
    code: "iam L-FE177D64",
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
  },
} as const satisfies Record<string, Quota>;

/** The name of a quota. */
export type QuotaName = keyof typeof QUOTAS;

/** Quotas the app's output depends on, which the config can raise (`aws.quotas`). */
export const RAISABLE_QUOTAS = [
  "rulesPerSecurityGroup",
  "vpcsPerRegion",
  "lambdaConcurrentExecutions",
] as const satisfies readonly QuotaName[];
export type RaisableQuota = (typeof RAISABLE_QUOTAS)[number];

/** Quota values in effect: the defaults, with the config's raised values on top. */
export type QuotaValues = Readonly<Record<QuotaName, number>>;

/** The defaults, with `raised` on top. */
export function quotaValues(raised: Partial<Record<RaisableQuota, number>> = {}): QuotaValues {
  const names = Object.keys(QUOTAS) as QuotaName[];
  return Object.fromEntries(names.map((n) => [n, (raised as Partial<Record<QuotaName, number>>)[n] ?? QUOTAS[n].default])) as QuotaValues;
}

/** "60 inbound rules per security group (vpc L-0EA8095F, <source>)". */
export function describeQuota(name: QuotaName, value: number): string {
  const q: Quota = QUOTAS[name];
  return `${value} ${q.what} (${value === q.default ? "AWS's default" : "raised in aws.quotas"}; quota ${q.code ?? "-"}, ${q.source})`;
}
