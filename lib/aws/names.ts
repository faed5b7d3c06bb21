/**
 * AWS's rules for the names the app gives resources, as data: length, characters, reserved
 * prefixes, and where each name must be unique. Names are built from the config's `name`
 * and consumer names; the config is checked against these rules at synth (config/rules.ts).
 */

/** The rule for one kind of name. */
export interface NameRule {
  /** The kind of name, with its article ("an IAM role name"). */
  readonly what: string;
  readonly maxLength: number;
  /** The characters allowed, as a pattern over the whole name. */
  readonly pattern: RegExp;
  /** The characters allowed, in words. */
  readonly chars: string;
  /** Prefixes AWS refuses (compared case-sensitively unless `ignoreCase`). */
  readonly reservedPrefixes?: readonly string[];
  /** Where two names must differ: per account (all Regions), or per account and Region. */
  readonly unique: "account" | "account and Region" | "VPC";
  readonly source: string;
}

/** The names this app creates, by kind. */
export const NAME_RULES = {
  iamRole: {
    what: "an IAM role name",
    maxLength: 64,
    pattern: /^[\w+=,.@-]+$/,
    chars: "letters, digits and _+=,.@-",
    unique: "account",
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
  },
  logGroup: {
    what: "a CloudWatch Logs log group name",
    maxLength: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    chars: "letters, digits and ._-/#",
    reservedPrefixes: ["aws/"],
    unique: "account and Region",
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
  },
  securityGroup: {
    what: "a security group name",
    maxLength: 255,
    pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
    chars: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
    reservedPrefixes: ["sg-"],
    unique: "VPC",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
  },
  loadBalancer: {
    what: "a load balancer name",
    maxLength: 32,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    chars: "letters, digits and hyphens, no hyphen first or last",
    reservedPrefixes: ["internal-"],
    unique: "account and Region",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
  },
  targetGroup: {
    what: "a target group name",
    maxLength: 32,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    chars: "letters, digits and hyphens, no hyphen first or last",
    unique: "account and Region",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
  },
  lambdaFunction: {
    what: "a Lambda function name",
    maxLength: 64,
    pattern: /^[a-zA-Z0-9_-]+$/,
    chars: "letters, digits, hyphens and underscores",
    unique: "account and Region",
    source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName",
  },
  metricAlarm: {
    what: "a CloudWatch alarm name",
    maxLength: 255,
    // No control characters; ours are letters, digits and hyphens.
    pattern: /^[^\x00-\x1f\x7f]+$/,
    chars: "printable characters",
    unique: "account and Region",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
  },
  dashboard: {
    what: "a CloudWatch dashboard name",
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    chars: "letters, digits, - and _",
    // Dashboards are not Regional: one name per account.
    unique: "account",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html",
  },
  snsTopic: {
    what: "an SNS topic name",
    maxLength: 256,
    pattern: /^[A-Za-z0-9_-]+$/,
    chars: "letters, digits, - and _",
    unique: "account and Region",
    source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
  },
  kmsAlias: {
    what: "a KMS alias name",
    maxLength: 256,
    pattern: /^alias\/[A-Za-z0-9/_-]+$/,
    chars: 'letters, digits and /_- after "alias/"',
    reservedPrefixes: ["alias/aws/"],
    unique: "account and Region",
    source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
  },
} as const satisfies Record<string, NameRule>;

/** The kind of a name. */
export type NameKind = keyof typeof NAME_RULES;

/** Why `name` breaks the rule of `kind`, or undefined when it follows it. */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  const rule: NameRule = NAME_RULES[kind];
  if (name.length > rule.maxLength) return `is ${name.length} characters; ${rule.what} has at most ${rule.maxLength} (${rule.source})`;
  if (!rule.pattern.test(name)) return `may only hold ${rule.chars} in ${rule.what} (${rule.source})`;
  const reserved = rule.reservedPrefixes?.find((p) => name.startsWith(p));
  if (reserved) return `must not start with "${reserved}" in ${rule.what}: AWS reserves it (${rule.source})`;
  return undefined;
}
