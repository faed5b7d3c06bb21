/**
 * Plan-time placement checks, as Terraform `lifecycle.precondition`s.
 *
 * Where subnets already exist, their AZs are only known when Terraform reads them, so
 * these conditions let `terraform plan` refuse a wrong placement with a clear message
 * instead of failing halfway through an apply.
 */
import { Fn, Op } from "./cdktf";
import type { Precondition, TerraformResourceLifecycle } from "./cdktf";
import type { SubnetCapacity } from "./constructs/network";

/** `azIds` hold at least `min` distinct AZs and no AZ twice. */
export function spansDistinctAzs(azIds: string[], min: number, what: string): Precondition {
  const distinct = Fn.lengthOf(Fn.distinct(azIds));
  return {
    condition: Op.and(Op.gte(distinct, min), Op.eq(distinct, Fn.lengthOf(azIds))),
    errorMessage: `${what} must be in at least ${min} different AZs, one subnet per AZ; their AZ IDs are: ${Fn.join(", ", azIds)}.`,
  };
}

/** Every AZ in `inner` is also in `outer`. */
export function azsWithin(inner: string[], outer: string[], message: string): Precondition {
  return {
    // `Op.eq(x, 0)` renders `== undefined` in cdktf 0.21 (a falsy literal is dropped), so `< 1`.
    condition: Op.lt(Fn.lengthOf(Fn.setsubtract(inner, outer)), 1),
    errorMessage: `${message} (${Fn.join(", ", inner)} not all within ${Fn.join(", ", outer)}).`,
  };
}

/**
 * Each subnet is /`maxPrefix` or larger and has `minFree` free addresses (the ALB's rule:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer).
 */
export function subnetsHaveRoom(subnets: readonly SubnetCapacity[], maxPrefix: number, minFree: number, what: string): Precondition[] {
  return subnets.flatMap((s) => [
    {
      condition: Op.lte(Fn.tonumber(Fn.element(Fn.split("/", s.cidrBlock), 1)), maxPrefix),
      errorMessage: `${what}: subnet ${s.subnetId} is ${s.cidrBlock}; it must be /${maxPrefix} or larger (AWS's rule for load balancer subnets).`,
    },
    {
      condition: Op.gte(s.availableIps, minFree),
      errorMessage: `${what}: subnet ${s.subnetId} has ${s.availableIps} free addresses; it needs at least ${minFree} (AWS's rule for load balancer subnets).`,
    },
  ]);
}

/**
 * A load balancer's lifecycle: its plan-time checks, `prevent_destroy` while deletion
 * protection is on, and create-before-destroy. AWS refuses to delete a protected load
 * balancer, but only after Terraform has removed what depends on it (the endpoint service,
 * the listeners), leaving the provider half destroyed; `prevent_destroy` makes the plan
 * itself stop first. Only a new name replaces a load balancer (renaming the app), and the
 * endpoint service and listeners move to the new one before the old one goes.
 */
export function withPreventDestroy(deletionProtection: boolean, preconditions: Precondition[]): TerraformResourceLifecycle {
  return {
    ...CREATE_FIRST,
    ...(deletionProtection ? { preventDestroy: true } : {}),
    ...(preconditions.length > 0 ? { precondition: preconditions } : {}),
  };
}

/**
 * The lifecycle of a named resource that others use (a target group behind a listener, a
 * security group on network interfaces, a function behind a target group): when it must be
 * replaced, the new one is created and its users moved first, since AWS refuses to delete
 * one in use (`ResourceInUse`, `DependencyViolation`). Its name must then change with every
 * attribute that replaces it, or the new one collides with the old.
 */
export const CREATE_FIRST = { createBeforeDestroy: true } as const satisfies TerraformResourceLifecycle;
