/**
 * The config's field types: one zod schema per kind of value, each with the message that
 * says what is allowed. Sections (sections.ts) are built from these.
 */
import { z } from "zod";
import { hasLeadingZero, parseIpv4Cidr } from "../lib/cidr";
import { NAME_RULES, NameKind, NameRule } from "../lib/aws/names";
import { regionFacts } from "../lib/aws/regions";
import { TAG_RULES } from "../lib/aws/tags";
import { hostedZoneIdProblem, hostnameProblem } from "../lib/dns";

/**
 * An object's rules across its own fields, run only once every field passed its checks
 * (zod runs a `.superRefine` on refused values too, so a value would be named twice: by its
 * field, and again by the rule that read it). Used in place of `.superRefine` on objects.
 */
export const whenValid = <T extends z.ZodTypeAny>(schema: T, rule: (value: z.output<T>, ctx: z.RefinementCtx) => void) =>
  schema.pipe(z.custom<z.output<T>>().superRefine(rule));

/** Log retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Derived subnets are the VPC CIDR split into 16 (4 new bits), one per AZ in list order. */
export const DERIVED_SUBNET_NEWBITS = 4;

export const accountId = z
  .string({ invalid_type_error: "must be a 12-digit AWS account ID written as a string" })
  .regex(/^\d{12}$/, 'must be a 12-digit AWS account ID written as a string, e.g. "111111111111"');

/** A Region code: one the app knows (lib/aws/regions.ts), or one of the same form. */
export const region = z
  .string()
  .refine(
    (r) =>
      regionFacts(r) !== undefined ||
      /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/.test(r),
    'must be an AWS Region code such as "ap-northeast-1"',
  );

export const azId = z
  .string()
  .regex(
    /^[a-z]{2,}[a-z0-9]*\d-az\d{1,2}$/,
    'must be an availability zone ID such as "apne1-az1" (an AZ ID, not an AZ name like "ap-northeast-1a")',
  );

/** A CIDR field: `from`-`to` prefix lengths, no host bits, no leading zeros. */
function cidrField(from: number, to: number, message: string) {
  return z.string().superRefine((text, ctx) => {
    if (hasLeadingZero(text)) {
      ctx.addIssue({
        code: "custom",
        message: `has a number with a leading zero: Terraform refuses it and other tools read it as octal; write the numbers in plain decimal (${LEADING_ZERO_SOURCE})`,
      });
      return;
    }
    const block = parseIpv4Cidr(text);
    if (block === undefined || block.prefix < from || block.prefix > to) ctx.addIssue({ code: "custom", message });
  });
}
const LEADING_ZERO_SOURCE = "https://pkg.go.dev/net#ParseCIDR";

export const cidr = cidrField(16, 28, 'must be an IPv4 CIDR block from /16 to /28 with no host bits set, e.g. "10.0.0.0/16"');

/** Client CIDRs may be wider than a VPC (a corporate range behind Direct Connect), never 0.0.0.0/0. */
export const clientCidr = cidrField(
  8,
  32,
  'must be an IPv4 CIDR block from /8 to /32 with no host bits set, e.g. "10.1.0.0/16" (0.0.0.0/0 is never allowed)',
);

export const port = z
  .number({ invalid_type_error: "must be a whole number from 1 to 65535" })
  .int("must be a whole number from 1 to 65535")
  .min(1, "must be a whole number from 1 to 65535")
  .max(65535, "must be a whole number from 1 to 65535");

export const resourceName = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/,
    "must be 1-20 characters of lowercase letters, digits and hyphens, not starting or ending with a hyphen (load balancer names derived from it are limited to 32)",
  )
  .refine((n) => !n.startsWith("internal-"), 'must not start with "internal-" (AWS reserves it for load balancer names)');

/**
 * The app's name: it starts every resource name, so it follows the rules of all of them
 * (lib/aws/names.ts), such as security group names never starting with "sg-".
 */
export const appName = resourceName.superRefine((name, ctx) => {
  for (const kind of Object.keys(NAME_RULES) as NameKind[]) {
    const rule: NameRule = NAME_RULES[kind];
    const reserved = rule.reservedPrefixes?.find((p) => name.startsWith(p));
    if (reserved && reserved !== "internal-") {
      ctx.addIssue({
        code: "custom",
        message: `must not start with "${reserved}": it starts every resource name, and AWS reserves that prefix in ${rule.what} (${rule.source})`,
      });
    }
  }
});

export const vpcId = z.string().regex(/^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/, 'must be a VPC ID such as "vpc-0123456789abcdef0"');
export const subnetId = z.string().regex(/^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/, 'must be a subnet ID such as "subnet-0123456789abcdef0"');

export const IAM_NAME = "[A-Za-z0-9+=,.@_-]{1,64}";
export const PARTITIONS = "aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc";
/** An IAM path between `role/` and the name of an ARN (`service-role/`): printable ASCII, up to 512 with its slashes. */
const IAM_PATH = "(?:[\\x21-\\x7e]{1,510}/)?";
/** A role to assume: its name may have a path (`role/ops/deploy`), as IAM allows. */
export const roleArn = z
  .string()
  .regex(
    new RegExp(`^arn:(${PARTITIONS}):iam::\\d{12}:role/${IAM_PATH}${IAM_NAME}$`),
    'must be an IAM role ARN such as "arn:aws:iam::111111111111:role/deploy" or, with a path, ":role/ops/deploy"',
  );

/** Principals an endpoint service accepts: account roots, roles and users without paths, or `*`. */
export const principal = z
  .string()
  .regex(
    new RegExp(`^(\\*|arn:(${PARTITIONS}):iam::\\d{12}:(root|role/${IAM_NAME}|user/${IAM_NAME}))$`),
    'must be "arn:<partition>:iam::<12-digit account>:root", ":role/<name>" or ":user/<name>" (no paths: the endpoint service does not support them), or "*"',
  );

export const kmsKeyArn = z
  .string()
  .regex(
    new RegExp(`^arn:(${PARTITIONS}):kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]{1,64}$`),
    'must be a KMS key ARN such as "arn:aws:kms:ap-northeast-1:111111111111:key/0123abcd-…"',
  );

export const logRetention = z
  .number()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), `must be one of ${LOG_RETENTION_DAYS.join(", ")}`);

/** A named profile of the AWS config files. */
export const profile = z
  .string()
  .regex(/^[A-Za-z0-9_.+=,@:\/-]{1,128}$/, "must be a profile name from ~/.aws/config: 1-128 letters, digits and _.+=,@:/-");

/** Optional credentials of one stack's AWS provider. */
export const credentials = {
  profile: profile.optional(),
  assumeRole: z
    .object({
      roleArn,
      externalId: z
        .string()
        .regex(/^[\w+=,.@:\/-]{2,1224}$/, "must be 2-1224 characters of letters, digits and +=,.@:/-_")
        .optional(),
      sessionName: z
        .string()
        .regex(/^[\w+=,.@-]{2,64}$/, "must be 2-64 characters of letters, digits and +=,.@-_")
        .optional(),
    })
    .strict()
    .optional(),
};

export function unique(ctx: z.RefinementCtx, path: (string | number)[], values: readonly string[], what: string): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) ctx.addIssue({ code: "custom", path: [...path, i], message: `is listed twice; each ${what} may appear once` });
    seen.add(v);
  });
}

/**
 * Tags go to every resource through the provider's default_tags, so the strictest AWS rules
 * apply (lib/aws/tags.ts): keys of 1-127 and values of at most 255 characters (Elastic Load
 * Balancing's limits), portable characters only, no `aws:` prefix in any case, at most 50
 * tags on a resource (ours add `Name`), and no two keys that differ only in letter case (IAM
 * takes them for one: the functions' roles carry the tags).
 */
export const chars = (s: string) => [...s].length;
const tagRule = (what: string) => `(${what}; ${TAG_RULES.source})`;
export const tags = z
  .record(
    z
      .string()
      .refine(
        (k) => chars(k) >= 1 && chars(k) <= TAG_RULES.maxKeyLength,
        `tag keys are 1-${TAG_RULES.maxKeyLength} characters ${tagRule("Elastic Load Balancing's limit, the strictest")}`,
      )
      .refine(
        (k) => TAG_RULES.pattern.test(k),
        `tag keys may only hold ${TAG_RULES.chars} ${tagRule("the characters every service accepts")}`,
      )
      .refine(
        (k) => !k.toLowerCase().startsWith(TAG_RULES.reservedPrefix),
        `tag keys must not start with "${TAG_RULES.reservedPrefix}" in any letter case ${tagRule("AWS reserves it")}`,
      ),
    z
      .string()
      .refine(
        (v) => chars(v) <= TAG_RULES.maxValueLength,
        `must be at most ${TAG_RULES.maxValueLength} characters ${tagRule("an AWS tag value; Elastic Load Balancing's limit")}`,
      )
      .refine((v) => TAG_RULES.pattern.test(v), `may only hold ${TAG_RULES.chars} ${tagRule("an AWS tag value")}`),
  )
  .superRefine((t, ctx) => {
    const byFold = new Map<string, string>();
    for (const key of Object.keys(t)) {
      const first = byFold.get(key.toLowerCase());
      if (first === undefined) byFold.set(key.toLowerCase(), key);
      else {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `differs from the key ${JSON.stringify(first)} only in letter case: IAM takes them for one key and refuses the functions' roles ("Duplicate tag keys found"; ${TAG_RULES.iamSource}). Keep one`,
        });
      }
    }
    const count = new Set([...Object.keys(t), "Name"]).size;
    if (count > TAG_RULES.maxTags) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `makes ${count} tags with the Name tag each resource gets; AWS allows at most ${TAG_RULES.maxTags} on a resource (${TAG_RULES.source})`,
      });
    }
  });

/** A host name clients resolve; with `wildcard`, also a certificate's `*.domain` name. */
export const dnsName = (options: { wildcard?: boolean } = {}) =>
  z.string().superRefine((name, ctx) => {
    const problem = hostnameProblem(name, options);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A Route 53 hosted zone ID. */
export const hostedZoneId = z.string().superRefine((id, ctx) => {
  const problem = hostedZoneIdProblem(id);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
