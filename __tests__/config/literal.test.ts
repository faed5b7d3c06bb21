/**
 * A config file is data: no string from it becomes live Terraform. For every string field
 * of the schema (found by walking the schema, so a new field cannot be forgotten), a value
 * with template syntax is either refused, or reaches the Terraform JSON escaped, which
 * Terraform itself then reads literally (the real provider plans it unchanged).
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "../../lib/cdktf";
import { ConfigError, formatPath, parseConfig } from "../../config/load";
import { resolveConfig } from "../../config/resolve";
import { configSchema } from "../../config/schema";
import { repairHclOutput } from "../../lib/hcl-fixes";
import { terraformLiteral } from "../../lib/terraform-literal";
import { createStacks } from "../../main";
import { lambdaPackages } from "../helpers";
import { baseConfigs } from "../support/config-bases";
import { aggregateRoot } from "../support/mock-plan";
import { realPlan } from "../support/real-plan";
import { describeSteps, Leaf, placeAt, RECORD_KEY, schemaLeaves, Step } from "../support/schema-walk";
import { describeWithTerraform, newRunner } from "../support/terraform-suite";

/** The probes for leaf `i`: an interpolation or a directive around a unique word. */
const PROBES = [(word: string) => `x\${${word}}y`, (word: string) => `x%{${word}}y`];

/** A probe that is the whole value, which can share its field with another. */
const BARE_PROBE = /^x[$%]\{[a-z]+\d+\}y$/;

/** Occurrences of `${word}` or `%{word}` not escaped as `$${word}` / `%%{word}`. */
export function unescaped(text: string, word: string): number {
  return [...text.matchAll(new RegExp(`(.)?([$%])\\{${word}\\}`, "g"))].filter((m) => m[1] !== m[2]).length;
}

/** Synthesizes `config` (JSON, or HCL with `hcl`); returns stack name → folder. */
async function synth(raw: unknown, hcl = false): Promise<Record<string, string>> {
  const outdir = mkdtempSync(join(tmpdir(), "plk-literal-"));
  const config = parseConfig(raw, "probe");
  const model = resolveConfig(config);
  const pkg = await lambdaPackages(model);
  // cdktf's stacks read SYNTH_HCL_OUTPUT themselves (the App's hclOutput only names the file).
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(hcl);
  try {
    const app = new App({ outdir, hclOutput: hcl });
    createStacks(app, model, pkg);
    app.synth();
    if (hcl) repairHclOutput(outdir);
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
  return Object.fromEntries(readdirSync(join(outdir, "stacks")).map((s) => [s, join(outdir, "stacks", s)]));
}
const stackText = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f === "cdk.tf.json" || f === "cdk.tf")
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");

type Verdict = {
  leaf: string;
  outcome: "refused" | "literal" | "not written";
  stack?: string;
  raw?: unknown;
  /** Which base config took the probe, and the leaf it went to. */
  base?: number;
  path?: readonly Step[];
  word: string;
  value: string;
  /** Whether it lands in a resource (planned), not only in provider, backend or remote-state settings (validated). */
  inResources?: boolean;
};

const strings = schemaLeaves(configSchema).filter((l: Leaf) => l.kind === "string");

/**
 * Tries the probe in every string field: refused (the message names the field), or
 * synthesized and checked to be escaped wherever it lands. Computed once per file.
 */
let classified: Promise<{ verdicts: Verdict[]; uncovered: string[] }> | undefined;
function classify() {
  classified ??= (async () => {
    const bases = baseConfigs();
    const uncovered: string[] = [];
    const verdicts: Verdict[] = [];
    for (const [i, [leaf, makeProbe]] of strings.flatMap((l) => PROBES.map((p) => [l, p] as const)).entries()) {
      const word = `probe${i}`;
      const value = makeProbe(word);
      let placed: { raw: Record<string, any>; path: (string | number)[]; base: number } | undefined;
      for (const [b, base] of bases.entries()) {
        const raw = JSON.parse(JSON.stringify(base));
        const path = placeAt(raw, leaf.path, value);
        if (path) {
          placed = { raw, path, base: b };
          break;
        }
      }
      const name = `${describeSteps(leaf.path)} ${value.slice(1, 3)}`;
      if (!placed) {
        uncovered.push(name);
        continue;
      }
      // A field with a pattern may still take the probe inside a value of its own form (an
      // IAM path in a role ARN): tried in the base's own value, as a path segment and at the end.
      const own = readAt(bases[placed.base], placed.path);
      const inOwn = typeof own === "string" ? [own.replace(/\/(?=[^/]*$)/, `/${value}/`), `${own}${value}`] : [];
      const variants = [value, ...inOwn.filter((v) => v.includes(value))];
      let accepted: string | undefined;
      for (const variant of [...new Set(variants)]) {
        placeAt(placed.raw, leaf.path, variant);
        try {
          parseConfig(placed.raw, "probe");
          accepted = variant;
          break;
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          expect({ name, variant, names: (err as Error).message.includes(formatPath(placed.path)) }).toEqual({
            name,
            variant,
            names: true,
          });
        }
      }
      if (accepted === undefined) {
        verdicts.push({ leaf: name, outcome: "refused", word, value });
        continue;
      }
      const stacks = await synth(placed.raw);
      const holding = Object.entries(stacks).filter(([, dir]) => stackText(dir).includes(word));
      for (const [stack, dir] of holding) {
        expect({ name, stack, unescaped: unescaped(stackText(dir), word) }).toEqual({ name, stack, unescaped: 0 });
      }
      const inResources = holding.some(([, dir]) => {
        const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
        return JSON.stringify(json.resource ?? {}).includes(word);
      });
      verdicts.push({
        leaf: name,
        inResources,
        outcome: holding.length ? "literal" : "not written",
        stack: holding[0]?.[0],
        raw: placed.raw,
        base: placed.base,
        path: leaf.path,
        word,
        value: accepted,
      });
    }
    return { verdicts, uncovered };
  })();
  return classified;
}

describe("every string field of the config", () => {
  test("the schema walk finds the free-text fields (and cannot miss a kind of field)", () => {
    const names = strings.map((l) => describeSteps(l.path));
    expect(names).toEqual(
      expect.arrayContaining(["tags{key}", "tags{value}", "lambda.egress[0].description", "provider.profile", "backend.cloud.project"]),
    );
    expect(strings.length).toBeGreaterThan(40);
  });

  test("is refused with template syntax, or reaches the Terraform JSON escaped", async () => {
    const { verdicts, uncovered } = await classify();
    expect(uncovered).toEqual([]);
    expect(verdicts).toHaveLength(strings.length * PROBES.length);
    // Most fields have patterns that exclude template syntax; free text is escaped (AWS
    // allows `$`, `{` and `}` in a rule description, not `%`; environment values and header
    // values take both), and so are ARNs whose paths take them (an IAM role's path, a
    // resource of a function's own statements).
    expect(verdicts.filter((v) => v.outcome === "literal").map((v) => v.leaf)).toEqual([
      "backend.s3.assumeRole.roleArn ${",
      "backend.s3.assumeRole.roleArn %{",
      "provider.assumeRole.roleArn ${",
      "provider.assumeRole.roleArn %{",
      "consumers[0].assumeRole.roleArn ${",
      "consumers[0].assumeRole.roleArn %{",
      "lambda.egress[0].description ${",
      "functions[0].egress[0].description ${",
      "functions[0].environment{value} ${",
      "functions[0].environment{value} %{",
      "functions[0].iamStatements[0].resources[0] ${",
      "functions[0].iamStatements[0].resources[0] %{",
      "functions[0].routes[0].headers{value}[0] ${",
      "functions[0].routes[0].headers{value}[0] %{",
    ]);
    expect(verdicts.filter((v) => v.outcome === "not written")).toEqual([]);
  });

  test("the check above catches an unescaped value", () => {
    expect(unescaped('{"description": "x${probe1}%{probe1}y"}', "probe1")).toBe(2);
    expect(unescaped('{"description": "x$${probe1}%%{probe1}y"}', "probe1")).toBe(0);
    expect(unescaped('{"a": "$$${probe1}"}', "probe1")).toBe(0);
  });

  test("the escape: `${` and `%{` become `$${` and `%%{`, nothing else changes", () => {
    expect(terraformLiteral("a ${b} %{c} $d %e {f} $${g}")).toBe("a $${b} %%{c} $d %e {f} $$${g}");
  });
});

/**
 * The accepted probes, put together: one config per base config, every probe in it at once
 * (two probes of one field joined by a space; a renamed record key gets a config of its own).
 * Each config then costs one plan per output format instead of one per probe.
 */
export function combineProbes(
  verdicts: readonly Verdict[],
  bases: readonly unknown[],
): { raw: Record<string, any>; verdicts: Verdict[] }[] {
  const groups: { base: number; raw: Record<string, any>; verdicts: Verdict[]; paths: Set<string>; ownKey?: boolean }[] = [];
  for (const v of verdicts) {
    if (v.base === undefined || !v.path) throw new Error(`${v.leaf}: no placement recorded`);
    const renamesKey = v.path.includes(RECORD_KEY);
    const where = describeSteps(v.path);
    // A probe inside a value of its field's own form (an ARN) cannot be joined to another.
    const joinable = BARE_PROBE.test(v.value);
    let group = renamesKey ? undefined : groups.find((g) => g.base === v.base && !g.ownKey && (joinable || !g.paths.has(where)));
    if (!group) {
      group = { base: v.base, raw: JSON.parse(JSON.stringify(bases[v.base])), verdicts: [], paths: new Set(), ownKey: renamesKey };
      groups.push(group);
    }
    const joined = group.paths.has(where) ? `${String(readAt(group.raw, v.path))} ${v.value}` : v.value;
    if (!placeAt(group.raw, v.path, joined)) throw new Error(`${v.leaf}: the base config has lost the field`);
    group.paths.add(where);
    group.verdicts.push(v);
  }
  return groups.map(({ raw, verdicts: vs }) => ({ raw, verdicts: vs }));
}

/** The value at a leaf path, following placeAt's rule for records (their first entry). */
function readAt(raw: unknown, path: readonly Step[]): unknown {
  let node = raw as Record<string | number, unknown> | undefined;
  for (const step of path) {
    const key = typeof step === "symbol" ? Object.keys(node ?? {})[0] : step;
    node = node?.[key] as Record<string | number, unknown> | undefined;
  }
  return node;
}

describe("the probes put together for Terraform", () => {
  const fields = (raw: unknown) => JSON.stringify(raw);
  test("keep every probe, join two of one field, and give a renamed key a config of its own", () => {
    const base = { a: "plain", tags: { Project: "x" }, list: [{ d: "y" }] };
    const v = (path: Step[], value: string, b = 0): Verdict => ({
      leaf: describeSteps(path),
      outcome: "literal",
      base: b,
      path,
      word: "w",
      value,
    });
    const groups = combineProbes(
      [v(["a"], "x${p1}y"), v(["a"], "x%{p2}y"), v(["list", 0, "d"], "x${p3}y"), v(["tags", RECORD_KEY], "k${p4}"), v(["a"], "z", 1)],
      [base, { a: "other" }],
    );
    expect(groups.map((g) => fields(g.raw))).toEqual([
      fields({ a: "x${p1}y x%{p2}y", tags: { Project: "x" }, list: [{ d: "x${p3}y" }] }),
      fields({ a: "plain", tags: { "k${p4}": "x" }, list: [{ d: "y" }] }),
      fields({ a: "z" }),
    ]);
    expect(groups.map((g) => g.verdicts.length)).toEqual([3, 1, 1]);
    // The bases themselves are untouched.
    expect(base.a).toBe("plain");
  });
});

describeWithTerraform("Terraform reads escaped config text literally", () => {
  test("a value in provider, backend or remote-state settings (a role's ARN): JSON and HCL output validate, nothing read as a template", async () => {
    const runner = await newRunner(true);
    const configured = (await classify()).verdicts.filter((v) => v.outcome === "literal" && !v.inResources);
    expect(configured.map((v) => v.leaf)).toEqual(
      expect.arrayContaining(["provider.assumeRole.roleArn ${", "backend.s3.assumeRole.roleArn %{"]),
    );
    // Each probe config's stacks that hold its probe, as JSON and as HCL, modules of one root.
    const folders = (
      await Promise.all(
        configured.flatMap((v, i) =>
          [false, true].map(async (hcl) =>
            Object.entries(await synth(v.raw, hcl))
              .filter(([, dir]) => stackText(dir).includes(v.word))
              .map(([stack, dir]) => ({ module: `c${i}_${hcl ? "hcl" : "json"}_${stack.replace(/-/g, "_")}`, dir })),
          ),
        ),
      )
    ).flat();
    const root = aggregateRoot(folders, false);
    await runner.init(root);
    const result = await runner.validate(root);
    expect(result.stdout).toContain("Success! The configuration is valid");
  });

  test("the real provider plans each value exactly as typed, from the JSON and the HCL output", async () => {
    // Several provider configurations (the HCL modules have their own): the shared provider
    // gives each its own process.
    const runner = await newRunner(true);
    const literal = (await classify()).verdicts.filter((v) => v.outcome === "literal" && v.inResources);
    expect(literal.length).toBeGreaterThan(0);
    const groups = combineProbes(literal, baseConfigs());
    expect(groups.length).toBeLessThan(literal.length);
    // Every probe config's provider stack, as JSON and as HCL, a module each of one root: one
    // plan (each Terraform process spends seconds on the provider's schema and configuration).
    const cases = groups.flatMap((g, i) => [false, true].map((hcl) => ({ g, hcl, module: `probes${i}_${hcl ? "hcl" : "json"}` })));
    const folders = await Promise.all(cases.map(async ({ g, hcl, module }) => ({ module, dir: (await synth(g.raw, hcl)).provider })));
    const plan = await realPlan(runner, folders);
    for (const { g, hcl, module } of cases) {
      const planned = JSON.stringify((plan.resource_changes ?? []).filter((c) => c.address.startsWith(`module.${module}.`)));
      // The module was planned: its function is in the plan.
      expect({ module, function: planned.includes('"type":"aws_lambda_function"') }).toEqual({ module, function: true });
      for (const v of g.verdicts) {
        expect(v.stack).toBe("provider");
        // The value exactly as typed is what AWS would get.
        expect({ leaf: v.leaf, hcl, planned: planned.includes(JSON.stringify(v.value).slice(1, -1)) }).toEqual({
          leaf: v.leaf,
          hcl,
          planned: true,
        });
        expect(planned).not.toContain(`$\${${v.word}}`);
      }
    }
  });
});
