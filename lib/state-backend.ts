/** Where a stack keeps its Terraform state: local files, S3, or HCP Terraform. */
import { Construct } from "constructs";
import type { BackendConfig } from "../config/schema";
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "./cdktf";

/**
 * Declares the backend of the stack that contains `scope`. cdktf builds every consumer's
 * `terraform_remote_state` from the producing stack's backend, so cross-stack references
 * work with each kind.
 */
export function useStateBackend(scope: Construct, backend: BackendConfig): void {
  const stackName = TerraformStack.of(scope).node.id;
  if (backend.s3) {
    const { keyPrefix, useLockfile, assumeRole, ...s3 } = backend.s3;
    const declared = new S3Backend(scope, {
      ...s3,
      key: `${keyPrefix}/${stackName}.tfstate`,
      assumeRole: assumeRole && { roleArn: assumeRole.roleArn, externalId: assumeRole.externalId, sessionName: assumeRole.sessionName },
    });
    // cdktf 0.21's S3BackendConfig predates S3-native locking (Terraform >= 1.10).
    if (useLockfile) declared.addOverride("use_lockfile", true);
    return;
  }
  if (backend.cloud) {
    const { organization, hostname, project, workspaces } = backend.cloud;
    // No token here: it would be written into the JSON. Use `cdktf login` or TF_TOKEN_<host>.
    new CloudBackend(scope, { organization, hostname, workspaces: new NamedCloudWorkspace(workspaces[stackName], project) });
    return;
  }
  new LocalBackend(scope, { path: localStatePath(stackName, backend.local?.directory ?? "state") });
}

/**
 * The state file of `stackName` in `<project>/<directory>/`, as a path relative to the stack
 * folder `cdktf.out/stacks/<stack>`.
 *
 * cdktf's default LocalBackend writes an absolute path into the backend and into every
 * consumer's `terraform_remote_state`, so output differs per machine; and `cdktf.out` is
 * regenerated, so state must never live inside it.
 */
export function localStatePath(stackName: string, directory = "state"): string {
  return `../../../${directory}/terraform.${stackName}.tfstate`;
}
