/**
 * Terraform itself checks the synthesized stacks: init + validate, `terraform test` with a
 * mock AWS provider (plan and apply), the cross-stack hand-over, and cdktf's own matcher.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ciIsOn, cliConfigText, parseTestOutput, providerMirror, TerraformRunner, terraformAvailability } from "./support/terraform";
import { describeWithTerraform, initializedStacks, newRunner, tfTestFile } from "./support/terraform-suite";

/** The consumer's test file with the captured provider outputs put in place. */
function consumerTestFile(providerOutputs: Record<string, unknown>): string {
  const template = tfTestFile("consumer.tftest.hcl");
  // JSON is valid HCL object syntax; `${` would start an interpolation, so escape it.
  const literal = JSON.stringify(providerOutputs).replace(/\$\{/g, "$${");
  const replaced = template.replace(/(# @provider-outputs[^\n]*\n(?:\s*#[^\n]*\n)*\s*)outputs = \{\}/, `$1outputs = ${literal}`);
  if (replaced === template) throw new Error("consumer.tftest.hcl has lost its @provider-outputs marker");
  return replaced;
}

describe("Terraform runner policy", () => {
  test("runs with a binary, skips without one, and fails without one under CI=true", () => {
    const noTerraform = { PATH: "/nonexistent" };
    expect(terraformAvailability({ ...noTerraform }).mode).toBe("skip");
    expect(terraformAvailability({ ...noTerraform, CI: "true" })).toEqual({
      mode: "fail",
      reason: expect.stringContaining("CI=true requires it"),
    });
    expect(terraformAvailability({ PATH: "/nonexistent", TERRAFORM_BINARY: process.execPath }).mode).toBe("run");
  });

  test.each([
    ["true", true],
    ["TRUE", true],
    ["1", true],
    ["yes", true],
    ["On", true],
    [" y ", true],
    ["false", false],
    ["0", false],
    ["", false],
    [undefined, false],
  ])("CI=%s means on: %s", (value, on) => {
    expect(ciIsOn(value)).toBe(on);
    expect(terraformAvailability({ PATH: "/nonexistent", ...(value === undefined ? {} : { CI: value }) }).mode).toBe(on ? "fail" : "skip");
  });

  test("the CLI config installs from the mirror when there is one, else from the registry", () => {
    expect(cliConfigText("/opt/mirror")).toContain('filesystem_mirror {\n    path    = "/opt/mirror"');
    expect(cliConfigText("/opt/mirror")).toContain('direct {\n    exclude = ["registry.terraform.io/*/*"]');
    expect(cliConfigText(undefined)).not.toContain("provider_installation");
    expect(providerMirror({ TF_PROVIDER_MIRROR: "/nonexistent/mirror" })).toBeUndefined();
  });

  test("reads pass/fail counts, diagnostics and per-run outputs from terraform test's JSON", () => {
    const lines = [
      { type: "test_state", "@testrun": "apply", test_state: { outputs: { a: { value: "x", sensitive: true } } } },
      { type: "diagnostic", diagnostic: { severity: "error", summary: "Test assertion failed", detail: "bad port" } },
      { type: "test_summary", test_summary: { passed: 1, failed: 1, errored: 0 } },
    ].map((l) => JSON.stringify(l));
    expect(parseTestOutput(["not json", ...lines].join("\n"))).toEqual({
      passed: 1,
      failed: 1,
      errored: 0,
      outputs: { apply: { a: "x" } },
      diagnostics: ["error: Test assertion failed: bad port"],
    });
  });
});

describeWithTerraform("Terraform checks the synthesized stacks (mock AWS provider, offline)", () => {
  let runner: TerraformRunner;
  /** Initialized copies of each synthesized stack folder; tests work in copies of these. */
  let provider: string;
  let consumer: string;
  let providerOutputs: Record<string, unknown> | undefined;

  let stacksDir: string;

  beforeAll(async () => {
    runner = await newRunner(true);
    ({ stacksDir, provider, consumer } = await initializedStacks(runner));
  });

  test("a stack folder copied alone to an unrelated directory initializes from the mirror and validates", async () => {
    // One stack without the shared provider: Terraform installs hashicorp/aws from the mirror
    // and starts it itself, exactly as on a user's machine or an HCP Terraform upload.
    const plain = await newRunner(false);
    const alone = await plain.initialized(join(stacksDir, "provider"));
    expect(relative(stacksDir, alone).startsWith("..")).toBe(true);
    expect(readdirSync(join(alone, ".."))).toEqual(["provider"]);
    const filename = JSON.parse(readFileSync(join(alone, "cdk.tf.json"), "utf8")).resource.aws_lambda_function.lambda.filename;
    expect(existsSync(join(alone, filename))).toBe(true);
    expect(readFileSync(join(alone, ".terraform.lock.hcl"), "utf8")).toContain('provider "registry.terraform.io/hashicorp/aws"');
    // (The consumer is validated by cdktf's own matcher, terraform-matcher.test.ts.)
    expect((await plain.validate(alone)).stdout).toContain("Success! The configuration is valid.");
  });

  test("provider: plan and apply with mocks pass every wiring assertion; outputs are captured", async () => {
    const report = await runner.test(provider, { captureOutputs: true });
    expect(report).toMatchObject({ passed: 2, failed: 0, errored: 0 });
    providerOutputs = report.outputs.apply;
    expect(providerOutputs.endpoint_service_name).toEqual(expect.any(String));
    expect(providerOutputs.endpoint_service_name).not.toBe("");
  });

  test("cross-stack: the consumer's endpoint receives the provider's service name", async () => {
    if (!providerOutputs) throw new Error("the provider's mock apply did not run or capture outputs");
    const dir = runner.workspace(consumer, { "tests/consumer.tftest.hcl": consumerTestFile(providerOutputs) });
    const report = await runner.test(dir, { captureOutputs: true });
    expect(report).toMatchObject({ passed: 1, failed: 0, errored: 0 });
    expect(report.outputs.apply.curl_command).toMatch(/^curl http:\/\/vpce-.+\/$/);
  });
});
