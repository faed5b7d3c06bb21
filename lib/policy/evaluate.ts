/**
 * The evaluator: rules run over the Terraform JSON a stack synthesizes (what is checked is
 * exactly what is written). Pure functions, no state: the Aspect (aspect.ts) calls them.
 */
import { SUPPRESSIONS_KEY } from "./suppress";

/** A block's arguments as synthesized (snake_case); references read `${type.name.attr}`. */
export type Attrs = Readonly<Record<string, unknown>>;

/** A resource as the rules see it: its type, address and synthesized arguments. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  /** `type.name`, as in plans. */
  readonly address: string;
  readonly attrs: Attrs;
}

/** An IAM policy document as JSON. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[];
}

/** A policy read at synth, or why it cannot be. */
export type PolicyRead = { readonly doc: PolicyDocument } | { readonly notEvaluable: string };

/** All resources of one stack, for rules that look across resources. */
export interface StackView {
  readonly name: string;
  readonly resources: readonly ResourceView[];
  /** Every resource of `type`. */
  ofType(type: string): ResourceView[];
  /**
   * A policy argument as a document: a JSON string, or a reference to an
   * `aws_iam_policy_document` data source of this stack, read from its arguments.
   */
  readPolicy(value: unknown): PolicyRead;
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

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The `aws_iam_policy_document` arguments of a data source as an IAM policy document. */
function documentFromDataSource(attrs: Attrs): PolicyRead {
  const unsupported = ["source_policy_documents", "override_policy_documents", "source_json", "override_json"].filter(
    (k) => attrs[k] !== undefined,
  );
  if (unsupported.length) return { notEvaluable: `it merges other documents (${unsupported.join(", ")})` };
  const principals = (blocks: unknown): unknown =>
    asList(blocks).reduce<Record<string, unknown[]> | "*">((acc, block) => {
      if (!isRecord(block)) return acc;
      const ids = asList(block.identifiers);
      if (block.type === "*" || acc === "*") return "*";
      return { ...acc, [String(block.type)]: [...(acc[String(block.type)] ?? []), ...ids] };
    }, {});
  const Statement = asList(attrs.statement)
    .filter(isRecord)
    .map((s) => ({
      Effect: s.effect ?? "Allow",
      Action: s.actions,
      NotAction: s.not_actions,
      Resource: s.resources,
      ...(s.principals !== undefined ? { Principal: principals(s.principals) } : {}),
      ...(s.not_principals !== undefined ? { NotPrincipal: principals(s.not_principals) } : {}),
      Condition: s.condition,
    }));
  return { doc: { Version: "2012-10-17", Statement } };
}

/** A view over synthesized stack JSON. */
export function stackView(name: string, json: Record<string, unknown>): StackView {
  const blocks = (section: unknown): ResourceView[] =>
    Object.entries(isRecord(section) ? section : {}).flatMap(([type, byName]) =>
      Object.entries(isRecord(byName) ? byName : {}).map(([rname, attrs]) => ({
        type,
        name: rname,
        address: `${type}.${rname}`,
        attrs: isRecord(attrs) ? attrs : {},
      })),
    );
  const resources = blocks(json.resource);
  const dataSources = blocks(json.data);
  return {
    name,
    resources,
    ofType: (type) => resources.filter((r) => r.type === type),
    readPolicy: (value) => {
      if (typeof value !== "string") return { notEvaluable: "it is not a string" };
      const ref = value.match(/^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/);
      if (ref) {
        const source = dataSources.find((d) => d.type === "aws_iam_policy_document" && d.name === ref[1]);
        return source
          ? documentFromDataSource(source.attrs)
          : { notEvaluable: `data.aws_iam_policy_document.${ref[1]} is not in this stack` };
      }
      if (value.includes("${")) return { notEvaluable: `it is computed at plan time (${value.slice(0, 80)})` };
      try {
        const doc: unknown = JSON.parse(value);
        if (isRecord(doc)) return { doc: { ...doc, Statement: asList(doc.Statement).filter(isRecord) } };
      } catch {
        /* reported below */
      }
      return { notEvaluable: "it is not a JSON policy document" };
    },
  };
}

/** Every finding and every suppressed finding of one synthesized stack. */
export function evaluate(stack: StackView, rules: readonly Rule[]): Evaluation {
  const known = new Map(rules.map((r) => [r.id, r]));
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const resource of stack.resources) {
    const meta = resource.attrs["//"];
    const listed = isRecord(meta) && isRecord(meta[SUPPRESSIONS_KEY]) ? meta[SUPPRESSIONS_KEY] : {};
    const suppressions = Object.fromEntries(Object.entries(listed).map(([id, reason]) => [id, String(reason)]));
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
        .join("\n")}\nFix them, or suppress one rule on one resource with a reason (suppress() in lib/policy/suppress.ts).`,
    );
    this.name = "PolicyViolationError";
  }
}
