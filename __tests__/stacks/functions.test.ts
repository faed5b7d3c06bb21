/** The provider stack with several functions: each behind its own target group, reached by its routes. */
import { join } from "node:path";
import { loadConfig } from "../../config/load";
import { resolveConfig } from "../../config/resolve";
import { evaluate, stackView } from "../../lib/policy/evaluate";
import { RULES } from "../../lib/policy/rules";
import { addresses, configWith, EXAMPLES_DIR, refusalOf, SynthesizedStack, synthAll } from "../helpers";

const SEED = { name: "main", source: "hello", runtime: "python3.13", handler: "lambda_function.lambda_handler" };
const API = { name: "api", source: "hello-ts", runtime: "nodejs22.x", handler: "index.handler" };

describe("provider stack with several functions", () => {
  let stack: SynthesizedStack;
  beforeAll(async () => {
    const config = configWith((raw) => {
      raw.functions = [
        { ...SEED, iamStatements: [{ actions: ["s3:Get*"], resources: ["arn:aws:s3:::reports/*"], reason: "reads any report object" }] },
        {
          ...API,
          environment: { GREETING: "Hi" },
          secrets: {
            DB_ARN: "arn:aws:ssm:ap-northeast-1:111111111111:parameter/db",
            KEY_ARN: "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:key-AbCdEf",
          },
          layers: ["arn:aws:lambda:ap-northeast-1:111111111111:layer:deps:3"],
          routes: [{ paths: ["/api/*"] }, { hosts: ["api.example.com"], headers: { "X-B": ["2"], "x-a": ["1"] }, priority: 10 }],
        },
        {
          name: "admin",
          source: "hello",
          runtime: "python3.12",
          handler: "lambda_function.lambda_handler",
          routes: [{ paths: ["/admin/*"], methods: ["GET"] }],
        },
      ];
    });
    stack = (await synthAll(config)).provider;
  });

  const rules = () => Object.values<Record<string, any>>(stack.json.resource.aws_lb_listener_rule).filter((r) => r.priority !== 1);
  const byName = (type: string, name: string) =>
    Object.entries<Record<string, any>>(stack.json.resource[type]).find(([, r]) => r.function_name === name || r.name === name);

  test("each function has its own resources, at addresses of its own; main keeps the original ones", () => {
    const all = addresses(stack.json);
    for (const a of [
      "aws_lambda_function.lambda",
      "aws_lb_target_group.alb_lambda",
      "aws_lambda_permission.alb_invoke",
      "aws_iam_role.lambda",
    ]) {
      expect(all).toContain(a);
    }
    for (const key of ["api", "admin"]) {
      for (const a of [
        `aws_lambda_function.lambda_${key}`,
        `aws_iam_role.lambda_${key}`,
        `aws_cloudwatch_log_group.lambda_${key}`,
        `aws_security_group.lambda_${key}`,
        `aws_lb_target_group.alb_lambda_${key}`,
        `aws_lambda_permission.alb_invoke_${key}`,
        `aws_lb_target_group_attachment.alb_lambda_${key}`,
      ])
        expect(all).toContain(a);
    }
    expect(stack.json.resource.aws_lambda_function.lambda_api).toMatchObject({
      function_name: "hello-privatelink-api",
      runtime: "nodejs22.x",
      handler: "index.handler",
    });
    expect(stack.json.resource.aws_lb_target_group.alb_lambda_admin.name).toBe("hello-privatelink-admin-tg");
  });

  test("every route forwards to its own function's target group, at its priority", () => {
    const forward = (r: Record<string, any>) => r.action[0].target_group_arn;
    const routes = rules().map((r) => [r.priority, forward(r), r.condition]);
    expect(routes).toEqual(
      expect.arrayContaining([
        [
          10,
          "${aws_lb_target_group.alb_lambda_api.arn}",
          [
            { host_header: { values: ["api.example.com"] } },
            { http_header: { http_header_name: "X-B", values: ["2"] } },
            { http_header: { http_header_name: "x-a", values: ["1"] } },
          ],
        ],
        [expect.any(Number), "${aws_lb_target_group.alb_lambda_api.arn}", [{ path_pattern: { values: ["/api/*"] } }]],
        [
          expect.any(Number),
          "${aws_lb_target_group.alb_lambda_admin.arn}",
          [{ path_pattern: { values: ["/admin/*"] } }, { http_request_method: { values: ["GET"] } }],
        ],
      ]),
    );
    expect(routes).toHaveLength(3);
    // The rest goes to main, the function without routes; the health check to the ALB itself.
    expect(stack.json.resource.aws_lb_listener.alb_listener.default_action[0].target_group_arn).toBe(
      "${aws_lb_target_group.alb_lambda.arn}",
    );
    expect(stack.json.resource.aws_lb_listener_rule.alb_health.priority).toBe(1);
    for (const r of rules()) expect(stack.json.resource.aws_lb_listener_rule[`alb_route_${r.priority}`]).toBe(r);
  });

  test("ELB may invoke each function only through that function's own target group", () => {
    for (const [key, fn] of [
      ["", "lambda"],
      ["_api", "lambda_api"],
      ["_admin", "lambda_admin"],
    ]) {
      expect(stack.json.resource.aws_lambda_permission[`alb_invoke${key}`]).toMatchObject({
        function_name: `\${aws_lambda_function.${fn}.function_name}`,
        source_arn: `\${aws_lb_target_group.alb_lambda${key}.arn}`,
        principal: "elasticloadbalancing.amazonaws.com",
        source_account: "111111111111",
      });
      expect(stack.json.resource.aws_lb_target_group_attachment[`alb_lambda${key}`].target_id).toBe(`\${aws_lambda_function.${fn}.arn}`);
    }
  });

  test("secrets are variables holding ARNs the role may read, and nothing more", () => {
    const fn = stack.json.resource.aws_lambda_function.lambda_api;
    expect(fn.environment.variables).toEqual({
      DB_ARN: "arn:aws:ssm:ap-northeast-1:111111111111:parameter/db",
      GREETING: "Hi",
      KEY_ARN: "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:key-AbCdEf",
    });
    expect(fn.layers).toEqual(["arn:aws:lambda:ap-northeast-1:111111111111:layer:deps:3"]);
    const policy = JSON.parse(stack.json.resource.aws_iam_role_policy.lambda_api_access.policy);
    expect(policy.Statement).toEqual([
      {
        Sid: "ReadParameters",
        Effect: "Allow",
        Action: ["ssm:GetParameter"],
        Resource: ["arn:aws:ssm:ap-northeast-1:111111111111:parameter/db"],
      },
      {
        Sid: "ReadSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue"],
        Resource: ["arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:key-AbCdEf"],
      },
    ]);
    expect(stack.json.resource.aws_iam_role_policy.lambda_api_access.role).toBe("${aws_iam_role.lambda_api.name}");
    expect(stack.json.resource.aws_iam_role_policy.lambda_admin_access).toBeUndefined();
    expect(stack.json.resource.aws_lambda_function.lambda_admin.environment).toBeUndefined();
  });

  test("a wildcard the config explains is suppressed with its reason; unexplained, the policy engine finds it", () => {
    const access = stack.json.resource.aws_iam_role_policy.lambda_access;
    expect(access["//"].policy_suppressions.PLK_IAM_WILDCARD).toBe("reads any report object");
    const broken = JSON.parse(JSON.stringify(stack.json));
    delete broken.resource.aws_iam_role_policy.lambda_access["//"];
    expect(evaluate(stackView("provider", broken), RULES).findings.map((f) => `${f.ruleId} ${f.address}`)).toEqual([
      "PLK_IAM_WILDCARD aws_iam_role_policy.lambda_access",
    ]);
  });

  test("every policy rule holds for every function", () => {
    expect(evaluate(stackView("provider", stack.json), RULES).findings).toEqual([]);
    const fns = Object.keys(stack.json.resource.aws_lambda_function);
    expect(fns.sort()).toEqual(["lambda", "lambda_admin", "lambda_api"]);
    expect(byName("aws_lambda_function", "hello-privatelink-admin")).toBeDefined();
  });
});

describe("the two-functions example", () => {
  test("routes /api/* (GET and HEAD) to the TypeScript function and everything else to the seed's", async () => {
    const all = await synthAll(loadConfig(join(EXAMPLES_DIR, "two-functions-routes.json")));
    const json = all.provider.json;
    const model = resolveConfig(loadConfig(join(EXAMPLES_DIR, "two-functions-routes.json")));
    const [route] = model.provider?.functions[1].routes ?? [];
    expect(json.resource.aws_lb_listener_rule[`alb_route_${route.priority}`]).toMatchObject({
      condition: [{ path_pattern: { values: ["/api/*"] } }, { http_request_method: { values: ["GET", "HEAD"] } }],
      action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.alb_lambda_api.arn}" }],
    });
    expect(json.output.function_names.value).toEqual({
      main: "${aws_lambda_function.lambda.function_name}",
      api: "${aws_lambda_function.lambda_api.function_name}",
    });
  });
});

describe("the function role's inline policy and IAM's size limit", () => {
  /** The default config whose main function reads one S3 object with a key of `keyLength` characters, and a secret. */
  const edit = (keyLength: number) => (raw: Record<string, any>) => {
    raw.functions = [
      {
        ...SEED,
        secrets: { DB_ARN: "arn:aws:ssm:ap-northeast-1:111111111111:parameter/db" },
        iamStatements: [{ actions: ["s3:GetObject"], resources: [`arn:aws:s3:::reports/${"k".repeat(keyLength)}`] }],
      },
    ];
  };
  /** The size IAM counts (characters but white space) of the synthesized access policy. */
  const synthesizedSize = async (keyLength: number) => {
    const { provider } = await synthAll(configWith(edit(keyLength)));
    return String(provider.json.resource.aws_iam_role_policy.lambda_access.policy).replace(/\s/g, "").length;
  };

  test("a policy of exactly 10,240 characters is written; one character more is refused at synth", async () => {
    // GIVEN the size of the policy a short key gives, measured in the output
    const base = await synthesizedSize(10);
    // WHEN the key grows to bring the written policy to IAM's limit exactly
    const atLimit = 10 + 10240 - base;
    expect(await synthesizedSize(atLimit)).toBe(10240);
    // THEN one character more is refused, naming the size and the limit
    expect(refusalOf(edit(atLimit + 1))).toContain('functions[0].iamStatements = [{"actions":["s3:GetObject"]');
    expect(refusalOf(edit(atLimit + 1))).toContain(
      "give the function's role an inline policy of 10241 characters (with the read access of its secrets); IAM allows 10240 per role",
    );
  });
});
