/** Repairs for cdktf 0.21's `synth --hcl` output, applied to each stack's `cdk.tf`. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REQUIRED_TERRAFORM } from "./constructs/state-backend";

/**
 * cdktf writes `depends_on` entries as quoted strings (`"aws_lb.alb"`), which Terraform
 * accepts with a "Quoted references are deprecated" warning per entry. Unquote them.
 */
export function unquoteDependsOn(hcl: string): string {
  return hcl.replace(
    /(depends_on = \[\n)((?:\s*"[^"\n]+",?\n)+)(\s*\])/g,
    (_m, open: string, entries: string, close: string) => `${open}${entries.replace(/"([A-Za-z0-9_.\-[\]]+)"/g, "$1")}${close}`,
  );
}

/**
 * cdktf renders the `terraform` block's `required_version` (set by an override: cdktf has no
 * API for it) as `0 = "required_version"`, losing the value, which Terraform refuses. Write
 * the constraint every stack sets.
 */
export function restoreRequiredVersion(hcl: string): string {
  return hcl.replace(/^(\s*)0 = "required_version"$/m, `$1required_version = "${REQUIRED_TERRAFORM}"`);
}

/**
 * cdktf renders a lifecycle's `precondition` blocks as a list attribute
 * (`precondition = [ { condition = …, error_message = … }, ]`), which Terraform refuses
 * ("An argument named "precondition" is not expected here"). Write one block per entry.
 */
export function preconditionBlocks(hcl: string): string {
  return hcl.replace(
    /^([ \t]*)(precondition|postcondition) = \[\n((?:[ \t]*\{\n(?:(?![ \t]*\},?\n).*\n)*[ \t]*\},?\n)*)[ \t]*\]\n/gm,
    (_m, indent: string, kind: string, entries: string) =>
      entries.replace(/^[ \t]*\{\n/gm, `${indent}${kind} {\n`).replace(/^[ \t]*\},?\n/gm, `${indent}}\n`),
  );
}

/**
 * cdktf writes a string that holds a template sequence (a reference, or an escaped `$${`)
 * between quotes as it is, without escaping the double quotes of its literal text: a policy
 * document with an IAM policy variable, or a message that quotes AWS, ends the string early
 * and Terraform refuses the file. On each `name = "…"` line, escape the double quotes of the
 * literal text, outside `${…}` and `%{…}` sequences; a line whose sequences do not close is
 * left as it is.
 */
export function escapeTemplateQuotes(hcl: string): string {
  return hcl.replace(/^([ \t]*[A-Za-z0-9_]+ = )"(.*)"$/gm, (line, head: string, inner: string) => {
    const fixed = escapeLiteralQuotes(inner);
    return fixed === undefined ? line : `${head}"${fixed}"`;
  });
}

/** `text` (a quoted string's content) with its literal quotes escaped; undefined when none needed it or it does not scan. */
function escapeLiteralQuotes(text: string): string | undefined {
  let out = "";
  let changed = false;
  for (let i = 0; i < text.length;) {
    const next = templateStep(text, i);
    if (next === undefined) return undefined;
    if (next === i) {
      changed ||= text[i] === '"';
      out += text[i] === '"' ? '\\"' : text[i];
      i++;
    } else {
      out += text.slice(i, next);
      i = next;
    }
  }
  return changed ? out : undefined;
}

/**
 * Where a template's text goes on from `i`: past an escape (`\x`, `$${`, `%%{`) or a whole
 * `${…}`/`%{…}` sequence; `i` itself for a plain character; undefined for a sequence that
 * does not close.
 */
function templateStep(text: string, i: number): number | undefined {
  const c = text[i];
  if (c === "\\") return i + 2;
  if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") return i + 3;
  if ((c === "$" || c === "%") && text[i + 1] === "{") return expressionEnd(text, i + 2);
  return i;
}

/** The index past the `}` that closes an expression whose body starts at `i` (quoted strings in it skipped). */
function expressionEnd(text: string, i: number): number | undefined {
  let depth = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      // A string in the expression: to its closing quote, past its own escapes and sequences.
      for (i++; i < text.length && text[i] !== '"';) {
        const next = templateStep(text, i);
        if (next === undefined) return undefined;
        i = next === i ? i + 1 : next;
      }
      if (i >= text.length) return undefined;
    } else if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i + 1;
      depth--;
    }
    i++;
  }
  return undefined;
}

/** Applies every repair to the `cdk.tf` of each stack under `outdir` (a JSON synth has none). */
export function repairHclOutput(outdir: string): void {
  const stacksDir = join(outdir, "stacks");
  for (const stack of readdirSync(stacksDir)) {
    const file = join(stacksDir, stack, "cdk.tf");
    if (existsSync(file)) {
      const hcl = readFileSync(file, "utf8");
      writeFileSync(file, escapeTemplateQuotes(preconditionBlocks(restoreRequiredVersion(unquoteDependsOn(hcl)))));
    }
  }
}
