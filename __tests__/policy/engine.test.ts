/**
 * The policy engine: a violation fails synth listing every finding; suppressions are precise,
 * need a reason and do not leak; policy documents built by data sources are evaluated.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveConfig } from "../../config/resolve";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, TerraformStack, Testing } from "../../lib/cdktf";
import { withAddress } from "../../lib/naming";
import { PolicyAspect } from "../../lib/policy/aspect";
import { evaluate, PolicyViolationError, stackView } from "../../lib/policy/evaluate";
import { RULES } from "../../lib/policy/rules";
import { suppress } from "../../lib/policy/suppress";
import { createStacks } from "../../main";
import { configWith, lambdaPackages, ROOT, synthAll, thrownBy } from "../helpers";

describe("the policy engine", () => {
  test("a violation fails synth, listing every finding of every stack", async () => {
    const app = Testing.app();
    const { provider, consumers } = createStacks(app, resolveConfig(configWith()), await lambdaPackages());
    provider!.addOverride("resource.aws_lb.alb.internal", false);
    provider!.addOverride("resource.aws_subnet.network_private_apne1_az1.map_public_ip_on_launch", true);
    consumers[0].addOverride("resource.aws_subnet.network_private_apne1_az4.map_public_ip_on_launch", true);
    const error = thrownBy(() => app.synth());
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

describe("policies built by aws_iam_policy_document data sources", () => {
  /** A stack with one role whose trust policy is the data source `trust` with `statement`. */
  const withTrust = (trust: Record<string, unknown>) =>
    stackView("s", {
      data: { aws_iam_policy_document: { trust } },
      resource: { aws_iam_role: { r: { name: "r", assume_role_policy: "${data.aws_iam_policy_document.trust.json}" } } },
    });
  const trustFindings = (trust: Record<string, unknown>) =>
    evaluate(withTrust(trust), RULES)
      .findings.filter((f) => f.ruleId === "CKV_AWS_60")
      .map((f) => f.message);

  test("a wildcard trust built from a policy document is found (the rule cannot be suppressed)", () => {
    // GIVEN a trust document whose principal is everyone
    const trust = { statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: ["*"] }] }] };
    // WHEN evaluated; THEN the role is a finding
    expect(trustFindings(trust)).toEqual(["can be assumed by any principal"]);
    expect(trustFindings({ statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "*", identifiers: ["*"] }] }] })).toEqual([
      "can be assumed by any principal",
    ]);
  });

  test("a named service principal passes; a Deny with everyone passes", () => {
    // GIVEN documents that trust one service, or deny everyone
    const named = {
      statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] }],
    };
    const deny = { statement: [{ effect: "Deny", actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: ["*"] }] }] };
    // WHEN evaluated; THEN no finding
    expect(trustFindings(named)).toEqual([]);
    expect(trustFindings(deny)).toEqual([]);
  });

  test.each<[string, unknown, RegExp]>([
    [
      "a document that merges others",
      { source_policy_documents: ["${data.aws_iam_policy_document.other.json}"], statement: [] },
      /it merges other documents \(source_policy_documents\)/,
    ],
    [
      "a NotPrincipal allow",
      { statement: [{ actions: ["sts:AssumeRole"], not_principals: [{ type: "AWS", identifiers: ["arn:aws:iam::1:root"] }] }] },
      /can be assumed by any principal/,
    ],
  ])("%s is reported, never skipped", (_name, trust, message) => {
    // GIVEN a trust document the evaluator cannot read, or an allow for everyone-but
    // WHEN evaluated; THEN a finding says so
    expect(trustFindings(trust as Record<string, unknown>).join()).toMatch(message);
  });

  test.each<[string, unknown, string]>([
    ["a plan-time expression", "${var.trust}", "computed at plan time"],
    ["a document of another stack", "${data.aws_iam_policy_document.elsewhere.json}", "is not in this stack"],
    ["no JSON at all", "not json", "not a JSON policy document"],
  ])("a trust policy from %s is not evaluable: a finding", (_name, policy, reason) => {
    // GIVEN a role whose trust policy cannot be read at synth
    const view = stackView("s", { resource: { aws_iam_role: { r: { assume_role_policy: policy } } } });
    // WHEN evaluated; THEN it is a finding naming why
    const found = evaluate(view, RULES).findings.find((f) => f.ruleId === "CKV_AWS_60");
    expect(found?.message).toContain(`has a trust policy that cannot be evaluated at synth: `);
    expect(found?.message).toContain(reason);
  });
});

describe("a wildcard trust built with a policy document, through a real synth", () => {
  test("fails synth with CKV_AWS_60, which no suppression can excuse", () => {
    // GIVEN a stack whose role trusts everyone through an aws_iam_policy_document data source
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
    const trust = withAddress(
      new DataAwsIamPolicyDocument(stack, "trust", {
        statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: ["*"] }] }],
      }),
      "trust",
    );
    const role = withAddress(new IamRole(stack, "role", { name: "open", assumeRolePolicy: trust.json }), "open");
    suppress(role, "CKV_AWS_60", "a reason that cannot excuse this rule");
    Aspects.of(stack).add(new PolicyAspect(RULES));
    // WHEN it synthesizes; THEN the policy check fails on the role
    const error = thrownBy(() => app.synth());
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect((error as PolicyViolationError).findings.map((f) => `${f.ruleId} ${f.address}: ${f.message}`)).toEqual([
      "CKV_AWS_60 aws_iam_role.open: suppresses a rule that cannot be suppressed",
      "CKV_AWS_60 aws_iam_role.open: can be assumed by any principal",
    ]);
  });
});

describe("load balancers, whatever their resource type is called", () => {
  test("aws_alb of type network without security groups is an NLB without them", () => {
    // GIVEN the older resource name used for an NLB
    const view = stackView("s", { resource: { aws_alb: { n: { load_balancer_type: "network", internal: true } } } });
    // WHEN evaluated; THEN the NLB rules apply to it
    const ids = evaluate(view, RULES).findings.map((f) => f.ruleId);
    expect(ids).toEqual(expect.arrayContaining(["PLK_NLB_SECURITY_GROUPS", "PLK_NLB_PRIVATELINK_INBOUND", "CKV_AWS_152"]));
    expect(ids).not.toContain("CKV_AWS_131");
  });

  test("aws_alb without a type is an ALB: its egress and headers are checked", () => {
    // GIVEN an aws_alb (type defaults to application) whose group has egress
    const view = stackView("s", {
      resource: {
        aws_alb: { a: { internal: true, security_groups: ["${aws_security_group.g.id}"] } },
        aws_security_group: { g: { description: "g", egress: [{ description: "out", cidr_blocks: ["10.0.0.0/8"] }] } },
      },
    });
    // WHEN evaluated; THEN the ALB rules apply
    const ids = evaluate(view, RULES).findings.map((f) => f.ruleId);
    expect(ids).toEqual(expect.arrayContaining(["PLK_ALB_NO_EGRESS", "CKV_AWS_131", "CKV_AWS_328"]));
    expect(ids).not.toContain("PLK_NLB_SECURITY_GROUPS");
  });
});

describe("no state outside an evaluation", () => {
  test("two apps, two aspects: each keeps its own evaluations; a broken app does not taint the other", async () => {
    // GIVEN a clean app and a broken one, synthesized one after the other
    const pkg = await lambdaPackages();
    const clean = Testing.app();
    const cleanStacks = createStacks(clean, resolveConfig(configWith()), pkg);
    const broken = Testing.app();
    const brokenStacks = createStacks(broken, resolveConfig(configWith()), pkg);
    brokenStacks.provider?.addOverride("resource.aws_lb.alb.internal", false);
    // WHEN both synthesize
    expect(() => broken.synth()).toThrow(PolicyViolationError);
    clean.synth();
    // THEN the clean app's evaluations have no finding, the broken app's have its one
    const findings = (e: ReadonlyMap<string, { findings: unknown[] }>) => [...e.values()].flatMap((x) => x.findings).length;
    expect(findings(cleanStacks.policy.evaluations(clean))).toBe(0);
    expect(findings(brokenStacks.policy.evaluations(broken))).toBe(1);
  });
});
