/**
 * Prints the README's policy table: every rule, and for the default config whether it is
 * enforced or suppressed (where, and why). `npm test` checks the README holds this exact text.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../config/load";
import { resolveConfig } from "../config/resolve";
import { Testing } from "../lib/cdktf";
import { buildAppPackages } from "../lib/function-sources";
import { RULES } from "../lib/policy/rules";
import { createStacks, packagesOf, PROJECT_ROOT } from "../main";

/** The markdown table for the config at `configFile`. */
export async function policyTable(configFile: string): Promise<string> {
  const app = Testing.app();
  const model = resolveConfig(loadConfig(configFile));
  const packages = await buildAppPackages(PROJECT_ROOT, packagesOf(model), mkdtempSync(join(tmpdir(), "policy-table-")));
  const { policy } = createStacks(app, model, packages);
  app.synth();
  // Stacks in the app's order, resources by address within each.
  const suppressed = [...policy.evaluations(app).values()].flatMap((e) =>
    [...e.suppressed].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
  );
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const rows = RULES.map((rule) => {
    const others = [...(rule.scanners?.checkov ?? []), ...(rule.scanners?.trivy ?? [])].join(", ") || "—";
    const mine = suppressed.filter((s) => s.ruleId === rule.id);
    const status = mine.length
      ? mine.map((s) => `suppressed on \`${s.stack}\` \`${s.address}\`: ${cell(s.reason)}`).join("<br>")
      : rule.suppressible === false
        ? "enforced, cannot be suppressed"
        : "enforced";
    return `| \`${rule.id}\` | ${cell(rule.title)} | ${others} | ${status} |`;
  });
  return ["| rule | what it requires | same check elsewhere | default config |", "|---|---|---|---|", ...rows].join("\n");
}

/** The config the table is made for: the one named, else PRIVATELINK_CONFIG, else the default, as for a synth. */
export function tableConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  return argv[0] ?? (env.PRIVATELINK_CONFIG || DEFAULT_CONFIG_FILE);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(
      "usage: npm run policy-table [-- <config file>]\n\nPrints the README's policy table for the config: the file named, else PRIVATELINK_CONFIG, else config/default.json.",
    );
  } else {
    policyTable(tableConfig(argv)).then(
      (t) => console.log(t),
      (err: unknown) => {
        console.error(err instanceof Error && err.name === "ConfigError" ? err.message : err);
        process.exitCode = 1;
      },
    );
  }
}
