/** Shared set-up of the jest files that run Terraform. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { synthAll } from "../helpers";
import { TerraformRunner, terraformAvailability } from "./terraform";

/** Whether this machine can run the Terraform checks. */
export const availability = terraformAvailability();

/**
 * `describe` when Terraform is available, otherwise a skip with one line saying why. Under
 * CI=true a missing binary registers a failing test instead.
 */
export function describeWithTerraform(name: string, body: () => void): void {
  if (availability.mode === "run") {
    describe(name, body);
    return;
  }
  if (availability.mode === "fail") {
    const reason = availability.reason;
    test(`${name}: Terraform is installed`, () => {
      throw new Error(reason);
    });
    return;
  }
  console.warn(`Terraform checks skipped: ${availability.reason}`);
  describe.skip(name, body);
}

/** The committed `terraform test` file `name` from __tests__/terraform. */
export function tfTestFile(name: string): string {
  return readFileSync(join(__dirname, "..", "terraform", name), "utf8");
}

/** The default app synthesized, and an initialized copy of each stack folder. */
export async function initializedStacks() {
  if (availability.mode !== "run") throw new Error("Terraform is not available");
  const runner = new TerraformRunner(availability.binary);
  const { app, stacks } = await synthAll();
  const stacksDir = join(app.outdir, "stacks");
  const [provider, consumer] = await Promise.all([
    runner.initialized(join(stacksDir, "provider"), { "tests/provider.tftest.hcl": tfTestFile("provider.tftest.hcl") }),
    runner.initialized(join(stacksDir, "consumer")),
  ]);
  return { runner, stacks, provider, consumer };
}
