// jest for mutation testing (`npm run test:mutation`): the quick suites (jest.quick.config.js).
// Tests that start Terraform or the app in child processes take seconds each and would run
// for nearly every mutant; they stay in `npm test`.
const base = require("./jest.config.js");
const quick = require("./jest.quick.config.js");

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
  // The quick suites, less those whose checks mutants of lib/, config/ and stacks/ cannot change.
  // The every-setting walk stays in: it is what kills a mutant that stops a setting reaching
  // the output. So do the suites test:quick leaves out for their child processes and their
  // double synths (probe, provider-proxy, cdktf-patches), as they always have here.
  testPathIgnorePatterns: [
    ...quick.testPathIgnorePatterns.filter((p) => !p.includes("reaches-output") && !p.includes("probe|")),
    "/__tests__/(handler|handler-ts)\\.test\\.ts$",
    "/__tests__/mutation-report\\.test\\.ts$",
  ],
};
