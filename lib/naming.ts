/** Stable, readable Terraform addresses. */
import type { Construct } from "constructs";
import { TerraformDataSource, TerraformElement, TerraformResource, TerraformStack } from "./cdktf";

/** The address an element is planned under (`type.name`, `data.type.name`), or undefined for other elements. */
function addressOf(element: TerraformElement): string | undefined {
  if (TerraformResource.isTerraformResource(element)) return `${element.terraformResourceType}.${element.friendlyUniqueId}`;
  if (TerraformDataSource.isTerraformDataSource(element)) return `data.${element.terraformResourceType}.${element.friendlyUniqueId}`;
  return undefined;
}

/**
 * Gives `element` the Terraform name `name` (so its address is `<type>.<name>`).
 *
 * cdktf derives names from the construct path plus a hash, which makes plans hard to read
 * and test files impossible to write. A changed address means destroy and re-create, so
 * these names are a contract, pinned by tests. Two elements of a stack with the same chosen
 * address would silently become one in the JSON: that fails here, naming both.
 */
export function withAddress<T extends TerraformElement>(element: T, name: string): T {
  element.overrideLogicalId(name);
  const address = addressOf(element);
  if (address === undefined) return element;
  const clash = TerraformStack.of(element)
    .node.findAll()
    .find((other) => other !== element && other instanceof TerraformElement && addressOf(other) === address);
  if (clash) {
    throw new Error(
      `Terraform address ${address} is chosen twice in stack ${TerraformStack.of(element).node.id}: by ${clash.node.path} and by ${element.node.path}`,
    );
  }
  return element;
}

/** `<construct id>` or `<construct id>_<suffix>`, as a valid Terraform name. */
export function addressName(scope: Construct, suffix?: string): string {
  const base = scope.node.id.replace(/[^A-Za-z0-9_]/g, "_");
  return suffix ? `${base}_${suffix.replace(/[^A-Za-z0-9_]/g, "_")}` : base;
}

/** The `moved` blocks of each stack, so far. */
const moves = new WeakMap<TerraformStack, { from: string; to: string }[]>();

/**
 * Tells Terraform that `element` was deployed at `oldAddress` (a `moved` block), so a state
 * made under the old address is moved instead of destroyed and re-created. Written as a
 * stack override: cdktf's own move API runs `terraform version` at synth, and synth must not
 * need Terraform.
 */
export function movedFrom(element: TerraformResource, oldAddress: string): void {
  const stack = TerraformStack.of(element);
  const list = moves.get(stack) ?? [];
  list.push({ from: oldAddress, to: `${element.terraformResourceType}.${element.friendlyUniqueId}` });
  moves.set(stack, list);
  stack.addOverride("moved", [...list]);
}
