/** Text that must reach Terraform as typed: its template sequences escaped. */
import { terraformLiteral } from "../../lib/terraform-literal";

describe("terraformLiteral", () => {
  test.each([
    ["an interpolation", "${var.x}", "$${var.x}"],
    ["a directive", "%{if true}", "%%{if true}"],
    ["both, twice", "a ${b} %{c} ${d} %{e}", "a $${b} %%{c} $${d} %%{e}"],
    ["an already escaped interpolation", "$${x}", "$$${x}"],
    ["an already escaped directive", "%%{x}", "%%%{x}"],
    ["a lone $ and %, and a lone brace", "cost $5, 10% off {x}", "cost $5, 10% off {x}"],
    ["nothing", "", ""],
  ])("%s: %j becomes %j", (_what, text, expected) => {
    // GIVEN text from the user's config; WHEN escaped; THEN only `${` and `%{` change
    expect(terraformLiteral(text)).toBe(expected);
  });
});
