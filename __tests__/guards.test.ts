/** The guards that keep synth fast and typed: the tsc gate and the lint rules can fail. */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Linter } from "eslint";
import { ROOT } from "./helpers";

describe("type safety without a synth-time type-check", () => {
  test("a type error fails the static checks that npm test runs first", () => {
    // The project's compiler options on a small slice of it (lib/cidr.ts and what it imports),
    // so the proof costs a second, not a full type-check.
    const dir = join(mkdtempSync(join(tmpdir(), "plk-typeerror-")), "app");
    mkdirSync(join(dir, "lib"), { recursive: true });
    cpSync(join(ROOT, "scripts"), join(dir, "scripts"), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    const tsconfig = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8"));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ ...tsconfig, compilerOptions: { ...tsconfig.compilerOptions, types: [] }, include: ["lib/cidr.ts"] }),
    );
    writeFileSync(
      join(dir, "lib", "cidr.ts"),
      `${readFileSync(join(ROOT, "lib", "cidr.ts"), "utf8")}\nexport const broken: number = "not a number";\n`,
    );
    const run = spawnSync(process.execPath, [join(dir, "scripts", "static-checks.js"), "tsc"], { cwd: dir, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("FAIL tsc");
    expect(run.stdout).toMatch(/lib\/cidr\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  });
});

const PROVIDER_ROOT = ["@cdktf", "provider-aws"].join("/");

describe("lint guards", () => {
  // The project's own flat config, applied by ESLint's synchronous Linter (jest cannot run
  // the ESLint class, which loads configs with a dynamic import).
  const config = require(join(ROOT, "eslint.config.js"));
  const linter = new Linter({ configType: "flat", cwd: ROOT });
  const lint = async (code: string, file = "lib/example.ts") => linter.verify(code, config, join(ROOT, file)).map((m) => m.message);

  test("the @cdktf/provider-aws package root is refused; deep imports pass", async () => {
    // Fixtures are assembled so that this file itself contains no such import.
    expect(await lint(`import { lb } from "${PROVIDER_ROOT}";\nexport const x = lb;\n`)).toEqual([
      expect.stringContaining("Import from '@cdktf/provider-aws/lib/<resource>'"),
    ]);
    expect(await lint('import { Lb } from "@cdktf/provider-aws/lib/lb";\nexport const x = Lb;\n')).toEqual([]);
  });

  test("cdktf is imported through lib/cdktf.ts only", async () => {
    expect(await lint('import { App } from "cdktf";\nexport const x = App;\n')).toEqual([
      expect.stringContaining("Import cdktf through lib/cdktf.ts"),
    ]);
    expect(await lint('import { App } from "./cdktf";\nexport const x = App;\n')).toEqual([]);
  });

  test("focused tests are refused", async () => {
    expect(await lint(`test.${"only"}("x", () => undefined);\n`, "__tests__/example.test.ts")).toEqual([
      expect.stringContaining("Focused tests"),
    ]);
  });
});
