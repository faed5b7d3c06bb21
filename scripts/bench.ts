/**
 * `npm run bench`: times the app, `npm run synth` and `npm test` (median wall time and peak
 * RSS over several runs after a warm-up), compares synth with the usual way of writing a
 * cdktf app (provider package root import, ts-node type-checking, `cdktf synth`), and checks
 * the budgets. Prints a markdown table.
 *
 *   npm run bench                 # everything (several minutes)
 *   npm run bench -- --quick      # without npm test
 *   npm run bench -- --runs 3     # runs per measurement (default 5; npm test and the usual way use fewer)
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { scaleConfig } from "./scale-config";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const args = process.argv.slice(2);
const USAGE = `usage: npm run bench [-- --quick] [-- --runs N]

Times the app, npm run synth and npm test (median wall time and peak memory over N runs after a
warm-up), compares synth with the usual way of writing a cdktf app, and checks the budgets.

  --quick    leave out npm test (it takes minutes)
  --runs N   runs per measurement (default 5; npm test and the usual way use fewer)
  --help     print this message`;
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
const unknown = args.filter((a, i) => !["--quick", "--runs"].includes(a) && args[i - 1] !== "--runs");
if (unknown.length > 0) {
  console.error(`unknown argument ${unknown[0]}\n${USAGE}`);
  process.exit(2);
}
const quick = args.includes("--quick");
const runsArg = args.indexOf("--runs");
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 5;
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 100) {
  console.error(`--runs ${args[runsArg + 1] ?? "(no value)"}: must be a whole number from 1 to 100\n${USAGE}`);
  process.exit(2);
}

interface Sample {
  readonly wall: number;
  readonly rssMb: number;
  readonly stderr: string;
}

/** Runs `command` through a shell; wall time, and the peak RSS of the largest process it waited for. */
function measure(command: string, cwd: string, env: NodeJS.ProcessEnv = {}): Sample {
  // Python's getrusage(RUSAGE_CHILDREN) covers every descendant, like /usr/bin/time.
  const probe = [
    "import json, resource, subprocess, sys, time",
    "t = time.monotonic()",
    "p = subprocess.run(['/bin/sh', '-c', sys.argv[1]], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)",
    "wall = time.monotonic() - t",
    "ru = resource.getrusage(resource.RUSAGE_CHILDREN)",
    "print(json.dumps({'wall': wall, 'maxrss_kb': ru.ru_maxrss, 'code': p.returncode, 'stderr': p.stderr.decode()[-4000:]}))",
  ].join("\n");
  const run = spawnSync("python3", ["-c", probe, command], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
  });
  if (run.status !== 0) throw new Error(`probe failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { wall: number; maxrss_kb: number; code: number; stderr: string };
  if (result.code !== 0) throw new Error(`\`${command}\` failed (exit ${result.code}):\n${result.stderr}`);
  return { wall: result.wall, rssMb: result.maxrss_kb / 1024, stderr: result.stderr };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One warm-up, then `runs` measured runs: median wall and the highest peak RSS. */
function bench(label: string, command: string, cwd: string, runs: number, env?: NodeJS.ProcessEnv) {
  process.stderr.write(`${label}: warm-up`);
  measure(command, cwd, env);
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    process.stderr.write(` ${i + 1}`);
    samples.push(measure(command, cwd, env));
  }
  process.stderr.write("\n");
  return {
    label,
    wall: median(samples.map((s) => s.wall)),
    rssMb: Math.max(...samples.map((s) => s.rssMb)),
    runs,
    last: samples[samples.length - 1],
  };
}

/** The same app written the usual way: provider package root import, ts-node, `cdktf synth`. */
function usualVariant(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "bench-usual-")), "app");
  mkdirSync(dir);
  for (const entry of ["main.ts", "config", "lib", "stacks", "lambda-src", "package.json", "tsconfig.json", "cdktf.json"]) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const main = readFileSync(join(dir, "main.ts"), "utf8");
  writeFileSync(join(dir, "main.ts"), `import "@cdktf/provider-aws"; // the usual root import\n${main}`);
  const cdktfJson = JSON.parse(readFileSync(join(dir, "cdktf.json"), "utf8")) as { app: string };
  cdktfJson.app = "node_modules/.bin/ts-node main.ts";
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify(cdktfJson, null, 2));
  return dir;
}

function providerModules(command: string, cwd: string): number {
  const out = measure(command, cwd, { NODE_OPTIONS: `--require ${join(ROOT, "scripts", "count-provider-modules.js")}` }).stderr;
  return Math.max(0, ...[...out.matchAll(/provider-aws modules loaded: (\d+)/g)].map((m) => Number(m[1])));
}

/** How many @cdktf/provider-aws modules the app's bundle contains (esbuild's metafile). */
function bundledProviderModules(): number {
  // Loaded only when the bench runs (esbuild is a dev dependency of the app command too).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  const result = esbuild.buildSync({
    entryPoints: [join(ROOT, "main.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return Object.keys(result.metafile?.inputs ?? {}).filter((p) => p.includes("@cdktf/provider-aws/")).length;
}

const fmt = (s: number) => `${s.toFixed(2)} s`;
const mb = (m: number) => `${Math.round(m)} MB`;

/** Synth time and memory of the app alone with 1, 10, 50 and 100 consumer stacks, and the cost of each extra stack. */
function consumerSeries(app: string, runs: number) {
  const dir = mkdtempSync(join(tmpdir(), "bench-scale-"));
  return [1, 10, 50, 100].map((n) => {
    const file = join(dir, `consumers-${n}.json`);
    writeFileSync(file, JSON.stringify(scaleConfig(n)));
    const run = bench(`${n} consumers`, `${app} --quiet`, ROOT, runs, { CDKTF_OUTDIR: join(dir, `out-${n}`), PRIVATELINK_CONFIG: file });
    return { consumers: n, wall: run.wall, rssMb: run.rssMb };
  });
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");

function main(): void {
  const loadBefore = load();
  const { app } = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as { app: string };
  const outEnv = { CDKTF_OUTDIR: join(mkdtempSync(join(tmpdir(), "bench-out-")), "cdktf.out") };
  const rows: string[][] = [];
  const verdicts: boolean[] = [];
  const check = (ok: boolean) => (verdicts.push(ok), ok ? "ok" : "OVER");

  const appRun = bench("app alone", app, ROOT, RUNS, outEnv);
  rows.push([
    "app alone (cdktf.json `app`)",
    fmt(appRun.wall),
    mb(appRun.rssMb),
    "≤ 0.80 s, ≤ 150 MB",
    check(appRun.wall <= 0.8 && appRun.rssMb <= 150),
  ]);

  const synth = bench("npm run synth", "npm run --silent synth", ROOT, RUNS, outEnv);
  const usualDir = usualVariant();
  const usual = bench("usual way", "node_modules/.bin/cdktf synth", usualDir, Math.max(1, Math.min(RUNS, 3)));
  const faster = usual.wall / synth.wall;
  const leaner = usual.rssMb / synth.rssMb;
  rows.push([
    "`npm run synth`",
    fmt(synth.wall),
    mb(synth.rssMb),
    "≥ 25× faster, ≥ 15× leaner than the usual way",
    check(faster >= 25 && leaner >= 15),
  ]);
  rows.push([
    "usual way: root import + ts-node + `cdktf synth`",
    fmt(usual.wall),
    mb(usual.rssMb),
    "(comparison)",
    `${faster.toFixed(1)}× slower, ${leaner.toFixed(1)}× more memory`,
  ]);

  const series = consumerSeries(app, RUNS);
  const first = series[0];
  const last = series[series.length - 1];
  const perStackMs = ((last.wall - first.wall) / (last.consumers - first.consumers)) * 1000;
  for (const s of series) {
    const budget = s.consumers === 100 ? "≤ 1.50 s, ≤ 150 MB" : "";
    rows.push([
      `app alone, ${s.consumers} consumer stack${s.consumers === 1 ? "" : "s"}`,
      fmt(s.wall),
      mb(s.rssMb),
      budget,
      budget ? check(s.wall <= 1.5 && s.rssMb <= 150) : "",
    ]);
  }
  rows.push(["each extra consumer stack (1 → 100)", `${perStackMs.toFixed(1)} ms`, "", "≤ 10 ms", check(perStackMs <= 10)]);

  const quickTests = bench("npm run test:quick", "npm run --silent test:quick", ROOT, Math.max(1, Math.min(RUNS, 3)));
  rows.push(["`npm run test:quick`", fmt(quickTests.wall), mb(quickTests.rssMb), "≤ 10 s", check(quickTests.wall <= 10)]);
  if (!quick) {
    const test = bench("npm test", "npm test", ROOT, Math.max(1, Math.min(RUNS, 3)), { CI: "" });
    rows.push(["`npm test` (every Terraform check included)", fmt(test.wall), mb(test.rssMb), "≤ 45 s", check(test.wall <= 45)]);
  }

  const ours = bundledProviderModules();
  const theirs = providerModules("node_modules/.bin/ts-node main.ts", usualDir);

  const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
  console.log(
    `Measured on ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; load average (1, 5, 15 min) ${loadBefore} before, ${load()} after; median of ${RUNS} runs after a warm-up (npm test, test:quick and the usual way: up to 3); peak RSS is the largest single process.\n`,
  );
  console.log("| what | median wall | peak RSS | budget | verdict |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  console.log(`\n@cdktf/provider-aws modules: ${ours} bundled into the app, ${theirs} loaded by the usual way.`);
  process.exitCode = verdicts.every(Boolean) ? 0 : 1;
}

main();
