/**
 * Prints the README's policy table: every rule, and for the default config whether it is
 * enforced or suppressed (where, and why). `npm test` checks the README holds this exact text.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config/load";
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

if (require.main === module) {
  void policyTable(process.argv[2] ?? "config/default.json").then((t) => console.log(t));
}
