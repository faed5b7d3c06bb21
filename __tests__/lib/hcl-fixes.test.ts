/** Repairs of cdktf's HCL output. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repairHclOutput, restoreRequiredVersion, unquoteDependsOn } from "../../lib/hcl-fixes";
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
