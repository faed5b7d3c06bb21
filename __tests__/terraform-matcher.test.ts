/** cdktf's own Terraform matcher, run through the same offline CLI config as our runner. */
import { Testing } from "../lib/cdktf";
import { synthAll } from "./helpers";
import { describeWithTerraform, newRunner } from "./support/terraform-suite";

describeWithTerraform("cdktf toBeValidTerraform", () => {
  // The provider stack is validated in terraform.test.ts; the matcher checks the consumer.
  test("cdktf's toBeValidTerraform accepts a full synth of the consumer stack (through the same mirror config)", async () => {
    const runner = await newRunner(true);
    const { stacks } = await synthAll();
    // The matcher spawns terraform with process.env: give it the runner's environment (CLI
    // config and shared provider) for this test only.
    const saved = { ...process.env };
    Object.assign(process.env, runner.env());
    try {
      expect(Testing.fullSynth(stacks.consumers[0])).toBeValidTerraform();
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
