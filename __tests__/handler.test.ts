import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { LAMBDA_SOURCE_DIR } from "../main";

/** The page the seed article's function returns, character for character. */
const SEED_HTML = `<html>
    <head>
    <title>Hello World!</title>
    <style>
    html, body {
       margin: 0; padding: 0;
       font-family: arial; font-weight: 700; font-size: 3em;
       text-align: center;
    }
    </style>
    </head>
       <body>
          <p>Hello World!</p>
      </body>
    </html>`;

/** An event as an ALB sends it to a Lambda target (ELB guide, "Lambda functions as targets"). */
const ALB_EVENT = {
  requestContext: {
    elb: {
      targetGroupArn: "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/hello-privatelink-lambda-tg/6d0ecf831eec9f09",
    },
  },
  httpMethod: "GET",
  path: "/",
  queryStringParameters: {},
  headers: {
    accept: "text/html",
    host: "vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.ap-northeast-1.vpce.amazonaws.com",
    "user-agent": "curl/8.5.0",
    "x-amzn-trace-id": "Root=1-5c536348-3d683b8b04734faae651f476",
    "x-forwarded-for": "10.1.3.7",
    "x-forwarded-port": "80",
    "x-forwarded-proto": "http",
  },
  body: "",
  isBase64Encoded: false,
};

/** Runs `lambda_handler(event, None)` with python3 and returns the parsed response. */
function invoke(event: unknown): Record<string, any> {
  const script = [
    "import json, sys",
    `sys.path.insert(0, ${JSON.stringify(LAMBDA_SOURCE_DIR)})`,
    "sys.dont_write_bytecode = True",
    "from lambda_function import lambda_handler",
    "print(json.dumps(lambda_handler(json.load(sys.stdin), None)))",
  ].join("\n");
  const run = spawnSync("python3", ["-c", script], { input: JSON.stringify(event), encoding: "utf8" });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe("Lambda handler (lambda-src/hello)", () => {
  test("answers an ALB event with a response that follows ALB's Lambda contract", () => {
    const response = invoke(ALB_EVENT);
    expect(Object.keys(response).sort()).toEqual(["body", "headers", "isBase64Encoded", "statusCode", "statusDescription"]);
    expect(response.statusCode).toBe(200);
    expect(response.statusDescription).toBe("200 OK");
    expect(response.isBase64Encoded).toBe(false);
    // Without multi-value headers enabled on the target group, ALB reads `headers` (strings).
    expect(response.headers).toEqual({ "Content-Type": "text/html; charset=utf-8" });
    expect(response).not.toHaveProperty("multiValueHeaders");
    expect(Buffer.byteLength(response.body, "utf8")).toBeLessThan(1024 * 1024);
  });

  test("returns exactly the seed article's HTML", () => {
    expect(invoke(ALB_EVENT).body).toBe(SEED_HTML);
  });

  test("the handler file is where the function's handler setting points", () => {
    expect(LAMBDA_SOURCE_DIR).toBe(join(__dirname, "..", "lambda-src", "hello"));
  });
});
