/**
 * The `functions` section: the functions behind the ALB, each with its code, runtime,
 * settings, permissions and routes. The rules that need the rest of the config (names that
 * grow from the app's name, the health check path, the Region of layers) are in
 * {@link functionRules}.
 */
import { z } from "zod";
import { accessPolicy, IAM_QUOTAS_SOURCE, policySize, ROLE_POLICY_MAX_CHARS } from "../lib/aws/iam-policy";
import { describeQuota, QUOTAS, quotaValues, RaisableQuota } from "../lib/aws/quotas";
import { partitionOf, REGION_SOURCES } from "../lib/aws/regions";
import { RUNTIMES, runtimeProblem } from "../lib/aws/runtimes";
import {
  canonicalRoute,
  CONDITION_VALUES_PER_RULE,
  conditionValues,
  patternMatches,
  ROUTE_PRIORITY_MAX,
  ROUTE_PRIORITY_MIN,
  routesOverlap,
  specificity,
  wildcardCount,
  WILDCARDS_PER_RULE,
} from "../lib/routes";
import { terraformLiteral } from "../lib/terraform-literal";
import { PARTITIONS, unique, whenValid } from "./fields";
import { functionNames, MAIN_FUNCTION } from "./function-names";
import { egressRule } from "./sections";

const RESERVED_ENV = new Set([
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
]);
const ENV_SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html";

/** Environment variable names: a letter, then letters, digits and `_`, two characters at least; not one Lambda sets itself. */
const envName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]+$/,
    `must be an environment variable name: a letter, then letters, digits and _, two characters at least (Lambda's rule; ${ENV_SOURCE})`,
  )
  .refine((k) => !RESERVED_ENV.has(k), `is set by Lambda itself and cannot be given (${ENV_SOURCE})`);

/** Words in a variable's name that say its value is a secret. */
const SECRET_WORDS =
  /(^|_)(PASSWORD|PASSWD|PASSPHRASE|SECRET|SECRETS|TOKEN|TOKENS|CREDENTIAL|CREDENTIALS|APIKEY|API_KEY|PRIVATE_KEY|ACCESS_KEY|SECRET_KEY|CLIENT_SECRET|CONNECTION_STRING|DSN)(_|$)/;
/** Values that are secrets whatever their name: AWS access keys, PEM private keys. */
const SECRET_VALUES = [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/];

/** Why an environment entry looks like a secret, or undefined. */
export function secretLooking(name: string, value: string): string | undefined {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
  const word = SECRET_WORDS.exec(words)?.[2];
  if (word) return `its name says it holds a secret (${word})`;
  if (SECRET_VALUES.some((p) => p.test(value))) return "its value is a credential (an AWS access key or a private key)";
  return undefined;
}

/** An SSM parameter or a Secrets Manager secret, by ARN. */
const secretArn = z
  .string()
  .regex(
    new RegExp(
      `^arn:(${PARTITIONS}):(ssm:[a-z0-9-]+:\\d{12}:parameter/[A-Za-z0-9_.\\-/]{1,1011}|secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512})$`,
    ),
    'must be the ARN of an SSM parameter ("arn:aws:ssm:<region>:<account>:parameter/<name>") or a Secrets Manager secret ("arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf")',
  );

/** An IAM action (`service:Action`, wildcards allowed) or `*`; IAM reads both parts in any case. */
const iamAction = z
  .string()
  .regex(/^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/, 'must be an IAM action such as "dynamodb:GetItem" (service prefix, colon, action name)');
/** A resource ARN (wildcards allowed) or `*`. */
const iamResource = z
  .string()
  .regex(
    new RegExp(`^(\\*|arn:(${PARTITIONS}|\\*):[a-z0-9-*]+:[a-z0-9-*]*:(\\d{12}|\\*)?:\\S+)$`),
    'must be a resource ARN such as "arn:aws:dynamodb:ap-northeast-1:111111111111:table/orders", or "*"',
  );
const hasWildcard = (s: string) => /[*?]/.test(s);

const iamStatement = whenValid(
  z
    .object({
      actions: z.array(iamAction).min(1),
      // IAM policy variables (`${aws:username}`) are IAM's, not Terraform's: kept literal.
      resources: z.array(iamResource.transform(terraformLiteral)).min(1),
      /** Why a wildcard is needed; required with one. */
      reason: z
        .string()
        .min(10, "must say in a sentence why the wildcard is needed")
        .max(300)
        .regex(/^[A-Za-z0-9 ._\-:/()#,@+=&;!?'"]+$/, "must be a sentence of letters, digits, spaces and ._-:/()#,@+=&;!?'\"")
        .optional(),
    })
    .strict(),
  (s, ctx) => {
    if (s.reason) return;
    s.actions.forEach((a, i) => {
      if (hasWildcard(a)) {
        ctx.addIssue({
          code: "custom",
          path: ["actions", i],
          message: "is a wildcard action: list the actions the function needs, or say why it needs them all in reason",
        });
      }
    });
    s.resources.forEach((r, i) => {
      if (r === "*") {
        ctx.addIssue({
          code: "custom",
          path: ["resources", i],
          message: 'is "*": list the resources the function uses, or say why it needs them all in reason',
        });
      }
    });
  },
);

const LAYER_SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html";
const layerArn = z
  .string()
  .regex(
    new RegExp(`^arn:(${PARTITIONS}):lambda:[a-z0-9-]+:\\d{12}:layer:[A-Za-z0-9_-]{1,140}:\\d+$`),
    'must be a layer version ARN such as "arn:aws:lambda:ap-northeast-1:111111111111:layer:deps:3"',
  );

const RULE_SOURCE = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html";
const values = (pattern: RegExp, message: string, max = 128) =>
  z.array(z.string().max(max, `must be at most ${max} characters (${RULE_SOURCE})`).regex(pattern, `${message} (${RULE_SOURCE})`)).min(1);

export const route = whenValid(
  z
    .object({
      paths: values(
        /^\/[A-Za-z0-9_\-.$/~"'@:+&*?]*$/,
        "must be a path pattern starting with /: letters, digits, _-.$/~\"'@:+& and the wildcards * and ?",
      ).optional(),
      hosts: values(/^[A-Za-z0-9.*?-]+$/, "must be a host name pattern: letters, digits, . and -, with the wildcards * and ?").optional(),
      methods: values(/^[A-Z_-]{1,40}$/, "must be an HTTP method in capitals, such as GET", 40).optional(),
      headers: z
        .record(
          z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/, `must be an HTTP header name of at most 40 characters (${RULE_SOURCE})`),
          // A header value may hold `${`; Terraform must not read it as a template.
          z
            .array(
              z
                .string()
                .max(128, `must be at most 128 characters (${RULE_SOURCE})`)
                .regex(/^[\x20-\x7e]+$/, `must be printable ASCII (${RULE_SOURCE})`)
                .transform(terraformLiteral),
            )
            .min(1),
        )
        .optional(),
      priority: z
        .number()
        .int()
        .min(ROUTE_PRIORITY_MIN, `must be from ${ROUTE_PRIORITY_MIN} to ${ROUTE_PRIORITY_MAX} (1 is the health check's rule)`)
        .max(ROUTE_PRIORITY_MAX, `must be from ${ROUTE_PRIORITY_MIN} to ${ROUTE_PRIORITY_MAX}`)
        .optional(),
    })
    .strict(),
  (r, ctx) => {
    if (!r.paths && !r.hosts && !r.methods && !r.headers) {
      ctx.addIssue({ code: "custom", path: [], message: "needs at least one of paths, hosts, methods or headers" });
      return;
    }
    const count = conditionValues(r).length;
    if (count > CONDITION_VALUES_PER_RULE) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `has ${count} condition values; an ALB rule takes at most ${CONDITION_VALUES_PER_RULE} (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html): split it into several routes`,
      });
    }
    const wildcards = wildcardCount(r);
    if (wildcards > WILDCARDS_PER_RULE) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `has ${wildcards} wildcards; an ALB rule takes at most ${WILDCARDS_PER_RULE} (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html)`,
      });
    }
  },
);

/**
 * A file or folder of a Node.js function's folder that its code reads at run time (a
 * template, a CA bundle): packaged beside the bundle, which holds the code alone. Relative,
 * inside the folder, and no dotfile (packages leave those out).
 */
const packagedFile = z
  .string()
  .regex(
    /^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*(\/[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*)*$/,
    'must be a file or folder inside the function\'s folder, such as "templates" or "certs/ca.pem": no leading or trailing "/", no "." or ".." segments, no dotfiles',
  );

/** One function behind the ALB. */
export const functionEntry = whenValid(
  z
    .object({
      name: z
        .string()
        .regex(
          /^[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?$/,
          `must be 1-30 lowercase letters, digits and hyphens, not starting or ending with a hyphen ("${MAIN_FUNCTION}" keeps the app's own name)`,
        )
        .refine((n) => n !== "lambda", 'must not be "lambda": its target group would take the main function\'s name'),
      source: z
        .string()
        .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/, 'must be a folder under lambda-src/, such as "hello"'),
      runtime: z.string().superRefine((r, ctx) => {
        const problem = runtimeProblem(r);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
      handler: z
        .string()
        .regex(
          /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*(\.[A-Za-z_][A-Za-z0-9_]*)*\.[A-Za-z_$][A-Za-z0-9_$]*$/,
          'must be "<file>.<function>", such as "lambda_function.lambda_handler" (Python) or "index.handler" (Node.js)',
        ),
      architecture: z.enum(["arm64", "x86_64"]).optional(),
      memoryMb: z.number().int().min(128).max(10240).optional(),
      timeoutSeconds: z.number().int().min(1).max(900).optional(),
      ephemeralStorageMb: z.number().int().min(512).max(10240).optional(),
      logFormat: z.enum(["Text", "JSON"]).optional(),
      reservedConcurrency: z.number().int().min(1).max(10000).optional(),
      egress: z.array(egressRule).optional(),
      environment: z.record(envName, z.string().max(4096)).default({}),
      secrets: z.record(envName, secretArn).default({}),
      iamStatements: z.array(iamStatement).max(20).default([]),
      layers: z.array(layerArn).max(5, `must list at most 5 layers (${LAYER_SOURCE})`).default([]),
      routes: z.array(route).min(1).optional(),
      files: z.array(packagedFile).max(100).default([]),
      multiValueHeaders: z.boolean().default(false),
    })
    .strict(),
  (f, ctx) => {
    if (f.files.length > 0 && RUNTIMES[f.runtime]?.language === "python") {
      ctx.addIssue({
        code: "custom",
        path: ["files"],
        message: "only applies to Node.js functions: a Python function's package already holds its whole folder",
      });
    }
    unique(ctx, ["files"], f.files, "path");
    for (const [name, value] of Object.entries(f.environment)) {
      const why = secretLooking(name, value);
      if (why) {
        ctx.addIssue({
          code: "custom",
          path: ["environment", name],
          message: `looks like a secret: ${why}. Environment values are plain text in the function's configuration and in Terraform state; store it in SSM Parameter Store (SecureString) or Secrets Manager and give its ARN in secrets instead`,
        });
      }
      if (name in f.secrets) {
        ctx.addIssue({ code: "custom", path: ["environment", name], message: "is also a secret's variable: give it once" });
      }
    }
    const size = [...Object.entries(f.environment), ...Object.entries(f.secrets)].reduce(
      (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v),
      0,
    );
    if (size > 4096) {
      ctx.addIssue({
        code: "custom",
        path: ["environment"],
        message: `with secrets comes to ${size} bytes; Lambda allows 4 KB of environment variables (${ENV_SOURCE})`,
      });
    }
    const policy = accessPolicy(Object.values(f.secrets), f.iamStatements);
    if (policy && policySize(policy) > ROLE_POLICY_MAX_CHARS) {
      ctx.addIssue({
        code: "custom",
        path: ["iamStatements"],
        message: `give the function's role an inline policy of ${policySize(policy)} characters (with the read access of its secrets); IAM allows ${ROLE_POLICY_MAX_CHARS} per role (${IAM_QUOTAS_SOURCE}): name fewer resources (an ARN pattern such as table/orders-*, with a reason) or merge statements with the same actions`,
      });
    }
    const layerNames = f.layers.map((l) => l.split(":").slice(0, 7).join(":"));
    layerNames.forEach((n, i) => {
      if (layerNames.indexOf(n) < i) {
        ctx.addIssue({
          code: "custom",
          path: ["layers", i],
          message: `is a second version of the same layer; a function takes one (${LAYER_SOURCE})`,
        });
      }
    });
  },
).transform((f) => ({
  ...f,
  // Values reach Terraform as literals: `${` and `%{` are not templates here.
  environment: Object.fromEntries(Object.entries(f.environment).map(([k, v]) => [k, terraformLiteral(v)])),
}));

/** The seed's function, as the default. */
export const DEFAULT_FUNCTIONS = [
  { name: MAIN_FUNCTION, source: "hello", runtime: "python3.13", handler: "lambda_function.lambda_handler" },
];

export const functionsSection = z.array(functionEntry).min(1).max(100, "must list at most 100: an ALB takes at most 100 target groups");

/** What the cross-section rules read. */
interface FunctionsConfig {
  readonly name: string;
  readonly provider?: { readonly region: string };
  readonly aws: { readonly quotas: Partial<Record<RaisableQuota, number>> };
  readonly service: { readonly healthCheckPath: string };
  readonly lambda: { readonly codeSigningConfigArn?: string; readonly signedPackage?: unknown; readonly reservedConcurrency?: number };
  readonly functions: readonly z.infer<typeof functionEntry>[];
}

const RULES_QUOTA = QUOTAS.rulesPerApplicationLoadBalancer;

/** Concurrency Lambda keeps unreserved in every account and Region, for functions that reserve none. */
const UNRESERVED_CONCURRENCY = 100;

/**
 * The functions' reserved concurrency, added up, leaves Lambda its 100 unreserved executions
 * of the account's quota: past that, AWS refuses the function that reserves one too many at
 * apply ("decreases account's UnreservedConcurrentExecution below its minimum value").
 */
function reservedConcurrencyQuota(cfg: FunctionsConfig, ctx: z.RefinementCtx): void {
  const reserved = cfg.functions.map((f) => f.reservedConcurrency ?? cfg.lambda.reservedConcurrency ?? 0);
  const total = reserved.reduce((a, b) => a + b, 0);
  const quota = quotaValues(cfg.aws.quotas).lambdaConcurrentExecutions;
  if (total <= quota - UNRESERVED_CONCURRENCY) return;
  // The shared setting alone, or the functions' own settings, is what to change.
  const own = cfg.functions.some((f) => f.reservedConcurrency !== undefined);
  ctx.addIssue({
    code: "custom",
    path: own ? ["functions"] : ["lambda", "reservedConcurrency"],
    message: `reserves ${total} concurrent executions${cfg.functions.length > 1 ? ` over ${cfg.functions.length} functions` : ""}; Lambda keeps ${UNRESERVED_CONCURRENCY} of the account's ${describeQuota("lambdaConcurrentExecutions", quota)} unreserved, so at most ${quota - UNRESERVED_CONCURRENCY} can be reserved. Ways out: reserve less, or raise the quota and set aws.quotas.lambdaConcurrentExecutions`,
  });
}

/** Adds an issue for every rule across functions, or between them and the rest of the config, that `cfg` breaks. */
export function functionRules(cfg: FunctionsConfig, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path: ["functions", ...path], message });
  const fns = cfg.functions;
  fns.forEach((f, i) => {
    if (fns.findIndex((o) => o.name === f.name) < i) issue([i, "name"], "is used by another function; names must be unique");
    for (const problem of functionNames(cfg.name, f.name).problems) issue([i, "name"], problem);
    const partition = cfg.provider && partitionOf(cfg.provider.region);
    Object.entries(f.secrets).forEach(([key, arn]) => {
      if (partition && arn.split(":")[1] !== partition) {
        issue([i, "secrets", key], `is an ARN of partition ${arn.split(":")[1]}; the function is in ${partition} (${REGION_SOURCES.arns})`);
      }
    });
    const egress = (f.egress ?? []).map((e) => `${e.cidr} port ${e.port}`);
    egress.forEach((e, j) => {
      if (egress.indexOf(e) < j) issue([i, "egress", j], "is listed twice; each destination and port may appear once");
    });
    const limit = quotaValues(cfg.aws.quotas).rulesPerSecurityGroup;
    if (egress.length > limit) {
      issue(
        [i, "egress"],
        `lists ${egress.length} rules, one outbound rule each on the function's security group, over the quota of ${describeQuota("rulesPerSecurityGroup", limit)}. Ways out: raise the quota and set aws.quotas.rulesPerSecurityGroup, or merge destinations`,
      );
    }
    f.layers.forEach((arn, j) => {
      const region = arn.split(":")[3];
      if (cfg.provider && region !== cfg.provider.region) {
        issue([i, "layers", j], `is in ${region}; a function's layers must be in its Region, ${cfg.provider.region} (${LAYER_SOURCE})`);
      }
    });
  });
  reservedConcurrencyQuota(cfg, ctx);
  const defaults = fns.map((f, i) => (f.routes ? -1 : i)).filter((i) => i >= 0);
  if (defaults.length !== 1) {
    ctx.addIssue({
      code: "custom",
      path: ["functions"],
      message: `must have exactly one function without routes, which answers every request no route matches; ${
        defaults.length === 0 ? "every function has routes" : `${defaults.map((i) => `functions[${i}]`).join(", ")} have none`
      }`,
    });
  }
  if ((cfg.lambda.codeSigningConfigArn || cfg.lambda.signedPackage) && fns.length > 1) {
    ctx.addIssue({
      code: "custom",
      path: ["lambda", cfg.lambda.codeSigningConfigArn ? "codeSigningConfigArn" : "signedPackage"],
      message: `applies to a single function: with code signing the config may list one function (it has ${fns.length})`,
    });
  }
  routeRules(cfg, issue);
}

/** Routes: clear of the health check, each once, within the ALB's rule quota, priorities distinct and unambiguous. */
function routeRules(cfg: FunctionsConfig, issue: (path: (string | number)[], message: string) => void): void {
  const all = cfg.functions.flatMap((f, i) => (f.routes ?? []).map((r, j) => ({ r, i, j, at: `functions[${i}].routes[${j}]` })));
  const health = cfg.service.healthCheckPath;
  for (const { r, i, j } of all) {
    (r.paths ?? []).forEach((p, k) => {
      if (patternMatches(p, health)) {
        issue(
          [i, "routes", j, "paths", k],
          `matches the health check path ${health} (service.healthCheckPath), which the ALB answers itself: the route would never see it`,
        );
      }
    });
  }
  const rules = all.length + 1;
  if (rules > RULES_QUOTA.default) {
    issue(
      [],
      `give the ALB's listener ${rules} rules (one per route, and the health check's), over the quota of ${RULES_QUOTA.default} ${RULES_QUOTA.what} (${RULES_QUOTA.source}). Merge routes with up to 5 values each`,
    );
  }
  all.forEach((a, n) => {
    for (const b of all.slice(0, n)) {
      if (canonicalRoute(a.r) === canonicalRoute(b.r)) {
        issue([a.i, "routes", a.j], `is the same route as ${b.at}; each route may appear once`);
      } else if (a.r.priority !== undefined && a.r.priority === b.r.priority) {
        issue(
          [a.i, "routes", a.j, "priority"],
          `is ${b.at}'s priority too; give each route its own (${ROUTE_PRIORITY_MIN}-${ROUTE_PRIORITY_MAX}, lower matches first)`,
        );
      } else if (
        a.i !== b.i &&
        a.r.priority === undefined &&
        b.r.priority === undefined &&
        Math.min(specificity(a.r), 49) === Math.min(specificity(b.r), 49) &&
        routesOverlap(a.r, b.r)
      ) {
        issue(
          [a.i, "routes", a.j],
          `and ${b.at} can match the same request, lead to different functions, and are equally specific; give one of them a priority (${ROUTE_PRIORITY_MIN}-${ROUTE_PRIORITY_MAX}, lower matches first)`,
        );
      }
    }
  });
}
