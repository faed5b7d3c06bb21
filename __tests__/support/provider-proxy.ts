/**
 * A stand-in for the AWS provider that Terraform attaches to (TF_REATTACH_PROVIDERS), and
 * that passes every call on to real provider processes, one per provider configuration.
 *
 * Why: each provider configuration in a root costs a provider process of its own, and
 * every one of those validates its configuration twice per plan; the provider's validation
 * alone is about 1.8 s of CPU (it checks every resource schema it has), so a plan of six
 * Regions or tag sets spent over 30 s of CPU before it planned a single resource. Here:
 * - one provider process per distinct configuration (the `Configure` request's bytes),
 *   started on first use and kept for the run; a Terraform connection is bound to it by its
 *   `Configure`, so two configurations never share a process, and Regions or default tags
 *   cannot leak between modules;
 * - one more, never configured, answers what Terraform asks before it configures anything
 *   (validation, schemas);
 * - the answers that depend on nothing but the request (the provider's schema, the
 *   validation of a provider configuration, the provider's metadata and functions) are
 *   asked once per distinct request and replayed;
 * - the validation of a provider configuration is kept on disk too, when given a folder
 *   for it (the tests give the project's `.build/provider-answers`): the provider checks
 *   every resource schema it has each time, about 1.7 s of CPU per distinct configuration,
 *   and a full test run has 27 of them. The key is the provider binary (path, size and
 *   modification time), the environment the provider reads defaults from (AWS_*), and the
 *   request's bytes; errors are never kept;
 * - a resource's validation is asked once per distinct request and provider process, and
 *   replayed to that process's connections: Terraform validates every resource twice per
 *   plan, and a run validates the same stacks in many roots (9,511 validations in a full
 *   test run, 1,733 distinct);
 * - the provider's schema, when given the resource types to keep (the tests give the types
 *   this project names), goes to Terraform with only those types' schemas: Terraform decodes
 *   the whole 4.9 MB schema in every command otherwise, about 1.7 s of CPU each
 *   (provider-schema.ts);
 * - everything else (each resource's plan, read, upgrade) goes to the provider as it is,
 *   byte for byte.
 *
 * It speaks HTTP/2 only: gRPC frames pass through unparsed, except the schema it cuts down.
 * Run as a program:
 * `node --import tsx provider-proxy.ts <provider binary> <socket path> [--answers <folder>] [--types <file>]`
 * (the types file: a JSON array of type names); it prints
 * `TF_REATTACH_PROVIDERS='…'` once it listens, and stops (with its providers) when its
 * standard input closes or on SIGTERM.
 */
import { ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import http2 from "node:http2";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pruneSchemaAnswer } from "./provider-schema";

/** The Go garbage collector's target for Terraform and provider processes in tests (terraform.ts, env()). */
export const TEST_GOGC = "400";

/** Provider calls whose answer depends on the request alone (tfplugin5 and tfplugin6 names). */
export const REPLAYED = new Set([
  "GetSchema",
  "GetProviderSchema",
  "GetMetadata",
  "GetFunctions",
  "GetResourceIdentitySchemas",
  "PrepareProviderConfig",
  "ValidateProviderConfig",
]);

/**
 * Validations of a resource's, data source's or ephemeral resource's config (tfplugin5 and
 * tfplugin6 names). The answer depends on the request, and could depend on the process's
 * configuration (the plugin framework hands a resource its provider's data before it
 * validates): replayed only within the process that gave it.
 */
export const REPLAYED_PER_PROCESS = new Set([
  "ValidateResourceTypeConfig",
  "ValidateDataSourceConfig",
  "ValidateResourceConfig",
  "ValidateDataResourceConfig",
  "ValidateEphemeralResourceConfig",
]);

/** Answers kept on disk across runs (when the proxy has a folder for them): pure, and costly. */
export const REMEMBERED = new Set(["PrepareProviderConfig", "ValidateProviderConfig"]);

/** Kept answers unused for this long are removed when a proxy starts. */
const REMEMBERED_DAYS = 14;

/** The provider's schema (tfplugin5 and tfplugin6 names). */
const SCHEMA = new Set(["GetSchema", "GetProviderSchema"]);

/** The call that binds a connection to the provider process of one configuration. */
const CONFIGURE = new Set(["Configure", "ConfigureProvider"]);

/** HTTP/2 sessions may hold several large schema answers at once. */
const SESSION_MEMORY_MB = 256;

/** A call's response, whole. */
interface Answer {
  readonly headers: http2.IncomingHttpHeaders;
  readonly data: Buffer;
  readonly trailers: http2.IncomingHttpHeaders;
}

/** What the proxy did, for tests and for the curious (SIGUSR2 prints it). */
export interface ProxyCounts {
  processes: number;
  configurations: number;
  replayed: number;
  /** Answers read from the answers folder (kept by an earlier run). */
  remembered: number;
  asked: number;
  passed: number;
  /** Schema answers cut down to the kept types. */
  pruned: number;
}

/**
 * The environment of a provider process: quiet logs, no CA bundle (nothing reaches AWS), and
 * Go's garbage collector set as for Terraform in tests (GOGC, terraform.ts) unless set.
 */
function providerEnv(): NodeJS.ProcessEnv {
  const { AWS_CA_BUNDLE: _caBundle, TF_REATTACH_PROVIDERS: _reattach, ...env } = process.env;
  return {
    ...env,
    GOGC: env.GOGC ?? TEST_GOGC,
    TF_LOG: "ERROR",
    TF_LOG_PROVIDER: "ERROR",
    TF_LOG_SDK: "ERROR",
    TF_LOG_SDK_PROTO: "ERROR",
    TF_LOG_SDK_FRAMEWORK: "ERROR",
  };
}

/** One real provider process, started in debug mode, and an HTTP/2 session to it. */
class Upstream {
  private constructor(
    private readonly child: ChildProcess,
    public readonly session: http2.ClientHttp2Session,
  ) {}

  /** Which process this is, for answers replayed within it. */
  public get id(): number | undefined {
    return this.child.pid;
  }

  /** Starts `binary -debug` and connects once it prints where it listens. */
  public static async start(binary: string, timeoutMs = 60_000): Promise<Upstream> {
    const logFile = join(mkdtempSync(join(tmpdir(), "tf-provider-")), "provider.log");
    const log = openSync(logFile, "w");
    // Output to a file, never a pipe that could fill while nobody reads it.
    const child = spawn(binary, ["-debug"], { stdio: ["ignore", log, log], env: providerEnv() });
    closeSync(log);
    // A binary that cannot be started (gone, not executable) sets the exit code that
    // reattachValue reports; unheard, its error event would end this process.
    child.on("error", () => undefined);
    let reattach: string;
    try {
      reattach = await reattachValue(child, logFile, timeoutMs, `${binary} -debug did not start`);
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
    const [entry] = Object.values(JSON.parse(reattach) as Record<string, { Addr: { Network: string; String: string } }>);
    const address = entry.Addr.String;
    const session = http2.connect("http://provider", { createConnection: () => connect(address), maxSessionMemory: SESSION_MEMORY_MB });
    session.on("error", () => undefined);
    return new Upstream(child, session);
  }

  /** Sends one call with its whole body; resolves with the whole answer. */
  public ask(headers: http2.IncomingHttpHeaders, body: Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const request = this.session.request(requestHeaders(headers));
      const chunks: Buffer[] = [];
      let head: http2.IncomingHttpHeaders = {};
      let trailers: http2.IncomingHttpHeaders = {};
      request.on("response", (h) => (head = h));
      request.on("trailers", (t) => (trailers = t));
      request.on("data", (d: Buffer) => chunks.push(d));
      request.on("end", () => resolve({ headers: head, data: Buffer.concat(chunks), trailers }));
      request.on("error", reject);
      request.end(body);
    });
  }

  public stop(): void {
    this.session.destroy();
    this.child.kill("SIGKILL");
  }
}

/**
 * Waits until `child` writes `TF_REATTACH_PROVIDERS='…'` to `logFile` (a file, never a pipe that
 * could fill while nobody reads it) and resolves with the value; throws `failure` with the
 * exit code (or "timeout") and the output when the child exits first or `timeoutMs` passes.
 */
export async function reattachValue(child: ChildProcess, logFile: string, timeoutMs: number, failure: string): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const output = readFileSync(logFile, "utf8");
    const match = output.match(/TF_REATTACH_PROVIDERS='([^']+)'/);
    if (match) return match[1];
    const exited = child.exitCode ?? child.signalCode;
    if (exited !== null || Date.now() > deadline) throw new Error(`${failure} (exit ${exited ?? "timeout"}):\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What goes upstream of a request's headers: its path, method and gRPC headers. */
function requestHeaders(headers: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith(":") || k === ":path" || k === ":method"));
}

/** What goes back of an answer's headers or trailers. */
function answerHeaders(headers: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith(":") || k === ":status"));
}

/** Whether an answer is a gRPC success (an error is asked again next time, not replayed). */
const succeeded = (answer: Answer): boolean => (answer.trailers["grpc-status"] ?? answer.headers["grpc-status"]) === "0";

/**
 * Starts an answer down `stream` with `headers`. A "trailers-only" answer (a gRPC error) is
 * one block of headers and ends it (false); otherwise the body follows (true), then the
 * trailers that `trailers` gives once it has ended.
 */
function respond(
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  trailers: () => http2.IncomingHttpHeaders | undefined,
): boolean {
  if (headers["grpc-status"] !== undefined) {
    stream.respond(answerHeaders(headers), { endStream: true });
    return false;
  }
  stream.respond(answerHeaders(headers), { waitForTrailers: true });
  stream.on("wantTrailers", () => stream.sendTrailers(answerHeaders(trailers() ?? { "grpc-status": "0" })));
  return true;
}

/** Sends a whole answer down `stream`. */
function reply(stream: http2.ServerHttp2Stream, answer: Answer): void {
  if (!stream.destroyed && respond(stream, answer.headers, () => answer.trailers)) stream.end(answer.data);
}

/** Ends `stream` with a gRPC error that Terraform shows: the proxy could not serve the call. */
function fail(stream: http2.ServerHttp2Stream, error: unknown): void {
  if (stream.destroyed || stream.headersSent) {
    stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  // 14 = UNAVAILABLE.
  stream.respond(
    { ":status": 200, "content-type": "application/grpc", "grpc-status": "14", "grpc-message": encodeURIComponent(message) },
    { endStream: true },
  );
}

/** Passes a call through to `upstream` as a stream: any size, any direction. */
function pass(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, upstream: Upstream): void {
  const request = upstream.session.request(requestHeaders(headers));
  let trailers: http2.IncomingHttpHeaders | undefined;
  request.on("trailers", (t) => (trailers = t));
  request.on("response", (h) => {
    if (!stream.destroyed && respond(stream, h, () => trailers)) request.pipe(stream);
  });
  request.on("error", (error) => fail(stream, error));
  stream.on("close", () => {
    if (!request.closed) request.close(http2.constants.NGHTTP2_CANCEL);
  });
  stream.pipe(request);
}

/** Reads a request's whole body. */
async function body(stream: http2.ServerHttp2Stream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const digest = (path: string, bytes: Buffer): string => createHash("sha256").update(path).update("\0").update(bytes).digest("hex");

/**
 * Answers kept in a folder across runs: one file per answer, named by the hash of everything
 * the answer can depend on (see the file comment). Reads and writes never fail a call: a
 * missing, unreadable or unwritable folder only means the provider is asked.
 */
class AnswerFolder {
  private readonly identity: string;

  constructor(
    private readonly dir: string,
    binary: string,
  ) {
    const stat = statSync(binary);
    const awsEnv = Object.entries(providerEnv())
      .filter(([name]) => name.startsWith("AWS_"))
      .sort(([a], [b]) => a.localeCompare(b));
    this.identity = JSON.stringify({ binary: realpathSync(binary), size: stat.size, mtime: stat.mtimeMs, awsEnv });
    this.prune();
  }

  /** The file of the answer to a request, by the request's digest. */
  private file(request: string): string {
    const key = createHash("sha256").update(this.identity).update("\0").update(request).digest("hex");
    return join(this.dir, `${key}.json`);
  }

  public read(request: string): Answer | undefined {
    const file = this.file(request);
    try {
      const kept = JSON.parse(readFileSync(file, "utf8")) as { headers: Answer["headers"]; data: string; trailers: Answer["trailers"] };
      const now = new Date();
      utimesSync(file, now, now);
      return { headers: kept.headers, data: Buffer.from(kept.data, "base64"), trailers: kept.trailers };
    } catch {
      return undefined;
    }
  }

  public write(request: string, answer: Answer): void {
    const file = this.file(request);
    const temp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, JSON.stringify({ headers: answer.headers, data: answer.data.toString("base64"), trailers: answer.trailers }));
      renameSync(temp, file);
    } catch {
      try {
        rmSync(temp, { force: true });
      } catch {
        // Nothing was written.
      }
    }
  }

  /** Removes answers no run has used for REMEMBERED_DAYS (other provider versions, old configs). */
  private prune(): void {
    const cutoff = Date.now() - REMEMBERED_DAYS * 86_400_000;
    try {
      for (const name of readdirSync(this.dir)) {
        const file = join(this.dir, name);
        if (statSync(file).mtimeMs < cutoff) rmSync(file, { force: true });
      }
    } catch {
      // No folder yet.
    }
  }
}

/** The proxy: listens on `socketPath`, serves Terraform from provider processes of `binary`. */
export class ProviderProxy {
  public readonly counts: ProxyCounts = { processes: 0, configurations: 0, replayed: 0, remembered: 0, asked: 0, passed: 0, pruned: 0 };
  private readonly kept?: AnswerFolder;
  private readonly upstreams: Upstream[] = [];
  private unconfigured?: Promise<Upstream>;
  private readonly configured = new Map<string, Promise<{ upstream: Upstream; answer: Answer }>>();
  private readonly answers = new Map<string, Promise<Answer>>();
  private readonly bound = new WeakMap<http2.Http2Session, Upstream>();
  private readonly server: http2.Http2Server;
  private stopped = false;

  /**
   * `answersDir`: where answers of REMEMBERED calls are kept across runs (none: asked each run).
   * `keepTypes`: the resource and data source types whose schemas Terraform gets (none: all).
   */
  constructor(
    private readonly binary: string,
    public readonly socketPath: string,
    answersDir?: string,
    private readonly keepTypes?: ReadonlySet<string>,
  ) {
    try {
      if (answersDir) this.kept = new AnswerFolder(answersDir, binary);
    } catch {
      // No binary to name the answers by: every call asks the provider (which then says why it cannot start).
    }
    this.server = http2.createServer({ maxSessionMemory: SESSION_MEMORY_MB });
    this.server.on("sessionError", () => undefined);
    this.server.on("stream", (stream, headers) => {
      stream.on("error", () => undefined);
      this.serve(stream, headers).catch((error) => fail(stream, error));
    });
  }

  /** Listens; resolves with the TF_REATTACH_PROVIDERS value that attaches Terraform here. */
  public listen(): Promise<string> {
    rmSync(this.socketPath, { force: true });
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.socketPath, () =>
        resolve(
          JSON.stringify({
            "registry.terraform.io/hashicorp/aws": {
              Protocol: "grpc",
              ProtocolVersion: 5,
              Pid: process.pid,
              Test: true,
              Addr: { Network: "unix", String: this.socketPath },
            },
          }),
        ),
      );
    });
  }

  /** Stops listening and stops every provider process. */
  public stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.server.close();
    for (const upstream of this.upstreams) upstream.stop();
    rmSync(this.socketPath, { force: true });
  }

  private async start(): Promise<Upstream> {
    const upstream = await Upstream.start(this.binary);
    this.upstreams.push(upstream);
    this.counts.processes++;
    return upstream;
  }

  /** The process a connection's calls go to: its configuration's, or the unconfigured one. */
  private upstreamOf(session: http2.Http2Session | undefined): Promise<Upstream> {
    const bound = session && this.bound.get(session);
    if (bound) return Promise.resolve(bound);
    this.unconfigured ??= this.start();
    return this.unconfigured;
  }

  /** A schema answer with only the kept types' schemas (as it was, with no types to keep). */
  private pruned(answer: Answer): Answer {
    if (!this.keepTypes || !succeeded(answer)) return answer;
    const data = pruneSchemaAnswer(answer.data, this.keepTypes);
    if (data !== answer.data) this.counts.pruned++;
    return { ...answer, data };
  }

  private async serve(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): Promise<void> {
    const path = String(headers[":path"] ?? "");
    const [, service = "", method = ""] = path.split("/");
    const provider = service === "tfplugin5.Provider" || service === "tfplugin6.Provider";
    if (provider && CONFIGURE.has(method)) {
      const bytes = await body(stream);
      const key = digest(path, bytes);
      let entry = this.configured.get(key);
      if (!entry) {
        entry = this.start().then(async (upstream) => ({ upstream, answer: await upstream.ask(headers, bytes) }));
        this.configured.set(key, entry);
        this.counts.configurations++;
      }
      const { upstream, answer } = await entry;
      if (stream.session) this.bound.set(stream.session, upstream);
      reply(stream, answer);
      return;
    }
    if (provider && (REPLAYED.has(method) || REPLAYED_PER_PROCESS.has(method))) {
      const bytes = await body(stream);
      const own = REPLAYED_PER_PROCESS.has(method) ? await this.upstreamOf(stream.session) : undefined;
      const key = own ? `${digest(path, bytes)}@${own.id}` : digest(path, bytes);
      let answer = this.answers.get(key);
      const remembered = !answer && REMEMBERED.has(method) ? this.kept?.read(key) : undefined;
      if (answer) this.counts.replayed++;
      else if (remembered) {
        this.counts.remembered++;
        answer = Promise.resolve(remembered);
        this.answers.set(key, answer);
      } else {
        this.counts.asked++;
        const upstream = own ?? (await this.upstreamOf(stream.session));
        answer = upstream.ask(headers, bytes).then((a) => (SCHEMA.has(method) ? this.pruned(a) : a));
        this.answers.set(key, answer);
        answer.then(
          (a) => {
            if (!succeeded(a)) this.answers.delete(key);
            else if (REMEMBERED.has(method)) this.kept?.write(key, a);
          },
          () => this.answers.delete(key),
        );
      }
      reply(stream, await answer);
      return;
    }
    this.counts.passed++;
    pass(stream, headers, await this.upstreamOf(stream.session));
  }
}

/** Starts the proxy as a program (see the file comment). */
async function main(binary: string, socketPath: string, answersDir?: string, typesFile?: string): Promise<void> {
  const keep = typesFile ? new Set(JSON.parse(readFileSync(typesFile, "utf8")) as string[]) : undefined;
  const proxy = new ProviderProxy(binary, socketPath, answersDir, keep);
  const reattach = await proxy.listen();
  const stop = () => {
    proxy.stop();
    process.exit(0);
  };
  process.on("exit", () => proxy.stop());
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("SIGUSR2", () => process.stdout.write(`${JSON.stringify(proxy.counts)}\n`));
  process.stdin.on("close", stop);
  process.stdin.on("end", stop);
  process.stdin.resume();
  process.stdout.write(`TF_REATTACH_PROVIDERS='${reattach}'\n`);
}

if (require.main === module) {
  const usage = "usage: provider-proxy.ts <provider binary> <socket path> [--answers <folder>] [--types <file>]\n";
  let args: { positionals: string[]; values: { answers?: string; types?: string } } = { positionals: [], values: {} };
  try {
    args = parseArgs({ allowPositionals: true, options: { answers: { type: "string" }, types: { type: "string" } } });
  } catch {
    // Reported as a usage error below.
  }
  const [binary, socketPath] = args.positionals;
  if (!binary || !socketPath || args.positionals.length > 2) {
    process.stderr.write(usage);
    process.exit(2);
  }
  main(binary, socketPath, args.values.answers, args.values.types).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
