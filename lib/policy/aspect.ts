/**
 * The policy Aspect. Visiting a stack registers one validation on the app, which cdktf runs
 * after every stack is prepared: it evaluates all stacks and fails synth with every finding.
 * The evaluations stay on the Aspect instance, so the scanner ignore files reuse them.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { IConstruct } from "constructs";
import type { IAspect } from "../cdktf";
import { App, TerraformStack } from "../cdktf";
import { evaluate, Evaluation, PolicyViolationError, Rule, stackView } from "./evaluate";

/**
 * A stack's Terraform JSON. With `written`, as the synth just wrote it: cdktf runs app
 * validations after writing every stack, and reading the file is far cheaper than resolving
 * every token of the stack again (a fifth of a synth's time, by CPU profile). Without (or
 * with HCL output, which writes no JSON), resolved from the stack.
 */
function stackJson(stack: TerraformStack, written: boolean): Record<string, unknown> {
  const root = stack.node.root;
  const file = written && App.isApp(root) ? join(root.outdir, "stacks", stack.node.id, "cdk.tf.json") : undefined;
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  return stack.toTerraform() as Record<string, unknown>;
}

/** Evaluates every stack under `root`, by stack name; `written`: from the files its synth just wrote. */
export function evaluateApp(root: IConstruct, rules: readonly Rule[], written = false): Map<string, Evaluation> {
  return new Map(
    root.node
      .findAll()
      .filter((c): c is TerraformStack => TerraformStack.isStack(c))
      .map((stack) => [stack.node.id, evaluate(stackView(stack.node.id, stackJson(stack, written)), rules)] as const),
  );
}

/** Fails with a PolicyViolationError listing every finding of `evaluations`. */
export function assertNoFindings(evaluations: ReadonlyMap<string, Evaluation>): void {
  const findings = [...evaluations.values()].flatMap((e) => e.findings);
  if (findings.length > 0) throw new PolicyViolationError(findings);
}

/** Checks every stack it is added to against `rules` when the app synthesizes. */
export class PolicyAspect implements IAspect {
  private readonly results = new WeakMap<IConstruct, Map<string, Evaluation>>();

  constructor(private readonly rules: readonly Rule[]) {}

  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const root = node.node.root;
    if (this.results.has(root)) return;
    // A placeholder until the validation runs: marks the root as registered.
    this.results.set(root, new Map());
    root.node.addValidation({
      validate: () => {
        const evaluations = evaluateApp(root, this.rules, true);
        this.results.set(root, evaluations);
        assertNoFindings(evaluations);
        return [];
      },
    });
  }

  /** The evaluations of `root`'s last synth, by stack name (evaluated now if it has not synthesized). */
  public evaluations(root: IConstruct): ReadonlyMap<string, Evaluation> {
    const last = this.results.get(root);
    return last && last.size > 0 ? last : evaluateApp(root, this.rules);
  }
}
