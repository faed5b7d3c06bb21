/**
 * What a synth would do to a deployed service, told before anyone plans: the new output is
 * compared with the previous one in `cdktf.out`, and a stack that changed its name (its
 * state stays under the old one) or a change that replaces what carries consumers' traffic
 * is named, with who reconnects.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

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
          notices.push(`Stack ${stack}: ${type}.${name} is replaced (${what}); ${whoReconnects(stack)}.`);
        }
      }
    }
  }
  return notices;
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
