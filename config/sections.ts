/**
 * The config's sections, built from the field types, each with the rules that only look
 * inside it. Rules across sections live in rules.ts.
 */
import { z } from "zod";
import { cidrContains, cidrsOverlap, formatCidr, Ipv4Block, parseIpv4Cidr } from "../lib/cidr";
import { Quota, QUOTAS, RAISABLE_QUOTAS, RaisableQuota } from "../lib/aws/quotas";
import { PATH_PATTERN_MAX_CHARS, RULE_CONDITIONS_SOURCE } from "../lib/routes";
import { terraformLiteral } from "../lib/terraform-literal";
import {
  accountId,
  azId,
  cidr,
  clientCidr,
  credentials,
  DERIVED_SUBNET_NEWBITS,
  dnsName,
  hostedZoneId,
  kmsKeyArn,
  logRetention,
  PARTITIONS,
  port,
  principal,
  region,
  resourceName,
  subnetId,
  unique,
  vpcId,
  whenValid,
} from "./fields";
import { topicArn } from "./monitoring";

/** A VPC the app creates: its CIDR and the AZ IDs of its subnets. */
export const createNetwork = whenValid(
  z
    .object({
      vpcCidr: cidr,
      azIds: z.array(azId).min(2, "must list at least 2 AZ IDs: an ALB needs subnets in two AZs"),
      subnetCidrs: z.record(z.string(), cidr).optional(),
      flowLogs: z
        .object({ retentionDays: logRetention.default(365), kmsKeyArn: kmsKeyArn.optional() })
        .strict()
        .default({}),
    })
    .strict(),
  (net, ctx) => {
    unique(ctx, ["azIds"], net.azIds, "AZ ID");
    const vpc = parseIpv4Cidr(net.vpcCidr);
    if (!vpc) return; // already reported by the field's own check
    const given = net.subnetCidrs ?? {};
    for (const key of Object.keys(given)) {
      if (!net.azIds.includes(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["subnetCidrs", key],
          message: `names an AZ ID that is not in azIds (${net.azIds.join(", ")})`,
        });
      }
    }
    if (net.subnetCidrs === undefined && net.azIds.length > 2 ** DERIVED_SUBNET_NEWBITS) {
      ctx.addIssue({
        code: "custom",
        path: ["azIds"],
        message: `lists ${net.azIds.length} AZ IDs; subnets are derived for at most ${2 ** DERIVED_SUBNET_NEWBITS} (a Region has at most 6 AZs): list fewer, or give subnetCidrs`,
      });
      return;
    }
    if (net.subnetCidrs === undefined && vpc.prefix + DERIVED_SUBNET_NEWBITS > 27) {
      ctx.addIssue({
        code: "custom",
        path: ["vpcCidr"],
        message: `is too small to derive subnets from (each would be /${vpc.prefix + DERIVED_SUBNET_NEWBITS}; an ALB needs /27 or larger): use /23 or larger, or give subnetCidrs`,
      });
      return;
    }
    const placed: { key: string; block: Ipv4Block }[] = [];
    for (const [key, text] of Object.entries(given)) {
      const block = parseIpv4Cidr(text);
      if (!block) continue;
      if (!cidrContains(vpc, block)) {
        ctx.addIssue({ code: "custom", path: ["subnetCidrs", key], message: `is not inside vpcCidr ${net.vpcCidr}` });
      } else if (block.prefix > 27) {
        ctx.addIssue({ code: "custom", path: ["subnetCidrs", key], message: "is smaller than /27, the minimum for an ALB subnet" });
      }
      const clash = placed.find((p) => cidrsOverlap(p.block, block));
      if (clash) {
        ctx.addIssue({
          code: "custom",
          path: ["subnetCidrs", key],
          message: `overlaps subnetCidrs.${clash.key} (${formatCidr(clash.block)})`,
        });
      }
      placed.push({ key, block });
    }
    const without = net.azIds.filter((id) => !(id in given));
    if (net.subnetCidrs !== undefined && without.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["subnetCidrs"],
        message: `has no entry for ${without.length === 1 ? "AZ ID" : "AZ IDs"} ${without.map((id) => `"${id}"`).join(", ")}: give one CIDR per AZ ID, or leave subnetCidrs out to derive them`,
      });
    }
  },
);

export const subnetIds = (min: number, why: string) =>
  z
    .array(subnetId)
    .min(min, why)
    .superRefine((ids, ctx) => unique(ctx, [], ids, "subnet ID"));

/** The provider's VPC and subnets, already there. AZs are checked at plan time. */
export const existingProviderNetwork = z
  .object({
    vpcId,
    lambdaSubnetIds: subnetIds(2, "must list at least 2 subnets in different AZs, so the function stays available when one AZ fails"),
    albSubnetIds: subnetIds(2, "must list at least 2 subnets in different AZs: an ALB needs two"),
    nlbSubnetIds: subnetIds(1, "must list at least 1 subnet, in the ALB's AZs"),
  })
  .strict();

/** The consumer's VPC and endpoint subnets, already there. */
export const existingConsumerNetwork = z
  .object({
    vpcId,
    endpointSubnetIds: subnetIds(1, "must list at least 1 subnet, in AZs where the service's NLB has one"),
  })
  .strict();

/** `{ "create": {...} }` or `{ "existing": {...} }`, exactly one. */
export function networkChoice<E extends z.ZodTypeAny>(existing: E) {
  return whenValid(z.object({ create: createNetwork.optional(), existing: existing.optional() }).strict(), (net, ctx) => {
    if ((net.create === undefined) === (net.existing === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: 'must have exactly one of "create" (a new VPC from vpcCidr and azIds) or "existing" (vpcId and subnet IDs)',
      });
    }
  });
}

export const providerSide = z
  .object({
    accountId,
    region,
    ...credentials,
    network: networkChoice(existingProviderNetwork),
  })
  .strict();

export const consumer = whenValid(
  z
    .object({
      name: resourceName,
      accountId,
      region,
      ...credentials,
      network: networkChoice(existingConsumerNetwork),
      clientCidrs: z.array(clientCidr).min(1).optional(),
      serviceName: z
        .string()
        .regex(
          /^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]{8,17}$/,
          'must be an endpoint service name such as "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0"',
        )
        .optional(),
      serviceRegion: region.optional(),
      dnsName: dnsName().optional(),
      probe: z.boolean().optional(),
      alarmTopicArn: topicArn.optional(),
      stackName: z
        .string()
        .regex(
          /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/,
          'must be 1-40 lowercase letters, digits and hyphens, not starting or ending with a hyphen, such as "consumer"',
        )
        .refine((s) => s !== "provider", 'must not be "provider": that is the provider\'s stack')
        .optional(),
    })
    .strict(),
  (c, ctx) => {
    if (c.network.existing && !c.clientCidrs) {
      ctx.addIssue({
        code: "custom",
        path: ["clientCidrs"],
        message: "is required with an existing network: the provider's NLB security group must know the client CIDRs at synth",
      });
    }
    if (c.serviceRegion && !c.serviceName) {
      ctx.addIssue({
        code: "custom",
        path: ["serviceRegion"],
        message: "only applies with serviceName (a service managed outside this app)",
      });
    }
    if (c.clientCidrs) unique(ctx, ["clientCidrs"], c.clientCidrs, "CIDR");
  },
);

/** A relative folder's first folder, `.` segments left out. */
const topFolder = (dir: string) => dir.split("/").find((segment) => segment !== ".");

export const stateDirectory = z
  .string()
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'must be a relative folder such as "state" (letters, digits, ".", "_", "-", "/")')
  .refine((d) => !d.split("/").includes(".."), 'must stay inside the project: no ".." segments')
  .refine((d) => topFolder(d) !== "cdktf.out", "must not be inside cdktf.out: that folder is regenerated on every synth")
  .refine(
    (d) => topFolder(d) !== "lambda-src",
    "must not be inside lambda-src: a function's folder is zipped into its package, so the state (and its secrets) would ship with the code",
  );

export const backend = whenValid(
  z
    .object({
      local: z
        .object({ directory: stateDirectory.default("state") })
        .strict()
        .optional(),
      s3: z
        .object({
          bucket: z
            .string()
            .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)"),
          keyPrefix: z
            .string()
            .regex(/^[A-Za-z0-9!_.*'()\/-]{1,900}$/, 'must be an S3 key prefix such as "privatelink"')
            .refine((p) => !p.startsWith("/") && !p.endsWith("/"), "must not start or end with /"),
          region,
          useLockfile: z.boolean().default(true),
          encrypt: z.boolean().default(true),
          ...credentials,
        })
        .strict()
        .optional(),
      cloud: z
        .object({
          organization: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "must be an HCP Terraform organization name"),
          project: z
            .string()
            .regex(
              /^[A-Za-z0-9_-]([A-Za-z0-9 _-]{0,38}[A-Za-z0-9_-])?$/,
              "must be an HCP Terraform project name: up to 40 letters, digits, inner spaces, - and _",
            )
            .optional(),
          hostname: z
            .string()
            .regex(/^[a-z0-9.-]+$/, 'must be a host name such as "app.terraform.io"')
            .optional(),
          workspaces: z.record(
            z.string(),
            z.string().regex(/^[A-Za-z0-9_-]{1,90}$/, "must be a workspace name of 1-90 letters, digits, - and _"),
          ),
        })
        .strict()
        .optional(),
    })
    .strict(),
  (b, ctx) => {
    const chosen = [b.local, b.s3, b.cloud].filter((x) => x !== undefined).length;
    if (chosen !== 1) {
      ctx.addIssue({ code: "custom", path: [], message: 'must have exactly one of "local", "s3" or "cloud"' });
    }
  },
);

/**
 * A principal besides this app's consumers, and the CIDRs its clients connect from: while
 * the NLB enforces inbound rules on PrivateLink traffic, clients outside these are dropped.
 */
export const extraPrincipal = z
  .object(
    {
      principal,
      clientCidrs: z
        .array(clientCidr)
        .min(1)
        .superRefine((cidrs, ctx) => unique(ctx, [], cidrs, "CIDR"))
        .optional(),
    },
    { invalid_type_error: 'must be an object: {"principal": "<ARN or *>", "clientCidrs": ["<CIDR its clients connect from>", ...]}' },
  )
  .strict();

/** The published service: port, TLS, acceptance, principals, health check path. */
export const serviceSection = z
  .object({
    port: port.optional(),
    certificateArn: z
      .string()
      .regex(
        new RegExp(`^arn:(${PARTITIONS}):acm:[a-z0-9-]+:\\d{12}:certificate/[A-Za-z0-9-]{1,64}$`),
        'must be an ACM certificate ARN such as "arn:aws:acm:ap-northeast-1:111111111111:certificate/…"',
      )
      .optional(),
    hostname: dnsName({ wildcard: true }).optional(),
    privateDnsName: dnsName().optional(),
    privateDnsZoneId: hostedZoneId.optional(),
    privateLinkInboundRules: z.enum(["on", "off"]).default("on"),
    acceptanceRequired: z.boolean().default(false),
    acceptEndpointIds: z
      .array(z.string().regex(/^vpce-[0-9a-f]{8}([0-9a-f]{9})?$/, 'must be a VPC endpoint ID such as "vpce-0123456789abcdef0"'))
      .default([]),
    // The ALB rule that answers health checks matches this path as its path pattern.
    healthCheckPath: z
      .string()
      .regex(
        new RegExp(`^/[A-Za-z0-9._~/-]{0,${PATH_PATTERN_MAX_CHARS - 1}}$`),
        `must be a URL path such as "/healthz": "/" first, then letters, digits and ._~/- only (no query string), ${PATH_PATTERN_MAX_CHARS} characters at most (the ALB rule that answers it matches it as a path pattern, where * and ? are wildcards; ${RULE_CONDITIONS_SOURCE})`,
      )
      .refine(
        (p) => p !== "/",
        "must not be the service root: the ALB answers this path itself with the health text, so every call to / would never reach the function",
      )
      .default("/healthz"),
    allowedPrincipals: z.array(extraPrincipal).default([]),
  })
  .strict()
  .default({})
  // 443 when a certificate makes the listener HTTPS, else 80.
  .transform((s) => ({ ...s, port: s.port ?? (s.certificateArn ? 443 : 80) }));

/** Settings shared by the NLB and the ALB. */
export const loadBalancersSection = z
  .object({
    deletionProtection: z.boolean().default(true),
    desyncMitigationMode: z.enum(["defensive", "strictest"]).default("defensive"),
    accessLogs: z
      .object({
        bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name in the provider's Region"),
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, "must be an S3 key prefix without leading or trailing /")
          .refine(
            (p) => !p.includes("AWSLogs"),
            'must not contain "AWSLogs": Elastic Load Balancing writes under <prefix>/AWSLogs/ itself and refuses such a prefix (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html)',
          )
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .default({});

/** An outbound connection a function may open. */
export const egressRule = z
  .object({
    cidr: clientCidr,
    port,
    description: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+$/, "must be 1-255 characters AWS accepts in a rule description")
      // AWS accepts `${` here, Terraform would read it as a template: kept literal.
      .transform(terraformLiteral),
  })
  .strict();

/** Settings of every function behind the ALB; a function in `functions` may override some. */
export const lambdaSection = whenValid(
  z
    .object({
      memoryMb: z.number().int().min(128).max(10240).default(128),
      timeoutSeconds: z.number().int().min(1).max(900).default(10),
      architecture: z.enum(["arm64", "x86_64"]).default("arm64"),
      ephemeralStorageMb: z.number().int().min(512).max(10240).default(512),
      logFormat: z.enum(["Text", "JSON"]).default("Text"),
      logRetentionDays: logRetention.default(365),
      logKmsKeyArn: kmsKeyArn.optional(),
      tracing: z.enum(["Active", "PassThrough"]).default("Active"),
      reservedConcurrency: z.number().int().min(1).max(10000).optional(),
      codeSigningConfigArn: z
        .string()
        .regex(
          new RegExp(`^arn:(${PARTITIONS}):lambda:[a-z0-9-]+:\\d{12}:code-signing-config:csc-[a-z0-9]{17}$`),
          "must be a Lambda code signing config ARN",
        )
        .optional(),
      signedPackage: z
        .object({
          bucket: z
            .string()
            .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)"),
          key: z.string().regex(/^[A-Za-z0-9!_.*'()\/-]{1,1024}$/, 'must be the S3 key AWS Signer wrote, such as "signed/hello-1234.zip"'),
          objectVersion: z.string().regex(/^[A-Za-z0-9._-]{1,1024}$/, "must be the S3 object version of the signed package"),
        })
        .strict()
        .optional(),
      egress: z.array(egressRule).default([]),
    })
    .strict(),
  (l, ctx) => {
    // Lambda verifies signatures only of packages AWS Signer signed; a zip built at synth has
    // none, so Enforce mode blocks it and Warn mode checks nothing.
    const source = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html";
    if (l.codeSigningConfigArn && !l.signedPackage) {
      ctx.addIssue({
        code: "custom",
        path: ["codeSigningConfigArn"],
        message: `needs lambda.signedPackage (the bucket, key and version AWS Signer wrote): the zip built at synth is unsigned, so Lambda would block it or check nothing (${source})`,
      });
    }
    if (l.signedPackage && !l.codeSigningConfigArn) {
      ctx.addIssue({
        code: "custom",
        path: ["signedPackage"],
        message: `only applies with lambda.codeSigningConfigArn, which makes Lambda verify its signature (${source})`,
      });
    }
  },
).default({});

/** AWS facts an account may differ in: quotas it has raised, Regions AWS has added. */
export const awsSection = z
  .object({
    quotas: z
      .object(
        Object.fromEntries(
          RAISABLE_QUOTAS.map((name) => {
            const quota: Quota = QUOTAS[name];
            const atLeast = z
              .number()
              .int("must be a whole number")
              .min(quota.default, `must be at least AWS's default, ${quota.default} (${quota.source})`);
            const bounded =
              quota.max === undefined
                ? atLeast
                : atLeast.max(quota.max, `must be at most ${quota.max}, the most AWS raises it to (${quota.source})`);
            return [name, bounded.optional()];
          }),
        ) as Record<RaisableQuota, z.ZodOptional<z.ZodNumber>>,
      )
      .strict()
      .default({}),
    crossRegionPrivateLinkRegions: z.array(region).default([]),
  })
  .strict()
  .default({});
