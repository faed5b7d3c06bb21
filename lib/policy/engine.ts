/**
 * Policy as code: small rules, evaluated by a cdktf Aspect over the Terraform JSON each
 * stack synthesizes (what is checked is exactly what is written).
 *
 * - A violation fails synth, listing every finding of every stack at once.
 * - A suppression names one rule and a reason (≥ 10 characters) and attaches to one
 *   resource. It lives in that resource's `"//"` metadata, where plan reviewers see it, and
 *   is rendered per stack into `.trivyignore.yaml` and `.checkov.yaml` for users' scanners.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { IConstruct } from "constructs";
import type { IAspect, TerraformResource } from "../cdktf";
import { TerraformStack } from "../cdktf";

/** A resource as the rules see it: its type, address and synthesized (snake_case) arguments. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  /** `type.name`, as in plans. */
  readonly address: string;
  /** Arguments as synthesized; references read `${type.name.attr}`. */
  readonly attrs: Readonly<Record<string, any>>;
}

/** All resources of one stack, for rules that look across resources. */
export interface StackView {
  readonly name: string;
  readonly resources: readonly ResourceView[];
  /** Every resource of `type`. */
  ofType(type: string): ResourceView[];
}

/** One rule: what it checks, where other scanners report the same, and the check. */
export interface Rule {
  /** checkov's ID where one exists, else our own `PLK_…`. */
  readonly id: string;
  /** What a compliant resource looks like, in one line. */
  readonly title: string;
  /** IDs of the same check in other scanners, for their ignore files. */
  readonly scanners?: { readonly checkov?: readonly string[]; readonly trivy?: readonly string[] };
  /** Resource types the rule looks at. */
  readonly appliesTo: readonly string[];
  /** False for rules no reason can excuse. @default true */
  readonly suppressible?: boolean;
  /** A message when `resource` violates the rule, else undefined. */
  check(resource: ResourceView, stack: StackView): string | undefined;
}

/** A violation: which rule, where, and why. */
export interface Finding {
  readonly stack: string;
  readonly ruleId: string;
  readonly address: string;
  readonly message: string;
}

/** A finding left on purpose, with its reason. */
export interface SuppressedFinding extends Finding {
  readonly reason: string;
}

/** One stack's findings and suppressed findings. */
export interface Evaluation {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
}

/** Where suppressions are kept inside a resource's `"//"` object. */
export const SUPPRESSIONS_KEY = "policy_suppressions";
const MIN_REASON = 10;

/**
 * Leaves one rule's findings on `resource` on purpose, for `reason`, recorded in the
 * resource's `"//"` metadata.
 */
export function suppress(resource: TerraformResource, ruleId: string, reason: string): void {
  if (reason.trim().length < MIN_REASON) {
    throw new Error(`Suppression of ${ruleId} on ${resource.node.path} needs a reason of at least ${MIN_REASON} characters`);
  }
  resource.addOverride(`//.${SUPPRESSIONS_KEY}.${ruleId}`, reason);
}

/** A view over synthesized stack JSON. */
export function stackView(name: string, json: Record<string, any>): StackView {
  const resources: ResourceView[] = Object.entries<Record<string, any>>(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries<Record<string, any>>(byName).map(([rname, attrs]) => ({ type, name: rname, address: `${type}.${rname}`, attrs })),
  );
  return { name, resources, ofType: (type) => resources.filter((r) => r.type === type) };
}

/** Every finding and every suppressed finding of one synthesized stack. */
export function evaluate(stack: StackView, rules: readonly Rule[]): Evaluation {
  const known = new Map(rules.map((r) => [r.id, r]));
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const resource of stack.resources) {
    const suppressions: Record<string, string> = resource.attrs["//"]?.[SUPPRESSIONS_KEY] ?? {};
    const at = { stack: stack.name, address: resource.address };
    // Each applicable rule is checked once; its message (if any) serves both loops below.
    const violations = new Map<string, string>();
    for (const rule of rules) {
      const message = rule.appliesTo.includes(resource.type) ? rule.check(resource, stack) : undefined;
      if (message !== undefined) violations.set(rule.id, message);
    }
    for (const ruleId of Object.keys(suppressions)) {
      const rule = known.get(ruleId);
      if (!rule) findings.push({ ...at, ruleId, message: "suppresses a rule that does not exist" });
      else if (rule.suppressible === false) findings.push({ ...at, ruleId, message: "suppresses a rule that cannot be suppressed" });
      else if (!violations.has(ruleId))
        findings.push({ ...at, ruleId, message: "suppresses a rule it does not violate; remove the suppression" });
    }
    for (const [ruleId, message] of violations) {
      const reason = suppressions[ruleId];
      if (reason !== undefined && known.get(ruleId)?.suppressible !== false) suppressed.push({ ...at, ruleId, message, reason });
      else findings.push({ ...at, ruleId, message });
    }
  }
  return { findings, suppressed };
}

/** The policy was violated: the message lists every finding. */
export class PolicyViolationError extends Error {
  constructor(public readonly findings: readonly Finding[]) {
    super(
      `Policy check failed with ${findings.length} finding(s):\n${findings
        .map((f) => `  - [${f.stack}] ${f.ruleId} ${f.address}: ${f.message}`)
        .join("\n")}\nFix them, or suppress one rule on one resource with a reason (suppress() in lib/policy/engine.ts).`,
    );
    this.name = "PolicyViolationError";
  }
}

/** The last evaluation of each app, so the scanner files reuse it instead of resolving every stack again. */
const evaluations = new WeakMap<IConstruct, Map<string, Evaluation>>();

/** Evaluates every stack under `root`, by stack name. */
function evaluateAll(root: IConstruct, rules: readonly Rule[]): Map<string, Evaluation> {
  const result = new Map(
    root.node
      .findAll()
      .filter(TerraformStack.isStack)
      .map((stack) => [stack.node.id, evaluate(stackView(stack.node.id, stack.toTerraform()), rules)] as const),
  );
  evaluations.set(root, result);
  return result;
}

/** Evaluates every stack under `root`; throws a PolicyViolationError listing all findings. */
export function assertPolicy(root: IConstruct, rules: readonly Rule[]): void {
  const findings = [...evaluateAll(root, rules).values()].flatMap((e) => e.findings);
  if (findings.length > 0) throw new PolicyViolationError(findings);
}

/**
 * The Aspect. Visiting a stack registers one validation on the app, which cdktf runs after
 * every stack is prepared: it evaluates all stacks and fails synth with every finding.
 */
export class PolicyAspect implements IAspect {
  private static readonly registered = new WeakSet<IConstruct>();

  constructor(private readonly rules: readonly Rule[]) {}

  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const root = node.node.root;
    if (PolicyAspect.registered.has(root)) return;
    PolicyAspect.registered.add(root);
    root.node.addValidation({
      validate: () => {
        assertPolicy(root, this.rules);
        return [];
      },
    });
  }
}

/** Trivy's and checkov's ignore files for one stack, from its suppressed findings. */
export function scannerIgnoreFiles(stack: StackView, rules: readonly Rule[]): Record<string, string> {
  return renderIgnoreFiles(stack.name, rules, evaluate(stack, rules));
}

function renderIgnoreFiles(stackName: string, rules: readonly Rule[], evaluation: Evaluation): Record<string, string> {
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

/**
 * Writes each stack's scanner ignore files into its folder under `outdir` (beside
 * `cdk.tf.json`, or `cdk.tf` with `--hcl`).
 */
export function writeScannerIgnoreFiles(root: IConstruct, outdir: string, rules: readonly Rule[]): void {
  // The synth's own policy validation has just evaluated every stack; reuse that.
  for (const [name, evaluation] of evaluations.get(root) ?? evaluateAll(root, rules)) {
    for (const [file, text] of Object.entries(renderIgnoreFiles(name, rules, evaluation))) {
      writeFileSync(join(outdir, "stacks", name, file), text);
    }
  }
}
