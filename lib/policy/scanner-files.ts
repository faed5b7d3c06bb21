/**
 * Trivy's and checkov's ignore files for each stack, rendered from its suppressed findings,
 * so users' own scanners agree with the policy rules about what is left on purpose.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluate, Evaluation, Rule, StackView } from "./evaluate";

/** The ignore files for one stack, from its suppressed findings. */
export function scannerIgnoreFiles(stack: StackView, rules: readonly Rule[]): Record<string, string> {
  return renderIgnoreFiles(stack.name, rules, evaluate(stack, rules));
}

/** The ignore files of a stack whose evaluation is known. */
export function renderIgnoreFiles(stackName: string, rules: readonly Rule[], evaluation: Evaluation): Record<string, string> {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const suppressed = [...evaluation.suppressed].sort((a, b) => (`${a.ruleId} ${a.address}` < `${b.ruleId} ${b.address}` ? -1 : 1));
  const header = `# Findings the ${stackName} stack leaves on purpose, generated at synth from its policy suppressions.\n`;
  const trivy = suppressed.flatMap((s) =>
    (byId.get(s.ruleId)?.scanners?.trivy ?? []).map(
      (id) => `  - id: ${id}\n    paths:\n      - "cdk.tf.json"\n    statement: ${JSON.stringify(`${s.address}: ${s.reason}`)}\n`,
    ),
  );
  const checkov = suppressed.flatMap((s) =>
    [s.ruleId, ...(byId.get(s.ruleId)?.scanners?.checkov ?? [])]
      .filter((id) => id.startsWith("CKV"))
      .map((id) => `  - ${id} # ${s.address}: ${s.reason}\n`),
  );
  return {
    ".trivyignore.yaml": `${header}# Use: trivy config --ignorefile .trivyignore.yaml .\nmisconfigurations:${trivy.length ? `\n${trivy.join("")}` : " []\n"}`,
    ".checkov.yaml": `${header}# Use: checkov -d . --config-file .checkov.yaml\nskip-check:${checkov.length ? `\n${checkov.join("")}` : " []\n"}`,
  };
}

/** Writes each stack's ignore files into its folder under `outdir` (beside `cdk.tf.json` or `cdk.tf`). */
export function writeScannerIgnoreFiles(evaluations: ReadonlyMap<string, Evaluation>, outdir: string, rules: readonly Rule[]): void {
  for (const [name, evaluation] of evaluations) {
    for (const [file, text] of Object.entries(renderIgnoreFiles(name, rules, evaluation))) {
      writeFileSync(join(outdir, "stacks", name, file), text);
    }
  }
}
