/**
 * The app's configuration: one JSON file, validated strictly at the edge.
 *
 * Every object is `.strict()`, so a misspelt key is refused instead of silently ignored.
 * Cross-field rules (subnets inside their VPC, AZ alignment, one workspace per stack) live
 * in `superRefine`s so that each message can name the exact field path.
 */
import { z } from "zod";
import { cidrContains, cidrsOverlap, cidrSubnet, formatCidr, Ipv4Block, parseIpv4Cidr } from "../lib/cidr";
import { terraformLiteral } from "../lib/terraform-literal";

/** Log retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Derived subnets are the VPC CIDR split into 16 (4 new bits), one per AZ in list order. */
export const DERIVED_SUBNET_NEWBITS = 4;

const accountId = z
  .string({ invalid_type_error: "must be a 12-digit AWS account ID written as a string" })
  .regex(/^\d{12}$/, 'must be a 12-digit AWS account ID written as a string, e.g. "111111111111"');

const region = z
  .string()
  .regex(
    /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/,
    'must be an AWS Region code such as "ap-northeast-1"',
  );

const azId = z
  .string()
  .regex(
    /^[a-z]{2,}[a-z0-9]*\d-az\d{1,2}$/,
    'must be an availability zone ID such as "apne1-az1" (an AZ ID, not an AZ name like "ap-northeast-1a")',
  );

const cidr = z.string().refine((text) => {
  const block = parseIpv4Cidr(text);
  return block !== undefined && block.prefix >= 16 && block.prefix <= 28;
}, 'must be an IPv4 CIDR block from /16 to /28 with no host bits set, e.g. "10.0.0.0/16"');

/** Client CIDRs may be wider than a VPC (a corporate range behind Direct Connect), never 0.0.0.0/0. */
const clientCidr = z.string().refine((text) => {
  const block = parseIpv4Cidr(text);
  return block !== undefined && block.prefix >= 8 && block.prefix <= 32;
}, 'must be an IPv4 CIDR block from /8 to /32 with no host bits set, e.g. "10.1.0.0/16" (0.0.0.0/0 is never allowed)');

const port = z
  .number({ invalid_type_error: "must be a whole number from 1 to 65535" })
  .int("must be a whole number from 1 to 65535")
  .min(1, "must be a whole number from 1 to 65535")
  .max(65535, "must be a whole number from 1 to 65535");

const resourceName = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/,
    "must be 1-20 characters of lowercase letters, digits and hyphens, not starting or ending with a hyphen (load balancer names derived from it are limited to 32)",
  )
  .refine((n) => !n.startsWith("internal-"), 'must not start with "internal-" (AWS reserves it for load balancer names)');

const vpcId = z.string().regex(/^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/, 'must be a VPC ID such as "vpc-0123456789abcdef0"');
const subnetId = z.string().regex(/^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/, 'must be a subnet ID such as "subnet-0123456789abcdef0"');

const IAM_NAME = "[A-Za-z0-9+=,.@_-]{1,64}";
const PARTITIONS = "aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc";
const roleArn = z
  .string()
  .regex(
    new RegExp(`^arn:(${PARTITIONS}):iam::\\d{12}:role/${IAM_NAME}$`),
    'must be an IAM role ARN such as "arn:aws:iam::111111111111:role/deploy"',
  );

/** Principals an endpoint service accepts: account roots, roles and users without paths, or `*`. */
const principal = z
  .string()
  .regex(
    new RegExp(`^(\\*|arn:(${PARTITIONS}):iam::\\d{12}:(root|role/${IAM_NAME}|user/${IAM_NAME}))$`),
    'must be "arn:<partition>:iam::<12-digit account>:root", ":role/<name>" or ":user/<name>" (no paths: the endpoint service does not support them), or "*"',
  );

const kmsKeyArn = z
  .string()
  .regex(
    new RegExp(`^arn:(${PARTITIONS}):kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]{1,64}$`),
    'must be a KMS key ARN such as "arn:aws:kms:ap-northeast-1:111111111111:key/0123abcd-…"',
  );

const logRetention = z
  .number()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), `must be one of ${LOG_RETENTION_DAYS.join(", ")}`);

/** A named profile of the AWS config files. */
const profile = z
  .string()
  .regex(/^[A-Za-z0-9_.+=,@:\/-]{1,128}$/, "must be a profile name from ~/.aws/config: 1-128 letters, digits and _.+=,@:/-");

/** Optional credentials of one stack's AWS provider. */
const credentials = {
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

function unique(ctx: z.RefinementCtx, path: (string | number)[], values: readonly string[], what: string): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) ctx.addIssue({ code: "custom", path: [...path, i], message: `is listed twice; each ${what} may appear once` });
    seen.add(v);
  });
}

/**
 * Tags go to every resource through the provider's default_tags, so the strictest AWS rules
 * apply: letters, digits, spaces and `_.:/=+-@` only, keys of 1-128 and values of at most
 * 256 characters, no `aws:` prefix, at most 50 tags on a resource (ours add `Name`).
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
 */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_CHARS = "letters, digits, spaces and _.:/=+-@";
const chars = (s: string) => [...s].length;
const tags = z
  .record(
    z
      .string()
      .refine((k) => chars(k) >= 1 && chars(k) <= 128, "tag keys are 1-128 characters")
      .refine((k) => TAG_TEXT.test(k), `tag keys may only hold ${TAG_CHARS}`)
      .refine((k) => !k.toLowerCase().startsWith("aws:"), 'tag keys must not start with "aws:", which AWS reserves'),
    z
      .string()
      .refine((v) => chars(v) <= 256, "must be at most 256 characters (an AWS tag value)")
      .refine((v) => TAG_TEXT.test(v), `may only hold ${TAG_CHARS} (an AWS tag value)`),
  )
  .superRefine((t, ctx) => {
    const count = new Set([...Object.keys(t), "Name"]).size;
    if (count > 50) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `makes ${count} tags with the Name tag each resource gets; AWS allows at most 50 on a resource`,
      });
    }
  });

/** A VPC the app creates: its CIDR and the AZ IDs of its subnets. */
const createNetwork = z
  .object({
    vpcCidr: cidr,
    azIds: z.array(azId).min(2, "must list at least 2 AZ IDs: an ALB needs subnets in two AZs"),
    subnetCidrs: z.record(z.string(), cidr).optional(),
    flowLogs: z
      .object({ retentionDays: logRetention.default(365), kmsKeyArn: kmsKeyArn.optional() })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((net, ctx) => {
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
    if (net.subnetCidrs !== undefined) {
      for (const id of net.azIds) {
        if (!(id in given)) {
          ctx.addIssue({
            code: "custom",
            path: ["subnetCidrs"],
            message: `has no entry for AZ ID "${id}": give one CIDR per AZ ID, or leave subnetCidrs out to derive them`,
          });
        }
      }
    }
  });

const subnetIds = (min: number, why: string) =>
  z
    .array(subnetId)
    .min(min, why)
    .superRefine((ids, ctx) => unique(ctx, [], ids, "subnet ID"));

/** The provider's VPC and subnets, already there. AZs are checked at plan time. */
const existingProviderNetwork = z
  .object({
    vpcId,
    lambdaSubnetIds: subnetIds(2, "must list at least 2 subnets in different AZs, so the function stays available when one AZ fails"),
    albSubnetIds: subnetIds(2, "must list at least 2 subnets in different AZs: an ALB needs two"),
    nlbSubnetIds: subnetIds(1, "must list at least 1 subnet, in the ALB's AZs"),
  })
  .strict();

/** The consumer's VPC and endpoint subnets, already there. */
const existingConsumerNetwork = z
  .object({
    vpcId,
    endpointSubnetIds: subnetIds(1, "must list at least 1 subnet, in AZs where the service's NLB has one"),
  })
  .strict();

/** `{ "create": {...} }` or `{ "existing": {...} }`, exactly one. */
function networkChoice<E extends z.ZodTypeAny>(existing: E) {
  return z
    .object({ create: createNetwork.optional(), existing: existing.optional() })
    .strict()
    .superRefine((net, ctx) => {
      if ((net.create === undefined) === (net.existing === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [],
          message: 'must have exactly one of "create" (a new VPC from vpcCidr and azIds) or "existing" (vpcId and subnet IDs)',
        });
      }
    });
}

const providerSide = z
  .object({
    accountId,
    region,
    ...credentials,
    network: networkChoice(existingProviderNetwork),
  })
  .strict();

const consumer = z
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
  })
  .strict()
  .superRefine((c, ctx) => {
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
  });

const stateDirectory = z
  .string()
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'must be a relative folder such as "state" (letters, digits, ".", "_", "-", "/")')
  .refine((d) => !d.split("/").includes(".."), 'must stay inside the project: no ".." segments')
  .refine((d) => d.split("/")[0] !== "cdktf.out", "must not be inside cdktf.out: that folder is regenerated on every synth");

const backend = z
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
        workspaces: z.record(z.string(), z.string().regex(/^[A-Za-z0-9_-]{1,90}$/, "must be a workspace name of letters, digits, - and _")),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const chosen = [b.local, b.s3, b.cloud].filter((x) => x !== undefined).length;
    if (chosen !== 1) {
      ctx.addIssue({ code: "custom", path: [], message: 'must have exactly one of "local", "s3" or "cloud"' });
    }
  });

export const configSchema = z
  .object({
    name: resourceName.default("hello-privatelink"),
    tags: tags.default({}),
    backend: backend.default({ local: { directory: "state" } }),
    provider: providerSide.optional(),
    consumers: z.array(consumer).min(1, "must list at least one consumer"),
    service: z
      .object({
        port: port.optional(),
        certificateArn: z
          .string()
          .regex(
            new RegExp(`^arn:(${PARTITIONS}):acm:[a-z0-9-]+:\\d{12}:certificate/[A-Za-z0-9-]{1,64}$`),
            'must be an ACM certificate ARN such as "arn:aws:acm:ap-northeast-1:111111111111:certificate/…"',
          )
          .optional(),
        hostname: z
          .string()
          .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a DNS name such as "hello.example.com"')
          .optional(),
        privateLinkInboundRules: z.enum(["on", "off"]).default("on"),
        acceptanceRequired: z.boolean().default(false),
        acceptEndpointIds: z
          .array(z.string().regex(/^vpce-[0-9a-f]{8}([0-9a-f]{9})?$/, 'must be a VPC endpoint ID such as "vpce-0123456789abcdef0"'))
          .default([]),
        healthCheckPath: z
          .string()
          .regex(/^\/[A-Za-z0-9._~\/-]{0,120}$/, 'must be a URL path such as "/healthz"')
          .default("/healthz"),
        allowedPrincipals: z.array(principal).default([]),
      })
      .strict()
      .default({})
      // 443 when a certificate makes the listener HTTPS, else 80.
      .transform((s) => ({ ...s, port: s.port ?? (s.certificateArn ? 443 : 80) })),
    loadBalancers: z
      .object({
        deletionProtection: z.boolean().default(true),
        desyncMitigationMode: z.enum(["defensive", "strictest"]).default("defensive"),
        accessLogs: z
          .object({
            bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name in the provider's Region"),
            prefix: z
              .string()
              .regex(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, "must be an S3 key prefix without leading or trailing /")
              .optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    lambda: z
      .object({
        memoryMb: z.number().int().min(128).max(10240).default(128),
        timeoutSeconds: z.number().int().min(1).max(900).default(10),
        architecture: z.enum(["arm64", "x86_64"]).default("arm64"),
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
        egress: z
          .array(
            z
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
              .strict(),
          )
          .default([]),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const names = new Set<string>();
    cfg.consumers.forEach((c, i) => {
      if (names.has(c.name)) {
        ctx.addIssue({ code: "custom", path: ["consumers", i, "name"], message: "is used by another consumer; names must be unique" });
      }
      names.add(c.name);
      if (!c.serviceName && !cfg.provider) {
        ctx.addIssue({
          code: "custom",
          path: ["consumers", i, "serviceName"],
          message: 'is required when the config has no "provider": name the endpoint service this consumer connects to',
        });
      }
      // An interface endpoint can only use subnets in AZs where the service's NLB has one.
      // AZ IDs are the same place in every account; AZ names are not.
      const providerAzIds = cfg.provider?.network.create?.azIds;
      const consumerAzIds = c.network.create?.azIds;
      if (!c.serviceName && cfg.provider && c.region === cfg.provider.region && providerAzIds && consumerAzIds) {
        consumerAzIds.forEach((id, j) => {
          if (!providerAzIds.includes(id)) {
            ctx.addIssue({
              code: "custom",
              path: ["consumers", i, "network", "create", "azIds", j],
              message: `is not one of the provider's AZ IDs (${providerAzIds.join(", ")}); the endpoint service only supports AZs where its NLB has a subnet`,
            });
          }
        });
      }
    });
    if (cfg.service.acceptEndpointIds.length > 0 && !cfg.service.acceptanceRequired) {
      ctx.addIssue({
        code: "custom",
        path: ["service", "acceptEndpointIds"],
        message: "only applies with service.acceptanceRequired: true (with auto-accept there is nothing to accept)",
      });
    }
    unique(ctx, ["service", "acceptEndpointIds"], cfg.service.acceptEndpointIds, "endpoint ID");
    if (cfg.service.hostname && !cfg.service.certificateArn) {
      ctx.addIssue({
        code: "custom",
        path: ["service", "hostname"],
        message: "only applies with service.certificateArn (the name clients verify in the certificate)",
      });
    }
    unique(
      ctx,
      ["lambda", "egress"],
      cfg.lambda.egress.map((e) => `${e.cidr} port ${e.port}`),
      "destination and port",
    );
    const principals = cfg.service.allowedPrincipals;
    unique(ctx, ["service", "allowedPrincipals"], principals, "principal");
    principals.forEach((p, i) => {
      if (p === "*" && !cfg.service.acceptanceRequired) {
        ctx.addIssue({
          code: "custom",
          path: ["service", "allowedPrincipals", i],
          message:
            'is only allowed with service.acceptanceRequired: true; with auto-accept, "*" makes the NLB reachable from every AWS account',
        });
      }
      const covered = cfg.consumers.find((c) => !c.serviceName && p.endsWith(`::${c.accountId}:root`));
      if (covered) {
        ctx.addIssue({
          code: "custom",
          path: ["service", "allowedPrincipals", i],
          message: `is already allowed as consumer "${covered.name}"'s account; list it once`,
        });
      }
    });
    const cloud = cfg.backend.cloud;
    if (cloud) {
      const stacks = stackNames(cfg);
      for (const stack of stacks) {
        if (!(stack in cloud.workspaces)) {
          ctx.addIssue({
            code: "custom",
            path: ["backend", "cloud", "workspaces"],
            message: `has no workspace for stack "${stack}" (stacks: ${stacks.join(", ")})`,
          });
        }
      }
      for (const key of Object.keys(cloud.workspaces)) {
        if (!stacks.includes(key)) {
          ctx.addIssue({
            code: "custom",
            path: ["backend", "cloud", "workspaces", key],
            message: `names no stack of this app (stacks: ${stacks.join(", ")})`,
          });
        }
      }
      unique(ctx, ["backend", "cloud", "workspaces"], Object.values(cloud.workspaces), "workspace name");
    }
  });

/** The configuration as written, after defaults. */
export type AppConfig = z.infer<typeof configSchema>;
/** A provider-side configuration. */
export type ProviderConfig = NonNullable<AppConfig["provider"]>;
/** One consumer's configuration. */
export type ConsumerConfig = AppConfig["consumers"][number];
/** A VPC to create, as written in the config. */
export type CreateNetworkConfig = z.infer<typeof createNetwork>;
/** The provider's existing VPC and subnets. */
export type ExistingProviderNetworkConfig = z.infer<typeof existingProviderNetwork>;
/** A consumer's existing VPC and subnets. */
export type ExistingConsumerNetworkConfig = z.infer<typeof existingConsumerNetwork>;
/** The state backend section. */
export type BackendConfig = AppConfig["backend"];

/** Stack name of a consumer: `consumer` when there is one, `consumer-<name>` when several. */
export function consumerStackName(config: Pick<AppConfig, "consumers">, name: string): string {
  return config.consumers.length === 1 ? "consumer" : `consumer-${name}`;
}

/** Every stack name the config produces, provider first. */
export function stackNames(config: Pick<AppConfig, "consumers" | "provider">): string[] {
  return [...(config.provider ? ["provider"] : []), ...config.consumers.map((c) => consumerStackName(config, c.name))];
}

/** One subnet to create, placed by AZ ID. */
export interface SubnetSpec {
  readonly azId: string;
  readonly cidr: string;
}

/** The subnets of a network, given or derived from the VPC CIDR in AZ order. */
export function subnetsOf(net: CreateNetworkConfig): SubnetSpec[] {
  const vpc = parseIpv4Cidr(net.vpcCidr);
  if (!vpc) throw new Error(`unvalidated vpcCidr ${net.vpcCidr}`);
  return net.azIds.map((id, i) => ({
    azId: id,
    cidr: net.subnetCidrs?.[id] ?? formatCidr(cidrSubnet(vpc, DERIVED_SUBNET_NEWBITS, i)),
  }));
}
