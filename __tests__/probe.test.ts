/**
 * The probe (lambda-src/probe) and `npm run smoke -- --from`, against servers on 127.0.0.1
 * only: the service (HTTP, and HTTPS with a certificate made for the test) and a stand-in for
 * the Lambda Invoke API that runs the real probe handler, as Lambda would.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { AddressInfo, createServer as createNetServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, probeResult, SEED_ANSWER, smokeFrom } from "../scripts/smoke";
import { invokeProbe, probeClient, probeTarget } from "../scripts/probe-client";
import { ALB_EVENT, defaultRawConfig, invokeHandler, pythonFailure, ROOT } from "./fixtures";

const PROBE_DIR = join(ROOT, "lambda-src", "probe");

/** Runs the probe handler with `event` and `env`, without blocking this process's servers. */
function probe(event: unknown, env: Record<string, string>): Promise<Record<string, any>> {
  const script = [
    "import json, sys",
    `sys.path.insert(0, ${JSON.stringify(PROBE_DIR)})`,
    "sys.dont_write_bytecode = True",
    "from probe import handler",
    "print(json.dumps(handler(json.load(sys.stdin), None)))",
  ].join("\n");
  return new Promise((resolve, reject) => {
    const child = execFile(
      "python3",
      ["-c", script],
      { encoding: "utf8", env: { PATH: process.env.PATH, ...env } },
      (err, stdout, stderr) => (err ? reject(pythonFailure(err, stderr)) : resolve(JSON.parse(stdout))),
    );
    child.stdin?.end(JSON.stringify(event));
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** The seed function's real answer, as the ALB would send it; records each request's path and Host. */
function service(seen: { path?: string; host?: string }[]) {
  const lambda = invokeHandler(ALB_EVENT);
  return (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ path: req.url, host: req.headers.host });
    if (req.url === "/moved") {
      res.writeHead(302, { Location: "http://127.0.0.1:1/" });
      res.end();
      return;
    }
    res.writeHead(lambda.statusCode, lambda.headers);
    res.end(lambda.body);
  };
}

describe("the probe handler", () => {
  const seen: { path?: string; host?: string }[] = [];
  let http: Server;
  let httpPort: number;
  let tls: Server;
  let tlsPort: number;
  let ca: string;
  beforeAll(async () => {
    http = createServer(service(seen));
    httpPort = await listen(http);
    // A self-signed certificate for api.internal.example, trusted through PROBE_CA_BUNDLE.
    const dir = mkdtempSync(join(tmpdir(), "plk-probe-tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        // An EC key: made in milliseconds, where an RSA one takes about 0.3 s.
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=api.internal.example",
        "-addext",
        "subjectAltName=DNS:api.internal.example",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    ca = join(dir, "cert.pem");
    tls = createTlsServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(ca) }, service(seen));
    tlsPort = await listen(tls);
  });
  afterAll(() => {
    http.close();
    tls.close();
  });

  test("returns the service's status, headers, a body excerpt and the latency", async () => {
    const answer = await probe({}, { SERVICE_URL: `http://127.0.0.1:${httpPort}/` });
    expect(answer).toMatchObject({ ok: true, url: `http://127.0.0.1:${httpPort}/`, status: 200 });
    expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(answer.bodyExcerpt).toContain("<p>Hello World!</p>");
    expect(answer.latencyMs).toBeGreaterThan(0);
    expect(probeResult(answer as never)).toMatchObject({ ok: true });
  });

  test("an event chooses only the path, never the host", async () => {
    seen.length = 0;
    const answer = await probe({ path: "/healthz?x=1" }, { SERVICE_URL: `http://127.0.0.1:${httpPort}/` });
    expect(answer.url).toBe(`http://127.0.0.1:${httpPort}/healthz?x=1`);
    expect(seen).toEqual([{ path: "/healthz?x=1", host: `127.0.0.1:${httpPort}` }]);
    // A path with non-ASCII characters goes percent-encoded, as curl or a browser sends it
    seen.length = 0;
    const cafe = await probe({ path: "/ok/café" }, { SERVICE_URL: `http://127.0.0.1:${httpPort}/` });
    expect(cafe).toMatchObject({ ok: true, status: 200 });
    expect(seen).toEqual([{ path: "/ok/caf%C3%A9", host: `127.0.0.1:${httpPort}` }]);
    for (const path of ["//198.51.100.1/", "http://198.51.100.1/", "no-slash", "/a b", "/a\r\nHost: x", 42]) {
      const refused = await probe({ path }, { SERVICE_URL: `http://127.0.0.1:${httpPort}/` });
      expect(refused).toEqual({ ok: false, error: expect.stringContaining("path must be a string starting with a single /") });
    }
  });

  test("a redirect is reported as it is, not followed", async () => {
    const answer = await probe({ path: "/moved" }, { SERVICE_URL: `http://127.0.0.1:${httpPort}/` });
    expect(answer).toMatchObject({ ok: true, status: 302 });
    expect(answer.headers.location).toBe("http://127.0.0.1:1/");
    expect(probeResult(answer as never)).toMatchObject({ ok: false, problem: expect.stringContaining("status 302") });
  });

  test("an answer cut off before its Content-Length, or trickling past the timeout, is no answer (read(n) alone took either for whole)", async () => {
    const page = Buffer.from(invokeHandler(ALB_EVENT).body);
    const head = (length: number) => `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${length}\r\n\r\n`;
    const cut = createNetServer((socket) =>
      socket.once("data", () => socket.end(Buffer.concat([Buffer.from(head(page.length + 1000)), page]))),
    );
    const trickle = createNetServer((socket) =>
      socket.once("data", () => {
        socket.write(Buffer.concat([Buffer.from(head(page.length + 100)), page]));
        const timer = setInterval(() => socket.write("x"), 200);
        socket.on("close", () => clearInterval(timer));
        socket.on("error", () => clearInterval(timer));
      }),
    );
    try {
      const cutPort = await listen(cut as unknown as Server);
      const truncated = await probe({}, { SERVICE_URL: `http://127.0.0.1:${cutPort}/` });
      expect(truncated).toMatchObject({ ok: false, error: expect.stringMatching(/^IncompleteRead: .*1000 more expected/) });
      expect(probeResult(truncated as never)).toMatchObject({ ok: false });
      const tricklePort = await listen(trickle as unknown as Server);
      const t0 = Date.now();
      const slow = await probe({}, { SERVICE_URL: `http://127.0.0.1:${tricklePort}/`, PROBE_TIMEOUT_SECONDS: "1" });
      expect(slow).toMatchObject({ ok: false, error: "TimeoutError: no whole answer within 1 s" });
      expect(Date.now() - t0).toBeLessThan(6000);
    } finally {
      cut.close();
      trickle.close();
    }
  });

  test("no answer: ok false with the error and the time it took", async () => {
    const closed = createServer();
    const port = await listen(closed);
    closed.close();
    const answer = await probe({}, { SERVICE_URL: `http://127.0.0.1:${port}/`, PROBE_TIMEOUT_SECONDS: "2" });
    expect(answer).toMatchObject({ ok: false, url: `http://127.0.0.1:${port}/`, error: expect.stringMatching(/Connection ?Refused/i) });
    expect(probeResult(answer as never)).toMatchObject({ ok: false, problem: answer.error });
  });

  test("HTTPS: connects to CONNECT_TO and verifies the certificate against the URL's name, as curl --connect-to does", async () => {
    const env = { SERVICE_URL: `https://api.internal.example:${tlsPort}/`, CONNECT_TO: "127.0.0.1", PROBE_CA_BUNDLE: ca };
    const answer = await probe({}, env);
    expect(answer).toMatchObject({ ok: true, status: 200, url: `https://api.internal.example:${tlsPort}/` });
    expect(seen.at(-1)?.host).toBe(`api.internal.example:${tlsPort}`);
  });

  test("HTTPS: a certificate for another name is refused", async () => {
    const env = { SERVICE_URL: `https://other.internal.example:${tlsPort}/`, CONNECT_TO: "127.0.0.1", PROBE_CA_BUNDLE: ca };
    const answer = await probe({}, env);
    expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/CERTIFICATE_VERIFY_FAILED|doesn't match|mismatch/i) });
  });

  test("HTTPS: a certificate nobody trusts is refused", async () => {
    const answer = await probe({}, { SERVICE_URL: `https://api.internal.example:${tlsPort}/`, CONNECT_TO: "127.0.0.1" });
    expect(answer).toMatchObject({ ok: false, error: expect.stringContaining("CERTIFICATE_VERIFY_FAILED") });
  });
});

describe("npm run smoke -- --from <consumer stack>", () => {
  test("parses --from, --requests and --path; refuses mixing it with a URL", () => {
    expect(parseArgs(["--from", "consumer"], {})).toEqual({
      from: "consumer",
      requests: 20,
      path: "/",
      configFile: "config/default.json",
      expect: SEED_ANSWER,
    });
    expect(parseArgs(["--from", "consumer-osaka", "--requests", "3", "--path", "/healthz"], { PRIVATELINK_CONFIG: "x.json" })).toEqual({
      from: "consumer-osaka",
      requests: 3,
      path: "/healthz",
      configFile: "x.json",
      expect: { status: 200 },
    });
    expect(() => parseArgs(["--from", "consumer", "http://x/"], {})).toThrow("--from calls through the probe: give no URL");
    expect(() => parseArgs(["--from"], {})).toThrow("--from needs a value");
    expect(() => parseArgs(["--from", "--requests", "2"], {})).toThrow("--from needs a value");
    expect(() => parseArgs(["--from", "c", "--path", "x"], {})).toThrow("--path must start with a single /");
    expect(() => parseArgs(["http://x/", "--path", "/a"], {})).toThrow("--path only applies with --from");
  });

  test("finds the stack's probe in the config: its function name, account and credentials settings", () => {
    const file = configFile((raw) => {
      raw.consumers[0].profile = "consumer-admin";
      raw.consumers[0].assumeRole = { roleArn: "arn:aws:iam::222222222222:role/deployer" };
    });
    expect(probeTarget(file, "consumer")).toEqual({
      stack: "consumer",
      functionName: "hello-privatelink-consumer-probe",
      account: {
        accountId: "222222222222",
        region: "ap-northeast-1",
        profile: "consumer-admin",
        assumeRole: { roleArn: "arn:aws:iam::222222222222:role/deployer" },
      },
    });
    expect(() => probeTarget(file, "provider")).toThrow('--from "provider": no consumer stack of that name in');
    expect(() =>
      probeTarget(
        configFile((raw) => (raw.consumers[0].probe = false)),
        "consumer",
      ),
    ).toThrow('consumer "main" has no probe (consumers[0].probe)');
  });

  test("checks each answer as a direct request and prints one PASS/FAIL line", async () => {
    const file = configFile();
    const good = {
      ok: true,
      url: "http://svc/",
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8" },
      bodyExcerpt: "<p>Hello World!</p>",
      latencyMs: 12,
    };
    const calls: string[] = [];
    const pass = await smokeFrom({ from: "consumer", requests: 3, path: "/", configFile: file }, (target, path) => {
      calls.push(`${target.functionName} ${path}`);
      return Promise.resolve(good);
    });
    expect(calls).toEqual(Array(3).fill("hello-privatelink-consumer-probe /"));
    expect(pass.pass).toBe(true);
    expect(pass.summary).toMatch(/^PASS http:\/\/svc\/ from consumer \(hello-privatelink-consumer-probe\): 3\/3 requests answered 200/);
    let n = 0;
    const fail = await smokeFrom({ from: "consumer", requests: 2, path: "/", configFile: file }, () =>
      Promise.resolve(n++ === 0 ? good : { ok: false, url: "http://svc/", error: "TimeoutError: timed out", latencyMs: 10000 }),
    );
    expect(fail.pass).toBe(false);
    expect(fail.summary).toContain(
      "FAIL http://svc/ from consumer (hello-privatelink-consumer-probe): 1/2 requests failed (first: TimeoutError: timed out)",
    );
  });

  test("an invocation that never answers ends within the client's timeout; --timeout is not the probe's", async () => {
    // GIVEN a Lambda endpoint that takes the connection and never answers
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => {
      sockets.push(socket);
      socket.on("error", () => undefined);
    });
    const port = await listen(silent as unknown as Server);
    const env: Record<string, string> = {
      AWS_ACCESS_KEY_ID: "AKIDPROBETEST",
      AWS_SECRET_ACCESS_KEY: "test-secret",
      AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${port}`,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    const account = { accountId: "222222222222", region: "ap-northeast-1" };
    const client = await probeClient(account);
    try {
      // WHEN invoked; THEN it fails within its timeout instead of waiting for ever, saying so
      const t0 = Date.now();
      await expect(invokeProbe({ stack: "consumer", functionName: "p", account }, "/", client, 500)).rejects.toThrow(
        "the probe p did not answer within 0.5 s",
      );
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      client.destroy();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      sockets.forEach((socket) => socket.destroy());
      silent.close();
    }
    expect(() => parseArgs(["--from", "consumer", "--timeout", "2000"])).toThrow(
      /^--from calls through the probe, which has its own timeout/,
    );
  });

  test("a probe that answers something else than JSON (an error page, nothing) is named, with what it answered", async () => {
    const target = {
      stack: "consumer",
      functionName: "hello-privatelink-consumer-probe",
      account: { accountId: "222222222222", region: "ap-northeast-1" },
    };
    for (const payload of ["Internal server error", ""]) {
      const client = { send: () => Promise.resolve({ Payload: Buffer.from(payload) }) };
      await expect(invokeProbe(target as never, "/", client as never)).rejects.toThrow(
        `the probe hello-privatelink-consumer-probe answered something else than a probe result: ${payload}`,
      );
    }
  });

  describe("end to end: the SDK invokes a local stand-in for Lambda, which runs the real probe against the service", () => {
    let lambda: Server;
    let svc: Server;
    const invocations: { path?: string; auth?: string; payload: string }[] = [];
    let lambdaPort: number;
    beforeAll(async () => {
      svc = createServer(service([]));
      const svcPort = await listen(svc);
      lambda = createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          invocations.push({ path: req.url, auth: req.headers.authorization, payload: body });
          void probe(JSON.parse(body), { SERVICE_URL: `http://127.0.0.1:${svcPort}/` }).then((answer) => {
            res.writeHead(200, { "Content-Type": "application/json" });
            res.end(JSON.stringify(answer));
          });
        });
      });
      lambdaPort = await listen(lambda);
    });
    afterAll(() => {
      lambda.close();
      svc.close();
    });

    test("PASS, exit 0, one invocation per request, signed with the consumer's credentials", async () => {
      const run = await smokeCli(["--from", "consumer", "--requests", "2"], lambdaPort, configFile());
      expect(run.stderr).toBe("");
      expect(run.stdout.trim().split("\n")).toEqual([
        expect.stringMatching(
          /^PASS http:\/\/127\.0\.0\.1:\d+\/ from consumer \(hello-privatelink-consumer-probe\): 2\/2 requests answered 200 text\/html; charset=utf-8 with "Hello World!"; p50 [\d.]+ ms, p95 [\d.]+ ms$/,
        ),
      ]);
      expect(run.status).toBe(0);
      expect(invocations).toHaveLength(2);
      expect(invocations[0].path).toBe("/2015-03-31/functions/hello-privatelink-consumer-probe/invocations");
      expect(invocations[0].auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDPROBETEST\/\d{8}\/ap-northeast-1\/lambda\/aws4_request/);
      expect(JSON.parse(invocations[0].payload)).toEqual({ path: "/" });
    });

    test("a stack without a probe: one line, exit 1", async () => {
      const run = await smokeCli(["--from", "consumer-nope"], lambdaPort, configFile());
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toMatch(/^--from "consumer-nope": no consumer stack of that name in .* \(consumer stacks: consumer\)$/);
    });
  });
});

/** The default config, edited, in a file. */
function configFile(edit: (raw: Record<string, any>) => void = () => undefined): string {
  const raw = defaultRawConfig();
  edit(raw);
  const file = join(mkdtempSync(join(tmpdir(), "plk-smoke-cfg-")), "config.json");
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

/** The smoke CLI with static test credentials and Lambda at the local stand-in; nothing else is reachable. */
function smokeCli(args: string[], lambdaPort: number, config: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    PRIVATELINK_CONFIG: config,
    AWS_ACCESS_KEY_ID: "AKIDPROBETEST",
    AWS_SECRET_ACCESS_KEY: "test-secret",
    AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${lambdaPort}`,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/nonexistent",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
    // The SDK's notice that its 2027 releases need Node.js 22 is not what this test checks.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(ROOT, "scripts", "smoke.ts"), ...args],
      { encoding: "utf8", env, cwd: ROOT },
      (err, stdout, stderr) => resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
