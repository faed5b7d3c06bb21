const { PATCHED_FILES } = require("./scripts/cdktf-patches");

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Transpile only; `tsc --noEmit` is the type gate (see the `test` script).
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript", decorators: true }, target: "es2022" },
        module: { type: "commonjs" },
        sourceMaps: "inline",
      },
    ],
    // cdktf's token resolution and stack-trace capture, made faster as the app's bundle makes
    // them (scripts/cdktf-patches.js).
    [PATCHED_FILES.source]: "<rootDir>/scripts/cdktf-patches.js",
  },
  // node_modules are not transformed, but for those two files.
  transformIgnorePatterns: ["/node_modules/(?!cdktf/lib/tokens/private/(?:resolve|stack-trace)\\.js$)"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.js"],
  // One AWS provider process for every Terraform command of the run.
  globalSetup: "<rootDir>/__tests__/support/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/support/global-teardown.ts",
  testTimeout: 120000,
  // Terraform-backed tests are CPU-bound; use both cores of a 2-core machine.
  maxWorkers: 2,
};
