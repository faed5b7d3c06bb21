/**
 * The plan-time placement checks, evaluated by Terraform itself: a truth table of the
 * conditions and the messages they render, as outputs of a stack with no resources.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformOutput, TerraformStack } from "../lib/cdktf";
import { azsWithin, spansDistinctAzs, subnetsHaveRoom } from "../lib/placement-checks";
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

/** An ALB subnet: CIDR and free addresses; whether /27 or larger, and whether 8 or more free. */
const ROOM: Array<[string, number, boolean, boolean]> = [
  ["10.0.0.0/24", 250, true, true],
  ["10.0.0.0/27", 8, true, true],
  ["10.0.0.0/28", 11, false, true],
  ["10.0.0.0/27", 7, true, false],
  ["10.0.0.0/16", 0, true, false],
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
    ROOM.forEach(([cidrBlock, availableIps], i) => {
      const [size, free] = subnetsHaveRoom([{ subnetId: `subnet-${i}`, cidrBlock, availableIps }], 27, 8, "The ALB's subnets");
      new TerraformOutput(stack, `size_${i}`, { value: size.condition });
      new TerraformOutput(stack, `size_${i}_message`, { value: size.errorMessage });
      new TerraformOutput(stack, `free_${i}`, { value: free.condition });
      new TerraformOutput(stack, `free_${i}_message`, { value: free.errorMessage });
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

  test.each(ROOM.map(([cidr, free, sizeOk, freeOk], i) => [cidr, free, sizeOk, freeOk, i] as const))(
    "an ALB subnet %s with %i free addresses: /27 or larger %s, 8 or more free %s",
    (_cidr, _free, sizeOk, freeOk, i) => {
      expect([outputs[`size_${i}`].value, outputs[`free_${i}`].value]).toEqual([sizeOk, freeOk]);
    },
  );

  test("the subnet messages name the subnet and what Terraform read", () => {
    expect(outputs.size_2_message.value).toBe(
      "The ALB's subnets: subnet subnet-2 is 10.0.0.0/28; it must be /27 or larger (AWS's rule for load balancer subnets).",
    );
    expect(outputs.free_3_message.value).toBe(
      "The ALB's subnets: subnet subnet-3 has 7 free addresses; it needs at least 8 (AWS's rule for load balancer subnets).",
    );
  });

  test("the messages name the AZs Terraform read", () => {
    expect(outputs.spans_4_message.value).toBe(
      "The subnets must be in at least 2 different AZs, one subnet per AZ; their AZ IDs are: apne1-az1, apne1-az1.",
    );
    expect(outputs.within_2_message.value).toBe("Inner must be within outer (apne1-az2 not all within apne1-az1, apne1-az4).");
  });
});
