/**
 * The policy Aspect. Visiting a stack registers one validation on the app, which cdktf runs
 * after every stack is prepared: it evaluates all stacks and fails synth with every finding.
 * The evaluations stay on the Aspect instance, so the scanner ignore files reuse them.
 */
import type { IConstruct } from "constructs";
import type { IAspect } from "../cdktf";
import { TerraformStack } from "../cdktf";
import { evaluate, Evaluation, PolicyViolationError, Rule, stackView } from "./evaluate";

/** Evaluates every stack under `root`, by stack name. */
export function evaluateApp(root: IConstruct, rules: readonly Rule[]): Map<string, Evaluation> {
  return new Map(
    root.node
      .findAll()
      .filter((c): c is TerraformStack => TerraformStack.isStack(c))
      .map((stack) => [stack.node.id, evaluate(stackView(stack.node.id, stack.toTerraform() as Record<string, unknown>), rules)] as const),
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
        const evaluations = evaluateApp(root, this.rules);
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
