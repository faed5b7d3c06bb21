/** Where each stack keeps its state: local files, S3 or HCP Terraform, and how other stacks read it. */
// jest.spyOn needs the module object itself; swc turns `import * as` into a copy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import childProcess = require("node:child_process");
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { App, TerraformOutput, TerraformStack, Testing } from "../../lib/cdktf";
import {
  CloudStateBackend,
  HcpTerraformBackend,
  localStatePath,
  S3StateBackend,
  StateBackend,
  useStateBackend,
} from "../../lib/constructs/state-backend";
import { scope, synth } from "./harness";

const s3 = (overrides: Partial<S3StateBackend> = {}): S3StateBackend => ({
  kind: "s3",
  bucket: "example-tfstate",
  keyPrefix: "privatelink",
  region: "ap-northeast-1",
  useLockfile: false,
  encrypt: true,
  ...overrides,
});

const cloud = (overrides: Partial<CloudStateBackend> = {}): CloudStateBackend => ({
  kind: "cloud",
  organization: "example-org",
  workspaces: { test: "privatelink-provider", consumer: "privatelink-consumer" },
  ...overrides,
});

const ROOT = path.join(__dirname, "..", "..");

/** Run by a node process of its own: reports whether terraform can be started, then synthesizes two cloud-backed stacks. */
const CHILD_SYNTH = `
const { spawnSync } = require("node:child_process");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { SecurityGroup } = require("@cdktf/provider-aws/lib/security-group");
const { App, TerraformOutput, TerraformStack } = require("./lib/cdktf");
const { useStateBackend } = require("./lib/constructs/state-backend");
console.log("terraform: " + (spawnSync("terraform", ["version"]).error?.code ?? "found"));
const backend = { kind: "cloud", organization: "example-org", hostname: "tfe.example.com", workspaces: { test: "p", consumer: "c" } };
const app = new App({ outdir: process.env.OUTDIR });
const producer = new TerraformStack(app, "test");
new AwsProvider(producer, "aws", { region: "ap-northeast-1" });
const consumer = new TerraformStack(app, "consumer");
useStateBackend(producer, backend);
useStateBackend(consumer, backend);
const group = new SecurityGroup(producer, "group", { name: "shared", description: "read by the consumer" });
new TerraformOutput(consumer, "group_id", { value: group.id });
app.synth();
console.log("synthesized");
`;

/** Apps whose output folders are removed after each test. */
const apps: App[] = [];
afterEach(() => {
  for (const app of apps.splice(0)) fs.rmSync(app.outdir, { recursive: true, force: true });
});

/** A producer stack "test" holding a security group, and a consumer stack whose output is the group's ID. */
function twoStacks(backend: StateBackend) {
  const { app, stack: producer } = scope();
  apps.push(app);
  const consumer = new TerraformStack(app, "consumer");
  useStateBackend(producer, backend);
  useStateBackend(consumer, backend);
  const group = new SecurityGroup(producer, "group", { name: "shared", description: "read by the consumer" });
  new TerraformOutput(consumer, "group_id", { value: group.id });
  return { app };
}

/** A synthesized stack's JSON from the app's output folder, metadata included. */
function stackJson(app: App, name: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", name, "cdk.tf.json"), "utf8"));
}

describe("useStateBackend: local", () => {
  test.each(["state", "infra/state", ".terraform-state"])("directory %s: a path relative to cdktf.out/stacks/<stack>", (directory) => {
    // GIVEN a stack named "test"
    const { stack } = scope();
    // WHEN it keeps its state in a local folder of the project
    useStateBackend(stack, { kind: "local", directory });
    // THEN the backend's path climbs out of cdktf.out/stacks/test into that folder
    const { json } = synth(stack);
    expect(json.terraform.backend).toEqual({ local: { path: `../../../${directory}/terraform.test.tfstate` } });
    expect(json.terraform.backend.local.path).toBe(localStatePath("test", directory));
  });

  test.each([
    ["provider", undefined, "../../../state/terraform.provider.tfstate"],
    ["consumer-osaka", "state", "../../../state/terraform.consumer-osaka.tfstate"],
    ["consumer", "infra/tf", "../../../infra/tf/terraform.consumer.tfstate"],
  ])("localStatePath(%s, %s) is %s", (stackName, directory, expected) => {
    // GIVEN a stack name and maybe a folder
    // WHEN the state path is asked for
    const statePath = localStatePath(stackName, directory);
    // THEN it is relative (never absolute), named after the stack, and in "state" by default
    expect(statePath).toBe(expected);
  });
});

describe("useStateBackend: s3", () => {
  test("bucket, Region, encryption and a key per stack under the prefix", () => {
    // GIVEN a stack named "test"
    const { stack } = scope();
    // WHEN it keeps its state in S3 without a profile, role or lock file
    useStateBackend(stack, s3());
    // THEN the backend has exactly those arguments
    expect(synth(stack).json.terraform.backend).toEqual({
      s3: { bucket: "example-tfstate", region: "ap-northeast-1", encrypt: true, key: "privatelink/test.tfstate" },
    });
  });

  test("the key names the stack of the construct given, however deep", () => {
    // GIVEN a construct inside a stack named "consumer-osaka"
    const stack = new TerraformStack(Testing.app(), "consumer-osaka");
    const inner = new Construct(new Construct(stack, "a"), "b");
    // WHEN the backend is declared through the inner construct
    useStateBackend(inner, s3({ keyPrefix: "apps/privatelink", encrypt: false }));
    // THEN the key is named after the stack
    const { json } = synth(stack);
    expect(json.terraform.backend.s3.key).toBe("apps/privatelink/consumer-osaka.tfstate");
    expect(json.terraform.backend.s3.encrypt).toBe(false);
  });

  test("a profile and a role to assume", () => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the bucket is reached with a profile and through a role
    useStateBackend(
      stack,
      s3({
        profile: "state-admin",
        assumeRole: { roleArn: "arn:aws:iam::999999999999:role/tfstate", externalId: "ext-1", sessionName: "privatelink" },
      }),
    );
    // THEN both are written, the role as an assume_role block
    const backend = synth(stack).json.terraform.backend.s3;
    expect(backend.profile).toBe("state-admin");
    expect(backend.assume_role).toEqual({
      role_arn: "arn:aws:iam::999999999999:role/tfstate",
      external_id: "ext-1",
      session_name: "privatelink",
    });
  });

  test("a role without external ID or session name writes the role ARN only", () => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the role has only an ARN
    useStateBackend(stack, s3({ assumeRole: { roleArn: "arn:aws:iam::999999999999:role/tfstate" } }));
    // THEN assume_role has only role_arn, and no profile is written
    const backend = synth(stack).json.terraform.backend.s3;
    expect(backend.assume_role).toEqual({ role_arn: "arn:aws:iam::999999999999:role/tfstate" });
    expect(backend).not.toHaveProperty("profile");
  });

  test.each([
    [true, { use_lockfile: true }],
    [false, {}],
  ])("useLockfile %s", (useLockfile, expected) => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN S3-native locking is turned on or off
    useStateBackend(stack, s3({ useLockfile }));
    // THEN use_lockfile is written only when on
    const backend = synth(stack).json.terraform.backend.s3;
    expect(backend).toEqual({
      bucket: "example-tfstate",
      region: "ap-northeast-1",
      encrypt: true,
      key: "privatelink/test.tfstate",
      ...expected,
    });
  });
});

describe("useStateBackend: cloud", () => {
  test.each([
    ["organization and workspace only", {}, { organization: "example-org", workspaces: { name: "privatelink-provider" } }],
    [
      "with a host and a project",
      { hostname: "tfe.example.com", project: "privatelink" },
      { organization: "example-org", hostname: "tfe.example.com", workspaces: { name: "privatelink-provider", project: "privatelink" } },
    ],
  ])("%s: the terraform.cloud block", (_, overrides, expected) => {
    // GIVEN a stack named "test" with a workspace
    const { stack } = scope();
    // WHEN it keeps its state in HCP Terraform
    useStateBackend(stack, cloud(overrides));
    // THEN the cloud block names the organization, host and the stack's workspace, and there is no other backend
    const { json } = synth(stack);
    expect(json.terraform.cloud).toEqual(expected);
    expect(json.terraform).not.toHaveProperty("backend");
    expect(JSON.stringify(json)).not.toContain("token");
  });

  test("a stack without a workspace is refused", () => {
    // GIVEN a stack named "test" and workspaces for other stacks only
    const { stack } = scope();
    // WHEN the cloud backend is declared
    const declare = () => useStateBackend(stack, cloud({ workspaces: { provider: "privatelink-provider" } }));
    // THEN it fails, naming the stack
    expect(declare).toThrow("useStateBackend: no HCP Terraform workspace for stack test");
  });
});

describe("HcpTerraformBackend", () => {
  test.each([
    ["no hostname", "tfc", undefined],
    ["app.terraform.io", "tfc", "app.terraform.io"],
    ["app.terraform.io:443", "tfc", "app.terraform.io:443"],
    ["tfe.example.com", "tfe", "tfe.example.com"],
  ])("metadata with %s says cloud: %s", (_, kind, hostname) => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the backend is declared with that host
    const backend = new HcpTerraformBackend(stack, { organization: "example-org", hostname, workspace: "ws" });
    // THEN its metadata tells HCP Terraform from Terraform Enterprise, as cdktf's CloudBackend does
    expect(backend.toMetadata()).toEqual({ backend: "cloud", cloud: kind });
  });

  test("the metadata reaches the synthesized stack", () => {
    // GIVEN an app whose stacks use Terraform Enterprise
    const { app } = twoStacks(cloud({ hostname: "tfe.example.com" }));
    // WHEN the app is synthesized
    app.synth();
    // THEN the stack's metadata names the cloud backend on TFE
    expect(stackJson(app, "test")["//"].metadata).toMatchObject({ backend: "cloud", cloud: "tfe", stackName: "test" });
  });

  test("the HCL rendering keeps the workspace's project", () => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the backend has a host, a workspace and a project
    const backend = new HcpTerraformBackend(stack, {
      organization: "example-org",
      hostname: "tfe.example.com",
      workspace: "privatelink-provider",
      project: "privatelink",
    });
    // THEN the HCL form holds name and project in a workspaces block, and the HCL text writes both
    const cloudBlock = (backend.toHclTerraform() as any).terraform.cloud;
    expect(cloudBlock.organization).toBe("example-org");
    expect(cloudBlock.hostname).toBe("tfe.example.com");
    expect(cloudBlock.workspaces).toMatchObject({
      isBlock: true,
      value: {
        name: { value: "privatelink-provider", type: "simple" },
        project: { value: "privatelink", type: "simple" },
      },
    });
    const hcl = Testing.synthHcl(stack);
    expect(hcl).toMatch(/cloud \{\s*organization = "example-org"\s*hostname = "tfe.example.com"/);
    expect(hcl).toMatch(/workspaces \{\s*name = "privatelink-provider"\s*project = "privatelink"\s*\}/);
  });

  test("the HCL rendering leaves project out when there is none", () => {
    // GIVEN a stack
    const { stack } = scope();
    // WHEN the backend has no project
    new HcpTerraformBackend(stack, { organization: "example-org", workspace: "privatelink-provider" });
    // THEN the workspaces block names the workspace only
    const hcl = Testing.synthHcl(stack);
    expect(hcl).toMatch(/workspaces \{\s*name = "privatelink-provider"\s*\}/);
    expect(hcl).not.toContain("project");
  });
});

describe("cross-stack references", () => {
  test.each([
    ["HCP Terraform", undefined, { organization: "example-org", workspaces: { name: "privatelink-provider" } }],
    [
      "Terraform Enterprise",
      "tfe.example.com",
      { organization: "example-org", hostname: "tfe.example.com", workspaces: { name: "privatelink-provider" } },
    ],
  ])("on %s the consumer reads the producer's workspace through the remote backend", (_, hostname, config) => {
    // GIVEN a producer and a consumer in HCP Terraform workspaces, the consumer using the producer's group ID
    const { app } = twoStacks(cloud({ hostname, project: "privatelink" }));
    // WHEN the app is synthesized
    app.synth();
    // THEN the consumer has a remote state of the producer's organization and workspace, and reads an output of it
    const consumer = stackJson(app, "consumer");
    const producer = stackJson(app, "test");
    const remote = consumer.data.terraform_remote_state["cross-stack-reference-input-test"];
    expect(remote).toEqual({ backend: "remote", config });
    const match = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-test\.outputs\.(.+)\}$/.exec(
      consumer.output.group_id.value,
    );
    expect(match).not.toBeNull();
    expect(producer.output[match![1]].value).toBe("${aws_security_group.group.id}");
  });

  test("synth with the cloud backend starts no process (Terraform checks its own version at init)", () => {
    // GIVEN two cloud-backed stacks, and every way of starting a process spied on (and made to fail)
    const { app } = twoStacks(cloud({ hostname: "tfe.example.com" }));
    const spawners = (["exec", "execFile", "execFileSync", "execSync", "fork", "spawn", "spawnSync"] as const).map((name) =>
      jest.spyOn(childProcess, name).mockImplementation(() => {
        throw new Error(`child_process.${name} called during synth`);
      }),
    );
    // WHEN the app is synthesized, validations included
    try {
      app.synth();
    } finally {
      spawners.forEach((spy) => spy.mockRestore());
    }
    // THEN nothing was started, and both stacks are written with their cloud blocks
    spawners.forEach((spy) => expect(spy).not.toHaveBeenCalled());
    expect(stackJson(app, "test").terraform.cloud.workspaces.name).toBe("privatelink-provider");
    expect(stackJson(app, "consumer").terraform.cloud.workspaces.name).toBe("privatelink-consumer");
  });

  test("synth with the cloud backend succeeds with an empty directory as PATH", () => {
    // GIVEN an empty directory as the only PATH entry of a fresh node process (jest's process.env
    // is a copy that child_process never reads, so PATH is set for a process of its own)
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "no-terraform."));
    const emptyDir = fs.mkdtempSync(path.join(work, "bin-"));
    const outdir = path.join(work, "cdktf.out");
    // WHEN that process builds the two cloud-backed stacks and synthesizes them
    let run: childProcess.SpawnSyncReturns<string>;
    try {
      run = childProcess.spawnSync(process.execPath, ["--import", "tsx", "-e", CHILD_SYNTH], {
        cwd: ROOT,
        encoding: "utf8",
        env: { PATH: emptyDir, HOME: work, TMPDIR: work, OUTDIR: outdir },
        timeout: 60_000,
      });
      // THEN terraform could not be found there, and synth succeeded all the same
      expect(run.stderr).toBe("");
      expect(run.stdout.trim().split("\n")).toEqual(["terraform: ENOENT", "synthesized"]);
      expect(run.status).toBe(0);
      const consumer = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "consumer", "cdk.tf.json"), "utf8"));
      expect(consumer.data.terraform_remote_state["cross-stack-reference-input-test"].backend).toBe("remote");
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
