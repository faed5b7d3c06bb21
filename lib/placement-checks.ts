/**
 * Plan-time placement checks, as Terraform `lifecycle.precondition`s.
 *
 * Where subnets already exist, their AZs are only known when Terraform reads them, so
 * these conditions let `terraform plan` refuse a wrong placement with a clear message
 * instead of failing halfway through an apply.
 */
import { Fn, Op } from "./cdktf";
import type { Precondition } from "./cdktf";

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
