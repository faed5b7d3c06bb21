/**
 * The app's configuration: one JSON file, validated strictly at the edge.
 *
 * Every object is `.strict()`, so a misspelt key is refused instead of silently ignored.
 * Cross-field rules (subnets inside their VPC, AZ alignment) live in `superRefine`s so that
 * each message can name the exact field path.
 */
import { z } from "zod";
import { cidrContains, cidrsOverlap, cidrSubnet, formatCidr, parseIpv4Cidr } from "../lib/cidr";

/** Log retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
  3288, 3653,
] as const;

/** Derived subnets are the VPC CIDR split into 16 (4 new bits), one per AZ in list order. */
export const DERIVED_SUBNET_NEWBITS = 4;

const accountId = z
  .string({ invalid_type_error: "must be a 12-digit AWS account ID written as a string" })
  .regex(/^\d{12}$/, "must be a 12-digit AWS account ID written as a string, e.g. \"111111111111\"");

const region = z
  .string()
  .regex(
    /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/,
    "must be an AWS Region code such as \"ap-northeast-1\"",
  );

const azId = z
  .string()
  .regex(/^[a-z]{2,}[a-z0-9]*\d-az\d{1,2}$/, "must be an availability zone ID such as \"apne1-az1\" (an AZ ID, not an AZ name like \"ap-northeast-1a\")");

const cidr = z.string().refine((text) => {
  const block = parseIpv4Cidr(text);
  return block !== undefined && block.prefix >= 16 && block.prefix <= 28;
}, "must be an IPv4 CIDR block from /16 to /28 with no host bits set, e.g. \"10.0.0.0/16\"");

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
  .refine((n) => !n.startsWith("internal-"), "must not start with \"internal-\" (AWS reserves it for load balancer names)");

/** A VPC the app creates: its CIDR and the AZ IDs of its subnets. */
const network = z
  .object({
    vpcCidr: cidr,
    azIds: z.array(azId).min(2, "must list at least 2 AZ IDs: an ALB needs subnets in two AZs"),
    subnetCidrs: z.record(z.string(), cidr).optional(),
  })
  .strict()
  .superRefine((net, ctx) => {
    const seen = new Set<string>();
    net.azIds.forEach((id, i) => {
      if (seen.has(id)) {
        ctx.addIssue({ code: "custom", path: ["azIds", i], message: "is listed twice; each AZ ID may appear once" });
      }
      seen.add(id);
    });
    const vpc = parseIpv4Cidr(net.vpcCidr);
    if (!vpc) return; // already reported by the field's own check
    const given = net.subnetCidrs ?? {};
    for (const key of Object.keys(given)) {
      if (!net.azIds.includes(key)) {
        ctx.addIssue({ code: "custom", path: ["subnetCidrs", key], message: `names an AZ ID that is not in azIds (${net.azIds.join(", ")})` });
      }
    }
    if (net.subnetCidrs === undefined && vpc.prefix + DERIVED_SUBNET_NEWBITS > 27) {
      ctx.addIssue({ code: "custom", path: ["vpcCidr"], message: `is too small to derive subnets from (each would be /${vpc.prefix + DERIVED_SUBNET_NEWBITS}; an ALB needs /27 or larger): use /23 or larger, or give subnetCidrs` });
      return;
    }
    const placed: { key: string; block: NonNullable<ReturnType<typeof parseIpv4Cidr>> }[] = [];
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
        ctx.addIssue({ code: "custom", path: ["subnetCidrs", key], message: `overlaps subnetCidrs.${clash.key} (${formatCidr(clash.block)})` });
      }
      placed.push({ key, block });
    }
    if (net.subnetCidrs !== undefined) {
      for (const id of net.azIds) {
        if (!(id in given)) {
          ctx.addIssue({ code: "custom", path: ["subnetCidrs"], message: `has no entry for AZ ID "${id}": give one CIDR per AZ ID, or leave subnetCidrs out to derive them` });
        }
      }
    }
  });

const consumer = z
  .object({
    name: resourceName,
    accountId,
    region,
    network,
    clientCidrs: z.array(cidr).min(1).optional(),
  })
  .strict();

export const configSchema = z
  .object({
    name: resourceName.default("hello-privatelink"),
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
    provider: z.object({ accountId, region, network }).strict(),
    consumers: z.array(consumer).min(1, "must list at least one consumer"),
    service: z
      .object({
        port: port.default(80),
        acceptanceRequired: z.boolean().default(false),
        healthCheckPath: z
          .string()
          .regex(/^\/[A-Za-z0-9._~\/-]{0,120}$/, "must be a URL path such as \"/healthz\"")
          .default("/healthz"),
      })
      .strict()
      .default({}),
    lambda: z
      .object({
        memoryMb: z.number().int().min(128).max(10240).default(128),
        timeoutSeconds: z.number().int().min(1).max(900).default(10),
        architecture: z.enum(["arm64", "x86_64"]).default("arm64"),
        logRetentionDays: z
          .number()
          .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), `must be one of ${LOG_RETENTION_DAYS.join(", ")}`)
          .default(365),
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
      // An interface endpoint can only use subnets in AZs where the service's NLB has one.
      // AZ IDs are the same place in every account; AZ names are not.
      if (c.region === cfg.provider.region) {
        c.network.azIds.forEach((id, j) => {
          if (!cfg.provider.network.azIds.includes(id)) {
            ctx.addIssue({
              code: "custom",
              path: ["consumers", i, "network", "azIds", j],
              message: `is not one of the provider's AZ IDs (${cfg.provider.network.azIds.join(", ")}); the endpoint service only supports AZs where its NLB has a subnet`,
            });
          }
        });
      }
    });
  });

/** The configuration as written, after defaults. */
export type AppConfig = z.infer<typeof configSchema>;
/** A VPC to create, as written in the config. */
export type NetworkConfig = AppConfig["provider"]["network"];

/** One subnet to create, placed by AZ ID. */
export interface SubnetSpec {
  readonly azId: string;
  readonly cidr: string;
}

/** The subnets of a network, given or derived from the VPC CIDR in AZ order. */
export function subnetsOf(net: NetworkConfig): SubnetSpec[] {
  const vpc = parseIpv4Cidr(net.vpcCidr);
  if (!vpc) throw new Error(`unvalidated vpcCidr ${net.vpcCidr}`);
  return net.azIds.map((id, i) => ({
    azId: id,
    cidr: net.subnetCidrs?.[id] ?? formatCidr(cidrSubnet(vpc, DERIVED_SUBNET_NEWBITS, i)),
  }));
}
