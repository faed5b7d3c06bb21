/**
 * Runs the real Terraform CLI against synthesized stack folders, offline when a provider
 * mirror is present.
 *
 * - Each run gets its own CLI config file (a filesystem mirror when one exists, otherwise
 *   the normal registry), passed through TF_CLI_CONFIG_FILE to the child process only: the
 *   environment's value or ~/.terraformrc never matter.
 * - Terraform works in a copy of the stack folder, so `.terraform/` and lock files never
 *   land in `cdktf.out`.
 * - When Terraform refuses, the error carries Terraform's own text.
 * - Optionally, Terraform attaches to one shared AWS provider (`TF_REATTACH_PROVIDERS`; see
 *   SharedProvider) instead of starting its own: each Terraform process otherwise starts the 600 MB provider
 *   binary several times, and those starts are most of the suite's time.
 */
import { ChildProcess, spawn } from "node:child_process";
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join } from "node:path";
import { reattachValue, TEST_GOGC } from "./provider-proxy";

/** Where the hashicorp/aws provider mirror lives unless TF_PROVIDER_MIRROR says otherwise. */
export const DEFAULT_PROVIDER_MIRROR = "/opt/tf-plugins";

/** Whether Terraform-backed tests run, are skipped, or must fail. */
export type Availability = { readonly mode: "run"; readonly binary: string } | { readonly mode: "skip" | "fail"; readonly reason: string };

/** Finds `terraform` on PATH (or TERRAFORM_BINARY). */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TERRAFORM_BINARY) return existsSync(env.TERRAFORM_BINARY) ? env.TERRAFORM_BINARY : undefined;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "terraform");
    if (dir && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * Decides what Terraform-backed tests do. On a developer's machine without Terraform they
 * are skipped with a reason; under CI=true a missing binary is a failure, never a skip.
 */
export function terraformAvailability(env: NodeJS.ProcessEnv = process.env): Availability {
  const binary = findTerraform(env);
  if (binary) return { mode: "run", binary };
  const why =
    "no terraform binary on PATH: install Terraform 1.10 or later (https://developer.hashicorp.com/terraform/install; tested with 1.11.4), or set TERRAFORM_BINARY to one";
  return ciIsOn(env.CI)
    ? { mode: "fail", reason: `${why}; CI=${env.CI} requires it` }
    : { mode: "skip", reason: `${why}; skipping the Terraform checks` };
}

/** Whether a CI variable's value means "on" (true, 1, yes, on, y; any case, spaces ignored). */
export function ciIsOn(value: string | undefined): boolean {
  return ["true", "1", "yes", "on", "y"].includes((value ?? "").trim().toLowerCase());
}

/** The mirror to use: TF_PROVIDER_MIRROR, else the default, but only if the folder exists. */
export function providerMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = env.TF_PROVIDER_MIRROR || DEFAULT_PROVIDER_MIRROR;
  return existsSync(path) && statSync(path).isDirectory() ? path : undefined;
}

/** CLI config text: install every registry.terraform.io provider from `mirror`, or use the registry. */
export function cliConfigText(mirror: string | undefined): string {
  if (!mirror) return "# No provider mirror on this machine: providers come from the registry.\n";
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/*/*"]',
    "  }",
    "  direct {",
    '    exclude = ["registry.terraform.io/*/*"]',
    "  }",
    "}",
    "",
  ].join("\n");
}

/** What Terraform printed, and how it ended. */
export interface TerraformResult {
  readonly args: readonly string[];
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Terraform refused: the message holds the command and Terraform's own output. */
export class TerraformError extends Error {
  constructor(
    public readonly result: TerraformResult,
    cwd: string,
  ) {
    super(
      `terraform ${result.args.join(" ")} failed (exit ${result.status}) in ${cwd}:\n${result.stderr.trim()}\n${result.stdout.trim()}`.trim() +
        (/does not support (resource|data source|ephemeral resource) type/.test(`${result.stderr}${result.stdout}`)
          ? "\n(The tests' provider gives Terraform the schemas of the types this project names only: support/provider-schema.ts.)"
          : ""),
    );
    this.name = "TerraformError";
  }
}

/** One `terraform test -json -verbose` run: pass/fail and the state each apply run produced. */
export interface TerraformTestReport {
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  /** Per run name: the outputs of the state after that run (apply runs only). */
  readonly outputs: Readonly<Record<string, Record<string, unknown>>>;
  /** Error and failure texts Terraform reported. */
  readonly diagnostics: readonly string[];
}

/** The hashicorp/aws version the prebuilt bindings are generated for. */
export const AWS_PROVIDER_VERSION = "5.100.0";

/** The provider binary for this platform inside `mirror`, if the mirror has one. */
export function mirroredProviderBinary(mirror: string, version = AWS_PROVIDER_VERSION): string | undefined {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const dir = join(mirror, "registry.terraform.io", "hashicorp", "aws", version, `${process.platform}_${arch}`);
  if (!existsSync(dir)) return undefined;
  const binary = readdirSync(dir).find((f) => f.startsWith("terraform-provider-aws"));
  return binary ? join(dir, binary) : undefined;
}

/**
 * The AWS provider as one address that Terraform attaches to through
 * TF_REATTACH_PROVIDERS instead of starting its own processes: a proxy
 * (support/provider-proxy.ts) that runs one provider process per provider configuration,
 * so roots with several Regions or tag sets can attach too, and that asks the provider
 * what depends on the request alone (its schema, a configuration's validation) only once.
 */
export class SharedProvider {
  private constructor(
    private readonly child: ChildProcess,
    /** The TF_REATTACH_PROVIDERS value. */
    public readonly reattach: string,
    /** Where the proxy writes its output (and its counts, on SIGUSR2). */
    public readonly logFile: string,
    /** A folder of its own for the socket, outside the temp folder, removed on stop. */
    private readonly socketDir?: string,
  ) {}

  /**
   * Starts the proxy for `binary` and waits until it prints how to attach. Its output goes
   * to a file, never a pipe: a pipe that nobody drains (say while cdktf's matcher blocks the
   * event loop in execSync) would stall it and every Terraform attached to it. Its standard
   * input is a pipe from this process: when this process ends, so does the proxy.
   */
  public static async start(
    binary: string,
    options: { tempDir?: string; timeoutMs?: number; answersDir?: string; types?: readonly string[] } = {},
  ): Promise<SharedProvider> {
    const { tempDir = tmpdir(), timeoutMs = 60_000, answersDir, types } = options;
    const dir = mkdtempSync(join(tempDir, "tf-provider-"));
    const typesFile = join(dir, "types.json");
    if (types) writeFileSync(typesFile, JSON.stringify(types));
    const logFile = join(dir, "proxy.log");
    // A Unix socket's path holds at most 104 bytes on macOS (108 on Linux); a long TMPDIR
    // gets a short folder under /tmp instead.
    const socketDir = join(dir, "provider.sock").length <= MAX_SOCKET_PATH ? dir : mkdtempSync("/tmp/tfp-");
    const log = openSync(logFile, "w");
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(__dirname, "provider-proxy.ts"),
        binary,
        join(socketDir, "provider.sock"),
        ...(answersDir ? ["--answers", answersDir] : []),
        ...(types ? ["--types", typesFile] : []),
      ],
      {
        stdio: ["pipe", log, log],
        env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      },
    );
    closeSync(log);
    // SIGTERM: the proxy stops its provider processes before it exits.
    const stop = () => child.kill("SIGTERM");
    process.once("exit", stop);
    try {
      const reattach = await reattachValue(child, logFile, timeoutMs, `the provider proxy for ${binary} could not be attached`);
      return new SharedProvider(child, reattach, logFile, socketDir === dir ? undefined : socketDir);
    } catch (error) {
      stop();
      throw error;
    }
  }

  /** Stops the proxy and its provider processes. */
  public stop(): void {
    this.child.kill("SIGTERM");
    if (this.socketDir) rmSync(this.socketDir, { recursive: true, force: true });
  }
}

/** The longest Unix socket path every platform takes (macOS: 104 bytes with the terminator). */
export const MAX_SOCKET_PATH = 100;

/** The name of the override file that lifts `prevent_destroy` in test copies. */
export const ALLOW_DESTROY_OVERRIDE = "zz_test_allow_destroy_override.tf.json";

/**
 * `terraform test` destroys what each test file applied. The stacks set `prevent_destroy`
 * on load balancers with deletion protection, which would fail that clean-up, so test
 * copies get an override file that lifts it (the tests of the guard itself remove it).
 */
export function allowDestroyOverride(dir: string): Record<string, string> {
  const file = join(dir, "cdk.tf.json");
  if (!existsSync(file)) return {};
  const json = JSON.parse(readFileSync(file, "utf8")) as {
    resource?: Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>>;
  };
  const resource: Record<string, Record<string, unknown>> = {};
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, r] of Object.entries(byName)) {
      if (r.lifecycle?.prevent_destroy) (resource[type] ??= {})[name] = { lifecycle: { prevent_destroy: false } };
    }
  }
  return Object.keys(resource).length > 0 ? { [ALLOW_DESTROY_OVERRIDE]: JSON.stringify({ resource }, null, 2) } : {};
}

/** A Terraform CLI bound to one binary and one CLI config. */
export class TerraformRunner {
  /** The CLI config file this runner writes and hands to every child process. */
  public readonly cliConfigFile: string;
  private shared?: SharedProvider;
  private reattach?: string;

  constructor(
    public readonly binary: string,
    public readonly mirror: string | undefined = providerMirror(),
  ) {
    const dir = mkdtempSync(join(tmpdir(), "tf-cli-"));
    this.cliConfigFile = join(dir, "terraform.rc");
    writeFileSync(this.cliConfigFile, cliConfigText(mirror));
  }

  /**
   * From now on, Terraform attaches to one shared AWS provider process (when the mirror
   * has the binary for this platform). `terraform init` then installs nothing for it.
   */
  public async shareProvider(): Promise<void> {
    // The jest run's provider process (see global-setup.ts), else one of our own.
    const runWide = process.env.TF_SHARED_PROVIDER_REATTACH;
    if (runWide) {
      this.reattach = runWide;
      return;
    }
    const binary = this.mirror && mirroredProviderBinary(this.mirror);
    if (binary && !this.shared) {
      this.shared = await SharedProvider.start(binary);
      this.reattach = this.shared.reattach;
    }
  }

  /** Stops the shared provider, if any. */
  public close(): void {
    this.shared?.stop();
    this.shared = undefined;
    this.reattach = undefined;
  }

  /** The environment of every Terraform child process. */
  public env(): NodeJS.ProcessEnv {
    const { TF_REATTACH_PROVIDERS: _inherited, AWS_CA_BUNDLE: _caBundle, ...base } = process.env;
    return {
      ...base,
      ...(this.reattach ? { TF_REATTACH_PROVIDERS: this.reattach } : {}),
      TF_CLI_CONFIG_FILE: this.cliConfigFile,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      // Terraform is a Go program; large plans spend about a quarter of its CPU collecting
      // garbage at Go's default (GOGC=100). 400 trades memory (about 1 GB at most here) for
      // that CPU. A GOGC the caller set wins.
      GOGC: base.GOGC ?? TEST_GOGC,
      // Tests never talk to AWS: no instance-metadata credential lookups, even by mistake.
      AWS_EC2_METADATA_DISABLED: "true",
    };
  }

  /**
   * Copies `stackDir` into a new temporary folder, writes `extraFiles` (path → text) over
   * it, and returns the copy's path. Copying an initialized workspace keeps its
   * `.terraform` (the provider is a symlink into the mirror), so the copy needs no init.
   */
  public workspace(stackDir: string, extraFiles: Readonly<Record<string, string>> = {}): string {
    const dir = join(mkdtempSync(join(tmpdir(), "tf-ws-")), basename(stackDir));
    cpSync(stackDir, dir, { recursive: true });
    writeFiles(dir, { ...allowDestroyOverride(dir), ...extraFiles });
    return dir;
  }

  /** Runs terraform with `args` in `cwd`; resolves with the result whatever the exit code. */
  public run(cwd: string, args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<TerraformResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, [...args], { cwd, env: { ...this.env(), ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (status) => resolve({ args, status, stdout, stderr }));
    });
  }

  /** Like `run`, but a non-zero exit is a TerraformError with Terraform's text. */
  public async mustRun(cwd: string, args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<TerraformResult> {
    const result = await this.run(cwd, args, extraEnv);
    if (result.status !== 0) throw new TerraformError(result, cwd);
    return result;
  }

  /** `terraform init -backend=false`: providers from the mirror, no state touched. */
  public init(cwd: string): Promise<TerraformResult> {
    return this.mustRun(cwd, ["init", "-backend=false", "-input=false", "-no-color"]);
  }

  /** `terraform validate`; throws with Terraform's diagnostics when the stack is invalid. */
  public validate(cwd: string): Promise<TerraformResult> {
    return this.mustRun(cwd, ["validate", "-no-color"]);
  }

  /** A copy of `stackDir` (plus `extraFiles`), initialized; returns the copy. */
  public async initialized(stackDir: string, extraFiles?: Readonly<Record<string, string>>): Promise<string> {
    const dir = this.workspace(stackDir, extraFiles);
    await this.init(dir);
    return dir;
  }

  /**
   * `terraform test -json` in `cwd` (already initialized). Returns the report; throws a
   * TerraformError if any run failed or errored. With `captureOutputs`, runs `-verbose` so
   * the report holds each apply run's outputs (at the price of tens of MB of plan JSON).
   */
  public async test(cwd: string, options: { captureOutputs?: boolean } = {}): Promise<TerraformTestReport> {
    const verbose = options.captureOutputs ? ["-verbose"] : [];
    const result = await this.run(cwd, ["test", "-json", ...verbose, "-no-color", "-test-directory=tests"]);
    const report = parseTestOutput(result.stdout);
    if (result.status !== 0 || report.failed > 0 || report.errored > 0 || report.passed === 0) {
      throw new TerraformError({ ...result, stdout: [report.diagnostics.join("\n"), result.stderr].join("\n") }, cwd);
    }
    return report;
  }
}

/** Reads the JSON lines of `terraform test -json -verbose`. */
export function parseTestOutput(stdout: string): TerraformTestReport {
  let passed = 0;
  let failed = 0;
  let errored = 0;
  const outputs: Record<string, Record<string, unknown>> = {};
  const diagnostics: string[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const msg = JSON.parse(line);
    if (msg.type === "test_summary") {
      passed = msg.test_summary.passed ?? 0;
      failed = msg.test_summary.failed ?? 0;
      errored = msg.test_summary.errored ?? 0;
    } else if (msg.type === "test_state" && msg["@testrun"]) {
      outputs[msg["@testrun"]] = Object.fromEntries(
        Object.entries<{ value: unknown }>(msg.test_state.outputs ?? {}).map(([k, v]) => [k, v.value]),
      );
    } else if (msg.type === "diagnostic") {
      const d = msg.diagnostic;
      diagnostics.push(`${d.severity}: ${d.summary}${d.detail ? `: ${d.detail}` : ""}`);
    }
  }
  return { passed, failed, errored, outputs, diagnostics };
}

/** Writes `files` (relative path → text) under `dir`, creating folders as needed. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    const target = join(dir, name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}
