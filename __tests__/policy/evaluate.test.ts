/**
 * The evaluator (lib/policy/evaluate.ts) on its own: how a policy argument is read (JSON, a
 * data source of the stack, or why it cannot be), the document an `aws_iam_policy_document`
 * data source stands for, suppressions as the JSON holds them, and the error synth fails with.
 */
import { evaluate, Finding, PolicyViolationError, Rule, stackView } from "../../lib/policy/evaluate";

/** A stack whose data sources are `data`. */
const withData = (data: Record<string, Record<string, Record<string, unknown>>>) => stackView("s", { data });
/** What the policy document data source `d` (alone in a stack) reads as. */
const documentOf = (attrs: Record<string, unknown>) =>
  withData({ aws_iam_policy_document: { d: attrs } }).readPolicy("${data.aws_iam_policy_document.d.json}");
/** A statement as the evaluator writes it, every key present. */
const statement = (s: Record<string, unknown>) => ({
  Effect: "Allow",
  Action: undefined,
  NotAction: undefined,
  Resource: undefined,
  Condition: undefined,
  ...s,
});

describe("readPolicy: a policy argument that cannot be read says why", () => {
  test.each<[string, unknown, string]>([
    ["missing", undefined, "it is not a string"],
    ["an object", { Statement: [] }, "it is not a string"],
    ["a number", 1, "it is not a string"],
    ["a plan-time expression", "${var.trust}", "it is computed at plan time (${var.trust})"],
    [
      "a data source reference with text before it",
      "x${data.aws_iam_policy_document.d.json}",
      "it is computed at plan time (x${data.aws_iam_policy_document.d.json})",
    ],
    [
      "a data source reference with text after it",
      "${data.aws_iam_policy_document.d.json}x",
      "it is computed at plan time (${data.aws_iam_policy_document.d.json}x)",
    ],
    [
      "a data source of another stack",
      "${data.aws_iam_policy_document.elsewhere.json}",
      "data.aws_iam_policy_document.elsewhere is not in this stack",
    ],
    ["invalid JSON", "not json", "it is not a JSON policy document"],
    ["a JSON array", '[{"Effect":"Allow","Principal":"*"}]', "it is not a JSON policy document"],
    ["a JSON string", '"policy"', "it is not a JSON policy document"],
    ["JSON null", "null", "it is not a JSON policy document"],
  ])("%s", (_name, value, reason) => {
    // GIVEN a stack with one policy document data source
    const stack = withData({ aws_iam_policy_document: { d: { statement: [{ actions: ["s3:GetObject"] }] } } });
    // WHEN the value is read as a policy; THEN it is not evaluable, for exactly this reason
    expect(stack.readPolicy(value)).toStrictEqual({ notEvaluable: reason });
  });

  test("a plan-time expression is quoted up to 80 characters", () => {
    // GIVEN an expression longer than 80 characters
    const value = `\${jsonencode(${"x".repeat(100)})}`;
    // WHEN read; THEN the reason quotes its first 80 characters only
    expect(stackView("s", {}).readPolicy(value)).toStrictEqual({ notEvaluable: `it is computed at plan time (${value.slice(0, 80)})` });
  });
});

describe("readPolicy: a JSON policy document", () => {
  test.each<[string, unknown, unknown]>([
    [
      "a list of statements",
      { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*" }] },
      { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*" }] },
    ],
    ["a single Statement object", { Statement: { Effect: "Deny", Principal: "*" } }, { Statement: [{ Effect: "Deny", Principal: "*" }] }],
    ["no Statement", { Version: "2012-10-17" }, { Version: "2012-10-17", Statement: [] }],
    [
      "statements that are not objects",
      { Statement: [{ Effect: "Allow" }, "x", null, [{ Effect: "Deny" }]] },
      { Statement: [{ Effect: "Allow" }] },
    ],
  ])("%s", (_name, doc, expected) => {
    // GIVEN a JSON document; WHEN read; THEN its statements are a list of objects
    expect(stackView("s", {}).readPolicy(JSON.stringify(doc))).toStrictEqual({ doc: expected });
  });
});

describe("readPolicy: a document built by an aws_iam_policy_document data source", () => {
  test("every statement argument becomes its policy key; principals of one type merge", () => {
    // GIVEN a data source using every statement argument, principals of one type in two blocks
    const read = documentOf({
      statement: [
        {
          actions: ["sts:AssumeRole"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] }],
          principals: [
            { type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] },
            { type: "Service", identifiers: "lambda.amazonaws.com" },
            "not a block",
            { type: "AWS", identifiers: ["arn:aws:iam::222222222222:root"] },
          ],
        },
        { effect: "Deny", not_actions: ["s3:*"], not_principals: [{ type: "AWS", identifiers: ["arn:aws:iam::333333333333:root"] }] },
        "not a statement",
        {},
      ],
    });
    // WHEN read; THEN it is the IAM document the data source renders
    expect(read).toStrictEqual({
      doc: {
        Version: "2012-10-17",
        Statement: [
          statement({
            Action: ["sts:AssumeRole"],
            Resource: ["*"],
            Condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] }],
            Principal: {
              AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"],
              Service: ["lambda.amazonaws.com"],
            },
          }),
          statement({ Effect: "Deny", NotAction: ["s3:*"], NotPrincipal: { AWS: ["arn:aws:iam::333333333333:root"] } }),
          statement({}),
        ],
      },
    });
  });

  test.each<[string, unknown, unknown]>([
    ["type * alone", [{ type: "*", identifiers: ["*"] }], "*"],
    [
      "type * among named principals",
      [
        { type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] },
        { type: "*", identifiers: ["*"] },
        { type: "Service", identifiers: ["lambda.amazonaws.com"] },
      ],
      "*",
    ],
    ["a block without identifiers", [{ type: "AWS" }], { AWS: [] }],
    ["one block, not a list", { type: "Service", identifiers: ["lambda.amazonaws.com"] }, { Service: ["lambda.amazonaws.com"] }],
    ["an empty list", [], {}],
  ])("principals: %s", (_name, principals, expected) => {
    // GIVEN a statement with these principals blocks
    // WHEN read; THEN its Principal is everyone (*) or the identifiers by type
    expect(documentOf({ statement: [{ principals }] })).toStrictEqual({
      doc: { Version: "2012-10-17", Statement: [statement({ Principal: expected })] },
    });
  });

  test("one statement block written as an object; no statement at all", () => {
    // GIVEN data sources with a statement object, and with no statement
    // WHEN read; THEN the first has that one statement and the second none
    expect(documentOf({ statement: { effect: "Deny", actions: ["*"] } })).toStrictEqual({
      doc: { Version: "2012-10-17", Statement: [statement({ Effect: "Deny", Action: ["*"] })] },
    });
    expect(documentOf({})).toStrictEqual({ doc: { Version: "2012-10-17", Statement: [] } });
  });

  test.each<[string, Record<string, unknown>, string]>([
    ["source_policy_documents", { source_policy_documents: ["{}"] }, "it merges other documents (source_policy_documents)"],
    ["override_policy_documents", { override_policy_documents: ["{}"] }, "it merges other documents (override_policy_documents)"],
    ["source_json", { source_json: "{}" }, "it merges other documents (source_json)"],
    ["override_json", { override_json: "{}" }, "it merges other documents (override_json)"],
    [
      "several at once",
      { override_json: "{}", source_json: "{}", source_policy_documents: ["{}"] },
      "it merges other documents (source_policy_documents, source_json, override_json)",
    ],
  ])("a document that merges others (%s) is not evaluable", (_name, attrs, reason) => {
    // GIVEN a data source that merges other documents into its statements
    // WHEN read; THEN it is not evaluable, naming the arguments
    expect(documentOf({ ...attrs, statement: [{ actions: ["*"] }] })).toStrictEqual({ notEvaluable: reason });
  });

  test("the reference reads the policy document data source of that name, not another", () => {
    // GIVEN another data source type of the same name, and another policy document, before it
    const stack = withData({
      aws_caller_identity: { trust: {} },
      aws_iam_policy_document: {
        other: { statement: [{ actions: ["other:Action"] }] },
        trust: { statement: [{ actions: ["sts:AssumeRole"] }] },
      },
    });
    // WHEN the reference is read; THEN it is the document named in it
    expect(stack.readPolicy("${data.aws_iam_policy_document.trust.json}")).toStrictEqual({
      doc: { Version: "2012-10-17", Statement: [statement({ Action: ["sts:AssumeRole"] })] },
    });
    expect(stack.readPolicy("${data.aws_iam_policy_document.other.json}")).toStrictEqual({
      doc: { Version: "2012-10-17", Statement: [statement({ Action: ["other:Action"] })] },
    });
  });

  test("a data source of another type is not a policy document", () => {
    // GIVEN only a data source of another type under the referenced name
    const stack = withData({ aws_caller_identity: { trust: {} } });
    // WHEN the reference is read; THEN the document is not in the stack
    expect(stack.readPolicy("${data.aws_iam_policy_document.trust.json}")).toStrictEqual({
      notEvaluable: "data.aws_iam_policy_document.trust is not in this stack",
    });
  });
});

describe("stackView", () => {
  test("resources by address, whatever else the JSON holds", () => {
    // GIVEN JSON with resources, a resource whose arguments are not an object, and junk sections
    const stack = stackView("s", {
      resource: { aws_subnet: { a: { cidr_block: "10.0.0.0/24" }, b: "not an object" }, aws_vpc: ["not", "a", "map"] },
      data: "not an object",
    });
    // WHEN listed; THEN each resource has its type, name, address and arguments
    expect(stack.name).toBe("s");
    expect(stack.resources).toStrictEqual([
      { type: "aws_subnet", name: "a", address: "aws_subnet.a", attrs: { cidr_block: "10.0.0.0/24" } },
      { type: "aws_subnet", name: "b", address: "aws_subnet.b", attrs: {} },
    ]);
    expect(stack.ofType("aws_subnet").map((r) => r.name)).toEqual(["a", "b"]);
    expect(stack.ofType("aws_vpc")).toEqual([]);
    expect(stackView("empty", {}).resources).toEqual([]);
  });
});

describe("evaluate: suppressions as the JSON holds them", () => {
  /** Flags every aws_subnet with public IPs. */
  const publicIps: Rule = {
    id: "T_PUBLIC",
    title: "no public IPs",
    appliesTo: ["aws_subnet"],
    check: (r) => (r.attrs.map_public_ip_on_launch === true ? "maps public IPs" : undefined),
  };
  const run = (meta: unknown) =>
    evaluate(stackView("s", { resource: { aws_subnet: { a: { map_public_ip_on_launch: true, "//": meta } } } }), [publicIps]);

  test("a reason that is not a string is kept as text", () => {
    // GIVEN a suppression whose reason is a number
    // WHEN evaluated; THEN the finding is suppressed with the reason as text
    expect(run({ policy_suppressions: { T_PUBLIC: 12345678901 } })).toStrictEqual({
      findings: [],
      suppressed: [{ stack: "s", address: "aws_subnet.a", ruleId: "T_PUBLIC", message: "maps public IPs", reason: "12345678901" }],
    });
  });

  test.each<[string, unknown]>([
    ["no metadata", undefined],
    ["metadata that is not an object", "T_PUBLIC"],
    ["suppressions that are not an object", { policy_suppressions: ["T_PUBLIC"] }],
    ["suppressions under another key", { suppressions: { T_PUBLIC: "a reason long enough" } }],
  ])("%s suppresses nothing", (_name, meta) => {
    // GIVEN a violating resource whose metadata holds no suppressions
    // WHEN evaluated; THEN the violation is a finding
    expect(run(meta)).toStrictEqual({
      findings: [{ stack: "s", address: "aws_subnet.a", ruleId: "T_PUBLIC", message: "maps public IPs" }],
      suppressed: [],
    });
  });

  test("a rule is checked only against the types it applies to", () => {
    // GIVEN a rule for subnets and a VPC that would violate it if it were checked
    const view = stackView("s", { resource: { aws_vpc: { v: { map_public_ip_on_launch: true } } } });
    // WHEN evaluated; THEN nothing is found
    expect(evaluate(view, [publicIps])).toStrictEqual({ findings: [], suppressed: [] });
  });
});

describe("PolicyViolationError", () => {
  test("lists every finding, then how to fix or suppress them", () => {
    // GIVEN findings of two stacks
    const findings: Finding[] = [
      { stack: "provider", ruleId: "PLK_LB_INTERNAL", address: "aws_lb.alb", message: "is internet-facing" },
      { stack: "consumer", ruleId: "CKV_AWS_130", address: "aws_subnet.a", message: "maps public IPs on launch" },
    ];
    // WHEN the error is made
    const error = new PolicyViolationError(findings);
    // THEN its message lists each, its name is its class's, and it keeps the findings
    expect(error.message).toBe(
      "Policy check failed with 2 finding(s):\n" +
        "  - [provider] PLK_LB_INTERNAL aws_lb.alb: is internet-facing\n" +
        "  - [consumer] CKV_AWS_130 aws_subnet.a: maps public IPs on launch\n" +
        "Fix them, or suppress one rule on one resource with a reason (suppress() in lib/policy/suppress.ts).",
    );
    expect(error.name).toBe("PolicyViolationError");
    expect(String(error)).toMatch(/^PolicyViolationError: Policy check failed with 2 finding\(s\):\n/);
    expect(error.findings).toBe(findings);
    expect(error).toBeInstanceOf(Error);
  });
});
