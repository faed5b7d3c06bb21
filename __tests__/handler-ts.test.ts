/**
 * The TypeScript example function (lambda-src/hello-ts), as Lambda runs it: the bundle the
 * synth builds, loaded by node from its zip, called with real ALB events.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFunctionPackages } from "../lib/function-sources";
import { ALB_EVENT, ROOT } from "./fixtures";
import { storedEntry, writeTree } from "./support/trees";

const FUNCTION = {
  name: "api",
  source: "hello-ts",
  runtime: "nodejs22.x",
  language: "nodejs",
  handler: "index.handler",
  architecture: "arm64",
} as const;

let bundle: string;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "plk-ts-"));
  const pkg = (await buildFunctionPackages(ROOT, [FUNCTION], dir)).api;
  expect(pkg.entries).toEqual(["index.js"]);
  bundle = join(dir, "index.js");
  writeFileSync(bundle, storedEntry(readFileSync(pkg.zipPath), "index.js"));
});

/** Runs `index.handler(event)` of the bundle with node, as Lambda's Node.js runtime would. */
function invoke(event: unknown, env: Record<string, string> = {}): Record<string, any> {
  const script = `require(${JSON.stringify(bundle)}).handler(JSON.parse(require("fs").readFileSync(0, "utf8"))).then((r) => process.stdout.write(JSON.stringify(r)))`;
  const run = spawnSync(process.execPath, ["-e", script], {
    input: JSON.stringify(event),
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...env },
  });
  if (run.status !== 0) throw new Error(`node failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const event = (over: Record<string, unknown>) => ({ ...ALB_EVENT, ...over });

describe("TypeScript handler (lambda-src/hello-ts)", () => {
  test("GET /api/hello answers JSON in ALB's response format", () => {
    const response = invoke(event({ path: "/api/hello", queryStringParameters: { name: "Ana%20Mar%C3%ADa" } }));
    expect(Object.keys(response).sort()).toEqual(["body", "headers", "isBase64Encoded", "statusCode", "statusDescription"]);
    expect(response).toMatchObject({ statusCode: 200, statusDescription: "200 OK", isBase64Encoded: false });
    expect(response.headers["Content-Type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(response.body)).toEqual({ message: "Hello, Ana María!" });
  });

  test("with multi-value headers on, it reads the lists and answers with multiValueHeaders, the form the ALB then reads", () => {
    // GIVEN the event the ALB sends with the target group's multi-value headers on: lists only
    const { headers: _h, queryStringParameters: _q, ...base } = ALB_EVENT as Record<string, any>;
    const multi = {
      ...base,
      path: "/api/hello",
      multiValueHeaders: Object.fromEntries(Object.entries(_h ?? {}).map(([k, v]) => [k, [v]])),
      multiValueQueryStringParameters: { name: ["first", "Ana"] },
    };
    // WHEN invoked; THEN the last value is used, and every header is a list
    const response = invoke(multi);
    expect(response).not.toHaveProperty("headers");
    expect(response.multiValueHeaders["Content-Type"]).toEqual(["application/json; charset=utf-8"]);
    expect(JSON.parse(response.body)).toEqual({ message: "Hello, Ana!" });
  });

  test("the greeting comes from the function's environment", () => {
    const response = invoke(event({ path: "/api/hello/", queryStringParameters: {} }), { GREETING: "Konnichiwa" });
    expect(JSON.parse(response.body)).toEqual({ message: "Konnichiwa, world!" });
  });

  test("GET /api/time answers the time", () => {
    const before = Date.now();
    const body = JSON.parse(invoke(event({ path: "/api/time" })).body);
    expect(body.epochMs).toBeGreaterThanOrEqual(before);
  });

  test.each([
    [{ path: "/api/other" }, 404],
    [{ path: "/" }, 404],
    [{ path: "/api/hello", httpMethod: "POST", body: "eyJhIjoxfQ==", isBase64Encoded: true }, 405],
    [{ path: "/api/hello", queryStringParameters: { name: "%E0%A4%A" } }, 400],
    [{ path: "/api/hello", queryStringParameters: { name: "x".repeat(65) } }, 400],
  ])("%j answers %i", (over, status) => {
    const response = invoke(event(over));
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body)).toHaveProperty("error");
  });

  test("a 405 says which methods are allowed", () => {
    expect(invoke(event({ path: "/api/time", httpMethod: "DELETE" })).headers.Allow).toBe("GET, HEAD");
  });
});

describe("a TypeScript function of several files", () => {
  test("is bundled into one index.js with its own modules and its JSON, which node runs alone", async () => {
    // GIVEN a function whose handler imports a module of its own and a JSON file
    const root = mkdtempSync(join(tmpdir(), "plk-ts-multi-"));
    writeTree(join(root, "lambda-src", "multi"), {
      "index.ts": 'import { greet } from "./lib/greet";\nexport const handler = async () => ({ statusCode: 200, body: greet() });\n',
      "lib/greet.ts": 'import words from "./words.json";\nexport const greet = (): string => `${words.hello}, bundle`;\n',
      "lib/words.json": '{ "hello": "Hola" }\n',
    });
    // WHEN it is packaged, and only index.js is taken out of the zip into an empty folder
    const pkg = (await buildFunctionPackages(root, [{ ...FUNCTION, name: "multi", source: "multi" }], join(root, "out"))).multi;
    expect(pkg.entries).toEqual(["index.js"]);
    const alone = join(mkdtempSync(join(tmpdir(), "plk-ts-alone-")), "index.js");
    writeFileSync(alone, storedEntry(readFileSync(pkg.zipPath), "index.js"));
    // THEN node runs it: what it imported travelled inside
    const script = `require(${JSON.stringify(alone)}).handler().then((r) => process.stdout.write(JSON.stringify(r)))`;
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { PATH: process.env.PATH } });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ statusCode: 200, body: "Hola, bundle" });
  });
});
