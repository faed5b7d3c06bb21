/** Where a stack keeps its Terraform state. */
import { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "./cdktf";

/**
 * Local state in `<project>/state/terraform.<stack>.tfstate`, written as a path relative to
 * the stack folder `cdktf.out/stacks/<stack>`.
 *
 * cdktf's default LocalBackend writes an absolute path into the backend and into every
 * consumer's `terraform_remote_state`, so output differs per machine; and `cdktf.out` is
 * regenerated, so state must never live inside it.
 */
export function useLocalState(scope: Construct): void {
  const stackName = TerraformStack.of(scope).node.id;
  new LocalBackend(scope, { path: localStatePath(stackName) });
}

/** The relative state path of `stackName`, as seen from its stack folder. */
export function localStatePath(stackName: string): string {
  return `../../../state/terraform.${stackName}.tfstate`;
}
