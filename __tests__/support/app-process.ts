/** The app as users run it: `node scripts/app.js` (what `npm run synth` and `cdktf synth` run). */
import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from "node:child_process";
import { join } from "node:path";
import { APP_COMMAND, ROOT } from "../fixtures";

/** The environment of an app run: no config unless given, output to `outdir`. */
export function appEnv(outdir: string, env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, PRIVATELINK_CONFIG: "", ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete merged[key];
  return merged;
}

/** Runs the app command in `cwd` (a shell, as cdktf does), writing to `outdir`. */
export function runApp(cwd: string, outdir: string, env: Record<string, string | undefined> = {}): SpawnSyncReturns<string> {
  return spawnSync("/bin/sh", ["-c", APP_COMMAND], { cwd, encoding: "utf8", env: appEnv(outdir, env), timeout: 60_000 });
}

/** Starts the app without waiting (node directly, so a signal reaches the app itself). */
export function startApp(outdir: string, env: Record<string, string | undefined> = {}): ChildProcess {
  return spawn(process.execPath, [join(ROOT, "scripts", "app.js")], {
    cwd: ROOT,
    env: appEnv(outdir, env),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Resolves with the exit code (or signal) and what the process wrote to stderr. */
export function finished(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })));
}

/** A run's stderr is one line (or none), with no stack trace. */
export function oneLine(stderr: string): boolean {
  return stderr.trim().split("\n").length === 1 && !/\n\s+at /.test(stderr);
}
