/**
 * `npm run smoke`: proves the chain answers after a deploy. Sends N requests and checks each
 * one against what the service answers: while the seed's function answers every request,
 * status 200, `Content-Type: text/html; charset=utf-8` and a body with "Hello World!"; with
 * a function of your own, status 200 (or what --expect-status, --expect-type and
 * --expect-text say). Prints p50/p95 latency and one PASS/FAIL line; exits 1 on failure.
 *
 * From a machine that reaches the service:
 *   npm run smoke -- http://vpce-….vpce.amazonaws.com/
 *   npm run smoke -- https://hello.example.com/ --connect-to vpce-….vpce.amazonaws.com
 * From inside a consumer VPC, through that consumer's probe function (with the consumer's
 * credentials from the config: its profile and role, as the stack's provider uses them):
 *   npm run smoke -- --from consumer
 *   options: --requests N (default 20), --timeout MS (default 5000: the whole answer), --path /p (with --from)
 */
import { request as httpRequest, IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { request as httpsRequest } from "node:https";
import { loadConfig } from "../config/load";
import { invokeProbe, ProbeAnswer, probeTarget, ProbeTarget } from "./probe-client";

/** What an answer must be: its status, and its Content-Type and body text when given. */
export interface Expectation {
  readonly status: number;
  readonly contentType?: string;
  readonly text?: string;
}

/** What a smoke run checks and how. */
export interface SmokeOptions {
  readonly url: string;
  readonly requests: number;
  readonly timeoutMs: number;
  /** Connect here instead of the URL's host (TLS still verifies the URL's host name). */
  readonly connectTo?: string;
  /** What each answer must be (default: the seed's answer). */
  readonly expect?: Expectation;
}

/** A run through a consumer's probe function instead of from this machine. */
export interface ProbeOptions {
  /** The consumer's stack name. */
  readonly from: string;
  readonly requests: number;
  /** The path the probe requests. */
  readonly path: string;
  /** The config file the stacks were synthesized from. */
  readonly configFile: string;
  /** What each answer must be (default: the seed's answer). */
  readonly expect?: Expectation;
}

/** The outcome of one request. */
export interface SmokeResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly problem?: string;
}

export const EXPECTED_CONTENT_TYPE = "text/html; charset=utf-8";
export const EXPECTED_TEXT = "Hello World!";
/** The seed's function's answer (lambda-src/hello), the article's final check. */
export const SEED_ANSWER: Expectation = { status: 200, contentType: EXPECTED_CONTENT_TYPE, text: EXPECTED_TEXT };
/** The seed's function, as a config names it. */
const SEED_FUNCTION = { source: "hello", handler: "lambda_function.lambda_handler" };

/**
 * What the service of `configFile` answers: the seed's answer while the seed's function is
 * the service's only function (every path reaches it), else status 200 only (your function's
 * body is yours). A config without a provider (a consumer of a service managed elsewhere),
 * or one that cannot be read, gives status 200 only too.
 */
export function expectationFor(configFile: string, warn: (line: string) => void = (line) => console.error(line)): Expectation {
  try {
    const config = loadConfig(configFile);
    const [only, ...others] = config.functions;
    const seed = only.source === SEED_FUNCTION.source && only.handler === SEED_FUNCTION.handler;
    return config.provider && seed && others.length === 0 ? SEED_ANSWER : { status: 200 };
  } catch (err) {
    // Said, so a mistyped PRIVATELINK_CONFIG is not taken for a weaker check passing.
    warn(`Warning: ${firstLine((err as Error).message)}; checking for status 200 only (give --expect-* to check more)`);
    return { status: 200 };
  }
}

/** How much of a body is kept to check: a Lambda function behind an ALB answers at most 1 MB. */
export const MAX_CHECKED_BODY_BYTES = 1024 * 1024;

/**
 * One request, on a connection of its own (as one curl is, so the requests spread over the
 * endpoint's addresses). The whole answer must arrive within `timeoutMs`; an answer cut off
 * before its end (fewer bytes than its Content-Length, or a chunked body not closed) fails.
 */
function once(options: SmokeOptions): Promise<SmokeResult> {
  const url = new URL(options.url);
  const started = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  // An IPv6 literal without its brackets; a TLS server name only for a name (never an address).
  const host = (options.connectTo ?? url.hostname).replace(/^\[(.*)\]$/, "$1");
  const name = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: SmokeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
      req.destroy();
    };
    const req = send(
      {
        host,
        port: url.port || (url.protocol === "https:" ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers: { Host: url.host, "User-Agent": "privatelink-smoke" },
        ...(isIP(name) ? {} : { servername: name }),
        agent: false,
      },
      (res: IncomingMessage) => {
        const kept: Buffer[] = [];
        let keptBytes = 0;
        res.on("data", (chunk: Buffer) => {
          if (keptBytes < MAX_CHECKED_BODY_BYTES) {
            kept.push(chunk.subarray(0, MAX_CHECKED_BODY_BYTES - keptBytes));
            keptBytes += Math.min(chunk.length, MAX_CHECKED_BODY_BYTES - keptBytes);
          }
        });
        res.on("end", () => {
          const body = Buffer.concat(kept).toString("utf8");
          const problem = answerProblem(res.statusCode, res.headers["content-type"], body, options.expect);
          settle({ ok: problem === undefined, ms: ms(), problem });
        });
        // A body cut off before its end: the connection closed, or reset, mid-answer.
        res.on("aborted", () => settle({ ok: false, ms: ms(), problem: "the connection closed before the whole answer arrived" }));
        res.on("error", (err) => settle({ ok: false, ms: ms(), problem: `the answer broke off: ${err.message}` }));
        res.on("close", () => {
          if (!res.complete) settle({ ok: false, ms: ms(), problem: "the connection closed before the whole answer arrived" });
        });
      },
    );
    const deadline = setTimeout(
      () => settle({ ok: false, ms: ms(), problem: `no whole answer within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    req.on("error", (err) => settle({ ok: false, ms: ms(), problem: firstLine(err.message) }));
    req.end();
  });
}

/** A message's first line (OpenSSL's errors run over several). */
const firstLine = (text: string): string => text.split("\n")[0];

/** A media type as RFC 9110 compares it: type, subtype and parameter names in any letter case, the charset's value too. */
const mediaType = (value: string): string =>
  value
    .split(";")
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== "")
    .join("; ");

/** What is wrong with an answer, or undefined when it is what `expect` says. */
export function answerProblem(
  status: number | undefined,
  contentType: string | string[] | undefined,
  body: string,
  expect: Expectation = SEED_ANSWER,
): string | undefined {
  const problems: string[] = [];
  if (status !== expect.status) problems.push(`status ${status}`);
  if (expect.contentType !== undefined && (typeof contentType !== "string" || mediaType(contentType) !== mediaType(expect.contentType)))
    problems.push(`Content-Type ${JSON.stringify(contentType ?? null)}`);
  if (expect.text !== undefined && !body.includes(expect.text)) problems.push(`body without ${JSON.stringify(expect.text)}`);
  return problems.join(", ") || undefined;
}

/** The outcome of one probe invocation, checked as a direct request is. */
export function probeResult(answer: ProbeAnswer, expect: Expectation = SEED_ANSWER): SmokeResult {
  const ms = answer.latencyMs ?? 0;
  if (!answer.ok) return { ok: false, ms, problem: answer.error ?? "the probe got no answer" };
  const problem = answerProblem(answer.status, answer.headers?.["content-type"], answer.bodyExcerpt ?? "", expect);
  return { ok: problem === undefined, ms, problem };
}

/** An expectation as the PASS line states it: `200 text/html; charset=utf-8 with "Hello World!"`. */
const describeExpectation = (expect: Expectation): string =>
  [String(expect.status), expect.contentType, expect.text === undefined ? undefined : `with ${JSON.stringify(expect.text)}`]
    .filter((part) => part !== undefined)
    .join(" ");

/** The value at quantile `q` (nearest rank) of `values`. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The verdict on a run's results: one PASS/FAIL line naming `label`. */
export function summarize(
  label: string,
  results: SmokeResult[],
  expect: Expectation = SEED_ANSWER,
): { pass: boolean; summary: string; results: SmokeResult[] } {
  const failed = results.filter((r) => !r.ok);
  const times = results.map((r) => r.ms);
  const latency = `p50 ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms`;
  const first = failed[0]?.problem;
  const summary = failed.length
    ? `FAIL ${label}: ${failed.length}/${results.length} requests failed (first: ${first}); ${latency}`
    : `PASS ${label}: ${results.length}/${results.length} requests answered ${describeExpectation(expect)}; ${latency}`;
  return { pass: failed.length === 0, summary, results };
}

/** Sends the requests one after another and summarizes them. */
export async function smoke(options: SmokeOptions): Promise<{ pass: boolean; summary: string; results: SmokeResult[] }> {
  const results: SmokeResult[] = [];
  for (let i = 0; i < options.requests; i++) results.push(await once(options));
  return summarize(options.url, results, options.expect);
}

/**
 * Invokes the consumer's probe once per request, one after another: each invocation is one
 * request from inside the consumer VPC, timed by the probe.
 */
export async function smokeFrom(
  options: ProbeOptions,
  invoke: (target: ProbeTarget, path: string) => Promise<ProbeAnswer> = invokeProbe,
): Promise<{ pass: boolean; summary: string; results: SmokeResult[] }> {
  const target = probeTarget(options.configFile, options.from);
  const results: SmokeResult[] = [];
  let url: string | undefined;
  for (let i = 0; i < options.requests; i++) {
    const answer = await invoke(target, options.path);
    url ??= answer.url;
    results.push(probeResult(answer, options.expect));
  }
  return summarize(`${url ?? options.path} from ${options.from} (${target.functionName})`, results, options.expect);
}

const USAGE =
  "usage: npm run smoke -- <http(s)://url> [--requests N] [--timeout MS] [--connect-to HOST] [expectations]\n" +
  "       npm run smoke -- --from <consumer stack> [--requests N] [--path /p] [expectations]\n" +
  "expectations (default: the seed's answer while its function answers, else status 200):\n" +
  "       --expect-status CODE  --expect-type CONTENT-TYPE  --expect-text TEXT";

/** Reads the command line; throws a usage message on bad input. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SmokeOptions | ProbeOptions {
  let url: string | undefined;
  let requests = 20;
  let timeoutMs = 5000;
  let connectTo: string | undefined;
  let from: string | undefined;
  let path: string | undefined;
  const expected: { status?: number; contentType?: string; text?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.trim() === "" || v.startsWith("--")) throw new Error(`${arg} needs a value; ${USAGE}`);
      return v;
    };
    if (arg === "--requests") requests = Number(value());
    else if (arg === "--timeout") timeoutMs = Number(value());
    else if (arg === "--connect-to") connectTo = value();
    else if (arg === "--from") from = value();
    else if (arg === "--path") path = value();
    else if (arg === "--expect-status") expected.status = Number(value());
    else if (arg === "--expect-type") expected.contentType = value();
    else if (arg === "--expect-text") expected.text = value();
    else if (!arg.startsWith("--") && url === undefined) url = arg;
    else throw new Error(`unknown argument ${arg}; ${USAGE}`);
  }
  if (!Number.isInteger(requests) || requests < 1 || requests > 10000) throw new Error(`--requests must be 1-10000; ${USAGE}`);
  if (expected.status !== undefined && (!Number.isInteger(expected.status) || expected.status < 100 || expected.status > 599)) {
    throw new Error(`--expect-status must be an HTTP status code, 100-599; ${USAGE}`);
  }
  const configFile = env.PRIVATELINK_CONFIG || "config/default.json";
  const given = Object.keys(expected).length > 0;
  const expect: Expectation = given ? { status: 200, ...expected } : expectationFor(configFile);
  if (from !== undefined) {
    if (url !== undefined || connectTo !== undefined)
      throw new Error(`--from calls through the probe: give no URL or --connect-to; ${USAGE}`);
    if (argv.includes("--timeout"))
      throw new Error(
        `--from calls through the probe, which has its own timeout (PROBE_TIMEOUT_SECONDS on its function): give no --timeout; ${USAGE}`,
      );
    const p = path ?? "/";
    if (!/^\/(?!\/)[^\s#]*$/.test(p)) throw new Error(`--path must start with a single / and hold no spaces or #; ${USAGE}`);
    return { from, requests, path: p, configFile, expect };
  }
  if (path !== undefined) throw new Error(`--path only applies with --from; ${USAGE}`);
  if (!url) throw new Error(`a URL or --from <consumer stack> is required; ${USAGE}`);
  if (!/^https?:\/\//i.test(url)) throw new Error(`${JSON.stringify(url)} is not an http:// or https:// URL; ${USAGE}`);
  if (!URL.canParse(url)) throw new Error(`${JSON.stringify(url)} is not a valid URL; ${USAGE}`);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new Error(`--timeout must be a positive number of milliseconds; ${USAGE}`);
  if (connectTo !== undefined && connectTo.includes(":") && !isIP(connectTo.replace(/^\[(.*)\]$/, "$1"))) {
    throw new Error(
      `--connect-to takes the host to connect to (the endpoint's DNS name or an address), not curl's host:port:host:port; ${USAGE}`,
    );
  }
  return { url, requests, timeoutMs, connectTo, expect };
}

if (require.main === module) {
  let options: SmokeOptions | ProbeOptions;
  try {
    if (process.argv.includes("--help") || process.argv.includes("-h")) {
      console.log(USAGE);
      process.exit(0);
    }
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  ("from" in options ? smokeFrom(options) : smoke(options)).then(
    ({ pass, summary }) => {
      console.log(summary);
      process.exitCode = pass ? 0 : 1;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
