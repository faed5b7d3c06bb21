/**
 * `npm run smoke -- <url>`: proves the chain answers after a deploy. Sends N requests and
 * checks each one: status 200, `Content-Type: text/html; charset=utf-8`, and a body with
 * "Hello World!". Prints p50/p95 latency and one PASS/FAIL line; exits 1 on failure.
 *
 *   npm run smoke -- http://vpce-….vpce.amazonaws.com/
 *   npm run smoke -- https://hello.example.com/ --connect-to vpce-….vpce.amazonaws.com
 *   options: --requests N (default 20), --timeout MS (default 5000)
 */
import { request as httpRequest, IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

/** What a smoke run checks and how. */
export interface SmokeOptions {
  readonly url: string;
  readonly requests: number;
  readonly timeoutMs: number;
  /** Connect here instead of the URL's host (TLS still verifies the URL's host name). */
  readonly connectTo?: string;
}

/** The outcome of one request. */
export interface SmokeResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly problem?: string;
}

export const EXPECTED_CONTENT_TYPE = "text/html; charset=utf-8";
export const EXPECTED_TEXT = "Hello World!";

function once(options: SmokeOptions): Promise<SmokeResult> {
  const url = new URL(options.url);
  const started = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      {
        host: options.connectTo ?? url.hostname,
        port: url.port || (url.protocol === "https:" ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers: { Host: url.host, "User-Agent": "privatelink-smoke" },
        servername: url.hostname,
        timeout: options.timeoutMs,
      },
      (res: IncomingMessage) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          const problems: string[] = [];
          if (res.statusCode !== 200) problems.push(`status ${res.statusCode}`);
          if (res.headers["content-type"] !== EXPECTED_CONTENT_TYPE)
            problems.push(`Content-Type ${JSON.stringify(res.headers["content-type"] ?? null)}`);
          if (!body.includes(EXPECTED_TEXT)) problems.push(`body without ${JSON.stringify(EXPECTED_TEXT)}`);
          resolve({ ok: problems.length === 0, ms: ms(), problem: problems.join(", ") || undefined });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on("error", (err) => resolve({ ok: false, ms: ms(), problem: err.message }));
    req.end();
  });
}

/** The value at quantile `q` (nearest rank) of `values`. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Sends the requests one after another and summarizes them. */
export async function smoke(options: SmokeOptions): Promise<{ pass: boolean; summary: string; results: SmokeResult[] }> {
  const results: SmokeResult[] = [];
  for (let i = 0; i < options.requests; i++) results.push(await once(options));
  const failed = results.filter((r) => !r.ok);
  const times = results.map((r) => r.ms);
  const latency = `p50 ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms`;
  const first = failed[0]?.problem;
  const summary = failed.length
    ? `FAIL ${options.url}: ${failed.length}/${results.length} requests failed (first: ${first}); ${latency}`
    : `PASS ${options.url}: ${results.length}/${results.length} requests answered 200 ${EXPECTED_CONTENT_TYPE} with "${EXPECTED_TEXT}"; ${latency}`;
  return { pass: failed.length === 0, summary, results };
}

/** Reads `<url> [--requests N] [--timeout MS] [--connect-to HOST]`; throws a usage message on bad input. */
export function parseArgs(argv: readonly string[]): SmokeOptions {
  const usage = "usage: npm run smoke -- <http(s)://url> [--requests N] [--timeout MS] [--connect-to HOST]";
  let url: string | undefined;
  let requests = 20;
  let timeoutMs = 5000;
  let connectTo: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value; ${usage}`);
      return v;
    };
    if (arg === "--requests") requests = Number(value());
    else if (arg === "--timeout") timeoutMs = Number(value());
    else if (arg === "--connect-to") connectTo = value();
    else if (!arg.startsWith("--") && url === undefined) url = arg;
    else throw new Error(`unknown argument ${arg}; ${usage}`);
  }
  if (!url || !/^https?:\/\//.test(url)) throw new Error(`a URL is required; ${usage}`);
  if (!Number.isInteger(requests) || requests < 1 || requests > 10000) throw new Error(`--requests must be 1-10000; ${usage}`);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new Error(`--timeout must be a positive number of milliseconds; ${usage}`);
  return { url, requests, timeoutMs, connectTo };
}

if (require.main === module) {
  let options: SmokeOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  smoke(options).then(
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
