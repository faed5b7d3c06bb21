/**
 * Configs that are valid but probably not what the user meant: printed at synth as
 * warnings, never refused.
 */
import { QUOTAS } from "../lib/aws/quotas";
import { regionFacts } from "../lib/aws/regions";
import { assignPriorities, derivedPriority } from "../lib/routes";
import { PRIVATELINK_METRICS_SOURCE } from "../lib/monitoring";
import { cidrsOverlap, parseIpv4Cidr } from "../lib/cidr";
import { createdAzIds, createdVpcsByPlace, serviceRegionOf } from "./aws-rules";
import { formatPath } from "./paths";
import type { AppConfig } from "./schema";
import { probeSubnetsOutsideClients } from "./resolve";
import { consumerStackName } from "./stack-names";

/** One line per warning, each naming the field and the value. */
export function configWarnings(cfg: AppConfig): string[] {
  return [
    ...overlapWarnings(cfg),
    ...probeWarnings(cfg),
    ...vpcQuotaWarnings(cfg),
    ...crossRegionWatchWarnings(cfg),
    ...azIdWarnings(cfg),
    ...regionWarnings(cfg),
    ...movablePriorityWarnings(cfg),
  ];
}

/**
 * Routes whose derived priority another route holds, so they took the next free one: adding
 * or removing that other route moves them, and their listener rule is rewritten in place
 * (for a moment it matches another route's requests). A priority of their own keeps them.
 */
function movablePriorityWarnings(cfg: AppConfig): string[] {
  const routes = cfg.functions.flatMap((f, i) => (f.routes ?? []).map((r, j) => ({ r, field: `functions[${i}].routes[${j}]` })));
  const assigned = assignPriorities(routes.map(({ r }) => r));
  return routes.flatMap(({ r, field }, k) => {
    if (r.priority !== undefined || assigned[k] === derivedPriority(r)) return [];
    return [
      `${field} derives priority ${derivedPriority(r)}, which another route holds, so it gets ${assigned[k]}; adding or removing that route later moves it, and its listener rule is rewritten in place. Give it a priority of its own (priority: ${assigned[k]}) to keep it`,
    ];
  });
}

const REGION_LIST_SOURCE = "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html";

/**
 * Region codes of the right form that this app does not know (a typo, such as eu-west-4):
 * the AWS provider refuses a Region it does not know when it plans. A warning, not a
 * refusal: a Region AWS opened after this app's list (lib/aws/regions.ts) may be real.
 */
function regionWarnings(cfg: AppConfig): string[] {
  const fields: [string, string | undefined][] = [
    ["provider.region", cfg.provider?.region],
    ...cfg.consumers.flatMap((c, i): [string, string | undefined][] => [
      [`consumers[${i}].region`, c.region],
      [`consumers[${i}].serviceRegion`, c.serviceRegion],
    ]),
    ["backend.s3.region", cfg.backend.s3?.region],
  ];
  return fields
    .filter((f): f is [string, string] => f[1] !== undefined && regionFacts(f[1]) === undefined)
    .map(
      ([field, region]) =>
        `${field} = "${region}" is not an AWS Region this app knows: the AWS provider refuses a Region it does not know when it plans ("Invalid AWS Region"). Check the code (${REGION_LIST_SOURCE}); if AWS has opened it since, ignore this`,
    );
}

/**
 * AZ IDs of the Region's form that AWS does not publish for it (a typo, such as apne1-az9):
 * CreateSubnet refuses them at apply. A warning, not a refusal: AWS may have opened an AZ
 * since this app's list (lib/aws/regions.ts).
 */
function azIdWarnings(cfg: AppConfig): string[] {
  return createdAzIds(cfg).flatMap(({ path, region, azIds }) => {
    const facts = regionFacts(region);
    if (!facts?.azIdPrefix || facts.azIds.length === 0) return [];
    return azIds.flatMap((id, j) =>
      id.startsWith(`${facts.azIdPrefix}-az`) && !facts.azIds.includes(id)
        ? [
            `${formatPath([...path, j])} = "${id}" is not an AZ ID AWS publishes for ${region} (${facts.azIds.join(", ")}): CreateSubnet refuses an AZ that does not exist. If AWS has opened it since, ignore this`,
          ]
        : [],
    );
  });
}

/** Consumers whose endpoint no alarm can watch: PrivateLink publishes no metrics for cross-Region access. */
function crossRegionWatchWarnings(cfg: AppConfig): string[] {
  if (!cfg.monitoring.enabled) return [];
  return cfg.consumers.flatMap((c, i) => {
    const serviceRegion = serviceRegionOf(cfg, c);
    if (!serviceRegion || serviceRegion === c.region || c.probe !== false) return [];
    return [
      `consumers[${i}] reaches its service in ${serviceRegion} from ${c.region}: PrivateLink publishes no endpoint metrics for cross-Region access (${PRIVATELINK_METRICS_SOURCE}), so its stack has no endpoint alarms, and with probe false nothing checks it. Set probe to true and run npm run smoke -- --from ${consumerStackName(c)} after a deploy (or from your own schedule)`,
    ];
  });
}

/**
 * An account and Region where the config creates as many VPCs as AWS's default quota allows:
 * a default VPC there (every account has one per Region unless it was deleted) makes one too many.
 */
function vpcQuotaWarnings(cfg: AppConfig): string[] {
  if (cfg.aws.quotas.vpcsPerRegion !== undefined) return [];
  const limit = QUOTAS.vpcsPerRegion.default;
  return [...createdVpcsByPlace(cfg)]
    .filter(([, paths]) => paths.length === limit)
    .map(
      ([place]) =>
        `the config creates ${limit} VPCs in ${place}: AWS's default quota is ${limit} VPCs per Region, and a default VPC or any other VPC there counts too (VpcLimitExceeded at apply). If the account's quota is raised, set aws.quotas.vpcsPerRegion to it to silence this`,
    );
}

/** Consumers left without a probe because the NLB would drop its requests. */
function probeWarnings(cfg: AppConfig): string[] {
  return cfg.consumers.flatMap((c, i) => {
    const outside = c.probe === undefined ? probeSubnetsOutsideClients(cfg, c) : [];
    return outside.length > 0
      ? [
          `consumers[${i}] gets no probe: its endpoint subnets (${outside.join(", ")}) are outside clientCidrs, so the provider's NLB would drop the probe's requests. Add them to clientCidrs for a probe, or set probe to false to silence this`,
        ]
      : [];
  });
}

/** Client CIDRs that also let hosts of the provider VPC in. */
function overlapWarnings(cfg: AppConfig): string[] {
  const vpcCidr = cfg.provider?.network.create?.vpcCidr;
  const vpc = vpcCidr && parseIpv4Cidr(vpcCidr);
  if (!vpc || cfg.service.privateLinkInboundRules !== "on") return [];
  const clients: [string, string][] = [
    ...cfg.consumers.flatMap((c, i): [string, string][] => {
      if (c.serviceName) return [];
      // Without clientCidrs, a consumer's clients are its whole VPC.
      if (!c.clientCidrs)
        return c.network.create ? [[`consumers[${i}].network.create.vpcCidr (its client CIDR)`, c.network.create.vpcCidr]] : [];
      return c.clientCidrs.map((cidr, j): [string, string] => [`consumers[${i}].clientCidrs[${j}]`, cidr]);
    }),
    ...cfg.service.allowedPrincipals.flatMap((p, i) =>
      (p.clientCidrs ?? []).map((cidr, j): [string, string] => [`service.allowedPrincipals[${i}].clientCidrs[${j}]`, cidr]),
    ),
  ];
  return clients
    .filter(([, cidr]) => {
      const block = parseIpv4Cidr(cidr);
      return block !== undefined && cidrsOverlap(block, vpc);
    })
    .map(
      ([field, cidr]) =>
        `${field} = "${cidr}" overlaps the provider VPC (provider.network.create.vpcCidr = "${vpcCidr}"): the NLB's client rule lets hosts in that overlap, inside the provider VPC, reach the service too. Narrow the client CIDR if that is not meant.`,
    );
}
