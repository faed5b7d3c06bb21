/**
 * The policy Aspect (lib/policy/aspect.ts): it registers one validation per app, only when it
 * visits a stack; the validation evaluates every stack and fails with every finding; the
 * evaluations stay available afterwards without evaluating again.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { IConstruct } from "constructs";
import { Aspects, TerraformResource, TerraformStack, Testing } from "../../lib/cdktf";
import { assertNoFindings, evaluateApp, PolicyAspect } from "../../lib/policy/aspect";
import { Evaluation, PolicyViolationError, Rule } from "../../lib/policy/evaluate";
import { thrownBy } from "../fixtures";

/** A rule on subnets with public IPs that records every resource it checks. */
function countingRule() {
  const checked: string[] = [];
  const rule: Rule = {
    id: "T_PUBLIC",
    title: "no public IPs",
    appliesTo: ["aws_subnet"],
    check: (r, stack) => {
      checked.push(`${stack.name} ${r.address}`);
      return r.attrs.map_public_ip_on_launch === true ? "maps public IPs" : undefined;
    },
  };
  return { rule, checked };
}

/** An app with one stack per entry of `publicIps`, each with one subnet `net`, public or not. */
function appWith(publicIps: Record<string, boolean>) {
  const app = Testing.app();
  const stacks = Object.entries(publicIps).map(([name, open]) => {
    const stack = new TerraformStack(app, name);
    const subnet = new TerraformResource(stack, "net", { terraformResourceType: "aws_subnet" });
    subnet.addOverride("map_public_ip_on_launch", open);
    return { stack, subnet };
  });
  return { app, stacks };
}

/** The findings of `evaluations` as `stack ruleId address: message`. */
const lines = (evaluations: ReadonlyMap<string, Evaluation>) =>
  [...evaluations.values()].flatMap((e) => e.findings.map((f) => `${f.stack} ${f.ruleId} ${f.address}: ${f.message}`));

/** What running `root`'s validations throws, or undefined. */
function validationError(root: IConstruct): unknown {
  try {
    root.node.validate();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe("evaluateApp", () => {
  test("evaluates every stack under the root, by stack name", () => {
    // GIVEN an app with a public subnet in one stack of two
    const { app } = appWith({ a: false, b: true });
    const { rule } = countingRule();
    // WHEN the app is evaluated
    const evaluations = evaluateApp(app, [rule]);
    // THEN each stack has its evaluation
    expect([...evaluations.keys()]).toEqual(["a", "b"]);
    expect(evaluations.get("a")).toStrictEqual({ findings: [], suppressed: [] });
    expect(lines(evaluations)).toEqual(["b T_PUBLIC aws_subnet.net: maps public IPs"]);
  });
});

describe("assertNoFindings", () => {
  test("passes without findings, suppressed ones included", () => {
    // GIVEN evaluations with no finding (one with a suppressed finding)
    const suppressed = { stack: "a", ruleId: "T", address: "aws_subnet.net", message: "m", reason: "a reason long enough" };
    const evaluations = new Map<string, Evaluation>([
      ["a", { findings: [], suppressed: [suppressed] }],
      ["b", { findings: [], suppressed: [] }],
    ]);
    // WHEN asserted; THEN nothing is thrown
    expect(() => assertNoFindings(evaluations)).not.toThrow();
    expect(() => assertNoFindings(new Map())).not.toThrow();
  });

  test("throws one error with the findings of every stack", () => {
    // GIVEN findings in two stacks
    const finding = (stack: string) => ({ stack, ruleId: "T", address: "aws_subnet.net", message: "m" });
    const evaluations = new Map<string, Evaluation>([
      ["a", { findings: [finding("a")], suppressed: [] }],
      ["b", { findings: [], suppressed: [] }],
      ["c", { findings: [finding("c")], suppressed: [] }],
    ]);
    // WHEN asserted; THEN a PolicyViolationError lists both
    const error = thrownBy(() => assertNoFindings(evaluations));
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect((error as PolicyViolationError).findings).toEqual([finding("a"), finding("c")]);
  });
});

describe("PolicyAspect", () => {
  test("evaluations() before any visit or synth evaluates now", () => {
    // GIVEN an app the aspect has never seen
    const { app } = appWith({ a: true });
    const { rule, checked } = countingRule();
    // WHEN its evaluations are asked for; THEN the app is evaluated
    expect(lines(new PolicyAspect([rule]).evaluations(app))).toEqual(["a T_PUBLIC aws_subnet.net: maps public IPs"]);
    expect(checked).toEqual(["a aws_subnet.net"]);
  });

  test("visiting a stack registers a validation that fails with the findings", () => {
    // GIVEN an app with a public subnet, and the aspect visiting its stack
    const { app, stacks } = appWith({ a: true });
    const { rule } = countingRule();
    new PolicyAspect([rule]).visit(stacks[0].stack);
    // WHEN the app's validations run; THEN they fail with the finding
    const error = validationError(app);
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect((error as PolicyViolationError).findings.map((f) => `${f.stack} ${f.address}`)).toEqual(["a aws_subnet.net"]);
  });

  test("visiting something that is not a stack registers nothing", () => {
    // GIVEN an app with a public subnet, and the aspect visiting the subnet and the app only
    const { app, stacks } = appWith({ a: true });
    const { rule, checked } = countingRule();
    const aspect = new PolicyAspect([rule]);
    aspect.visit(stacks[0].subnet);
    aspect.visit(app);
    // WHEN the app's validations run; THEN nothing is checked and nothing fails
    expect(validationError(app)).toBeUndefined();
    expect(checked).toEqual([]);
  });

  test("several stacks of one app, visited more than once, register one validation", () => {
    // GIVEN two compliant stacks, each visited (one twice)
    const { app, stacks } = appWith({ a: false, b: false });
    const { rule, checked } = countingRule();
    const aspect = new PolicyAspect([rule]);
    aspect.visit(stacks[0].stack);
    aspect.visit(stacks[1].stack);
    aspect.visit(stacks[0].stack);
    // WHEN the app's validations run
    expect(validationError(app)).toBeUndefined();
    // THEN each stack was evaluated once
    expect(checked).toEqual(["a aws_subnet.net", "b aws_subnet.net"]);
  });

  test("a visit alone does not hide the evaluations: they are made when asked for", () => {
    // GIVEN an app whose stack the aspect has visited, but whose validations have not run
    const { app, stacks } = appWith({ a: true });
    const { rule } = countingRule();
    const aspect = new PolicyAspect([rule]);
    aspect.visit(stacks[0].stack);
    // WHEN its evaluations are asked for; THEN they are the app's
    expect(lines(aspect.evaluations(app))).toEqual(["a T_PUBLIC aws_subnet.net: maps public IPs"]);
  });

  test("after validation, evaluations() returns the validation's results without evaluating again", () => {
    // GIVEN an app whose validations have run once
    const { app, stacks } = appWith({ a: true, b: false });
    const { rule, checked } = countingRule();
    const aspect = new PolicyAspect([rule]);
    aspect.visit(stacks[1].stack);
    expect(validationError(app)).toBeInstanceOf(PolicyViolationError);
    expect(checked).toHaveLength(2);
    // WHEN the evaluations are asked for twice
    const first = aspect.evaluations(app);
    const second = aspect.evaluations(app);
    // THEN both are the validation's, and no rule ran again
    expect(second).toBe(first);
    expect(lines(first)).toEqual(["a T_PUBLIC aws_subnet.net: maps public IPs"]);
    expect(checked).toHaveLength(2);
  });

  test("through a real synth: added to several stacks, the app fails once with every finding", () => {
    // GIVEN two stacks with public subnets, the aspect added to each
    const { app, stacks } = appWith({ a: true, b: true });
    const { rule, checked } = countingRule();
    const aspect = new PolicyAspect([rule]);
    for (const { stack } of stacks) Aspects.of(stack).add(aspect);
    // WHEN the app synthesizes; THEN it fails with both findings, each stack checked once
    const error = thrownBy(() => app.synth());
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect((error as PolicyViolationError).findings.map((f) => f.stack)).toEqual(["a", "b"]);
    expect(checked).toEqual(["a aws_subnet.net", "b aws_subnet.net"]);
    expect(lines(aspect.evaluations(app))).toHaveLength(2);
    expect(checked).toHaveLength(2);
  });

  test("during a synth it reads each stack's JSON as the synth wrote it; before one, it resolves the stacks", () => {
    // GIVEN an app synthesized with compliant subnets, whose written output is then changed
    const { app } = appWith({ a: false });
    const { rule } = countingRule();
    app.synth();
    const file = join(app.outdir, "stacks", "a", "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    json.resource.aws_subnet.net.map_public_ip_on_launch = true;
    writeFileSync(file, JSON.stringify(json));
    // WHEN evaluated from the written files, and from the stacks
    // THEN the first sees the file (what Terraform will read), the second the constructs
    expect(lines(evaluateApp(app, [rule], true))).toEqual(["a T_PUBLIC aws_subnet.net: maps public IPs"]);
    expect(lines(evaluateApp(app, [rule]))).toEqual([]);
  });
});
