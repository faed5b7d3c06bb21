// Lint: the project's guards (eslint.guards.js) plus typescript-eslint's type-aware
// recommended rules. Formatting is Prettier's job. `npm test` allows no warnings.
const tseslint = require("typescript-eslint");
const guards = require("./eslint.guards.js");

module.exports = tseslint.config(
  ...guards,
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // See eslint.guards.js: tests navigate synthesized JSON of type `any` on purpose.
    files: guards.TESTS,
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
);
