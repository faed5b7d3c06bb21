/**
 * suppress() (lib/policy/suppress.ts): the reason it demands, and where it writes the
 * suppression (the resource's `"//"` metadata, which the evaluator reads back).
 */
import { TerraformResource, TerraformStack, Testing } from "../../lib/cdktf";
import { evaluate, Rule, stackView } from "../../lib/policy/evaluate";
import { MIN_REASON, suppress, SUPPRESSIONS_KEY } from "../../lib/policy/suppress";

/** A stack `s` with one public subnet `net`. */
function subnet() {
  const stack = new TerraformStack(Testing.app(), "s");
  const resource = new TerraformResource(stack, "net", { terraformResourceType: "aws_subnet" });
  resource.addOverride("map_public_ip_on_launch", true);
  /** The subnet's arguments as synthesized. */
  const attrs = () => (stack.toTerraform() as Record<string, any>).resource.aws_subnet.net as Record<string, any>;
  return { stack, resource, attrs };
}

describe("suppress", () => {
  test("the constants: at least 10 characters, kept under policy_suppressions", () => {
    // GIVEN the module; WHEN its constants are read; THEN they are what the README documents
    expect(MIN_REASON).toBe(10);
    expect(SUPPRESSIONS_KEY).toBe("policy_suppressions");
  });

  test("a reason of exactly 10 characters is accepted and written into the resource's metadata", () => {
    // GIVEN a subnet
    const { resource, attrs } = subnet();
    // WHEN one rule is suppressed with a 10-character reason
    suppress(resource, "CKV_AWS_130", "0123456789");
    // THEN the reason is in the resource's "//" metadata, under the rule
    expect(attrs()["//"].policy_suppressions).toStrictEqual({ CKV_AWS_130: "0123456789" });
  });

  test("the reason is kept as given, surrounding spaces included", () => {
    // GIVEN a subnet; WHEN suppressed with a padded reason of 10 characters
    const { resource, attrs } = subnet();
    suppress(resource, "CKV_AWS_130", "  0123456789  ");
    // THEN the reason is written unchanged
    expect(attrs()["//"].policy_suppressions).toStrictEqual({ CKV_AWS_130: "  0123456789  " });
  });

  test.each<[string, string]>([
    ["9 characters", "012345678"],
    ["only spaces", " ".repeat(12)],
    ["5 characters padded to 11", "   short   "],
    ["empty", ""],
  ])("a reason of %s is refused, and nothing is written", (_name, reason) => {
    // GIVEN a subnet
    const { resource, attrs } = subnet();
    // WHEN suppressed with a reason too short once trimmed; THEN it throws, naming rule, resource and minimum
    expect(() => suppress(resource, "CKV_AWS_130", reason)).toThrow(
      new Error("Suppression of CKV_AWS_130 on s/net needs a reason of at least 10 characters"),
    );
    expect(attrs()["//"]).not.toHaveProperty("policy_suppressions");
  });

  test("several rules on one resource are each kept, and the evaluator reads them back", () => {
    // GIVEN a subnet with two suppressions
    const { stack, resource, attrs } = subnet();
    suppress(resource, "CKV_AWS_130", "a public subnet on purpose");
    suppress(resource, "T_OTHER", "another reason, long enough");
    expect(attrs()["//"].policy_suppressions).toStrictEqual({
      CKV_AWS_130: "a public subnet on purpose",
      T_OTHER: "another reason, long enough",
    });
    // WHEN the stack is evaluated against both rules
    const rule = (id: string): Rule => ({
      id,
      title: "t",
      appliesTo: ["aws_subnet"],
      check: (r) => (r.attrs.map_public_ip_on_launch === true ? "maps public IPs" : undefined),
    });
    const result = evaluate(stackView("s", stack.toTerraform() as Record<string, unknown>), [rule("CKV_AWS_130"), rule("T_OTHER")]);
    // THEN both findings are suppressed, with their reasons
    expect(result.findings).toEqual([]);
    expect(result.suppressed.map((s) => `${s.ruleId} ${s.address}: ${s.reason}`)).toEqual([
      "CKV_AWS_130 aws_subnet.net: a public subnet on purpose",
      "T_OTHER aws_subnet.net: another reason, long enough",
    ]);
  });
});
