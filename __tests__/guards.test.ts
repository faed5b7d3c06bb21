/** The guards that keep synth fast and typed: the tsc gate and the lint rules can fail. */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Linter } from "eslint";
import { ROOT } from "./fixtures";
import { makeRunTemp, removeAbandonedRuns, RUN_TEMP_BYTES, runTempBase } from "./support/run-temp";

/**
 * A slice of the project for tsc: the project's compiler options on `include` (and what it
 * imports), so a proof costs a second, not a full type-check. Returns the folder and a run of
 * the static checks' tsc in it.
 */
function typeCheckSlice(include: string) {
  const dir = join(mkdtempSync(join(tmpdir(), "plk-types-")), "app");
  mkdirSync(join(dir, "lib"), { recursive: true });
  cpSync(join(ROOT, "scripts"), join(dir, "scripts"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const tsconfig = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8"));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ ...tsconfig, compilerOptions: { ...tsconfig.compilerOptions, types: [] }, include: [include] }),
  );
  const check = () => spawnSync(process.execPath, [join(dir, "scripts", "static-checks.js"), "tsc"], { cwd: dir, encoding: "utf8" });
  return { dir, check };
}

const cidr = () => readFileSync(join(ROOT, "lib", "cidr.ts"), "utf8");

describe("type safety without a synth-time type-check", () => {
  test("a type error fails the static checks that npm test runs first", () => {
    const { dir, check } = typeCheckSlice("lib/cidr.ts");
    writeFileSync(join(dir, "lib", "cidr.ts"), `${cidr()}\nexport const broken: number = "not a number";\n`);
    const run = check();
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("FAIL tsc");
    expect(run.stdout).toMatch(/lib\/cidr\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  });

  test("tsc's incremental cache never hides an error: a file whose import changed type is checked again", () => {
    // Two files: lib/user.ts reads a value lib/cidr.ts exports.
    const { dir, check } = typeCheckSlice("lib/user.ts");
    writeFileSync(join(dir, "lib", "user.ts"), 'import { shared } from "./cidr";\nexport const used: number = shared;\n');
    // GIVEN a passing check, which leaves its build info behind
    writeFileSync(join(dir, "lib", "cidr.ts"), `${cidr()}\nexport const shared: number = 1;\n`);
    expect(check().status).toBe(0);
    expect(existsSync(join(dir, ".build", "tsc.tsbuildinfo"))).toBe(true);
    // WHEN only the imported file changes the value's type
    writeFileSync(join(dir, "lib", "cidr.ts"), `${cidr()}\nexport const shared: string = "1";\n`);
    const run = check();
    // THEN the unchanged file that reads it fails
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/lib\/user\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  });
});

const PROVIDER_ROOT = ["@cdktf", "provider-aws"].join("/");

describe("lint guards", () => {
  // The project's syntactic rules, applied by ESLint's synchronous Linter to code strings
  // (jest cannot run the ESLint class, which loads configs with a dynamic import).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is a CommonJS file
  const config = require(join(ROOT, "eslint.guards.js")) as Linter.Config[];
  const linter = new Linter({ configType: "flat", cwd: ROOT });
  const lint = (code: string, file = "lib/example.ts") => linter.verify(code, config, join(ROOT, file)).map((m) => m.message);

  test("the @cdktf/provider-aws package root is refused; deep imports pass", () => {
    // Fixtures are assembled so that this file itself contains no such import.
    expect(lint(`import { lb } from "${PROVIDER_ROOT}";\nexport const x = lb;\n`)).toEqual([
      expect.stringContaining("Import from '@cdktf/provider-aws/lib/<resource>'"),
    ]);
    expect(lint('import { Lb } from "@cdktf/provider-aws/lib/lb";\nexport const x = Lb;\n')).toEqual([]);
  });

  test("cdktf is imported through lib/cdktf.ts only", () => {
    expect(lint('import { App } from "cdktf";\nexport const x = App;\n')).toEqual([
      expect.stringContaining("Import cdktf through lib/cdktf.ts"),
    ]);
    expect(lint('import { App } from "./cdktf";\nexport const x = App;\n')).toEqual([]);
  });

  test("focused tests are refused", () => {
    expect(lint(`test.${"only"}("x", () => undefined);\n`, "__tests__/example.test.ts")).toEqual([
      expect.stringContaining("Focused tests"),
    ]);
  });

  test("product code may not use `any` or non-null assertions; tests may", () => {
    const code = "export const f = (x: any): string => x.y!.z;\n";
    expect(lint(code, "lib/example.ts")).toEqual([
      expect.stringContaining("Unexpected any"),
      expect.stringContaining("non-null assertion"),
    ]);
    expect(lint(code, "__tests__/example.test.ts")).toEqual([]);
  });

  test("the type-aware rules run in `npm test`: a floating promise fails the real eslint", () => {
    // A slice of the project (its config, a tsconfig with one file) so the check costs seconds.
    const dir = join(mkdtempSync(join(tmpdir(), "plk-lint-")), "app");
    mkdirSync(join(dir, "lib"), { recursive: true });
    for (const f of ["eslint.config.js", "eslint.guards.js"]) cpSync(join(ROOT, f), join(dir, f));
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    const tsconfig = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8"));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ ...tsconfig, compilerOptions: { ...tsconfig.compilerOptions, types: [] }, include: ["lib/*.ts"] }),
    );
    writeFileSync(join(dir, "lib", "ok.ts"), "export async function ok(): Promise<number> {\n  return await Promise.resolve(1);\n}\n");
    const clean = spawnSync(process.execPath, [join(ROOT, "node_modules", ".bin", "eslint"), ".", "--max-warnings", "0"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(clean.stdout + clean.stderr).toBe("");
    expect(clean.status).toBe(0);
    writeFileSync(join(dir, "lib", "bad.ts"), 'import { ok } from "./ok";\nexport function run(): void {\n  ok();\n}\n');
    const run = spawnSync(process.execPath, [join(ROOT, "node_modules", ".bin", "eslint"), ".", "--max-warnings", "0"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("@typescript-eslint/no-floating-promises");
  });
});

describe("CI never skips silently", () => {
  test(".ci/run sets CI=true itself and stops at once, by name, when terraform or python3 is missing", () => {
    // GIVEN a PATH with only the shell tools the script needs before its checks
    const bin = mkdtempSync(join(tmpdir(), "plk-ci-bin-"));
    for (const tool of ["bash", "dirname", "env"])
      symlinkSync(spawnSync("which", [tool], { encoding: "utf8" }).stdout.trim(), join(bin, tool));
    // WHEN .ci/run starts without terraform and python3
    const run = spawnSync(join(bin, "bash"), [join(ROOT, ".ci", "run")], { encoding: "utf8", env: { PATH: bin, CI: "" } });
    // THEN it fails before installing anything, naming both
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("CI needs terraform (1.11.4 or later");
    expect(run.stderr).toContain("CI needs python3 (3.9 or later");
    expect(run.stdout).toBe("");
  });

  test(".ci/run runs the tests with CI=true whatever the runner set", () => {
    // GIVEN stand-ins for the tools, where npm reports the CI it sees
    const bin = mkdtempSync(join(tmpdir(), "plk-ci-bin-"));
    for (const tool of ["bash", "dirname", "env"])
      symlinkSync(spawnSync("which", [tool], { encoding: "utf8" }).stdout.trim(), join(bin, tool));
    for (const tool of ["node", "terraform", "python3"]) writeFileSync(join(bin, tool), "#!/bin/sh\necho stub\n", { mode: 0o755 });
    writeFileSync(join(bin, "npm"), '#!/bin/sh\necho "npm $1 CI=$CI"\n', { mode: 0o755 });
    // WHEN the runner sets no CI, or CI=false
    for (const ci of [undefined, "false"]) {
      const run = spawnSync(join(bin, "bash"), [join(ROOT, ".ci", "run")], {
        encoding: "utf8",
        env: { PATH: bin, ...(ci ? { CI: ci } : {}) },
      });
      // THEN npm ci and npm test both run with CI=true
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("npm ci CI=true\nnpm test CI=true\n");
    }
  });
});

describe("the test run's temp folder (run-temp.ts)", () => {
  test("PLK_TEST_TMPDIR wins; else a writable memory folder with room; else the system's temp folder", () => {
    const memory = mkdtempSync(join(tmpdir(), "plk-memory-"));
    expect(runTempBase({ PLK_TEST_TMPDIR: "/somewhere/else" }, memory)).toBe("/somewhere/else");
    // The folder's file system has room for a run (the test's temp folder has a few GB free)
    expect(runTempBase({}, memory)).toBe(memory);
    // Not a folder, or not there
    const file = join(memory, "file");
    writeFileSync(file, "");
    expect(runTempBase({}, file)).toBe(tmpdir());
    expect(runTempBase({}, join(memory, "missing"))).toBe(tmpdir());
  });

  test("a run stopped before its teardown leaves a folder the next run removes; a live run's folder stays", () => {
    // GIVEN run folders of a process that has ended, of this process, of init (pid 1, alive),
    // and folders that are not run folders
    const base = mkdtempSync(join(tmpdir(), "plk-runs-"));
    const ended = spawnSync("true").pid;
    const names = [
      `privatelink-tests-${ended}-aBc123`,
      `privatelink-mutation-${ended}-mUt123`,
      `privatelink-tests-${process.pid}-dEf456`,
      "privatelink-tests-1-gHi789",
      "privatelink-tests-XyZ012",
      "privatelink-mutation-XyZ012",
      `other-${ended}-x`,
    ];
    for (const name of names) mkdirSync(join(base, name, "synth-cache"), { recursive: true });
    writeFileSync(join(base, names[0], "synth-cache", "stacks.json"), "{}");
    // WHEN a new run makes its folder there
    const env: NodeJS.ProcessEnv = { PLK_TEST_TMPDIR: base };
    const temp = makeRunTemp(env);
    // THEN only the ended runs' folders (a jest run's, a mutation run's) are gone, and the new one is named after its owner
    expect(existsSync(join(base, names[0]))).toBe(false);
    expect(existsSync(join(base, names[1]))).toBe(false);
    for (const name of names.slice(2)) expect(existsSync(join(base, name))).toBe(true);
    expect(temp).toMatch(new RegExp(`^${base}/privatelink-tests-${process.pid}-[^/]+$`));
    expect(env.TMPDIR).toBe(temp);
    expect(env.PLK_TEST_SYNTH_CACHE).toBe(join(temp, "synth-cache"));
    // AND a base that cannot be read removes nothing
    expect(removeAbandonedRuns(join(base, "missing"))).toEqual([]);
  });

  test.each(["jest.config.js", "jest.quick.config.js"])(
    "%s: the run's temp folder is made at its start and removed at its end",
    (config) => {
      // GIVEN the config's global setup and teardown, run as jest runs them (one process; no
      // provider mirror, so no shared provider is started)
      const base = mkdtempSync(join(tmpdir(), "plk-runs-"));
      const script = `
      const { readdirSync, writeFileSync } = require("node:fs");
      const config = require(process.argv[1]);
      const load = (file) => require(file.replace("<rootDir>", process.cwd())).default;
      (async () => {
        await load(config.globalSetup)();
        const temp = process.env.TMPDIR;
        writeFileSync(temp + "/scratch", "");
        await load(config.globalTeardown)();
        console.log(JSON.stringify({ temp, left: readdirSync(process.env.PLK_TEST_TMPDIR) }));
      })().catch((e) => { console.error(e.message); process.exit(1); });`;
      const run = spawnSync(process.execPath, ["--import", "tsx", "-e", script, join(ROOT, config)], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, PLK_TEST_TMPDIR: base, TF_PROVIDER_MIRROR: join(base, "no-mirror") },
      });
      expect(run.stderr).toBe("");
      // THEN the tests' scratch went in a folder of the run, and nothing is left
      const { temp, left } = JSON.parse(run.stdout);
      expect(temp.startsWith(`${base}/privatelink-tests-`)).toBe(true);
      expect(left).toEqual([]);
    },
  );

  test("a memory folder without room for a run (a container's 64 MB /dev/shm) is not used", () => {
    // GIVEN a tmpfs smaller than a run needs, in a private mount namespace
    const run = spawnSync(
      "unshare",
      [
        "-m",
        "bash",
        "-euc",
        `M=$(mktemp -d); mount -t tmpfs -o size=64m tmpfs "$M"; cd "${ROOT}"; node --import tsx -e 'console.log(require("./__tests__/support/run-temp.ts").runTempBase({}, process.argv[1]))' "$M"`,
      ],
      { encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    // THEN the run stays in the system's temp folder
    expect(RUN_TEMP_BYTES).toBeGreaterThan(64 * 1024 ** 2);
    expect(run.stdout).toBe(`${tmpdir()}\n`);
  });
});
