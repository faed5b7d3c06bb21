// Lint guards that keep synth fast and the code portable. Formatting is Prettier's job.
const tsParser = require("@typescript-eslint/parser");

const providerRoot = {
  name: "@cdktf/provider-aws",
  message: "Import from '@cdktf/provider-aws/lib/<resource>': the package root loads over 2,000 modules and makes synth about 10x slower.",
};
const cdktfCore = {
  regex: "^cdktf(?!/lib/testing/adapters/jest$)(/.*)?$",
  message: "Import cdktf through lib/cdktf.ts, so a move to the CDK Terrain fork changes one file.",
};

module.exports = [
  { ignores: ["node_modules/", "cdktf.out/", ".cdktf.out.*", ".build/", "coverage/"] },
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tsParser, ecmaVersion: 2022, sourceType: "module" },
    rules: {
      "no-restricted-imports": ["error", { paths: [providerRoot], patterns: [cdktfCore] }],
      "no-restricted-properties": [
        "error",
        ...["describe", "it", "test"].map((object) => ({ object, property: "only", message: "Focused tests skip the rest of the suite." })),
      ],
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    files: ["lib/cdktf.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [providerRoot] }] },
  },
];
