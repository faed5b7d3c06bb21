/** Stable, readable Terraform addresses. */
import type { Construct } from "constructs";
import type { TerraformElement } from "./cdktf";

/**
 * Gives `element` the Terraform name `name` (so its address is `<type>.<name>`).
 *
 * cdktf derives names from the construct path plus a hash, which makes plans hard to read
 * and test files impossible to write. A changed address means destroy and re-create, so
 * these names are a contract, pinned by tests.
 */
export function withAddress<T extends TerraformElement>(element: T, name: string): T {
  element.overrideLogicalId(name);
  return element;
}

/** `<construct id>` or `<construct id>_<suffix>`, as a valid Terraform name. */
export function addressName(scope: Construct, suffix?: string): string {
  const base = scope.node.id.replace(/[^A-Za-z0-9_]/g, "_");
  return suffix ? `${base}_${suffix.replace(/[^A-Za-z0-9_]/g, "_")}` : base;
}
