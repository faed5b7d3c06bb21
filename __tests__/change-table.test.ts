/**
 * The README's change table covers every config field, each with one of the classes the
 * README explains. Whether each row is true is planned in terraform-day2.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configSchema } from "../config/schema";
import { ROOT } from "./fixtures";
import { CLASSES, fieldOf, readmeTable } from "./support/change-table";
import { schemaLeaves } from "./support/schema-walk";

const leaves = schemaLeaves(configSchema);

describe("the README's change table", () => {
  const table = readmeTable();

  test("every config field has exactly one row, and every row is a field", () => {
    const fields = [...new Set(leaves.map(fieldOf))].sort();
    expect([...table.keys()].sort()).toEqual(fields);
  });

  test("every row says one of the classes the table explains", () => {
    const unknown = [...table.entries()].filter(([, cls]) => !(CLASSES as readonly string[]).includes(cls));
    expect(unknown).toEqual([]);
  });

  test("proof: a field left out, a made-up row, and an unknown class are all caught", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8")
      .replace(/^\| `lambda\.memoryMb` \|.*\n/m, "")
      .replace(/^\| `tags` \| in place \|/m, "| `tags` | mostly fine |")
      .replace("<!-- /change-table -->", "| `lambda.nonsense` | in place | |\n<!-- /change-table -->");
    const broken = readmeTable(readme);
    expect(broken.has("lambda.memoryMb")).toBe(false);
    expect(broken.get("tags")).toBe("mostly fine");
    expect(broken.has("lambda.nonsense")).toBe(true);
  });
});
