/** Repairs of cdktf's HCL output. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { escapeTemplateQuotes, preconditionBlocks, repairHclOutput, restoreRequiredVersion, unquoteDependsOn } from "../../lib/hcl-fixes";
import { writeTree } from "../support/trees";

describe("the depends_on repair", () => {
  test("unquotes references and leaves other lists alone", () => {
    // GIVEN cdktf's quoted depends_on next to a list of strings; WHEN repaired; THEN only references change
    expect(unquoteDependsOn('depends_on = [\n"aws_lb.alb",\n"aws_lb_listener.alb_http",\n]\nsubnets = [\n"subnet-1",\n]\n')).toBe(
      'depends_on = [\naws_lb.alb,\naws_lb_listener.alb_http,\n]\nsubnets = [\n"subnet-1",\n]\n',
    );
  });

  test("unquotes cdktf's indented blocks, with or without a trailing comma", () => {
    // GIVEN depends_on lists as cdktf indents them inside a resource, the last entry without a comma
    const hcl = [
      'resource "aws_lb_listener" "nlb" {',
      "  depends_on = [",
      '    "aws_lb.alb",',
      '    "aws_lb_listener.alb_http"',
      "  ]",
      "}",
      'resource "aws_instance" "x" {',
      "  depends_on = [",
      '    "aws_subnet.private[0]",',
      '    "module.net-a.aws_vpc.this",',
      "  ]",
      '  tags = { Name = "aws_lb.alb" }',
      "}",
      "",
    ].join("\n");
    // WHEN repaired
    // THEN each reference is bare, indentation and everything else as it was
    expect(unquoteDependsOn(hcl)).toBe(
      [
        'resource "aws_lb_listener" "nlb" {',
        "  depends_on = [",
        "    aws_lb.alb,",
        "    aws_lb_listener.alb_http",
        "  ]",
        "}",
        'resource "aws_instance" "x" {',
        "  depends_on = [",
        "    aws_subnet.private[0],",
        "    module.net-a.aws_vpc.this,",
        "  ]",
        '  tags = { Name = "aws_lb.alb" }',
        "}",
        "",
      ].join("\n"),
    );
  });

  test("a quoted entry that is no reference stays quoted", () => {
    // GIVEN a depends_on entry with characters no Terraform address has
    const hcl = 'depends_on = [\n  "aws_lb.alb",\n  "not a reference",\n]\n';
    // WHEN repaired; THEN only the reference is unquoted
    expect(unquoteDependsOn(hcl)).toBe('depends_on = [\n  aws_lb.alb,\n  "not a reference",\n]\n');
  });

  test("the terraform block's required_version, which cdktf renders without its value, is written back", () => {
    // GIVEN the terraform block as cdktf 0.21 renders an overridden required_version
    const hcl = 'terraform {\nbackend "local" {\npath = "x"\n}\n\n  0 = "required_version"\n}\n';
    // WHEN repaired; THEN it holds the constraint every stack sets, and nothing else changed
    expect(restoreRequiredVersion(hcl)).toBe('terraform {\nbackend "local" {\npath = "x"\n}\n\n  required_version = ">= 1.10.0"\n}\n');
    expect(restoreRequiredVersion('x = "0 = \\"required_version\\""\n')).toBe('x = "0 = \\"required_version\\""\n');
  });

  test("repairs each stack's cdk.tf and leaves JSON stacks alone", () => {
    // GIVEN an output with one HCL stack and one JSON stack
    const out = mkdtempSync(join(tmpdir(), "plk-hcl-"));
    writeTree(out, { "stacks/a/cdk.tf": 'depends_on = [\n"aws_lb.alb",\n]\n', "stacks/b/cdk.tf.json": '{"depends_on": ["aws_lb.alb"]}' });
    // WHEN repaired
    repairHclOutput(out);
    // THEN the HCL is unquoted, the JSON untouched
    expect(readFileSync(join(out, "stacks/a/cdk.tf"), "utf8")).toBe("depends_on = [\naws_lb.alb,\n]\n");
    expect(readFileSync(join(out, "stacks/b/cdk.tf.json"), "utf8")).toBe('{"depends_on": ["aws_lb.alb"]}');
  });
});

describe("the precondition repair", () => {
  test("each list in the file is repaired (postconditions too), an entry closed with or without a comma", () => {
    const hcl = [
      "a {",
      "  precondition = [",
      "{",
      'c = "1"',
      "}",
      "]",
      "}",
      "b {",
      "    postcondition = [",
      "  {",
      'c = "2"',
      "  },",
      "    ]",
      "}",
      "",
    ].join("\n");
    expect(preconditionBlocks(hcl)).toBe(
      ["a {", "  precondition {", 'c = "1"', "  }", "}", "b {", "    postcondition {", 'c = "2"', "    }", "}", ""].join("\n"),
    );
    // A list of other things, or an attribute merely named like one, is left alone
    const other = 'preconditions = [\n"x",\n]\nmy_precondition = [\n{\nc = "1"\n},\n]\n';
    expect(preconditionBlocks(other)).toBe(other);
  });

  test("a lifecycle's precondition list becomes one block per entry; everything else stays", () => {
    // GIVEN cdktf's rendering of two preconditions beside another lifecycle setting and a list
    const hcl = [
      "lifecycle {",
      "  create_before_destroy = true",
      "  precondition = [",
      "{",
      'condition = "${length(var.a) >= 2}"',
      'error_message = "Needs two, not ${length(var.a)} {sic}."',
      "},",
      "{",
      'condition = "${var.b}"',
      'error_message = "b"',
      "},",
      "]",
      "}",
      "subnets = [",
      '"subnet-1",',
      "]",
      "",
    ].join("\n");
    // WHEN repaired; THEN two blocks at the list's indentation, the rest as it was
    expect(preconditionBlocks(hcl)).toBe(
      [
        "lifecycle {",
        "  create_before_destroy = true",
        "  precondition {",
        'condition = "${length(var.a) >= 2}"',
        'error_message = "Needs two, not ${length(var.a)} {sic}."',
        "  }",
        "  precondition {",
        'condition = "${var.b}"',
        'error_message = "b"',
        "  }",
        "}",
        "subnets = [",
        '"subnet-1",',
        "]",
        "",
      ].join("\n"),
    );
  });
});

describe("the quotes of strings with template sequences", () => {
  test.each<[string, string, string]>([
    [
      "a policy document with an escaped policy variable",
      'policy = "{"Resource":["arn:aws:s3:::b/$${aws:username}/*"]}"',
      'policy = "{\\"Resource\\":[\\"arn:aws:s3:::b/$${aws:username}/*\\"]}"',
    ],
    [
      "a message quoting AWS, around a reference whose own strings hold quotes",
      'error_message = "AWS says "no" (${join(", ", [a.b, "c}"])})."',
      'error_message = "AWS says \\"no\\" (${join(", ", [a.b, "c}"])})."',
    ],
  ])("%s: the literal quotes are escaped, the sequences kept", (_name, line, repaired) => {
    expect(escapeTemplateQuotes(`${line}\n`)).toBe(`${repaired}\n`);
  });

  test.each<[string, string, string]>([
    ["escaped sequences are literal text, their quotes escaped", 'a = "x $${y} "q" %%{z} "r""', 'a = "x $${y} \\"q\\" %%{z} \\"r\\""'],
    [
      "a directive's own quotes stay, the text's are escaped",
      'a = "%{ if v == "on" }"on"%{ endif }"',
      'a = "%{ if v == "on" }\\"on\\"%{ endif }"',
    ],
    ["an object in a reference: its braces nest, the quote after it is text", 'a = "${ {k = "}"}.k }"x""', 'a = "${ {k = "}"}.k }\\"x\\""'],
    ["a backslash escape in text is kept as it is", 'a = "c:\\\\ "q" \\" ${r}"', 'a = "c:\\\\ \\"q\\" \\" ${r}"'],
    ["indented, as cdktf writes nested blocks", '    error_message = "say "x" ${v}"', '    error_message = "say \\"x\\" ${v}"'],
  ])("%s", (_name, line, repaired) => {
    expect(escapeTemplateQuotes(`${line}\n`)).toBe(`${repaired}\n`);
  });

  test.each([
    ["a reference alone", 'role = "${aws_iam_role.lambda.name}"'],
    ["a string in a reference that is not closed", 'x = "a "b" ${f("c)}"'],
    ["a reference left open", 'x = "a "b" ${f(1)"'],
    ["escaped quotes already", 'policy = "{\\"Version\\":\\"2012-10-17\\"}"'],
    [
      "a jsonencode with strings, escapes and references",
      'body = "${jsonencode({"a" = "x\\ny", "b" = "arn:${data.p.partition}:x", "c" = [r.arn]})}"',
    ],
    ["a sequence that does not close", 'x = "a "b" ${oops"'],
    ["plain text", 'name = "hello-privatelink"'],
  ])("%s: left as it is", (_name, line) => {
    expect(escapeTemplateQuotes(`${line}\n`)).toBe(`${line}\n`);
  });
});
