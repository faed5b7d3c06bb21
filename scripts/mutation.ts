/**
 * `npm run test:mutation`: mutation testing with Stryker (jest runner, TypeScript checker)
 * over lib/, config/ and stacks/, then the scores per folder.
 *
 *   npm run test:mutation            # incremental: only mutants whose code or tests changed
 *   npm run test:mutation -- --full  # every mutant again (about 85 minutes on 2 cores)
 *   npm run test:mutation -- --scores  # the README's table from the committed report, written there
 *   npm run test:mutation -- --files lib/policy/rules/a.ts,lib/b.ts
 *                                      # only these sources, merged into the committed report
 *
 * The incremental report is committed (gzipped, reports/stryker-incremental.json.gz), so a
 * run reuses every result whose code and covering tests did not change; each run updates it
 * and the README's scores, and fails when a folder is under its threshold.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gunzipSync, gzipSync } from "node:zlib";
import { join } from "node:path";
import { removeAbandonedRuns } from "../__tests__/support/run-temp";

const ROOT = join(__dirname, "..");
/** The incremental report Stryker reads and writes (not committed: it is large). */
const INCREMENTAL = join(ROOT, "reports", "stryker-incremental.json");
/** The committed, gzipped copy of it (gzip output here has no timestamp, so it is stable). */
export const REPORT = `${INCREMENTAL}.gz`;

/** The committed report. */
export function readReport(file = REPORT): MutationReport {
  return JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as MutationReport;
}

/** Folders scored separately, most specific first, with the score each must reach. */
export const FOLDERS: readonly { readonly folder: string; readonly threshold: number }[] = [
  { folder: "lib/policy/", threshold: 80 },
  { folder: "lib/constructs/", threshold: 70 },
  { folder: "lib/", threshold: 70 },
  { folder: "config/", threshold: 80 },
  { folder: "stacks/", threshold: 70 },
];

interface Mutant {
  readonly status: string;
}
/** The parts of Stryker's report this script reads. */
export interface MutationReport {
  readonly files: Readonly<Record<string, { readonly source: string; readonly mutants: readonly Mutant[] }>>;
  readonly testFiles?: Readonly<Record<string, { readonly source: string }>>;
  /** Mutated files with no mutants (types, constants): Stryker leaves them out of `files`. */
  readonly emptyFiles?: Readonly<Record<string, string>>;
}

/** Counts and score of one folder. Compile errors and ignored (static) mutants do not count. */
export interface FolderScore {
  readonly folder: string;
  readonly threshold: number;
  /** Detected: killed, or timed out (counted as detected, as Stryker does). */
  readonly killed: number;
  /** Of `killed`, how many timed out rather than failing a test. */
  readonly timedOut: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly score: number;
}

/** The score of each folder: detected (killed or timed out) over detected plus undetected. */
export function folderScores(report: MutationReport): FolderScore[] {
  const owner = (file: string) => FOLDERS.find((f) => file.startsWith(f.folder));
  return FOLDERS.map(({ folder, threshold }) => {
    const mutants = Object.entries(report.files)
      .filter(([file]) => owner(file)?.folder === folder)
      .flatMap(([, f]) => f.mutants);
    const count = (...statuses: string[]) => mutants.filter((m) => statuses.includes(m.status)).length;
    const killed = count("Killed", "Timeout");
    const timedOut = count("Timeout");
    const survived = count("Survived");
    const noCoverage = count("NoCoverage");
    const total = killed + survived + noCoverage;
    return { folder, threshold, killed, timedOut, survived, noCoverage, score: total ? Math.floor((killed / total) * 1000) / 10 : 100 };
  });
}

/** The README's table of scores. */
export function scoreTable(scores: readonly FolderScore[]): string {
  const rows = scores.map(
    (s) =>
      `| \`${s.folder}\`${s.folder === "lib/" ? " (the rest)" : ""} | ${s.killed} | ${s.timedOut} | ${s.survived} | ${s.noCoverage} | ${s.score.toFixed(1)}% | ${s.threshold}% |`,
  );
  return [
    "| folder | detected | of which timed out | survived | no coverage | score | required |",
    "|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/**
 * Source files Stryker mutates, relative to the project: read from stryker.config.json's
 * `mutate`, whose entries are a folder followed by `/**` and `/*.ts` (every .ts file under it) or
 * `!<file>` (left out). Any other pattern is refused, so the two cannot silently differ.
 */
export function mutatedFiles(root = ROOT): string[] {
  const { mutate } = JSON.parse(readFileSync(join(ROOT, "stryker.config.json"), "utf8")) as { mutate: string[] };
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? walk(`${dir}/${d.name}`) : [`${dir}/${d.name}`],
    );
  const excluded = new Set(mutate.filter((p) => p.startsWith("!")).map((p) => p.slice(1)));
  const folders = mutate
    .filter((p) => !p.startsWith("!"))
    .map((p) => {
      const folder = /^([\w-]+)\/\*\*\/\*\.ts$/.exec(p)?.[1];
      if (!folder) throw new Error(`stryker.config.json mutate pattern ${p}: expected <folder>/**/*.ts or !<file>`);
      return folder;
    });
  return folders
    .flatMap(walk)
    .filter((f) => f.endsWith(".ts") && !excluded.has(f))
    .sort();
}

/**
 * Where the report no longer matches the code it scores: a mutated source changed since it
 * was made, or added, or removed. Empty when the report is current. (Tests changed since are
 * re-run by the next incremental run for the mutants they cover; {@link changedTests} lists them.)
 */
export function staleEntries(report: MutationReport, root = ROOT): string[] {
  const stale: string[] = [];
  const current = new Set(mutatedFiles(root));
  for (const file of current) {
    const source = report.files[file]?.source ?? report.emptyFiles?.[file];
    if (source === undefined) stale.push(`${file}: not in the report`);
    else if (source !== readFileSync(join(root, file), "utf8")) stale.push(`${file}: changed since the report`);
  }
  for (const file of [...Object.keys(report.files), ...Object.keys(report.emptyFiles ?? {})]) {
    if (!current.has(file)) stale.push(`${file}: in the report, no longer in the project`);
  }
  return stale;
}

/**
 * The part of the report that scores the sources as they are: without the files changed or
 * removed since it was made. Their old results say nothing of their code now; they are
 * pending the next run, and the README names them.
 */
export function currentPart(report: MutationReport, root = ROOT): MutationReport {
  const current = (file: string, source: string) => existsSync(join(root, file)) && readFileSync(join(root, file), "utf8") === source;
  return { ...report, files: Object.fromEntries(Object.entries(report.files).filter(([file, entry]) => current(file, entry.source))) };
}

/** The README's line under the scores: the sources no run has scored as they are. */
export function pendingLine(stale: readonly string[]): string {
  if (stale.length === 0) return "Every mutated source is scored as it is.";
  const files = stale.map((entry) => `\`${entry.replace(/:.*$/, "")}\``);
  return `Not scored as they are (changed, added or removed since the report; the next \`npm run test:mutation\` scores them): ${files.join(", ")}.`;
}

/** Test files changed or removed since the report was made. */
export function changedTests(report: MutationReport, root = ROOT): string[] {
  const changed: string[] = [];
  for (const [file, test] of Object.entries(report.testFiles ?? {})) {
    if (!existsSync(join(root, file))) changed.push(`${file}: removed since the report`);
    else if (test.source !== readFileSync(join(root, file), "utf8")) changed.push(`${file}: changed since the report`);
  }
  return changed;
}

/**
 * A fresh Stryker report made complete: with `scope` (a run over some sources only), their
 * results replace theirs in `previous` and every other source keeps its own; mutated sources
 * the run found no mutants in are recorded with their text (`sourceOf`), so the staleness
 * check knows them.
 */
export function mergeReports(
  fresh: Record<string, unknown>,
  previous: MutationReport | undefined,
  scope: readonly string[] | undefined,
  sources: readonly string[],
  sourceOf: (file: string) => string,
): Record<string, unknown> {
  const inScope = (file: string) => !scope || scope.includes(file);
  const report = { ...fresh };
  if (scope && previous) {
    // Only the sources in scope: Stryker also reports the others, with their current text but
    // only the mutants it could carry over from the previous report, which would overstate them.
    report.files = {
      ...Object.fromEntries(Object.entries(previous.files).filter(([file]) => !inScope(file))),
      ...Object.fromEntries(Object.entries(fresh.files as Record<string, unknown>).filter(([file]) => inScope(file))),
    };
    report.testFiles = { ...previous.testFiles, ...(fresh.testFiles as Record<string, unknown> | undefined) };
  }
  const files = report.files as Record<string, unknown>;
  report.emptyFiles = Object.fromEntries([
    ...Object.entries(scope ? (previous?.emptyFiles ?? {}) : {}).filter(([file]) => !inScope(file) && !(file in files)),
    ...sources.filter((f) => inScope(f) && !(f in files)).map((f) => [f, sourceOf(f)]),
  ]);
  return report;
}

/**
 * Drops what ties the report to one machine (absolute paths, the resolved config), completes
 * it (see mergeReports), and gzips it.
 */
export function normalize(scope?: readonly string[]): void {
  const fresh = JSON.parse(readFileSync(INCREMENTAL, "utf8")) as Record<string, unknown>;
  const previous = scope && existsSync(REPORT) ? readReport() : undefined;
  const report = mergeReports(fresh, previous, scope, mutatedFiles(), (f) => readFileSync(join(ROOT, f), "utf8"));
  delete report.projectRoot;
  delete report.config;
  delete report.framework;
  // Why each mutant was killed: test failure texts with this machine's paths in them.
  for (const file of Object.values(report.files as Record<string, { mutants: Record<string, unknown>[] }>)) {
    for (const mutant of file.mutants) delete mutant.statusReason;
  }
  const text = `${JSON.stringify(report)}\n`;
  writeFileSync(INCREMENTAL, text);
  writeFileSync(REPORT, gzipSync(text, { level: 9 }));
}

/** Puts the scores table into the README, between its markers. */
function updateReadme(table: string): void {
  const file = join(ROOT, "README.md");
  const readme = readFileSync(file, "utf8");
  const updated = readme.replace(/(<!-- mutation-scores -->\n)[\s\S]*?(<!-- \/mutation-scores -->)/, `$1${table}\n$2`);
  if (updated === readme && !readme.includes(table)) throw new Error("README.md has no <!-- mutation-scores --> markers");
  writeFileSync(file, updated);
}

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes("--help")) {
    console.log(
      [
        "usage: npm run test:mutation [-- --full | --scores | --files <source>,<source>...]",
        "",
        "  (none)    mutate only what changed since the committed report, then update it and the README",
        "  --full    every mutant again",
        "  --scores  no run: the README's scores table from the committed report, and the sources it does not score as they are",
        "  --files   mutate only these sources (comma-separated), and merge their results into the committed report",
      ].join("\n"),
    );
    return;
  }
  if (!args.includes("--scores")) {
    // Stryker reads the plain JSON; the committed copy is gzipped.
    if (existsSync(REPORT) && (!existsSync(INCREMENTAL) || statSync(INCREMENTAL).mtimeMs < statSync(REPORT).mtimeMs)) {
      writeFileSync(INCREMENTAL, gunzipSync(readFileSync(REPORT)));
    }
    // The tests' scratch folders go to a temp folder of this run, removed afterwards: with
    // thousands of mutants they would otherwise pile up in the system's temp folder.
    // Named after this process: a run stopped hard (kill -9) leaves it for the next to remove.
    removeAbandonedRuns(tmpdir());
    const temp = mkdtempSync(join(tmpdir(), `privatelink-mutation-${process.pid}-`));
    const filesAt = args.indexOf("--files");
    const scope = filesAt >= 0 ? (args[filesAt + 1] ?? "").split(",").filter(Boolean) : undefined;
    const unknown = scope?.filter((f) => !mutatedFiles().includes(f)) ?? [];
    if (scope && (scope.length === 0 || unknown.length > 0)) {
      console.error(`--files needs sources Stryker mutates (lib/, config/, stacks/): ${unknown.join(", ") || "none given"}`);
      process.exit(2);
    }
    const strykerArgs = ["run", ...(args.includes("--full") ? ["--force"] : []), ...(scope ? ["--mutate", scope.join(",")] : [])];
    // Ctrl-C or a closed terminal reaches Stryker too: this process waits for it to stop, then
    // removes the temp folder, instead of dying at once and leaving it.
    for (const signal of ["SIGINT", "SIGHUP"] as const) process.on(signal, () => undefined);
    const run = spawnSync(join(ROOT, "node_modules", ".bin", "stryker"), strykerArgs, {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, TMPDIR: temp },
    });
    rmSync(temp, { recursive: true, force: true });
    if (run.status !== 0) process.exit(run.status ?? 1);
    normalize(scope);
  }
  if (!existsSync(REPORT)) throw new Error(`no report at ${REPORT}: run npm run test:mutation first`);
  const scores = folderScores(currentPart(readReport()));
  const table = `${scoreTable(scores)}\n\n${pendingLine(staleEntries(readReport()))}`;
  console.log(table);
  updateReadme(table);
  // Scores stay valid for the sources; tests edited since are what the next run retests.
  const changed = changedTests(readReport());
  if (changed.length > 0) console.log(`Tests changed since the report (the next run retests what they cover):\n  ${changed.join("\n  ")}`);
  const low = scores.filter((s) => s.score < s.threshold);
  if (low.length) {
    console.error(`Below threshold: ${low.map((s) => `${s.folder} ${s.score}% < ${s.threshold}%`).join(", ")}`);
    process.exitCode = 1;
  }
}

if (require.main === module) main();
