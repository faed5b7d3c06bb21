// The syntactic lint rules of this project (no type information needed): guards that keep
// synth fast and the code portable, and the bans on `any` and non-null assertions in the
// product code. eslint.config.js adds the type-aware rules on top.
const tseslint = require("typescript-eslint");

const providerRoot = {
  name: "@cdktf/provider-aws",
  message: "Import from '@cdktf/provider-aws/lib/<resource>': the package root loads over 2,000 modules and makes synth about 10x slower.",
};
const cdktfCore = {
  regex: "^cdktf(?!/lib/testing/adapters/jest$)(/.*)?$",
  message: "Import cdktf through lib/cdktf.ts, so a move to the CDK Terrain fork changes one file.",
};

/** Files whose lint is strictest: everything but the tests. */
const TESTS = ["__tests__/**/*.ts"];

module.exports = [
  { ignores: ["node_modules/", "cdktf.out/", ".cdktf.out.*", ".build/", "coverage/", ".stryker-tmp/", "**/*.js", "**/*.d.ts"] },
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: "module" },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "no-restricted-imports": ["error", { paths: [providerRoot], patterns: [cdktfCore] }],
      "no-restricted-properties": [
        "error",
        ...["describe", "it", "test"].map((object) => ({ object, property: "only", message: "Focused tests skip the rest of the suite." })),
      ],
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
    },
  },
  {
    // Tests read synthesized Terraform JSON by path (`json.resource.aws_lb.alb.internal`):
    // a wrong path fails the test, so `any` and `!` there buy brevity at no risk.
    files: TESTS,
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
  {
    files: ["lib/cdktf.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [providerRoot] }] },
  },
];
module.exports.TESTS = TESTS;
