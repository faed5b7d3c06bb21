/**
 * Every config setting reaches the output: for each leaf of the schema (found by walking the
 * schema, so a new field cannot be forgotten), a valid change of that one setting changes
 * the synthesized stacks, and a new string or number shows up in them.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { configSchema } from "../../config/schema";
import { terraformLiteral } from "../../lib/terraform-literal";
import { stacksFolder } from "../helpers";
import { baseConfigs } from "../support/config-bases";
import { ACCEPTANCE_ONLY, baseFor, change, parses, Raw } from "../support/config-changes";
import { describeSteps, schemaLeaves } from "../support/schema-walk";

/** Every stack's Terraform JSON text, by stack name (synthesized once per run: see stacksFolder). */
async function output(raw: Raw): Promise<Record<string, string>> {
  const { dir } = await stacksFolder(raw, "change");
  return Object.fromEntries(readdirSync(dir).map((s) => [s, readFileSync(join(dir, s, "cdk.tf.json"), "utf8")]));
}

const leaves = schemaLeaves(configSchema);

describe("every config setting reaches the output", () => {
  const bases = baseConfigs();
  const baseOutputs = new Map<number, Promise<Record<string, string>>>();

  test("the check catches a setting that does not reach the output", async () => {
    // GIVEN a "change" that leaves the config as it was; WHEN both are synthesized
    const [before, after] = await Promise.all([output(bases[0]), output(JSON.parse(JSON.stringify(bases[0])))]);
    // THEN the outputs are equal, which the test above reports as a failure
    expect(JSON.stringify(before) === JSON.stringify(after)).toBe(true);
  });

  test("the walk covers every kind of leaf", () => {
    expect(new Set(leaves.map((l) => l.kind))).toEqual(new Set(["string", "number", "boolean", "enum"]));
    expect(leaves.length).toBeGreaterThan(70);
  });

  test.each(Object.entries(ACCEPTANCE_ONLY))("%s changes which configs are accepted", (_name, { refused, withSetting }) => {
    const raw = refused();
    expect(parses(raw)).toBe(false);
    withSetting(raw);
    expect(parses(raw)).toBe(true);
  });

  test.each(leaves.filter((l) => !(describeSteps(l.path) in ACCEPTANCE_ONLY)).map((l) => [describeSteps(l.path), l] as const))(
    "%s",
    async (name, leaf) => {
      // GIVEN the first base config that sets this setting (or, failing that, can hold it)
      const index = baseFor(leaf, bases);
      expect({ name, covered: index >= 0 }).toEqual({ name, covered: true });
      const raw = JSON.parse(JSON.stringify(bases[index]));
      // WHEN only that setting changes (to a valid value)
      const changed = change(leaf, raw);
      if (typeof changed === "string") throw new Error(changed);
      expect({ name, valid: parses(raw) }).toEqual({ name, valid: true });
      if (!baseOutputs.has(index)) baseOutputs.set(index, output(bases[index]));
      const [before, after] = await Promise.all([baseOutputs.get(index)!, output(raw)]);
      // THEN the synthesized stacks follow
      expect({ name, same: JSON.stringify(before) === JSON.stringify(after) }).toEqual({ name, same: false });
      if (typeof changed.value === "string" || typeof changed.value === "number") {
        const shown = typeof changed.value === "string" ? terraformLiteral(changed.value) : String(changed.value);
        const text = Object.keys(after).join("\n") + Object.values(after).join("\n");
        expect({ name, shows: text.includes(shown) }).toEqual({ name, shows: true });
      }
    },
  );
});
