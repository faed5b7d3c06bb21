/**
 * Every shipped example config synthesizes, and Terraform accepts every stack: one
 * `terraform validate` and one mock `terraform plan` over all of them (see support/mock-plan).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { examples, synthExample } from "./helpers";
import { aggregateRoot, mockPlanTestFile, StackFolder } from "./support/mock-plan";
import { TerraformRunner, writeFiles } from "./support/terraform";
import { availability, describeWithTerraform, newRunner } from "./support/terraform-suite";

describe("example configs", () => {
  test("there are examples for existing VPCs, many consumers across Regions, an outside service, two functions with routes, and HTTPS with a private DNS name", () => {
    expect(examples).toEqual([
      "consumer-of-outside-service.json",
      "existing-vpcs-s3-state.json",
      "https-private-dns.json",
      "many-consumers-cross-region-hcp.json",
      "two-functions-routes.json",
    ]);
  });

  test.each<[string, string[]]>([
    ["consumer-of-outside-service.json", ["consumer-partner"]],
    ["existing-vpcs-s3-state.json", ["consumer-billing", "provider"]],
    ["https-private-dns.json", ["consumer", "consumer-osaka", "provider"]],
    ["many-consumers-cross-region-hcp.json", ["consumer-osaka", "consumer-tokyo", "provider"]],
    ["two-functions-routes.json", ["consumer", "provider"]],
  ])("%s synthesizes exactly its stacks, each a folder with its Terraform JSON", async (file, expected) => {
    const stacks = await synthExample(file);
    const outdir = dirname(dirname(stacks[0].dir));
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(expected);
    expect(Object.keys(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks).sort()).toEqual(expected);
    for (const stack of expected)
      expect(JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")).resource).toBeDefined();
  });
});

describeWithTerraform("example configs pass Terraform's checks", () => {
  let runner: TerraformRunner;
  let stacks: StackFolder[];

  beforeAll(async () => {
    if (availability.mode !== "run") return;
    runner = await newRunner(true);
    stacks = (await Promise.all(examples.map(synthExample))).flat();
  });

  test("terraform validate accepts every stack of every example (as modules of one root)", async () => {
    const root = aggregateRoot(stacks, false);
    await runner.init(root);
    const result = await runner.validate(root);
    expect(result.stdout).toContain("Success! The configuration is valid");
  });

  test("a mock terraform plan of every stack of every example passes, placement preconditions included", async () => {
    const root = aggregateRoot(stacks, true);
    writeFiles(root, { "tests/plan.tftest.hcl": mockPlanTestFile(stacks) });
    await runner.init(root);
    const report = await runner.test(root);
    expect(report).toMatchObject({ passed: 1, failed: 0, errored: 0 });
  });
});
