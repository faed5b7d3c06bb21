/**
 * Composition root: load and validate the config, build the Lambda package, create the
 * provider stack and one consumer stack per consumer, and synthesize.
 */
import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from "./config/load";
import type { AppModel } from "./config/model";
import { resolveConfig } from "./config/resolve";
import { configWarnings } from "./config/warnings";
import { refusedNames, NAMED_TYPES, resourcesOf } from "./lib/aws/name-checks";
import { App, Aspects, TerraformStack } from "./lib/cdktf";
import { changeNotices, movedStacks, readStacks } from "./lib/change-notices";
import { stateNotices } from "./lib/state-notices";
import { repairHclOutput } from "./lib/hcl-fixes";
import { buildAppPackages, packageWarnings, PROBE_PACKAGE, problemLine, sourceProblems } from "./lib/function-sources";
import { BundleError, LambdaPackage } from "./lib/lambda-package";
import { folderLines, packageLines } from "./lib/package-limits";
import { PolicyAspect } from "./lib/policy/aspect";
import { PolicyViolationError } from "./lib/policy/evaluate";
import { writeScannerIgnoreFiles } from "./lib/policy/scanner-files";
import { RULES } from "./lib/policy/rules";
import {
  describeFileSystemError,
  isFileSystemError,
  lockWaitMs,
  OutputError,
  publishSynth,
  repairInterrupted,
  waitingLine,
} from "./lib/synth-output";
import { ConsumerStack } from "./stacks/consumer-stack";
import { ProviderStack } from "./stacks/provider-stack";

/** The project root: this file's folder, or its parent when run from the `.build/` bundle. */
export const PROJECT_ROOT = existsSync(join(__dirname, "lambda-src")) ? __dirname : dirname(__dirname);

/** The seed's function, the default config's only one. */
export const LAMBDA_SOURCE_DIR = join(PROJECT_ROOT, "lambda-src", "hello");

/** Creates every stack of the app. Consumers of this app's service get its typed handle. */
export function createStacks(app: App, model: AppModel, lambdaPackages: Readonly<Record<string, LambdaPackage>>) {
  const shared = { name: model.name, tags: model.tags, backend: model.backend };
  const provider =
    model.provider && new ProviderStack(app, model.provider.stackName, { ...shared, provider: model.provider, lambdaPackages });
  const probePackage = lambdaPackages[PROBE_PACKAGE];
  const consumers = model.consumers.map(
    (consumer) => new ConsumerStack(app, consumer.stackName, { ...shared, consumer, service: provider?.service, probePackage }),
  );
  // Every stack is checked against the policy rules when the app synthesizes.
  const policy = new PolicyAspect(RULES);
  for (const stack of [...(provider ? [provider] : []), ...consumers]) Aspects.of(stack).add(policy);
  return { provider, consumers, policy };
}

/** Stops the synth on a resource name AWS would refuse: against its rule, or shared by two stacks in one account. */
function refuseNamesAwsRefuses(model: AppModel, stacks: readonly TerraformStack[]): void {
  const sides = [...(model.provider ? [model.provider] : []), ...model.consumers];
  const deployed = sides.map((side, i) => ({
    name: side.stackName,
    accountId: side.account.accountId,
    region: side.account.region,
    json: resourcesOf(stacks[i], NAMED_TYPES),
  }));
  const problems = refusedNames(deployed);
  if (problems.length > 0) throw new ConfigError(`Names AWS would refuse:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}

/** Stops the synth on a function whose code is missing or incomplete, naming the config field. */
function refuseBrokenSources(model: AppModel): void {
  const functions = model.provider?.functions ?? [];
  // A signed package comes from S3: the synth builds nothing.
  if (model.provider?.lambda.signedPackage) return;
  const problems = sourceProblems(PROJECT_ROOT, functions);
  const lines = [
    ...problems.map((p) => problemLine(p, functions[p.index])),
    ...folderLines(PROJECT_ROOT, functions, (i) => !problems.some((p) => p.index === i)),
  ];
  if (lines.length > 0) throw cannotPackage(lines);
}

/** The refusal of function code, a line per problem. */
const cannotPackage = (lines: readonly string[]) =>
  new ConfigError(`Function code the synth cannot package:\n${lines.map((l) => `  - ${l}`).join("\n")}`);

/** The packages of every function and of the probe; a bundle that fails is the user's code, named by field. */
async function functionPackages(model: AppModel, outDir: string): Promise<Record<string, LambdaPackage>> {
  const functions = model.provider?.functions ?? [];
  let packages: Record<string, LambdaPackage>;
  try {
    packages = await buildAppPackages(PROJECT_ROOT, packagesOf(model), outDir);
  } catch (err) {
    if (!(err instanceof BundleError)) throw err;
    const i = functions.findIndex((f) => f.source === err.source);
    throw new ConfigError(`functions[${i}].source = ${JSON.stringify(err.source)}: esbuild could not bundle the function: ${err.message}`);
  }
  const oversized = packageLines(functions, packages);
  if (oversized.length > 0) throw cannotPackage(oversized);
  for (const warning of packageWarnings(functions, packages)) console.error(`Warning: ${warning}`);
  return packages;
}

/** What the app's packages are built from. */
export function packagesOf(model: AppModel) {
  return {
    functions: model.provider?.functions ?? [],
    signed: model.provider?.lambda.signedPackage !== undefined,
    probe: model.consumers.some((c) => c.probe),
  };
}

/**
 * What a synth wrote, in the style of cdktf's own output: each stack and its folder (relative
 * to where the command ran), and the time taken.
 */
export function synthSummary(outdir: string, stacks: readonly string[], seconds: number, cwd = process.cwd()): string {
  const width = Math.max(...stacks.map((s) => s.length));
  // Relative to where it ran, unless that climbs out of it.
  const shown = (folder: string) => (relative(cwd, folder).startsWith("..") ? folder : relative(cwd, folder));
  const lines = stacks.map((s) => `  ${s.padEnd(width)}  ${shown(join(outdir, "stacks", s))}`);
  return [`Synthesized ${stacks.length} stack${stacks.length === 1 ? "" : "s"} in ${seconds.toFixed(2)} s:`, ...lines].join("\n");
}

/** Command-line flags of the app. */
export const USAGE = `usage: npm run synth [-- --quiet]

Synthesizes the stacks of the config (PRIVATELINK_CONFIG, default config/default.json) into
CDKTF_OUTDIR (default cdktf.out), then lists each stack and its folder.

  --quiet   print nothing but warnings and errors
  --help    print this message`;

async function main(args: readonly string[] = process.argv.slice(2)): Promise<void> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return;
  }
  const unknown = args.filter((a) => a !== "--quiet");
  if (unknown.length > 0) throw new ConfigError(`Unknown argument ${unknown[0]}\n${USAGE}`);
  const started = process.hrtime.bigint();
  const configFile = process.env.PRIVATELINK_CONFIG || DEFAULT_CONFIG_FILE;
  const outdir = process.env.CDKTF_OUTDIR || "cdktf.out";
  // Validate before anything is written: a bad config leaves the last cdktf.out untouched
  // (complete again, if a killed run had left it half-swapped).
  let model: AppModel;
  try {
    const config = loadConfig(configFile);
    for (const warning of configWarnings(config)) console.error(`Warning: ${warning}`);
    model = resolveConfig(config);
    refuseBrokenSources(model);
  } catch (err) {
    await repairInterrupted(outdir);
    throw err;
  }
  let written: string[] = [];
  await publishSynth(
    outdir,
    async ({ staging, scratch }) => {
      const lambdaPackages = await functionPackages(model, scratch);
      const app = new App({ outdir: staging });
      const { provider, consumers, policy } = createStacks(app, model, lambdaPackages);
      refuseNamesAwsRefuses(model, [...(provider ? [provider] : []), ...consumers]);
      app.synth();
      written = [...(provider ? [provider] : []), ...consumers].map((stack) => stack.node.id);
      // What this output would do to a deployed service, against the output it replaces.
      // And against the local state each stack would plan with (another config's, when two share it).
      // (A stack the previous output already shows moving is not told about twice.)
      const [before, after] = [readStacks(outdir), readStacks(staging)];
      for (const notice of [...changeNotices(before, after), ...stateNotices(outdir, after, movedStacks(before, after))]) {
        console.error(`Warning: ${notice}`);
      }
      writeScannerIgnoreFiles(policy.evaluations(app), staging, RULES);
      repairHclOutput(staging);
    },
    {
      waitMs: lockWaitMs(process.env),
      // The cdktf CLI sets this for the app it runs.
      underCli: process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined,
      onWait: (holder) => console.error(waitingLine(holder)),
      // npm run deploy (diff, destroy) holds the output folder for its whole run, for the cdktf CLI it runs.
      heldBy: Number(process.env.PRIVATELINK_LOCK_HELD_BY) || undefined,
      onKept: (kept, users) =>
        console.error(
          `Warning: ${users.map((u) => `process ${u.pid} (${u.command})`).join(", ")} ${users.length > 1 ? "work" : "works"} in the previous output, which stays at ${kept} so that it finishes with the files it started with (a deploy applies what it planned, not this synth's output). A later synth removes it.`,
        ),
    },
  );
  if (!args.includes("--quiet")) console.log(synthSummary(outdir, written, Number(process.hrtime.bigint() - started) / 1e9));
}

/** The one line a user sees for `err`; undefined for a bug, which keeps its stack trace. */
export function userMessage(err: unknown): string | undefined {
  if (err instanceof ConfigError || err instanceof PolicyViolationError || err instanceof OutputError) return err.message;
  if (isFileSystemError(err)) return describeFileSystemError(err, "synthesize");
  return undefined;
}

/** Runs the app: bad input or a failing disk is one message and exit code 1, no stack trace. */
export function cli(): void {
  main().catch((err: unknown) => {
    const message = userMessage(err);
    console.error(message ?? (err instanceof Error ? (err.stack ?? err.message) : err));
    process.exitCode = 1;
  });
}

if (require.main === module) cli();
