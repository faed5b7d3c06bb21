/**
 * The shared provider's proxy (support/provider-proxy.ts), driven with a fake provider
 * binary that answers every call with its process ID and how often it saw that request.
 * No Terraform needed; terraform-real-plan.test.ts checks it with Terraform and the real
 * provider.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProviderProxy } from "./support/provider-proxy";
import { MAX_SOCKET_PATH, SharedProvider } from "./support/terraform";

/**
 * A provider stand-in: answers `{pid, count}`; a request body "fail" gets gRPC status 13, and
 * "schema" a gRPC-framed schema message with two resource types, aws_lb and aws_instance.
 */
const FAKE_PROVIDER = `#!${process.execPath}
const http2 = require("node:http2");
const { mkdtempSync } = require("node:fs");
const { join } = require("node:path");
const socket = join(mkdtempSync(join(${JSON.stringify(tmpdir())}, "fake-provider-")), "s");
const seen = new Map();
http2.createServer().on("stream", (stream, headers) => {
  const chunks = [];
  stream.on("data", (c) => chunks.push(c));
  stream.on("end", () => {
    const body = Buffer.concat(chunks).toString();
    const key = headers[":path"] + " " + body;
    seen.set(key, (seen.get(key) || 0) + 1);
    if (body === "fail") return stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "13", "grpc-message": "refused" }, { endStream: true });
    const entry = (key) => { const k = Buffer.from(key); const inner = Buffer.concat([Buffer.from([0x0a, k.length]), k, Buffer.from([0x12, 1, 0x2a])]); return Buffer.concat([Buffer.from([0x12, inner.length]), inner]); };
    const message = Buffer.concat([entry("aws_lb"), entry("aws_instance")]);
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]);
    stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    stream.end(body === "schema" ? framed : JSON.stringify({ pid: process.pid, count: seen.get(key) }));
  });
}).listen(socket, () => console.log("TF_REATTACH_PROVIDERS='" + JSON.stringify({ "registry.terraform.io/hashicorp/aws": { Addr: { Network: "unix", String: socket } } }) + "'"));
`;

/** A program that exits at once, as a provider binary that cannot start. */
const BROKEN_PROVIDER = `#!${process.execPath}\nprocess.exit(3);\n`;

function executable(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "fake-bin-")), "terraform-provider-aws");
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

interface Answer {
  readonly status: string | undefined;
  readonly message?: string;
  readonly pid?: number;
  readonly count?: number;
}

/** One Terraform connection: calls `/tfplugin5.Provider/<method>` with `body`. */
function connection(socket: string) {
  const session = http2.connect("http://provider", { createConnection: () => connect(socket) });
  /** One call: its headers, trailers and whole body. */
  const send = (method: string, body: string) =>
    new Promise<{ head: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; data: Buffer }>((resolve, reject) => {
      const request = session.request({ ":method": "POST", ":path": `/tfplugin5.Provider/${method}`, "content-type": "application/grpc" });
      let head: http2.IncomingHttpHeaders = {};
      let trailers: http2.IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      request.on("response", (h) => (head = h));
      request.on("trailers", (t) => (trailers = t));
      request.on("data", (d: Buffer) => chunks.push(d));
      request.on("end", () => resolve({ head, trailers, data: Buffer.concat(chunks) }));
      request.on("error", reject);
      request.end(body);
    });
  return {
    /** The answer's body as it came. */
    raw: async (method: string, body: string) => (await send(method, body)).data,
    /** The answer's gRPC status and message, and the fake provider's JSON body. */
    call: async (method: string, body: string): Promise<Answer> => {
      const { head, trailers, data } = await send(method, body);
      const status = String(trailers["grpc-status"] ?? head["grpc-status"]);
      const message = trailers["grpc-message"] ?? head["grpc-message"];
      return {
        status,
        ...(message ? { message: decodeURIComponent(String(message)) } : {}),
        ...(data.length ? JSON.parse(data.toString()) : {}),
      };
    },
    close: () => session.close(),
  };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the shared provider's proxy", () => {
  let proxy: ProviderProxy;
  let socket: string;
  const open: ReturnType<typeof connection>[] = [];
  const connectNew = () => {
    const c = connection(socket);
    open.push(c);
    return c;
  };

  beforeEach(async () => {
    socket = join(mkdtempSync(join(tmpdir(), "proxy-")), "provider.sock");
    proxy = new ProviderProxy(executable(FAKE_PROVIDER), socket);
    const reattach = JSON.parse(await proxy.listen());
    expect(reattach["registry.terraform.io/hashicorp/aws"]).toMatchObject({
      Protocol: "grpc",
      ProtocolVersion: 5,
      Test: true,
      Addr: { Network: "unix", String: socket },
    });
  });

  afterEach(() => {
    open.splice(0).forEach((c) => c.close());
    proxy.stop();
  });

  test("each provider configuration gets a process of its own; a connection stays with the one it configured", async () => {
    // GIVEN three connections, two of them configured alike
    const [a, b, c, unconfigured] = [connectNew(), connectNew(), connectNew(), connectNew()];
    // WHEN each configures and plans
    await a.call("Configure", "region=eu-west-1");
    await b.call("Configure", "region=us-east-1");
    await c.call("Configure", "region=eu-west-1");
    const [planA, planB, planC, planNone] = await Promise.all([
      a.call("PlanResourceChange", "r"),
      b.call("PlanResourceChange", "r"),
      c.call("PlanResourceChange", "r"),
      unconfigured.call("ValidateResourceTypeConfig", "r"),
    ]);
    // THEN the two configurations plan in two processes, and A and C share one
    expect(planA.pid).toBe(planC.pid);
    expect(planB.pid).not.toBe(planA.pid);
    // (each process saw one Configure: the second eu-west-1 one was answered from the first)
    expect(proxy.counts).toMatchObject({ processes: 3, configurations: 2 });
    // and what comes before any Configure goes to a process no configuration uses
    expect([planA.pid, planB.pid]).not.toContain(planNone.pid);
    // Every resource call is passed on: A's and C's plans both reached their process.
    expect([planA.count, planC.count].sort()).toEqual([1, 2]);
  });

  test("what depends on the request alone is asked once and replayed; different requests are each asked", async () => {
    const [a, b] = [connectNew(), connectNew()];
    const first = await a.call("PrepareProviderConfig", "region=eu-west-1");
    const again = await b.call("PrepareProviderConfig", "region=eu-west-1");
    const other = await b.call("PrepareProviderConfig", "region=us-east-1");
    const schemas = await Promise.all([a.call("GetSchema", ""), b.call("GetSchema", "")]);
    expect(first).toEqual({ status: "0", pid: expect.any(Number), count: 1 });
    expect(again).toEqual(first);
    expect(other).toMatchObject({ status: "0", count: 1 });
    expect(schemas[1]).toEqual(schemas[0]);
    expect(proxy.counts).toMatchObject({ asked: 3, replayed: 2 });
  });

  test("given the types to keep, the schema Terraform gets holds only theirs; without, all of them", async () => {
    // GIVEN a proxy that keeps aws_lb, beside the one that keeps every type
    const keeping = new ProviderProxy(
      executable(FAKE_PROVIDER),
      join(mkdtempSync(join(tmpdir(), "proxy-")), "provider.sock"),
      undefined,
      new Set(["aws_lb"]),
    );
    await keeping.listen();
    const k = connection(keeping.socketPath);
    try {
      // WHEN each is asked for the schema
      const cut = await k.raw("GetSchema", "schema");
      const whole = await connectNew().raw("GetSchema", "schema");
      // THEN the kept type's schema is there and the other's is not; the frame's length is right
      expect(cut.includes("aws_lb")).toBe(true);
      expect(cut.includes("aws_instance")).toBe(false);
      expect(cut.readUInt32BE(1)).toBe(cut.length - 5);
      expect(keeping.counts.pruned).toBe(1);
      // and without types to keep, the answer is the provider's, whole
      expect(whole.includes("aws_lb") && whole.includes("aws_instance")).toBe(true);
      expect(proxy.counts.pruned).toBe(0);
      // Only the schema is cut: any other call's answer passes as it came.
      const other = await k.raw("GetMetadata", "schema");
      expect(other.includes("aws_instance")).toBe(true);
      // and a schema answer that is not a schema message passes too.
      expect(JSON.parse((await k.raw("GetSchema", "")).toString())).toMatchObject({ count: 1 });
    } finally {
      k.close();
      keeping.stop();
    }
  });

  test("a resource's validation is replayed only within the process that answered it", async () => {
    // GIVEN two configurations and a connection that configured nothing
    const [a, b, c, unconfigured] = [connectNew(), connectNew(), connectNew(), connectNew()];
    await a.call("Configure", "region=eu-west-1");
    await b.call("Configure", "region=us-east-1");
    await c.call("Configure", "region=eu-west-1");
    // WHEN each validates the same resource config, A twice
    const first = await a.call("ValidateResourceTypeConfig", "r");
    const again = await a.call("ValidateResourceTypeConfig", "r");
    const sameConfig = await c.call("ValidateResourceTypeConfig", "r");
    const otherConfig = await b.call("ValidateResourceTypeConfig", "r");
    const none = await unconfigured.call("ValidateResourceTypeConfig", "r");
    // THEN A's process was asked once, and C (same configuration, same process) got its answer
    expect(first).toMatchObject({ status: "0", count: 1 });
    expect(again).toEqual(first);
    expect(sameConfig).toEqual(first);
    // and the other configuration's process and the unconfigured one were each asked themselves
    expect(otherConfig).toMatchObject({ status: "0", count: 1 });
    expect(none).toMatchObject({ status: "0", count: 1 });
    expect(new Set([first.pid, otherConfig.pid, none.pid]).size).toBe(3);
    expect(proxy.counts).toMatchObject({ asked: 3, replayed: 2 });
    // A different config is a different request: asked.
    expect(await a.call("ValidateResourceTypeConfig", "s")).toMatchObject({ pid: first.pid, count: 1 });
  });

  test("an error is passed on as it is, and never replayed", async () => {
    const a = connectNew();
    expect(await a.call("PrepareProviderConfig", "fail")).toEqual({ status: "13", message: "refused" });
    expect(await a.call("PrepareProviderConfig", "fail")).toEqual({ status: "13", message: "refused" });
    expect(proxy.counts).toMatchObject({ asked: 2, replayed: 0 });
    expect(await a.call("PlanResourceChange", "fail")).toEqual({ status: "13", message: "refused" });
  });

  describe("a provider configuration's validation, kept on disk across runs", () => {
    /** One run: a proxy of `binary` keeping answers in `dir`, one call, the answer and the counts. */
    async function run(binary: string, dir: string, body: string) {
      const one = new ProviderProxy(binary, join(mkdtempSync(join(tmpdir(), "proxy-")), "provider.sock"), dir);
      await one.listen();
      const c = connection(one.socketPath);
      try {
        return { answer: await c.call("PrepareProviderConfig", body), counts: { ...one.counts } };
      } finally {
        c.close();
        one.stop();
      }
    }

    test("the next run reads it without starting a provider process", async () => {
      const [binary, dir] = [executable(FAKE_PROVIDER), mkdtempSync(join(tmpdir(), "answers-"))];
      const first = await run(binary, dir, "region=eu-west-1");
      const next = await run(binary, dir, "region=eu-west-1");
      expect(first.counts).toMatchObject({ processes: 1, asked: 1, remembered: 0 });
      expect(next.counts).toMatchObject({ processes: 0, asked: 0, remembered: 1 });
      // The answer of the first run's process, byte for byte.
      expect(next.answer).toEqual(first.answer);
      // Another configuration is another request: asked.
      expect((await run(binary, dir, "region=us-east-1")).counts).toMatchObject({ asked: 1, remembered: 0 });
    });

    test("another provider binary, or other AWS_ settings the provider reads defaults from, ask again", async () => {
      const [binary, dir] = [executable(FAKE_PROVIDER), mkdtempSync(join(tmpdir(), "answers-"))];
      await run(binary, dir, "region=eu-west-1");
      expect((await run(executable(FAKE_PROVIDER), dir, "region=eu-west-1")).counts).toMatchObject({ asked: 1, remembered: 0 });
      process.env.AWS_REGION = "sa-east-1";
      try {
        expect((await run(binary, dir, "region=eu-west-1")).counts).toMatchObject({ asked: 1, remembered: 0 });
      } finally {
        delete process.env.AWS_REGION;
      }
      expect((await run(binary, dir, "region=eu-west-1")).counts).toMatchObject({ asked: 0, remembered: 1 });
    });

    test("an error is never kept", async () => {
      const [binary, dir] = [executable(FAKE_PROVIDER), mkdtempSync(join(tmpdir(), "answers-"))];
      expect((await run(binary, dir, "fail")).answer).toEqual({ status: "13", message: "refused" });
      const again = await run(binary, dir, "fail");
      expect(again.answer).toEqual({ status: "13", message: "refused" });
      expect(again.counts).toMatchObject({ asked: 1, remembered: 0 });
    });

    test("a folder that cannot be written only means the provider is asked", async () => {
      const blocker = join(mkdtempSync(join(tmpdir(), "answers-")), "file");
      writeFileSync(blocker, "not a folder");
      const binary = executable(FAKE_PROVIDER);
      expect((await run(binary, blocker, "region=eu-west-1")).answer).toMatchObject({ status: "0", count: 1 });
      expect((await run(binary, blocker, "region=eu-west-1")).counts).toMatchObject({ asked: 1, remembered: 0 });
    });
  });

  test("stopping the proxy stops every provider process it started", async () => {
    const [a, b] = [connectNew(), connectNew()];
    await a.call("Configure", "region=eu-west-1");
    const pids = [(await a.call("PlanResourceChange", "r")).pid, (await b.call("PlanResourceChange", "r")).pid] as number[];
    expect(pids.every(alive)).toBe(true);
    proxy.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pids.filter(alive)).toEqual([]);
  });

  test.each([
    ["", (): string => executable(BROKEN_PROVIDER)],
    [", with an answers folder and no binary at all", (): string => join(mkdtempSync(join(tmpdir(), "gone-")), "terraform-provider-aws")],
  ])("a provider that cannot start fails the call with a gRPC error Terraform shows%s", async (_what, binary) => {
    const answers = mkdtempSync(join(tmpdir(), "answers-"));
    const broken = new ProviderProxy(binary(), join(mkdtempSync(join(tmpdir(), "proxy-")), "provider.sock"), answers);
    await broken.listen();
    const c = connection(broken.socketPath);
    try {
      const answer = await c.call("GetSchema", "");
      expect(answer.status).toBe("14");
      expect(answer.message).toMatch(/terraform-provider-aws -debug did not start \(exit -?\d+\)/);
    } finally {
      c.close();
      broken.stop();
    }
  });

  test("a temp folder too long for a Unix socket gets the socket in a short folder of its own, removed on stop", async () => {
    // GIVEN a temp folder whose socket path would pass the 104 bytes macOS allows
    const long = join(mkdtempSync(join(tmpdir(), "long-")), "x".repeat(90));
    mkdirSync(long);
    // WHEN the shared provider starts there (no provider process starts before a call)
    const shared = await SharedProvider.start(executable(FAKE_PROVIDER), { tempDir: long });
    // THEN its socket path fits, the log stays in the temp folder, and stop removes the socket's folder
    const socket = JSON.parse(shared.reattach)["registry.terraform.io/hashicorp/aws"].Addr.String as string;
    try {
      expect(socket.length).toBeLessThanOrEqual(MAX_SOCKET_PATH);
      expect(shared.logFile.startsWith(long)).toBe(true);
      expect(existsSync(socket)).toBe(true);
    } finally {
      shared.stop();
    }
    expect(existsSync(socket)).toBe(false);
  });
});
