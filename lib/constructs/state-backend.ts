/** Where a stack keeps its Terraform state: local files, S3, or HCP Terraform. */
import { Construct } from "constructs";
import { DataTerraformRemoteState, LocalBackend, S3Backend, TerraformBackend, TerraformStack } from "../cdktf";
import { terraformLiteral } from "../terraform-literal";

/** The Terraform versions every stack accepts. */
export const REQUIRED_TERRAFORM = ">= 1.10.0";

/** Local state files in `<project>/<directory>/`. */
export interface LocalStateBackend {
  readonly kind: "local";
  /** The folder, relative to the project root. */
  readonly directory: string;
}

/** State in S3, one key per stack under `keyPrefix`. */
export interface S3StateBackend {
  readonly kind: "s3";
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly region: string;
  /** S3-native locking (Terraform >= 1.10). */
  readonly useLockfile: boolean;
  readonly encrypt: boolean;
  /** A profile for the state bucket. @default - the default credential chain */
  readonly profile?: string;
  /** A role to assume for the state bucket. @default - none */
  readonly assumeRole?: { readonly roleArn: string; readonly externalId?: string; readonly sessionName?: string };
}

/** HCP Terraform (or Terraform Enterprise) workspaces, one per stack. */
export interface CloudStateBackend {
  readonly kind: "cloud";
  readonly organization: string;
  readonly hostname?: string;
  readonly project?: string;
  /** Workspace name by stack name. */
  readonly workspaces: Readonly<Record<string, string>>;
}

/** Where the stacks keep their Terraform state. */
export type StateBackend = LocalStateBackend | S3StateBackend | CloudStateBackend;

/**
 * Declares the backend of the stack that contains `scope`. cdktf builds every consumer's
 * `terraform_remote_state` from the producing stack's backend, so cross-stack references
 * work with each kind.
 */
export function useStateBackend(scope: Construct, backend: StateBackend): void {
  const stack = TerraformStack.of(scope);
  const stackName = stack.node.id;
  // S3-native locking (use_lockfile) needs 1.10; an older Terraform stops at init, saying so.
  stack.addOverride("terraform.required_version", REQUIRED_TERRAFORM);
  switch (backend.kind) {
    case "s3": {
      const { bucket, region, encrypt, profile, keyPrefix, assumeRole } = backend;
      const declared = new S3Backend(scope, {
        bucket,
        region,
        encrypt,
        profile,
        key: `${keyPrefix}/${stackName}.tfstate`,
        assumeRole: assumeRole && {
          roleArn: terraformLiteral(assumeRole.roleArn),
          externalId: assumeRole.externalId,
          sessionName: assumeRole.sessionName,
        },
      });
      // cdktf 0.21's S3BackendConfig predates S3-native locking (Terraform >= 1.10).
      if (backend.useLockfile) declared.addOverride("use_lockfile", true);
      return;
    }
    case "cloud": {
      const workspace = backend.workspaces[stackName];
      if (workspace === undefined) throw new Error(`useStateBackend: no HCP Terraform workspace for stack ${stackName}`);
      // No token here: it would be written into the JSON. Use `cdktf login` or TF_TOKEN_<host>.
      new HcpTerraformBackend(scope, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspace,
        project: backend.project,
      });
      return;
    }
    case "local":
      new LocalBackend(scope, { path: localStatePath(stackName, backend.directory) });
  }
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

/** Properties of {@link HcpTerraformBackend}. */
export interface HcpTerraformBackendProps {
  /** The HCP Terraform organization. */
  readonly organization: string;
  /** The host of HCP Terraform or Terraform Enterprise. @default - app.terraform.io */
  readonly hostname?: string;
  /** The workspace of this stack. */
  readonly workspace: string;
  /** The project of the workspace. @default - the organization's default project */
  readonly project?: string;
}

/**
 * The `cloud` block, as cdktf's CloudBackend writes it, without that class's synth-time
 * check: it runs `terraform version`, so synth would need Terraform installed (and reach the
 * network for Terraform's update check). Terraform checks its own version at init.
 */
export class HcpTerraformBackend extends TerraformBackend {
  constructor(
    scope: Construct,
    private readonly props: HcpTerraformBackendProps,
  ) {
    super(scope, "backend", "cloud");
  }

  public toTerraform(): Record<string, unknown> {
    const { organization, hostname, workspace, project } = this.props;
    return { terraform: { cloud: { organization, hostname, workspaces: { name: workspace, project } } } };
  }

  public toHclTerraform(): Record<string, unknown> {
    const { organization, hostname, workspace, project } = this.props;
    const text = (value: string | undefined) => value && { value, type: "simple", storageClassType: "string" };
    return {
      terraform: {
        cloud: {
          organization,
          hostname,
          workspaces: {
            value: { name: text(workspace), project: text(project) },
            isBlock: true,
            type: "map",
            storageClassType: "stringmap",
          },
        },
      },
    };
  }

  public toMetadata(): Record<string, unknown> {
    const hostname = this.props.hostname ?? "app.terraform.io";
    const base: Record<string, unknown> = super.toMetadata() as Record<string, unknown>;
    return { ...base, cloud: hostname.startsWith("app.terraform.io") ? "tfc" : "tfe" };
  }

  /** Consumers read this stack's outputs through the `remote` backend. */
  public getRemoteStateDataSource(scope: Construct, name: string): DataTerraformRemoteState {
    const { organization, hostname, workspace } = this.props;
    return new DataTerraformRemoteState(scope, name, { organization, hostname, workspaces: { name: workspace } });
  }
}
