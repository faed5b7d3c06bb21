/**
 * Made for remote runs and plan reviews: the `--hcl` rendering validates, a stack folder
 * works alone, and `cdktf output --outputs-file` reads the stacks' outputs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_COMMAND, EXAMPLES_DIR, examples, projectCopy, ROOT } from "./fixtures";
import { aggregateRoot } from "./support/mock-plan";
import { TerraformRunner } from "./support/terraform";
import { describeWithTerraform, newRunner } from "./support/terraform-suite";

/** Runs the app command as the cdktf CLI would, with `env` added; returns the output folder. */
function synth(cwd: string, env: Record<string, string>): string {
  const outdir = join(mkdtempSync(join(tmpdir(), "plk-remote-")), "cdktf.out");
  const run = spawnSync("/bin/sh", ["-c", APP_COMMAND], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: outdir, PRIVATELINK_CONFIG: "", ...env },
  });
  if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
  return outdir;
}

/** A Terraform state file (format 4) holding only `outputs`. */
const stateWith = (outputs: Record<string, string>) =>
  JSON.stringify({
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "00000000-0000-0000-0000-000000000000",
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { value: v, type: "string" }])),
    resources: [],
    check_results: null,
  });

describeWithTerraform("remote runs and reviews", () => {
  let runner: TerraformRunner;
  beforeAll(async () => {
    runner = await newRunner(true);
  });

  test("`synth --hcl` renders both stacks as HCL, and Terraform validates them", async () => {
    const outdir = synth(ROOT, { SYNTH_HCL_OUTPUT: "true" });
    for (const stack of ["provider", "consumer"]) {
      const files = readdirSync(join(outdir, "stacks", stack));
      expect(files).toEqual(expect.arrayContaining(["cdk.tf", ".trivyignore.yaml", ".checkov.yaml"]));
      expect(files).not.toContain("cdk.tf.json");
    }
    const hcl = readFileSync(join(outdir, "stacks", "provider", "cdk.tf"), "utf8");
    expect(hcl).toContain('resource "aws_lb_target_group" "nlb_alb"');
    expect(hcl).toContain('port = "${aws_lb_listener.alb_listener.port}"');
    // Both stacks as modules of one root: one Terraform process validates them.
    const root = aggregateRoot(
      ["provider", "consumer"].map((s) => ({ module: s, dir: join(outdir, "stacks", s) })),
      false,
    );
    await runner.init(root);
    const result = await runner.validate(root);
    // Only the (expected) notes about backends in child modules; no "Quoted references are
    // deprecated": the quoted depends_on entries are repaired.
    expect(result.stdout).not.toContain("Quoted references");
    expect(result.stdout).toContain("Success! The configuration is valid");
    expect(hcl).toMatch(/depends_on = \[\n\s*aws_iam_role_policy_attachment\.lambda_vpc_access,\n/);
  });

  test("`synth --hcl` of every shipped config validates: existing VPCs' preconditions, outside services, many consumers", async () => {
    // GIVEN every example config (and the environments), rendered as HCL by the app
    const configs = [
      ...examples.map((f) => join(EXAMPLES_DIR, f)),
      ...readdirSync(join(EXAMPLES_DIR, "environments")).map((f) => join(EXAMPLES_DIR, "environments", f)),
    ];
    const folders = configs.flatMap((config, i) => {
      const outdir = synth(ROOT, { SYNTH_HCL_OUTPUT: "true", PRIVATELINK_CONFIG: config });
      return readdirSync(join(outdir, "stacks")).map((s) => ({ module: `c${i}_${s.replace(/-/g, "_")}`, dir: join(outdir, "stacks", s) }));
    });
    const hcl = folders.map((f) => readFileSync(join(f.dir, "cdk.tf"), "utf8")).join("\n");
    // (the repairs had something to do: an existing VPC's placement checks are preconditions)
    expect(hcl.match(/precondition \{/g)?.length).toBeGreaterThan(0);
    expect(hcl.match(/precondition = \[/g)).toBeNull();
    // WHEN validated, all as modules of one root; THEN Terraform takes every one
    const root = aggregateRoot(folders, false);
    await runner.init(root);
    const result = await runner.validate(root);
    expect(result.stdout).toContain("Success! The configuration is valid");
  });

  test("`cdktf output --outputs-file` writes every stack's outputs", () => {
    const project = projectCopy();
    mkdirSync(join(project, "state"));
    writeFileSync(
      join(project, "state", "terraform.provider.tfstate"),
      stateWith({
        endpoint_service_name: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0",
        function_name: "hello-privatelink",
      }),
    );
    writeFileSync(
      join(project, "state", "terraform.consumer.tfstate"),
      stateWith({
        endpoint_dns_name: "vpce-0123-abcd.vpce-svc-0123.ap-northeast-1.vpce.amazonaws.com",
        curl_command: "curl http://vpce-0123-abcd.vpce-svc-0123.ap-northeast-1.vpce.amazonaws.com/",
      }),
    );
    const cli = spawnSync(
      join(project, "node_modules", ".bin", "cdktf"),
      ["output", "provider", "consumer", "--outputs-file", "outputs.json", "--skip-provider-lock"],
      {
        cwd: project,
        encoding: "utf8",
        env: { ...runner.env(), CI: "1", PRIVATELINK_CONFIG: "" },
      },
    );
    expect({ status: cli.status, output: cli.status === 0 ? "" : `${cli.stdout}\n${cli.stderr}` }).toEqual({ status: 0, output: "" });
    expect(existsSync(join(project, "outputs.json"))).toBe(true);
    const outputs = JSON.parse(readFileSync(join(project, "outputs.json"), "utf8"));
    expect(outputs.provider).toMatchObject({ endpoint_service_name: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0" });
    expect(outputs.consumer).toMatchObject({ curl_command: "curl http://vpce-0123-abcd.vpce-svc-0123.ap-northeast-1.vpce.amazonaws.com/" });
  });
});
