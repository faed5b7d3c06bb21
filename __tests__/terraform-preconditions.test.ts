/**
 * The plan-time placement checks, evaluated by Terraform itself: a truth table of the
 * conditions and the messages they render, as outputs of a stack with no resources.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformOutput, TerraformStack } from "../lib/cdktf";
import { azsWithin, spansDistinctAzs } from "../lib/placement-checks";
import { TerraformRunner } from "./support/terraform";
import { describeWithTerraform, newRunner } from "./support/terraform-suite";

const SPANS: Array<[string[], number, boolean]> = [
  [["apne1-az1", "apne1-az4"], 2, true],
  [["apne1-az1", "apne1-az2", "apne1-az4"], 2, true],
  [["apne1-az1"], 2, false],
  [["apne1-az1"], 1, true],
  [["apne1-az1", "apne1-az1"], 2, false],
  [["apne1-az1", "apne1-az1"], 1, false],
  [["apne1-az1", "apne1-az4", "apne1-az4"], 2, false],
  [[], 1, false],
];
const WITHIN: Array<[string[], string[], boolean]> = [
  [["apne1-az1"], ["apne1-az1", "apne1-az4"], true],
  [["apne1-az1", "apne1-az4"], ["apne1-az4", "apne1-az1"], true],
  [["apne1-az2"], ["apne1-az1", "apne1-az4"], false],
  [["apne1-az1", "apne1-az2"], ["apne1-az1"], false],
  [[], ["apne1-az1"], true],
];

describeWithTerraform("plan-time placement checks, as Terraform evaluates them", () => {
  let runner: TerraformRunner;
  let outputs: Record<string, { value: unknown }>;

  beforeAll(async () => {
    runner = await newRunner(true);
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "plk-pre-")) });
    const stack = new TerraformStack(app, "checks");
    SPANS.forEach(([azs, min], i) => {
      const check = spansDistinctAzs(azs, min, "The subnets");
      new TerraformOutput(stack, `spans_${i}`, { value: check.condition });
      new TerraformOutput(stack, `spans_${i}_message`, { value: check.errorMessage });
    });
    WITHIN.forEach(([inner, outer], i) => {
      const check = azsWithin(inner, outer, "Inner must be within outer");
      new TerraformOutput(stack, `within_${i}`, { value: check.condition });
      new TerraformOutput(stack, `within_${i}_message`, { value: check.errorMessage });
    });
    app.synth();
    const dir = join(app.outdir, "stacks", "checks");
    // Outputs only: no provider to install, nothing to plan against; apply records them.
    await runner.mustRun(dir, ["init", "-input=false", "-no-color"]);
    await runner.mustRun(dir, ["apply", "-auto-approve", "-input=false", "-no-color", `-state=${join(dir, "s.tfstate")}`]);
    outputs = JSON.parse(readFileSync(join(dir, "s.tfstate"), "utf8")).outputs;
  });

  test.each(SPANS.map(([azs, min, ok], i) => [JSON.stringify(azs), min, ok, i] as const))(
    "subnets in %s span at least %i distinct AZs, one subnet per AZ: %s",
    (_azs, _min, ok, i) => {
      expect(outputs[`spans_${i}`].value).toBe(ok);
    },
  );

  test.each(WITHIN.map(([inner, outer, ok], i) => [JSON.stringify(inner), JSON.stringify(outer), ok, i] as const))(
    "%s within %s: %s",
    (_inner, _outer, ok, i) => {
      expect(outputs[`within_${i}`].value).toBe(ok);
    },
  );

  test("the messages name the AZs Terraform read", () => {
    expect(outputs.spans_4_message.value).toBe(
      "The subnets must be in at least 2 different AZs, one subnet per AZ; their AZ IDs are: apne1-az1, apne1-az1.",
    );
    expect(outputs.within_2_message.value).toBe("Inner must be within outer (apne1-az2 not all within apne1-az1, apne1-az4).");
  });
});
