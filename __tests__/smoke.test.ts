/**
 * The smoke check against a local HTTP server (127.0.0.1 only) that answers with the
 * Lambda's real response, as the ALB would translate it.
 */
import { execFile } from "node:child_process";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { join } from "node:path";
import { parseArgs, quantile, smoke } from "../scripts/smoke";
import { ALB_EVENT, invokeHandler, ROOT } from "./fixtures";

/**
 * Runs the smoke CLI without blocking this process: the servers answer from this event loop.
 */
function runSmoke(...args: string[]): Promise<{ status: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "smoke.ts"), ...args], { encoding: "utf8" }, (err, stdout) =>
      resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
}

/** Serves `respond()`'s status, headers and body on an ephemeral loopback port. */
async function serve(
  respond: () => { statusCode: number; headers: Record<string, string>; body: string },
): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    const r = respond();
    res.writeHead(r.statusCode, r.headers);
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

describe("npm run smoke", () => {
  const lambda = invokeHandler(ALB_EVENT);
  let good: { server: Server; url: string };
  let wrongType: { server: Server; url: string };
  beforeAll(async () => {
    good = await serve(() => ({ statusCode: lambda.statusCode, headers: lambda.headers, body: lambda.body }));
    wrongType = await serve(() => ({ statusCode: 200, headers: { "Content-Type": "text/plain" }, body: lambda.body }));
  });
  afterAll(() => {
    good.server.close();
    wrongType.server.close();
  });

  test("passes against the Lambda's real response, printing p50/p95 and one PASS line (exit 0)", async () => {
    const run = await runSmoke(good.url, "--requests", "10");
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^PASS http:\/\/127\.0\.0\.1:\d+\/: 10\/10 requests answered 200 text\/html; charset=utf-8 with "Hello World!"; p50 [\d.]+ ms, p95 [\d.]+ ms$/,
      ),
    ]);
  });

  test("fails with a non-zero exit when the Content-Type is wrong", async () => {
    const run = await runSmoke(wrongType.url, "--requests", "3");
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL .*: 3\/3 requests failed \(first: Content-Type "text\/plain"\)/);
  });

  test("fails on a wrong status, a missing page and an unreachable endpoint", async () => {
    const broken = await serve(() => ({ statusCode: 502, headers: { "Content-Type": "text/html; charset=utf-8" }, body: "Bad Gateway" }));
    try {
      const result = await smoke({ url: broken.url, requests: 2, timeoutMs: 2000 });
      expect(result.pass).toBe(false);
      expect(result.results[0].problem).toBe('status 502, body without "Hello World!"');
    } finally {
      broken.server.close();
    }
    // A port that was just free: listen, note it, close.
    const gone = await serve(() => ({ statusCode: 200, headers: {}, body: "" }));
    await new Promise((resolve) => gone.server.close(resolve));
    const closed = await smoke({ url: gone.url, requests: 1, timeoutMs: 2000 });
    expect(closed.summary).toMatch(/^FAIL .*ECONNREFUSED/);
  });

  test("arguments: a URL is required; counts and timeouts are checked; --connect-to is kept", () => {
    expect(() => parseArgs([])).toThrow(/a URL or --from <consumer stack> is required; usage: npm run smoke/);
    expect(() => parseArgs(["http://x/", "--requests", "0"])).toThrow(/--requests must be 1-10000/);
    expect(() => parseArgs(["http://x/", "--bogus"])).toThrow(/unknown argument --bogus/);
    expect(() => parseArgs(["http://[::1/"])).toThrow(/^"http:\/\/\[::1\/" is not a valid URL; usage: npm run smoke/);
    expect(() => parseArgs(["http://x/", "--connect-to", ""])).toThrow(/^--connect-to needs a value; usage/);
    expect(() => parseArgs(["--from", " "])).toThrow(/^--from needs a value; usage/);
    expect(parseArgs(["https://hello.example.com/", "--connect-to", "vpce.example", "--requests", "5"])).toEqual({
      url: "https://hello.example.com/",
      requests: 5,
      timeoutMs: 5000,
      connectTo: "vpce.example",
    });
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([5, 1, 3, 2, 4], 0.95)).toBe(5);
  });
});
