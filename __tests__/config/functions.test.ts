import { resolveConfig } from "../../config/resolve";
import { secretLooking } from "../../config/functions";
import { functionNames } from "../../config/function-names";
import { derivedPriority } from "../../lib/routes";
import { configWith, refusalOf } from "../fixtures";

const SEED = { name: "main", source: "hello", runtime: "python3.13", handler: "lambda_function.lambda_handler" };
const API = { name: "api", source: "hello-ts", runtime: "nodejs22.x", handler: "index.handler", routes: [{ paths: ["/api/*"] }] };
const SSM = "arn:aws:ssm:ap-northeast-1:111111111111:parameter/hello/db-password";
const SECRET = "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:hello/api-key-AbCdEf";

/** The config error for the default config with `functions` set to `fns` (after `edit`), or a failure if accepted. */
function messageFor(fns: unknown[], edit: (raw: Record<string, any>) => void = () => undefined): string {
  return refusalOf((raw) => {
    raw.functions = fns;
    edit(raw);
  });
}

const withFunctions = (fns: unknown[]) => configWith((raw) => (raw.functions = fns));

describe("reserved concurrency, added up over the functions, leaves Lambda its 100 unreserved", () => {
  const QUOTA =
    "1000 concurrent executions of Lambda functions per Region in an account (AWS's default; quota lambda L-B99A9384, https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html)";
  test.each<[string, unknown[], (raw: Record<string, any>) => void, string | undefined]>([
    ["900 on the one function: the most", [SEED], (raw) => (raw.lambda.reservedConcurrency = 900), undefined],
    [
      "901 on the one function, set for all",
      [SEED],
      (raw) => (raw.lambda.reservedConcurrency = 901),
      `lambda.reservedConcurrency = 901: reserves 901 concurrent executions; Lambda keeps 100 of the account's ${QUOTA} unreserved, so at most 900 can be reserved. Ways out: reserve less, or raise the quota and set aws.quotas.lambdaConcurrentExecutions`,
    ],
    [
      "the shared setting counts for every function that sets none",
      [SEED, { ...API, reservedConcurrency: 1 }],
      (raw) => (raw.lambda.reservedConcurrency = 900),
      "reserves 901 concurrent executions over 2 functions",
    ],
    [
      "two functions of 450 and 451",
      [
        { ...SEED, reservedConcurrency: 450 },
        { ...API, reservedConcurrency: 451 },
      ],
      () => undefined,
      "reserves 901 concurrent executions over 2 functions; Lambda keeps 100",
    ],
    [
      "the quota raised to 2,000",
      [
        { ...SEED, reservedConcurrency: 950 },
        { ...API, reservedConcurrency: 950 },
      ],
      (raw) => (raw.aws = { quotas: { lambdaConcurrentExecutions: 2000 } }),
      undefined,
    ],
  ])("%s", (_name, fns, edit, expected) => {
    if (expected === undefined) {
      expect(() =>
        configWith((raw) => {
          raw.functions = fns;
          edit(raw);
        }),
      ).not.toThrow();
    } else {
      expect(messageFor(fns, edit)).toContain(expected);
    }
  });
});

describe("config: functions", () => {
  test("the default is the seed's one Python function, named main", () => {
    const model = resolveConfig(configWith());
    expect(model.provider?.functions).toEqual([
      expect.objectContaining({
        name: "main",
        functionName: "hello-privatelink",
        targetGroupName: "hello-privatelink-lambda-tg",
        main: true,
        source: "hello",
        runtime: "python3.13",
        language: "python",
        handler: "lambda_function.lambda_handler",
        memoryMb: 128,
        timeoutSeconds: 10,
        architecture: "arm64",
        routes: [],
      }),
    ]);
  });

  test("a function's own settings win over lambda's; names grow from the app's name", () => {
    const model = resolveConfig(
      withFunctions([SEED, { ...API, memoryMb: 512, timeoutSeconds: 3, architecture: "x86_64", reservedConcurrency: 2 }]),
    );
    const [main, api] = model.provider?.functions ?? [];
    expect(main).toMatchObject({ memoryMb: 128, timeoutSeconds: 10, architecture: "arm64" });
    expect(main.reservedConcurrency).toBeUndefined();
    expect(api).toMatchObject({
      functionName: "hello-privatelink-api",
      targetGroupName: "hello-privatelink-api-tg",
      main: false,
      language: "nodejs",
      memoryMb: 512,
      timeoutSeconds: 3,
      architecture: "x86_64",
      reservedConcurrency: 2,
      routes: [{ paths: ["/api/*"], priority: derivedPriority({ paths: ["/api/*"] }) }],
    });
  });

  test("a route's given priority is kept", () => {
    const model = resolveConfig(withFunctions([SEED, { ...API, routes: [{ paths: ["/api/*"], priority: 7 }] }]));
    expect(model.provider?.functions[1].routes[0].priority).toBe(7);
  });

  test("environment values reach Terraform literally; secrets are variables holding ARNs", () => {
    const config = withFunctions([{ ...SEED, environment: { GREETING: "Hi ${name}" }, secrets: { DB_PASSWORD: SSM } }]);
    expect(config.functions[0].environment).toEqual({ GREETING: "Hi $${name}" });
    expect(config.functions[0].secrets).toEqual({ DB_PASSWORD: SSM });
  });

  test.each([
    [
      "unknown runtime",
      [{ ...SEED, runtime: "python2.7" }],
      'functions[0].runtime = "python2.7": is not a Python or Node.js Lambda runtime',
    ],
    [
      "deprecated runtime",
      [{ ...SEED, runtime: "nodejs18.x" }],
      'functions[0].runtime = "nodejs18.x": was deprecated by Lambda on 2025-09-01',
    ],
    ["runtime the provider refuses", [{ ...SEED, runtime: "python3.14" }], "refuses it at plan"],
    [
      "handler without a function",
      [{ ...SEED, handler: "lambda_function" }],
      'functions[0].handler = "lambda_function": must be "<file>.<function>"',
    ],
    [
      "source outside lambda-src",
      [{ ...SEED, source: "../secrets" }],
      'functions[0].source = "../secrets": must be a folder under lambda-src/',
    ],
    [
      "no default function",
      [{ ...SEED, routes: [{ paths: ["/a"] }] }],
      "must have exactly one function without routes, which answers every request no route matches; every function has routes",
    ],
    ["two default functions", [SEED, { ...API, routes: undefined }], "functions[0], functions[1] have none"],
    ["duplicate names", [SEED, { ...API, name: "main" }], 'functions[1].name = "main": is used by another function'],
    ["the reserved name lambda", [SEED, { ...API, name: "lambda" }], 'functions[1].name = "lambda": must not be "lambda"'],
    [
      "a route on the health check path",
      [SEED, { ...API, routes: [{ paths: ["/health*"] }] }],
      'functions[1].routes[0].paths[0] = "/health*": matches the health check path /healthz',
    ],
    [
      "a route with no condition",
      [SEED, { ...API, routes: [{}] }],
      "functions[1].routes[0] = {}: needs at least one of paths, hosts, methods or headers",
    ],
    [
      "too many values in one rule",
      [SEED, { ...API, routes: [{ paths: ["/a", "/b", "/c", "/d"], methods: ["GET", "PUT"] }] }],
      "has 6 condition values; an ALB rule takes at most 5",
    ],
    ["too many wildcards", [SEED, { ...API, routes: [{ paths: ["/*/*/*", "/?/?/?"] }] }], "has 6 wildcards"],
    [
      "a priority out of range",
      [SEED, { ...API, routes: [{ paths: ["/a"], priority: 1 }] }],
      "functions[1].routes[0].priority = 1: must be from 2 to 50000",
    ],
    [
      "duplicate routes",
      [SEED, { ...API, routes: [{ paths: ["/a", "/b"] }, { paths: ["/b", "/a"] }] }],
      "is the same route as functions[1].routes[0]; each route may appear once",
    ],
    [
      "two routes with one priority",
      [
        SEED,
        {
          ...API,
          routes: [
            { paths: ["/a"], priority: 9 },
            { paths: ["/b"], priority: 9 },
          ],
        },
      ],
      "functions[1].routes[1].priority = 9: is functions[1].routes[0]'s priority too",
    ],
    [
      "ambiguous routes to two functions",
      [SEED, API, { ...API, name: "other", routes: [{ paths: ["/api?x"] }] }],
      "and functions[1].routes[0] can match the same request, lead to different functions, and are equally specific",
    ],
    [
      "a wildcard action without a reason",
      [{ ...SEED, iamStatements: [{ actions: ["s3:*"], resources: ["arn:aws:s3:::bucket/*"] }] }],
      'functions[0].iamStatements[0].actions[0] = "s3:*": is a wildcard action',
    ],
    [
      "every resource without a reason",
      [{ ...SEED, iamStatements: [{ actions: ["s3:GetObject"], resources: ["*"] }] }],
      'functions[0].iamStatements[0].resources[0] = "*": is "*"',
    ],
    [
      "an action that is not one",
      [{ ...SEED, iamStatements: [{ actions: ["GetObject"], resources: ["*"], reason: "needs every bucket here" }] }],
      "must be an IAM action",
    ],
    [
      "a secret given as a plain value",
      [{ ...SEED, environment: { DB_PASSWORD: "hunter2" } }],
      'functions[0].environment.DB_PASSWORD = "hunter2": looks like a secret: its name says it holds a secret (PASSWORD)',
    ],
    ["an access key as a value", [{ ...SEED, environment: { UPSTREAM: "AKIAIOSFODNN7EXAMPLE" } }], "its value is a credential"],
    [
      "a variable Lambda sets",
      [{ ...SEED, environment: { AWS_REGION: "x" } }],
      'functions[0].environment.AWS_REGION = "x": is set by Lambda itself',
    ],
    [
      "files for a Python function (its package is its whole folder)",
      [{ ...SEED, files: ["data.json"] }],
      'functions[0].files = ["data.json"]: only applies to Node.js functions: a Python function\'s package already holds its whole folder',
    ],
    ...["../secrets", "/etc/passwd", "templates/", "./templates", "a/../b", ".env", "a//b", ""].map((path): [string, unknown[], string] => [
      `a file to package outside the folder, a dotfile or no path: ${JSON.stringify(path)}`,
      [SEED, { ...API, files: [path] }],
      `functions[1].files[0] = ${JSON.stringify(path)}: must be a file or folder inside the function's folder`,
    ]),
    ["a file to package listed twice", [SEED, { ...API, files: ["a.txt", "a.txt"] }], 'functions[1].files[1] = "a.txt": is listed twice'],
    [
      "a one-letter variable name (Lambda wants two characters at least)",
      [{ ...SEED, environment: { N: "5" } }],
      'functions[0].environment.N = "5": must be an environment variable name: a letter, then letters, digits and _, two characters at least',
    ],
    [
      "a variable name with a hyphen",
      [{ ...SEED, environment: { "my-var": "x" } }],
      'functions[0].environment["my-var"] = "x": must be an environment variable name',
    ],
    [
      "a variable given twice",
      [{ ...SEED, environment: { DB_PASSWORD_ARN: "x" }, secrets: { DB_PASSWORD_ARN: SSM } }],
      "functions[0].environment.DB_PASSWORD_ARN",
    ],
    [
      "environment over 4 KB",
      [{ ...SEED, environment: { A1: "x".repeat(2100), A2: "y".repeat(2100) } }],
      "comes to 4204 bytes; Lambda allows 4 KB",
    ],
    [
      "a secret that is no ARN",
      [{ ...SEED, secrets: { DB: "/hello/db" } }],
      'functions[0].secrets.DB = "/hello/db": must be the ARN of an SSM parameter',
    ],
    [
      "a secret in another partition",
      [{ ...SEED, secrets: { DB: SECRET.replace("arn:aws:", "arn:aws-cn:") } }],
      "is an ARN of partition aws-cn",
    ],
    [
      "a layer in another Region",
      [{ ...SEED, layers: ["arn:aws:lambda:us-east-1:111111111111:layer:deps:1"] }],
      "is in us-east-1; a function's layers must be in its Region, ap-northeast-1",
    ],
    [
      "two versions of a layer",
      [
        {
          ...SEED,
          layers: ["arn:aws:lambda:ap-northeast-1:111111111111:layer:deps:1", "arn:aws:lambda:ap-northeast-1:111111111111:layer:deps:2"],
        },
      ],
      "is a second version of the same layer",
    ],
    [
      "duplicate egress",
      [
        {
          ...SEED,
          egress: [
            { cidr: "10.9.0.0/16", port: 443, description: "a" },
            { cidr: "10.9.0.0/16", port: 443, description: "b" },
          ],
        },
      ],
      "functions[0].egress[1]",
    ],
  ])("refuses %s", (_what, fns, message) => {
    expect(messageFor(fns)).toContain(message);
  });

  test("refuses a function name whose names are over AWS's limits, naming each", () => {
    const message = messageFor([SEED, { ...API, name: "a-rather-long-function-name" }], (raw) => (raw.name = "a-twenty-char-name-x"));
    expect(message).toContain(
      'functions[1].name = "a-rather-long-function-name": makes the target group name "a-twenty-char-name-x-a-rather-long-function-name-tg"',
    );
    expect(message).toContain("a target group name has at most 32");
    expect(functionNames("x".repeat(20), "y".repeat(30)).problems).toEqual([expect.stringContaining("the target group name")]);
    expect(functionNames("x".repeat(20), "y".repeat(44)).problems.join()).toContain("a Lambda function name has at most 64");
  });

  test("refuses more routes than the ALB's rules quota", () => {
    const routes = Array.from({ length: 100 }, (_, i) => ({ paths: [`/r${i}`] }));
    expect(messageFor([SEED, { ...API, routes }])).toContain(
      "give the ALB's listener 101 rules (one per route, and the health check's), over the quota of 100",
    );
    expect(() => withFunctions([SEED, { ...API, routes: routes.slice(0, 99) }])).not.toThrow();
  });

  test("code signing covers a single function", () => {
    const message = messageFor([SEED, API], (raw) => {
      raw.lambda.codeSigningConfigArn = "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-0123456789abcdef0";
      raw.lambda.signedPackage = { bucket: "signed", key: "k.zip", objectVersion: "v1" };
    });
    expect(message).toContain("lambda.codeSigningConfigArn");
    expect(message).toContain("with code signing the config may list one function (it has 2)");
  });

  test("a wildcard with a reason, and routes of every kind, are accepted", () => {
    const config = withFunctions([
      { ...SEED, iamStatements: [{ actions: ["s3:Get*"], resources: ["*"], reason: "reads objects from buckets named per tenant" }] },
      {
        ...API,
        routes: [{ paths: ["/api/*"] }, { hosts: ["api.example.com"], methods: ["POST"], headers: { "X-Team": ["red", "blue"] } }],
      },
    ]);
    expect(config.functions[1].routes).toHaveLength(2);
  });

  test("files to package: paths inside a Node.js function's folder are accepted, none by default", () => {
    const config = withFunctions([SEED, { ...API, files: ["templates", "certs/ca.pem", "node_modules/@scope/pkg/data.bin", "a+b_c-d.e"] }]);
    expect(config.functions[1].files).toEqual(["templates", "certs/ca.pem", "node_modules/@scope/pkg/data.bin", "a+b_c-d.e"]);
    expect(config.functions[0].files).toEqual([]);
  });

  test("IAM actions in any case are accepted, as IAM reads them (S3:GetObject is s3:GetObject)", () => {
    const config = withFunctions([
      { ...SEED, iamStatements: [{ actions: ["S3:GetObject", "dynamodb:getitem"], resources: ["arn:aws:s3:::b/*"] }] },
    ]);
    expect(config.functions[0].iamStatements[0].actions).toEqual(["S3:GetObject", "dynamodb:getitem"]);
  });
});

describe("secret-looking environment names", () => {
  test.each([
    ["DB_PASSWORD", "x", true],
    ["dbPassword", "x", true],
    ["API_KEY", "x", true],
    ["GITHUB_TOKEN", "x", true],
    ["CLIENT_SECRET", "x", true],
    ["TOKENIZER_MODE", "x", false],
    ["GREETING", "hello", false],
    ["KEY_PREFIX", "x", false],
    ["PEM", "-----BEGIN RSA PRIVATE KEY-----", true],
  ])("%s = %s: %s", (name, value, secret) => {
    expect(secretLooking(name, value) !== undefined).toBe(secret);
  });
});
