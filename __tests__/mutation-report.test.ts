/**
 * The mutation testing script's own checks (`npm run test:mutation`): how it finds a report
 * that no longer matches the sources and tests, and how it scores a folder. The committed
 * report is the base of the next incremental run. Mutation testing itself does not run in
 * `npm test`.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { folderScores, readReport, staleEntries } from "../scripts/mutation";
import { ROOT } from "./helpers";

const report = readReport();

describe("the mutation testing report", () => {
  test("the staleness check catches a changed source, a changed test, and a new file", () => {
    // GIVEN a copy of the project's sources, with one source and one test changed and a file added
    const copy = mkdtempSync(join(tmpdir(), "plk-mut-"));
    for (const dir of ["lib", "config", "stacks", "__tests__"]) cpSync(join(ROOT, dir), join(copy, dir), { recursive: true });
    writeFileSync(join(copy, "lib", "cidr.ts"), `${readFileSync(join(copy, "lib", "cidr.ts"), "utf8")}\n// changed\n`);
    const aTest = Object.keys(report.testFiles ?? {})[0];
    writeFileSync(join(copy, aTest), `${readFileSync(join(copy, aTest), "utf8")}\n// changed\n`);
    writeFileSync(join(copy, "lib", "new-module.ts"), "export const x = 1;\n");
    // WHEN checked; THEN each is reported
    expect(staleEntries(report, copy)).toEqual(
      expect.arrayContaining([
        "lib/cidr.ts: changed since the report",
        `${aTest}: a test changed since the report`,
        "lib/new-module.ts: not in the report",
      ]),
    );
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
