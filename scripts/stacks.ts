/**
 * `npm run deploy`, `npm run diff`, `npm run destroy`: the cdktf CLI over every stack of the
 * config, in the right order, for any number of consumers.
 *
 *   npm run deploy  [-- <cdktf deploy flags>]   provider, then every consumer stack
 *   npm run diff    [-- <cdktf diff flags>]     each stack in turn (cdktf diffs one at a time)
 *   npm run destroy [-- <cdktf destroy flags>]  every consumer stack, then the provider
 *   ... -- --print                              print the cdktf commands instead of running them
 *   ... -- consumer-tokyo [flags]               only the stacks named (in the same order rules)
 *
 * The config is PRIVATELINK_CONFIG (default config/default.json), as for `npm run synth`.
 * Flags after `--` go to cdktf as they are (`--auto-approve`, `--parallelism 2`, ...). The
 * CLI's update checks are off (CHECKPOINT_DISABLE=1), and a TF_CLI_CONFIG_FILE that names a
 * missing file is dropped, so Terraform prints no warning about it on every call.
 *
 * The output folder's lock is held for the whole run: a synth in another terminal waits (and
 * then stops) instead of replacing the output between two stacks of a deploy, which would
 * deploy the rest from another config. The synth the cdktf CLI runs is this run's own.
 */
import { ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from "../config/load";
import { PROVIDER_STACK, stackNames } from "../config/stack-names";
import { lockWaitMs, OutputError, OutputLock, resolveOutdir, waitingLine } from "../lib/synth-output";

const ROOT = join(__dirname, "..");

/** What the scripts do. */
export type Action = "deploy" | "diff" | "destroy";

export const USAGE = `usage: npm run deploy|diff|destroy [-- <stack>...] [-- --print] [-- <cdktf flags>]

  deploy    the provider stack, then every consumer stack (cdktf deploy, in one call)
  diff      each stack in turn (cdktf diff)
  destroy   every consumer stack, then the provider (an endpoint service cannot be deleted
            while endpoints are connected)

The stacks are those of PRIVATELINK_CONFIG (default config/default.json); name some of them
to act on those only, e.g. npm run destroy -- consumer-tokyo. Flags go to cdktf as they are,
e.g. npm run deploy -- --auto-approve. --print shows the commands only.`;

/** cdktf deploy/diff/destroy flags that take the next word as their value (cdktf-cli 0.21.0; --var and --var-file take one each). */
const FLAGS_WITH_VALUES = new Set([
  "--app",
  "-a",
  "--output",
  "-o",
  "--outputs-file",
  "--parallelism",
  "--terraform-parallelism",
  "--var",
  "--var-file",
  "--log-level",
]);

/** The stacks named, the flags for cdktf and --print, from the words after `--`. */
export function parseArgs(
  words: readonly string[],
  known: readonly string[],
): { stacks: string[]; flags: string[]; print: boolean } | { error: string } {
  const stacks: string[] = [];
  const flags: string[] = [];
  let print = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === "--print") print = true;
    else if (word.startsWith("-")) {
      flags.push(word);
      if (FLAGS_WITH_VALUES.has(word) && i + 1 < words.length) flags.push(words[++i]);
    } else if (!known.includes(word)) {
      return { error: `unknown stack ${JSON.stringify(word)}: the stacks of this config are ${known.join(", ")}` };
    } else if (!stacks.includes(word)) stacks.push(word);
  }
  return { stacks: stacks.length > 0 ? known.filter((s) => stacks.includes(s)) : [...known], flags, print };
}

/** The cdktf commands of `action` for these stacks (provider first), each an argument list. */
export function commandsFor(action: Action, stacks: readonly string[], flags: readonly string[]): string[][] {
  const consumers = stacks.filter((s) => s !== PROVIDER_STACK);
  const provider = stacks.filter((s) => s === PROVIDER_STACK);
  switch (action) {
    case "deploy":
      return [["deploy", ...provider, ...consumers, ...flags]];
    case "diff":
      return stacks.map((s) => ["diff", s, ...flags]);
    case "destroy":
      return [consumers, provider].filter((group) => group.length > 0).map((group) => ["destroy", ...group, ...flags]);
  }
}

/** The environment of the cdktf CLI: no update checks, no warning about a CLI config file that is not there. */
export function cliEnv(env: NodeJS.ProcessEnv, fileExists: (path: string) => boolean = existsSync): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, CHECKPOINT_DISABLE: "1" };
  if (out.TF_CLI_CONFIG_FILE && !fileExists(out.TF_CLI_CONFIG_FILE)) delete out.TF_CLI_CONFIG_FILE;
  return out;
}

/** The output folder cdktf uses: its --output (-o) flag, or cdktf.out, in the project. */
export function outputFolder(flags: readonly string[]): string {
  const at = flags.findIndex((f) => f === "--output" || f === "-o");
  const given = at >= 0 ? flags[at + 1] : flags.find((f) => f.startsWith("--output="))?.slice("--output=".length);
  const folder = given || "cdktf.out";
  return isAbsolute(folder) ? folder : join(ROOT, folder);
}

/** Runs cdktf with `args`; resolves with its exit code. */
function runCdktf(cdktf: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child: ChildProcess = spawn(cdktf, args, { cwd: ROOT, stdio: "inherit", env });
  // Ctrl-C and a closed terminal reach cdktf from the terminal itself (Terraform then stops
  // gracefully): this process waits for it. A kill of this process alone is passed on.
  const wait = () => undefined;
  const pass = () => child.kill("SIGTERM");
  process.on("SIGINT", wait).on("SIGHUP", wait).on("SIGTERM", pass);
  return new Promise<number>((done) => {
    child.on("exit", (code, signal) => done(code ?? (signal ? 1 : 0)));
    child.on("error", () => done(127));
  }).finally(() => {
    process.off("SIGINT", wait).off("SIGHUP", wait).off("SIGTERM", pass);
  });
}

async function main(): Promise<void> {
  const [action, ...rest] = process.argv.slice(2);
  const help = [action, ...rest].some((a) => a === "--help" || a === "-h");
  if (help || !["deploy", "diff", "destroy"].includes(action)) {
    (help ? console.log : console.error)(USAGE);
    process.exitCode = help ? 0 : 1;
    return;
  }
  const configFile = process.env.PRIVATELINK_CONFIG || DEFAULT_CONFIG_FILE;
  let known: string[];
  try {
    known = stackNames(loadConfig(configFile));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
    return;
  }
  const parsed = parseArgs(rest, known);
  if ("error" in parsed) {
    console.error(`${parsed.error}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { stacks, flags, print } = parsed;
  const commands = commandsFor(action as Action, stacks, flags);
  if (print) {
    for (const args of commands) console.log(`cdktf ${args.join(" ")}`);
    return;
  }
  const cdktf = process.env.PRIVATELINK_CDKTF || join(ROOT, "node_modules", ".bin", "cdktf");
  let lock: OutputLock;
  try {
    lock = await OutputLock.acquire(resolveOutdir(outputFolder(flags)), {
      what: action,
      waitMs: lockWaitMs(process.env),
      onWait: (holder) => console.error(waitingLine(holder)),
    });
  } catch (err) {
    if (!(err instanceof OutputError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
    return;
  }
  const refresh = setInterval(() => lock.refresh(), 60_000);
  try {
    for (const args of commands) {
      console.log(`cdktf ${args.join(" ")}`);
      const code = await runCdktf(cdktf, args, { ...cliEnv(process.env), PRIVATELINK_LOCK_HELD_BY: String(process.pid) });
      if (code !== 0) {
        process.exitCode = code;
        return;
      }
    }
  } finally {
    clearInterval(refresh);
    lock.release();
  }
}

if (require.main === module) void main();
