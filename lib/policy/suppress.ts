/**
 * Suppressions: the one part of the policy engine that constructs and stacks use. A
 * suppression names one rule and a reason (at least 10 characters) and attaches to one
 * resource, in that resource's `"//"` metadata, where plan reviewers see it.
 */
import type { TerraformResource } from "../cdktf";

/** Where suppressions are kept inside a resource's `"//"` object. */
export const SUPPRESSIONS_KEY = "policy_suppressions";
/** The shortest reason a suppression may give. */
export const MIN_REASON = 10;

/** Leaves one rule's findings on `resource` on purpose, for `reason`. */
export function suppress(resource: TerraformResource, ruleId: string, reason: string): void {
  if (reason.trim().length < MIN_REASON) {
    throw new Error(`Suppression of ${ruleId} on ${resource.node.path} needs a reason of at least ${MIN_REASON} characters`);
  }
  resource.addOverride(`//.${SUPPRESSIONS_KEY}.${ruleId}`, reason);
}
