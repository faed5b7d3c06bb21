/**
 * Configs that are valid but probably not what the user meant: printed at synth as
 * warnings, never refused.
 */
import { cidrsOverlap, parseIpv4Cidr } from "../lib/cidr";
import type { AppConfig } from "./schema";

/** One line per warning, each naming the field and the value. */
export function configWarnings(cfg: AppConfig): string[] {
  const vpcCidr = cfg.provider?.network.create?.vpcCidr;
  const vpc = vpcCidr && parseIpv4Cidr(vpcCidr);
  if (!vpc || cfg.service.privateLinkInboundRules !== "on") return [];
  const clients: [string, string][] = [
    ...cfg.consumers.flatMap((c, i) =>
      c.serviceName ? [] : (c.clientCidrs ?? []).map((cidr, j): [string, string] => [`consumers[${i}].clientCidrs[${j}]`, cidr]),
    ),
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
