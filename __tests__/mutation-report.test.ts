/**
 * The mutation testing script's own checks (`npm run test:mutation`): how it finds a report
 * that no longer matches the sources and tests, and how it scores a folder. The committed
 * report is the base of the next incremental run. Mutation testing itself does not run in
 * `npm test`.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  changedTests,
  currentPart,
  folderScores,
  mergeReports,
  MutationReport,
  pendingLine,
  readReport,
  scoreTable,
  staleEntries,
} from "../scripts/mutation";
import { ROOT } from "./fixtures";

const report = readReport();

describe("the mutation testing report", () => {
  const scored = currentPart(report);

  test("the README names exactly the sources the report does not score as they are", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(`<!-- mutation-scores -->\n${scoreTable(folderScores(scored))}\n\n${pendingLine(staleEntries(report))}\n`);
  });

  test.each(folderScores(scored).map((s) => [s.folder, s] as const))("%s meets its threshold", (_folder, score) => {
    expect(score.score).toBeGreaterThanOrEqual(score.threshold);
  });

  test("proof: a changed source leaves the scores and is named as pending", () => {
    const copy = mkdtempSync(join(tmpdir(), "plk-mut-part-"));
    for (const dir of ["lib", "config", "stacks"]) cpSync(join(ROOT, dir), join(copy, dir), { recursive: true });
    const file = Object.keys(scored.files).find((f) => f.startsWith("lib/policy/"))!;
    writeFileSync(join(copy, file), `${readFileSync(join(copy, file), "utf8")}\n// changed\n`);
    expect(Object.keys(currentPart(report, copy).files)).not.toContain(file);
    expect(Object.keys(currentPart(report, copy).files)).toHaveLength(Object.keys(scored.files).length - 1);
    const line = pendingLine(staleEntries(report, copy));
    expect(line).toContain(`\`${file}\``);
    expect(pendingLine([])).toBe("Every mutated source is scored as it is.");
    expect(line).not.toBe(pendingLine(staleEntries(report)));
  });

  test("proof: a folder under its threshold fails, and a table of other scores is not the README's", () => {
    // GIVEN the report with one folder's detected mutants turned into survivors
    const files = Object.fromEntries(
      Object.entries(report.files).map(([f, e]) => [
        f,
        f.startsWith("stacks/") ? { ...e, mutants: e.mutants.map((m) => ({ status: m.status === "Killed" ? "Survived" : m.status })) } : e,
      ]),
    );
    const weakened = folderScores({ ...report, files });
    // THEN its score is under the threshold, and its table differs from the README's
    const stacks = weakened.find((s) => s.folder === "stacks/")!;
    expect(stacks.score).toBeLessThan(stacks.threshold);
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).not.toContain(scoreTable(weakened));
  });

  test("the staleness check catches a changed source, a removed one and a new one; the test check a changed test", () => {
    // GIVEN a copy of the project's sources, with one source, one file without mutants and one test changed, a file added and one removed
    const copy = mkdtempSync(join(tmpdir(), "plk-mut-"));
    for (const dir of ["lib", "config", "stacks", "__tests__"]) cpSync(join(ROOT, dir), join(copy, dir), { recursive: true });
    writeFileSync(join(copy, "lib", "cidr.ts"), `${readFileSync(join(copy, "lib", "cidr.ts"), "utf8")}\n// changed\n`);
    const aTest = Object.keys(report.testFiles ?? {})[0];
    writeFileSync(join(copy, aTest), `${readFileSync(join(copy, aTest), "utf8")}\n// changed\n`);
    writeFileSync(join(copy, "lib", "new-module.ts"), "export const x = 1;\n");
    rmSync(join(copy, "lib", "naming.ts"));
    // (a file with no mutants, such as a module of types, is known to the report too)
    const empty = Object.keys(report.emptyFiles ?? {})[0];
    writeFileSync(join(copy, empty), `${readFileSync(join(copy, empty), "utf8")}\n// changed\n`);
    // WHEN checked; THEN each is reported
    expect(staleEntries(report, copy)).toEqual(
      expect.arrayContaining([
        "lib/cidr.ts: changed since the report",
        "lib/naming.ts: in the report, no longer in the project",
        "lib/new-module.ts: not in the report",
        `${empty}: changed since the report`,
      ]),
    );
    expect(changedTests(report, copy)).toContain(`${aTest}: changed since the report`);
  });

  test("scores count killed and timed-out mutants as detected, survivors and uncovered ones as not", () => {
    const scores = folderScores({
      files: {
        "lib/policy/a.ts": {
          source: "",
          mutants: [{ status: "Killed" }, { status: "Timeout" }, { status: "Survived" }, { status: "CompileError" }],
        },
        "config/b.ts": { source: "", mutants: [{ status: "NoCoverage" }, { status: "Killed" }, { status: "Ignored" }] },
      },
    });
    expect(scores.find((s) => s.folder === "lib/policy/")).toMatchObject({
      killed: 2,
      timedOut: 1,
      survived: 1,
      noCoverage: 0,
      score: 66.6,
    });
    expect(scores.find((s) => s.folder === "config/")).toMatchObject({ killed: 1, survived: 0, noCoverage: 1, score: 50 });
    expect(scores.find((s) => s.folder === "stacks/")).toMatchObject({ score: 100 });
  });
});

describe("a run over some sources only", () => {
  const entry = (source: string, status: string) => ({ source, mutants: [{ status }] });
  const previous: MutationReport = {
    files: { "lib/a.ts": entry("a v1", "Survived"), "lib/b.ts": entry("b v1", "Killed") },
    testFiles: { "__tests__/a.test.ts": { source: "old" } },
    emptyFiles: { "lib/types.ts": "types v1", "lib/c.ts": "c v1" },
  };

  test("its results replace those of its sources; every other source keeps its own", () => {
    // GIVEN a run over lib/a.ts and lib/c.ts, which found mutants in lib/a.ts only
    // (Stryker reports lib/b.ts too, with its text now but only the mutants it carried over.)
    const fresh = {
      files: { "lib/a.ts": entry("a v2", "Killed"), "lib/b.ts": entry("b v2", "Killed") },
      testFiles: { "__tests__/a.test.ts": { source: "new" } },
    };
    const sources = ["lib/a.ts", "lib/b.ts", "lib/c.ts", "lib/types.ts"];
    // WHEN merged into the committed report
    const merged = mergeReports(fresh, previous, ["lib/a.ts", "lib/c.ts"], sources, (f) => `${f} now`);
    // THEN a is the new result, b and types as they were, c empty with its text now
    expect(merged.files).toEqual({ "lib/a.ts": entry("a v2", "Killed"), "lib/b.ts": entry("b v1", "Killed") });
    expect(merged.emptyFiles).toEqual({ "lib/types.ts": "types v1", "lib/c.ts": "lib/c.ts now" });
    expect(merged.testFiles).toEqual({ "__tests__/a.test.ts": { source: "new" } });
  });

  test("a whole run replaces the report", () => {
    const fresh = { files: { "lib/a.ts": entry("a v2", "Killed") } };
    const merged = mergeReports(fresh, previous, undefined, ["lib/a.ts", "lib/types.ts"], (f) => `${f} now`);
    expect(merged.files).toEqual({ "lib/a.ts": entry("a v2", "Killed") });
    expect(merged.emptyFiles).toEqual({ "lib/types.ts": "lib/types.ts now" });
  });
});
