/**
 * The test environment of mutation runs: stops a mutant's run at its first failing test.
 *
 * Stryker runs every test that covers a mutant and cannot make jest bail. A mutant is killed
 * by its first failure, so the rest of its run (every other covering test, often whole
 * synthesizing suites) decides nothing. After a failure this environment marks the mutant
 * killed in a file, and skips every later describe block and test of that mutant, in this
 * test file and the ones after it. Runs without an active mutant (the initial one) are
 * untouched, and a surviving mutant still runs every covering test.
 */
const { existsSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const { TestEnvironment } = require("jest-environment-node");

/** The marker of the active mutant in this worker, or undefined outside a mutant's run. */
function killedMarker() {
  const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
  return mutant ? join(tmpdir(), `stryker-killed-${process.pid}-${mutant}`) : undefined;
}

class MutationEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    const marker = killedMarker();
    if (!marker) return;
    if (event.name === "test_fn_failure" || event.name === "hook_failure") writeFileSync(marker, "");
    else if (event.name === "run_describe_start" && existsSync(marker)) event.describeBlock.mode = "skip";
    else if (event.name === "test_start" && existsSync(marker)) event.test.mode = "skip";
  }
}

module.exports = MutationEnvironment;
