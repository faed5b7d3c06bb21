// jest for mutation testing (`npm run test:mutation`): the unit and construct tests only.
// Tests that start Terraform or the app in child processes take seconds each and would run
// for nearly every mutant; they stay in `npm test`.
const base = require("./jest.config.js");

// Terraform-backed blocks (describeWithTerraform) skip: the unit tests around them still run.
process.env.TERRAFORM_BINARY = "/nonexistent/terraform";
delete process.env.CI;

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  globalSetup: undefined,
  globalTeardown: undefined,
  // Each mutant's run stops at its first failing test; small (quick) test files go first.
  // Absolute paths: Stryker wraps the environment and resolves it without <rootDir>.
  testEnvironment: require.resolve("./__tests__/support/mutation-environment.js"),
  testSequencer: require.resolve("./__tests__/support/mutation-sequencer.js"),
  testPathIgnorePatterns: [
    "/node_modules/",
    "/__tests__/terraform[^/]*\\.test\\.ts$",
    "\\.e2e\\.test\\.ts$",
    "/__tests__/(smoke|handler|handler-ts|guards)\\.test\\.ts$",
    "/__tests__/mutation-report\\.test\\.ts$",
    // Synthesizes the whole app once per probe (10-15 s in all), and would run for
    // nearly every mutant. The unit tests of lib/terraform-literal.ts cover what it guards.
    "/__tests__/config/literal\\.test\\.ts$",
  ],
};
