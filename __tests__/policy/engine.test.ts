/**
 * The policy engine: a violation fails synth listing every finding; suppressions are precise,
 * need a reason and do not leak; policy documents built by data sources are evaluated.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveConfig } from "../../config/resolve";
import { Testing } from "../../lib/cdktf";
import { evaluate, PolicyViolationError, stackView } from "../../lib/policy/evaluate";
import { RULES } from "../../lib/policy/rules";
import { suppress } from "../../lib/policy/suppress";
import { createStacks } from "../../main";
import { configWith, lambdaPackage, ROOT, synthAll } from "../helpers";

describe("the policy engine", () => {
  test("a violation fails synth, listing every finding of every stack", async () => {
    const app = Testing.app();
    const { provider, consumers } = createStacks(app, resolveConfig(configWith()), await lambdaPackage());
    provider!.addOverride("resource.aws_lb.alb.internal", false);
    provider!.addOverride("resource.aws_subnet.network_private_apne1_az1.map_public_ip_on_launch", true);
    consumers[0].addOverride("resource.aws_subnet.network_private_apne1_az4.map_public_ip_on_launch", true);
    let error: unknown;
    try {
      app.synth();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect((error as PolicyViolationError).findings.map((f) => `${f.stack} ${f.ruleId} ${f.address}`).sort()).toEqual([
      "consumer CKV_AWS_130 aws_subnet.network_private_apne1_az4",
      "provider CKV_AWS_130 aws_subnet.network_private_apne1_az1",
      "provider PLK_LB_INTERNAL aws_lb.alb",
    ]);
    expect((error as Error).message).toMatch(/^Policy check failed with 3 finding\(s\):\n/);
    expect((error as Error).message).toContain("  - [provider] PLK_LB_INTERNAL aws_lb.alb: is internet-facing\n");
  });

  test("a suppression needs a reason of at least 10 characters", async () => {
    const { stacks } = await synthAll();
    const listener = stacks.provider!.node.findAll().find((c) => c.node.id === "listener") as any;
    expect(() => suppress(listener, "CKV_AWS_2", "because")).toThrow(/needs a reason of at least 10 characters/);
  });

  test("a suppression covers one rule on one resource and does not leak to the other stack", () => {
    const subnet = (suppressed: boolean) => ({
      map_public_ip_on_launch: true,
      ...(suppressed ? { "//": { policy_suppressions: { CKV_AWS_130: "public subnet on purpose for this test" } } } : {}),
    });
    const provider = evaluate(stackView("provider", { resource: { aws_subnet: { a: subnet(true), b: subnet(false) } } }), RULES);
    const consumer = evaluate(stackView("consumer", { resource: { aws_subnet: { a: subnet(false) } } }), RULES);
    expect(provider.suppressed.map((s) => s.address)).toEqual(["aws_subnet.a"]);
    expect(provider.findings.map((f) => f.address)).toEqual(["aws_subnet.b"]);
    expect(consumer.findings.map((f) => `${f.ruleId} ${f.address}`)).toEqual(["CKV_AWS_130 aws_subnet.a"]);
  });

  test("suppressing an unknown rule, an unsuppressible rule, or a rule not violated is itself a finding", () => {
    const meta = (ids: string[]) => ({ "//": { policy_suppressions: Object.fromEntries(ids.map((id) => [id, "a reason long enough"])) } });
    const result = evaluate(
      stackView("s", {
        resource: {
          aws_lb: { a: { load_balancer_type: "application", internal: false, ...meta(["PLK_LB_INTERNAL"]) } },
          aws_subnet: { s: { ...meta(["CKV_NOPE", "CKV_AWS_130"]) } },
        },
      }),
      RULES,
    );
    const messages = result.findings.map((f) => `${f.ruleId} ${f.address}: ${f.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        "PLK_LB_INTERNAL aws_lb.a: suppresses a rule that cannot be suppressed",
        "PLK_LB_INTERNAL aws_lb.a: is internet-facing",
        "CKV_NOPE aws_subnet.s: suppresses a rule that does not exist",
        "CKV_AWS_130 aws_subnet.s: suppresses a rule it does not violate; remove the suppression",
      ]),
    );
  });
});

describe("the README's policy table", () => {
  test("is exactly what scripts/policy-table.ts generates for the default config", async () => {
    const { policyTable } = await import("../../scripts/policy-table");
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(await policyTable(join(ROOT, "config", "default.json")));
  });
});
