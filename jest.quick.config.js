// jest for `npm run test:quick`: every suite that runs neither Terraform nor the app in a
// child process, for the edit-test loop. `npm test` runs everything.
const base = require("./jest.config.js");

/** Suites that start Terraform or the app (seconds each): left to `npm test`. */
const SLOW = [
  "/node_modules/",
  "/__tests__/terraform[^/]*\\.test\\.ts$",
  "\\.e2e\\.test\\.ts$",
  "/__tests__/(smoke|guards|newcomer)\\.test\\.ts$",
  // Synthesize the whole app once per probe or per setting (10-15 s each).
  "/__tests__/config/literal\\.test\\.ts$",
  "/__tests__/config/reaches-output\\.test\\.ts$",
  // Start child processes (the smoke script, stand-in providers) or synthesize every shipped
  // config twice, with and without cdktf's own token code (4-7 s each).
  "/__tests__/(probe|provider-proxy|cdktf-patches)\\.test\\.ts$",
];

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  // The run's own temp folder, as `npm test` has, but no shared provider process: nothing
  // here runs Terraform. global-teardown.ts removes the folder.
  globalSetup: "<rootDir>/__tests__/support/run-temp.ts",
  testPathIgnorePatterns: SLOW,
};
