/**
 * What a synth would do to a deployed service, told before anyone plans: the new output is
 * compared with the previous one in `cdktf.out`, and a stack that changed its name (its
 * state stays under the old one) or a change that replaces what carries consumers' traffic
 * is named, with who reconnects.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cidrsOverlap, parseIpv4Cidr } from "./cidr";

/** A synthesized stack's Terraform JSON, as far as read here. */
export interface StackJson {
  readonly provider?: { readonly aws?: readonly Readonly<Record<string, unknown>>[] };
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
}

/**
 * Arguments whose change replaces a resource that carries traffic (the provider's schema
 * marks them ForceNew). An NLB's subnets and security groups replace it too, but only when
 * some are removed: handled apart.
 */
const REPLACED_BY: Readonly<Record<string, readonly string[]>> = {
  aws_vpc: ["cidr_block"],
  aws_subnet: ["vpc_id", "cidr_block", "availability_zone_id", "availability_zone"],
  aws_lb: ["name", "internal", "load_balancer_type"],
  aws_vpc_endpoint: ["vpc_id", "service_name", "vpc_endpoint_type", "service_region"],
  aws_vpc_endpoint_service: [],
};

/** Where a stack's resources live: the AWS provider's account and Region. */
const placeOf = (json: StackJson): string => {
  const aws = json.provider?.aws?.[0] ?? {};
  return JSON.stringify([aws.allowed_account_ids ?? null, aws.region ?? null]);
};

const show = (value: unknown): string => JSON.stringify(value ?? null);

/** The stacks of both outputs whose account or Region changes: every resource of theirs moves. */
export const movedStacks = (before: Readonly<Record<string, StackJson>>, after: Readonly<Record<string, StackJson>>): Set<string> =>
  new Set(Object.keys(after).filter((s) => s in before && placeOf(before[s]) !== placeOf(after[s])));

/** Who loses their connection when `stack`'s traffic path is replaced. */
const whoReconnects = (stack: string): string => (stack === "provider" ? "every consumer reconnects" : "its clients reconnect");

/** The notices for going from the `before` stacks to the `after` stacks (by stack name). */
export function changeNotices(before: Readonly<Record<string, StackJson>>, after: Readonly<Record<string, StackJson>>): string[] {
  const notices: string[] = [];
  const gone = Object.keys(before).filter((s) => !(s in after));
  const added = Object.keys(after).filter((s) => !(s in before));
  if (gone.length > 0 && added.length > 0) {
    notices.push(
      `Stack${gone.length > 1 ? "s" : ""} ${gone.join(", ")} ${gone.length > 1 ? "are" : "is"} gone and ${added.join(", ")} ${added.length > 1 ? "are" : "is"} new: a deployed stack's state stays under its old name, and a new name plans a second copy that AWS refuses. Keep the name with the consumer's stackName, or move the state first (README, "Stack names").`,
    );
  }
  const moved = movedStacks(before, after);
  for (const stack of Object.keys(after).filter((s) => s in before)) {
    const [old, next] = [before[stack], after[stack]];
    if (moved.has(stack)) {
      notices.push(
        `Stack ${stack} moves to another account or Region: every resource is created anew there and the deployed ones destroyed; ${whoReconnects(stack)}.`,
      );
      continue;
    }
    for (const [type, args] of Object.entries(REPLACED_BY)) {
      for (const [name, was] of Object.entries(old.resource?.[type] ?? {})) {
        const now = next.resource?.[type]?.[name];
        const changed = now ? args.filter((a) => show(was[a]) !== show(now[a])) : [];
        if (now && type === "aws_lb" && now.load_balancer_type === "network") {
          // An NLB takes new subnets in place, but never gives one up, or a security group.
          const removed = (a: string) =>
            ((was[a] ?? []) as unknown[]).some((v) => !((now[a] ?? []) as unknown[]).map(show).includes(show(v)));
          changed.push(...["subnets", "security_groups"].filter(removed));
        }
        if (!now) notices.push(`Stack ${stack}: ${type}.${name} is removed; ${whoReconnects(stack)}.`);
        else if (changed.length > 0) {
          const what = changed.map((a) => `${a} ${show(was[a])} → ${show(now[a])}`).join(", ");
          // A load balancer is created before the old one goes, under the same name, which AWS
          // refuses (DuplicateLoadBalancerName); and the endpoint service holds the NLB, so it
          // cannot go first.
          const sameName =
            type === "aws_lb" && !changed.includes("name")
              ? ` It keeps its name ${show(now.name)}, which AWS refuses for a second load balancer while the first exists (DuplicateLoadBalancerName), so the apply would stop: make this change as a new service (another name), move the consumers to it, then destroy the old one.`
              : "";
          notices.push(`Stack ${stack}: ${type}.${name} is replaced (${what}); ${whoReconnects(stack)}.${sameName}`);
        }
      }
    }
    notices.push(...subnetHandoffs(stack, old, next));
  }
  return notices;
}

/**
 * Subnets whose new CIDR block overlaps one a deployed subnet of the same VPC still holds
 * (AZs reordered, one added in front): the new subnet is created before the old one goes
 * (the load balancers and functions in them are create-before-destroy, and Terraform carries
 * that to what they depend on), and AWS refuses an overlapping subnet (InvalidSubnet.Conflict),
 * so the apply stops halfway. Named with the subnetCidrs that keep every deployed subnet.
 */
function subnetHandoffs(stack: string, old: StackJson, next: StackJson): string[] {
  type Subnet = { name: string; vpc: string; cidr: string; az: string };
  const subnets = (json: StackJson): Subnet[] =>
    Object.entries(json.resource?.aws_subnet ?? {}).flatMap(([name, r]) =>
      typeof r.cidr_block === "string"
        ? [{ name, vpc: show(r.vpc_id), cidr: r.cidr_block, az: typeof r.availability_zone_id === "string" ? r.availability_zone_id : "" }]
        : [],
    );
  const [was, now] = [subnets(old), subnets(next)];
  const handoffs = now.flatMap((n) => {
    if (was.some((w) => w.name === n.name && w.cidr === n.cidr)) return [];
    const block = parseIpv4Cidr(n.cidr);
    const holder = was.find((w) => {
      const held = parseIpv4Cidr(w.cidr);
      const kept = now.some((k) => k.name === w.name && k.cidr === w.cidr);
      return w.vpc === n.vpc && !kept && block !== undefined && held !== undefined && cidrsOverlap(block, held);
    });
    return holder
      ? [`aws_subnet.${n.name} takes ${n.cidr}, which aws_subnet.${holder.name} (${holder.cidr}) holds until it is replaced`]
      : [];
  });
  if (handoffs.length === 0) return [];
  const deployed = Object.fromEntries(was.filter((w) => w.az).map((w) => [w.az, w.cidr]));
  return [
    `Stack ${stack}: ${handoffs.join("; ")}. AWS refuses a subnet that overlaps one still there (InvalidSubnet.Conflict), and one in use cannot go first, so the apply would stop halfway: keep the deployed subnets by setting the network's subnetCidrs to ${JSON.stringify(deployed)} (add any new AZ's block to it).`,
  ];
}

/** The stacks of a synthesized output folder, by name; none when there is no output yet. */
export function readStacks(outdir: string): Record<string, StackJson> {
  const stacks = join(outdir, "stacks");
  if (!existsSync(stacks)) return {};
  const out: Record<string, StackJson> = {};
  for (const name of readdirSync(stacks)) {
    const file = join(stacks, name, "cdk.tf.json");
    if (!existsSync(file)) continue;
    try {
      out[name] = JSON.parse(readFileSync(file, "utf8")) as StackJson;
    } catch {
      // A damaged previous output tells nothing; the new one replaces it.
    }
  }
  return out;
}
