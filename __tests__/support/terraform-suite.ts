/** Shared set-up of the jest files that run Terraform. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { synthAll } from "../helpers";
import { TerraformRunner, terraformAvailability } from "./terraform";

/** Whether this machine can run the Terraform checks. */
export const availability = terraformAvailability();

const openRunners: TerraformRunner[] = [];

/**
 * `describe` when Terraform is available, otherwise a skip with one line saying why. Under
 * CI=true a missing binary registers a failing test instead. Runners made with
 * {@link newRunner} inside are closed after the block.
 */
export function describeWithTerraform(name: string, body: () => void): void {
  if (availability.mode === "run") {
    describe(name, () => {
      afterAll(() => openRunners.splice(0).forEach((r) => r.close()));
      body();
    });
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

/**
 * A runner for this test file. With `shared`, every Terraform command attaches to the run's
 * shared provider (see SharedProvider: a process per provider configuration, started once
 * for the run); without, Terraform installs and starts the provider from the mirror itself,
 * exactly as a user's `terraform init` does.
 */
export async function newRunner(shared: boolean): Promise<TerraformRunner> {
  if (availability.mode !== "run") throw new Error(`Terraform is not available: ${availability.reason}`);
  const runner = new TerraformRunner(availability.binary);
  openRunners.push(runner);
  if (shared) await runner.shareProvider();
  return runner;
}

/** The committed `terraform test` file `name` from __tests__/terraform. */
export function tfTestFile(name: string): string {
  return readFileSync(join(__dirname, "..", "terraform", name), "utf8");
}

/** The default app synthesized, and an initialized copy of the stack folders asked for. */
export async function initializedStacks(runner: TerraformRunner, which: readonly ("provider" | "consumer")[] = ["provider", "consumer"]) {
  const { app, stacks } = await synthAll();
  const stacksDir = join(app.outdir, "stacks");
  const extra = (stack: string): Record<string, string> =>
    stack === "provider" ? { "tests/provider.tftest.hcl": tfTestFile("provider.tftest.hcl") } : {};
  const dirs = await Promise.all(which.map((stack) => runner.initialized(join(stacksDir, stack), extra(stack))));
  const dirOf = (stack: "provider" | "consumer") => {
    const i = which.indexOf(stack);
    if (i < 0) throw new Error(`initializedStacks: ${stack} was not asked for`);
    return dirs[i];
  };
  return {
    stacks,
    stacksDir,
    get provider() {
      return dirOf("provider");
    },
    get consumer() {
      return dirOf("consumer");
    },
  };
}
