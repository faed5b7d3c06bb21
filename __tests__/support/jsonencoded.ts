/** Reading what `Fn.jsonencode` writes into the synthesized JSON. */

/**
 * An argument written as, `${jsonencode({...})}` (a dashboard body, a key policy), as JSON: `=` becomes `:`, and each
 * reference (`aws_lb.nlb.arn_suffix`) the string `${aws_lb.nlb.arn_suffix}`.
 */
export function jsonencoded(body: string): Record<string, any> {
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(body);
  if (!m) throw new Error(`not a jsonencode expression: ${body.slice(0, 60)}`);
  let out = "";
  const text = m[1];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === "=") out += ":";
    else if (/[A-Za-z_]/.test(c)) {
      const ref = /^[A-Za-z_][\w.-]*/.exec(text.slice(i))?.[0] ?? c;
      out += ["true", "false", "null"].includes(ref) ? ref : JSON.stringify(`\${${ref}}`);
      i += ref.length - 1;
    } else out += c;
  }
  return JSON.parse(out);
}
