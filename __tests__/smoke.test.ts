/**
 * The smoke check against a local HTTP server (127.0.0.1 only) that answers with the
 * Lambda's real response, as the ALB would translate it.
 */
import { execFile } from "node:child_process";
import { createServer, Server } from "node:http";
import { AddressInfo, createServer as createNetServer, Server as NetServer, Socket } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectationFor, parseArgs, quantile, SEED_ANSWER, smoke } from "../scripts/smoke";
import { ALB_EVENT, defaultRawConfig, invokeHandler, ROOT } from "./fixtures";

/**
 * Runs the smoke CLI without blocking this process: the servers answer from this event loop.
 */
function runSmoke(...args: string[]): Promise<{ status: number; stdout: string }> {
  return runSmokeEnv({}, ...args);
}

/** The same, with `env` added to the environment. */
function runSmokeEnv(env: Record<string, string>, ...args: string[]): Promise<{ status: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(ROOT, "scripts", "smoke.ts"), ...args],
      { encoding: "utf8", cwd: ROOT, env: { ...process.env, ...env } },
      (err, stdout) => resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
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
    // A URL of another scheme, or a host without one, is named as such
    expect(() => parseArgs(["ftp://example.com/"])).toThrow(
      /^"ftp:\/\/example\.com\/" is not an http:\/\/ or https:\/\/ URL; usage: npm run smoke/,
    );
    expect(() => parseArgs(["vpce-0123.example.com"])).toThrow(/^"vpce-0123\.example\.com" is not an http:\/\/ or https:\/\/ URL/);
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
      expect: SEED_ANSWER,
    });
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([5, 1, 3, 2, 4], 0.95)).toBe(5);
  });
});

describe("npm run smoke against answers that break off, never end, or come from odd places", () => {
  const lambda = invokeHandler(ALB_EVENT);
  const page = Buffer.from(lambda.body);
  /** A raw HTTP server on loopback whose connections `handle` writes to; counts the connections. */
  async function raw(
    handle: (socket: Socket) => void,
    host = "127.0.0.1",
  ): Promise<{ server: NetServer; url: string; connections: () => number }> {
    let count = 0;
    const server = createNetServer((socket) => {
      count++;
      socket.on("error", () => undefined);
      socket.once("data", () => handle(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const shown = host.includes(":") ? `[${host}]` : host;
    return { server, url: `http://${shown}:${(server.address() as AddressInfo).port}/`, connections: () => count };
  }
  const head = (extra: string) => `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n${extra}\r\n`;
  const servers: NetServer[] = [];
  afterAll(() => servers.forEach((s) => s.close()));
  const started = async (handle: (socket: Socket) => void, host?: string) => {
    const r = await raw(handle, host);
    servers.push(r.server);
    return r;
  };

  test("an answer cut off before its Content-Length fails (it passed, silently, with exit 0)", async () => {
    const { url } = await started((socket) => {
      socket.write(head(`Content-Length: ${page.length + 1000}\r\n`));
      socket.end(page);
    });
    const result = await smoke({ url, requests: 2, timeoutMs: 2000 });
    expect(result.pass).toBe(false);
    expect(result.summary).toMatch(/^FAIL .*2\/2 requests failed \(first: the connection closed before the whole answer arrived\)/);
  });

  test("a chunked answer cut off before its last chunk fails", async () => {
    const { url } = await started((socket) => {
      socket.write(head("Transfer-Encoding: chunked\r\n"));
      socket.end(Buffer.concat([Buffer.from(`${page.length.toString(16)}\r\n`), page, Buffer.from("\r\n")]));
    });
    expect((await smoke({ url, requests: 1, timeoutMs: 2000 })).results[0].problem).toMatch(/whole answer|broke off/);
  });

  test("an answer that trickles past --timeout, or never ends, fails within it, without keeping it all", async () => {
    const trickle = await started((socket) => {
      socket.write(head(`Content-Length: ${page.length + 100}\r\n`));
      socket.write(page);
      const timer = setInterval(() => socket.write("x"), 100);
      socket.on("close", () => clearInterval(timer));
    });
    const t0 = Date.now();
    const slow = await smoke({ url: trickle.url, requests: 1, timeoutMs: 700 });
    expect(slow.results[0].problem).toBe("no whole answer within 700 ms");
    expect(Date.now() - t0).toBeLessThan(5000);
    const endless = await started((socket) => {
      socket.write(head("Transfer-Encoding: chunked\r\n"));
      const chunk = `100000\r\n${"x".repeat(0x100000)}\r\n`;
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk));
      };
      socket.on("drain", pump);
      pump();
    });
    const before = process.memoryUsage().rss;
    const flood = await smoke({ url: endless.url, requests: 1, timeoutMs: 1500 });
    expect(flood.results[0].problem).toBe("no whole answer within 1500 ms");
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  test("each request has a connection of its own, as each curl does (so they spread over the endpoint's addresses)", async () => {
    const answer = await started((socket) => socket.end(Buffer.concat([Buffer.from(head(`Content-Length: ${page.length}\r\n`)), page])));
    const result = await smoke({ url: answer.url, requests: 3, timeoutMs: 2000 });
    expect(result.pass).toBe(true);
    expect(answer.connections()).toBe(3);
  });

  test("an IPv6 address in the URL, and a Content-Type in other letter case (the same type, RFC 9110), pass", async () => {
    const v6 = await started((socket) => {
      const upper = head(`Content-Length: ${page.length}\r\n`).replace("text/html; charset=utf-8", "text/HTML;charset=UTF-8");
      socket.end(Buffer.concat([Buffer.from(upper), page]));
    }, "::1");
    const result = await smoke({ url: v6.url, requests: 1, timeoutMs: 2000 });
    expect(result.summary).toMatch(/^PASS http:\/\/\[::1\]:\d+\/: 1\/1/);
  });

  test("--connect-to in curl's host:port:host:port form is a usage error, not an outage", () => {
    expect(() => parseArgs(["https://a.example:443/", "--connect-to", "a.example:443:vpce.example:443"])).toThrow(
      /^--connect-to takes the host to connect to .* not curl's host:port:host:port; usage/,
    );
    expect(parseArgs(["http://x/", "--connect-to", "::1"])).toMatchObject({ connectTo: "::1" });
  });
});

describe("npm run smoke with a function of your own behind the service", () => {
  let own: { server: Server; url: string };
  beforeAll(async () => {
    own = await serve(() => ({ statusCode: 200, headers: { "Content-Type": "application/json" }, body: '{"orders":[]}' }));
  });
  afterAll(() => own.server.close());

  /** A config whose catch-all function is `fn`, written to a temp file. */
  const configWith = (fn: Record<string, unknown>): string => {
    const file = join(mkdtempSync(join(tmpdir(), "plk-smoke-")), "c.json");
    writeFileSync(file, JSON.stringify({ ...defaultRawConfig(), functions: [fn] }));
    return file;
  };

  test("the seed's answer is expected only while the seed's function is the service's only one; status 200 otherwise", () => {
    expect(expectationFor(join(ROOT, "config", "default.json"))).toEqual(SEED_ANSWER);
    // A routed function of your own beside the seed's: a path may reach either.
    expect(expectationFor(join(ROOT, "config", "examples", "two-functions-routes.json"))).toEqual({ status: 200 });
    // A consumer of a service managed elsewhere: someone else's function answers.
    expect(expectationFor(join(ROOT, "config", "examples", "consumer-of-outside-service.json"))).toEqual({ status: 200 });
    expect(expectationFor(configWith({ name: "main", source: "orders", runtime: "nodejs22.x", handler: "index.handler" }))).toEqual({
      status: 200,
    });
    // A config that cannot be read: status 200 only, and said, so a mistyped PRIVATELINK_CONFIG is not a silent weaker check
    const said: string[] = [];
    expect(expectationFor("/nonexistent/config.json", (line) => said.push(line))).toEqual({ status: 200 });
    expect(said).toEqual([
      expect.stringMatching(/^Warning: .*nonexistent\/config\.json.*; checking for status 200 only \(give --expect-\* to check more\)$/),
    ]);
  });

  test("your function's JSON answer passes by its status (the seed's check would fail it); --expect-* check more", async () => {
    const config = configWith({ name: "main", source: "orders", runtime: "nodejs22.x", handler: "index.handler" });
    const ownDefault = await runSmokeEnv({ PRIVATELINK_CONFIG: config }, own.url, "--requests", "2");
    expect(ownDefault.status).toBe(0);
    expect(ownDefault.stdout).toMatch(/^PASS http:\/\/127\.0\.0\.1:\d+\/: 2\/2 requests answered 200; p50/);
    const seed = await runSmokeEnv({}, own.url, "--requests", "1");
    expect(seed.status).toBe(1);
    expect(seed.stdout).toMatch(/^FAIL .*first: Content-Type "application\/json", body without "Hello World!"/);
    const exact = await runSmokeEnv({}, own.url, "--requests", "1", "--expect-type", "application/json", "--expect-text", '"orders"');
    expect(exact.stdout).toMatch(/^PASS .*answered 200 application\/json with "\\"orders\\""; p50/);
    const wrong = await runSmokeEnv({}, own.url, "--requests", "1", "--expect-status", "201");
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(/^FAIL .*first: status 200\)/);
    expect(() => parseArgs(["http://x/", "--expect-status", "2000"])).toThrow(/^--expect-status must be an HTTP status code, 100-599/);
  });
});
