/**
 * Terraform reads every string in its JSON syntax as a template: `${…}` interpolates and
 * `%{…}` is a directive. Text that must arrive as typed (a description from the user's
 * config, say) is escaped: `$${` and `%%{` stand for a literal `${` and `%{`.
 * (Terraform language docs, "Strings and Templates", escape sequences.)
 */
export function terraformLiteral(text: string): string {
  // Replacer functions: in a replacement string, "$$" would itself mean one "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}
