/** How problems are reported: one heading, one line per problem, values shown safely, the right field named. */
import { z } from "zod";
import { ConfigError, allowedKeysAt, literalIssues, loadConfig, parseConfig, plainMessages } from "../../config/load";
import { MAX_SHOWN_CHARS, MAX_SHOWN_PATH_CHARS, showPath, showString } from "../../lib/display";
import { defaultRawConfig, thrownBy } from "../fixtures";

/** The message parsing `raw` as "f.json" gives. */
function refusal(raw: unknown): string {
  try {
    parseConfig(raw, "f.json");
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("accepted");
}

const TOKEN_RULE = 'contains a cdktf token marker ("${TfToken[", "#{TfToken[" or "&{TfToken["); config values are data, never references';

describe("a file that is not a config object at all", () => {
  test.each<[string, unknown, string[]]>([
    ["an array", [], ["(the whole file) = []: must be an object ({...}), not a list ([...])"]],
    ["null", null, ["(the whole file) = null: must be an object ({...}), not null"]],
    ["a string", "x", ['(the whole file) = "x": must be an object ({...}), not a string']],
    [
      "a string holding a token marker",
      "${TfToken[TOKEN.1]}",
      [
        `(the whole file) = "\${TfToken[TOKEN.1]}": ${TOKEN_RULE}`,
        '(the whole file) = "${TfToken[TOKEN.1]}": must be an object ({...}), not a string',
      ],
    ],
    [
      "a number too large to be data",
      1e300,
      [
        "(the whole file) = 1e+300: is not a number the config accepts (too large)",
        "(the whole file) = 1e+300: must be an object ({...}), not a number",
      ],
    ],
  ])("%s: the whole file is named as the field", (_name, raw, lines) => {
    // GIVEN a JSON document that is not an object; WHEN validated
    // THEN each problem is labelled "(the whole file)", under the heading naming the file
    expect(refusal(raw)).toBe(["Invalid config f.json:", ...lines.map((l) => `  - ${l}`)].join("\n"));
  });
});

describe("one line per problem", () => {
  test("two unknown keys in one object are two lines, each listing the allowed keys", () => {
    // GIVEN a service section with two misspelt keys
    const raw = defaultRawConfig();
    raw.service.prot = 80;
    raw.service.helthCheckPath = "/";
    // WHEN validated; THEN one line for each, in the same list as every other problem
    const allowed =
      "port, certificateArn, hostname, privateDnsName, privateDnsZoneId, privateLinkInboundRules, acceptanceRequired, acceptEndpointIds, healthCheckPath, allowedPrincipals";
    expect(refusal(raw)).toBe(
      [
        "Invalid config f.json:",
        `  - service.prot: unknown key "prot" in service; allowed keys: ${allowed}`,
        `  - service.helthCheckPath: unknown key "helthCheckPath" in service; allowed keys: ${allowed}`,
      ].join("\n"),
    );
  });

  test("a token marker in a field the schema otherwise accepts is the only line", () => {
    // GIVEN an egress description (free text) holding a token marker, and nothing else wrong
    const raw = defaultRawConfig();
    raw.lambda.egress = [{ cidr: "10.9.0.0/16", port: 443, description: "${TfToken[TOKEN.0]}" }];
    // WHEN validated; THEN exactly one problem, naming the field from the top of the file
    expect(refusal(raw)).toBe(`Invalid config f.json:\n  - lambda.egress[0].description = "\${TfToken[TOKEN.0]}": ${TOKEN_RULE}`);
  });

  test("a number at the edge of the safe range is judged by the schema alone", () => {
    // GIVEN the largest safe integer as the Lambda memory
    const raw = defaultRawConfig();
    raw.lambda.memoryMb = Number.MAX_SAFE_INTEGER;
    // WHEN validated; THEN only the schema's limit, no "too large" for the literal itself
    expect(refusal(raw)).toBe("Invalid config f.json:\n  - lambda.memoryMb = 9007199254740991: must be at most 10240");
  });

  test.each<[string, (r: ReturnType<typeof defaultRawConfig>) => void, string]>([
    [
      "a number past a double (1e309 reads as Infinity)",
      (r) => (r.lambda.memoryMb = Infinity),
      "lambda.memoryMb = Infinity: is not a number the config accepts (too large)",
    ],
    [
      "a number too large to be data",
      (r) => (r.lambda.memoryMb = -1e300),
      "lambda.memoryMb = -1e+300: is not a number the config accepts (too large)",
    ],
    ["a token marker where a pattern is checked", (r) => (r.name = "${TfToken[TOKEN.2]}"), `name = "\${TfToken[TOKEN.2]}": ${TOKEN_RULE}`],
  ])("%s is one line: the schema does not judge the value again", (_name, edit, line) => {
    // GIVEN the default config with one value refused as a literal (the schema would refuse it too)
    const raw = defaultRawConfig();
    edit(raw);
    // WHEN validated; THEN only the literal's line
    expect(refusal(raw)).toBe(`Invalid config f.json:\n  - ${line}`);
  });

  test.each([Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0, 1.5])("%d is a number the config can hold", (value) => {
    // GIVEN a number inside the safe range, deep in a document; WHEN checked; THEN no problem
    expect(literalIssues({ a: [{ b: value }] })).toEqual([]);
  });

  test.each([Number.MAX_SAFE_INTEGER + 2, -(Number.MAX_SAFE_INTEGER + 2), -1e300])("%d is refused where it is", (value) => {
    // GIVEN a number outside the safe range, deep in a document; WHEN checked; THEN named by its path
    expect(literalIssues({ a: [{ b: value }] })).toEqual([
      `a[0].b = ${JSON.stringify(value)}: is not a number the config accepts (too large)`,
    ]);
  });

  test("the error is a ConfigError by name, for a person rather than a stack trace", () => {
    // GIVEN an invalid config; WHEN validated; THEN the error says what it is
    const error = thrownBy(() => parseConfig([], "f.json"));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).name).toBe("ConfigError");
    expect(String(error)).toMatch(/^ConfigError: Invalid config f\.json:\n/);
  });
});

describe("zod's own messages are said in the words of a JSON file", () => {
  type Raw = ReturnType<typeof defaultRawConfig>;
  test.each<[string, (r: Raw) => void, string]>([
    [
      "a string for a boolean",
      (r) => (r.service.acceptanceRequired = "false"),
      'service.acceptanceRequired = "false": must be true or false, not a string',
    ],
    [
      "a fraction for a whole number",
      (r) => (r.lambda.memoryMb = 128.5),
      "lambda.memoryMb = 128.5: must be a whole number, not a number with a fraction",
    ],
    ["null for a list", (r) => (r.service.allowedPrincipals = null), "service.allowedPrincipals = null: must be a list ([...]), not null"],
    ["a list for an object", (r) => (r.tags = ["a"]), 'tags = ["a"]: must be an object ({...}), not a list ([...])'],
    ["a number for a string", (r) => (r.consumers[0].profile = 7), "consumers[0].profile = 7: must be a string, not a number"],
    ["a missing setting", (r) => delete r.provider.region, "provider.region: is required but missing (must be a string)"],
    [
      "a value outside a list of values",
      (r) => (r.lambda.architecture = "arm"),
      'lambda.architecture = "arm": must be one of "arm64", "x86_64"',
    ],
    [
      "a value of the list in another letter case",
      (r) => (r.lambda.tracing = "active"),
      'lambda.tracing = "active": must be one of "Active", "PassThrough" (letter case matters: "Active")',
    ],
    [
      "a number where a list of values goes",
      (r) => (r.lambda.tracing = 5),
      'lambda.tracing = 5: must be one of "Active", "PassThrough", not a number',
    ],
    ["a number below its minimum", (r) => (r.lambda.memoryMb = -1), "lambda.memoryMb = -1: must be at least 128"],
    ["a number above its maximum", (r) => (r.lambda.memoryMb = 99999), "lambda.memoryMb = 99999: must be at most 10240"],
  ])("%s", (_name, edit, line) => {
    // GIVEN the default config with one wrong setting; WHEN parsed; THEN one plain line
    const raw = defaultRawConfig();
    edit(raw);
    expect(refusal(raw)).toBe(`Invalid config f.json:\n  - ${line}`);
  });

  test.each<[string, z.ZodTypeAny, unknown, string]>([
    ["a list too short", z.array(z.string()).min(2), ["a"], "must list at least 2 items"],
    ["a list too long", z.array(z.string()).max(1), ["a", "b"], "must list at most 1 item"],
    ["a string too short", z.string().min(3), "ab", "must be at least 3 characters"],
    ["a string too long", z.string().max(1), "ab", "must be at most 1 character"],
    ["a string of an exact length", z.string().length(2), "abc", "must be exactly 2 characters"],
    ["a number not above a bound", z.number().gt(5), 5, "must be more than 5"],
    ["a number not below a bound", z.number().lt(5), 5, "must be less than 5"],
    ["a number not a multiple", z.number().multipleOf(5), 7, "must be a multiple of 5"],
    ["another literal", z.literal("on"), "off", 'must be "on"'],
    ["any other problem: zod's own words", z.string().email(), "x", "Invalid email"],
    ["a schema's own message, kept", z.number({ invalid_type_error: "must be a port" }).max(9, "at most nine"), "x", "must be a port"],
    ["a schema's own bound message, kept", z.number().max(9, "at most nine"), 10, "at most nine"],
  ])("%s (every kind of zod problem)", (_name, schema, value, message) => {
    const result = schema.safeParse(value, { errorMap: plainMessages });
    expect(result.success ? [] : result.error.issues.map((i) => i.message)).toEqual([message]);
  });
});

describe("unknown keys list the keys allowed where they are", () => {
  test.each<[string, (raw: Record<string, any>) => void, string]>([
    [
      "in an array element",
      (r) => (r.lambda.egress = [{ cidr: "10.9.0.0/16", port: 443, description: "d", protocol: "tcp" }]),
      'lambda.egress[0].protocol: unknown key "protocol" in lambda.egress[0]; allowed keys: cidr, port, description',
    ],
    [
      "in a section with defaults",
      (r) => (r.provider.network.create.flowLogs = { days: 7 }),
      'provider.network.create.flowLogs.days: unknown key "days" in provider.network.create.flowLogs; allowed keys: retentionDays, kmsKeyArn',
    ],
    [
      "in an optional section inside a list",
      (r) => (r.consumers[0].assumeRole = { roleArn: "arn:aws:iam::222222222222:role/deploy", role: "x" }),
      'consumers[0].assumeRole.role: unknown key "role" in consumers[0].assumeRole; allowed keys: roleArn, externalId, sessionName',
    ],
  ])("%s", (_name, edit, line) => {
    // GIVEN an unknown key at this depth; WHEN validated; THEN the keys of that very object
    const raw = defaultRawConfig();
    edit(raw);
    expect(refusal(raw)).toBe(`Invalid config f.json:\n  - ${line}`);
  });

  test.each<[string, (string | number)[]]>([
    ["a key the schema does not have", ["nosuch"]],
    ["below a key the schema does not have", ["nosuch", "deeper"]],
    ["a record (any key is allowed)", ["tags"]],
    ["a record's value", ["tags", "Project"]],
    ["below a plain value", ["name", "x"]],
  ])("no allowed keys to list at %s", (_name, path) => {
    // GIVEN a path to no object of the schema; WHEN asked; THEN no keys
    expect(allowedKeysAt(path)).toEqual([]);
  });

  test("the keys of an object inside an array", () => {
    // GIVEN the path of an egress rule; WHEN asked; THEN its keys
    expect(allowedKeysAt(["lambda", "egress", 0])).toEqual(["cidr", "port", "description"]);
  });
});

describe("long values are cut at MAX_SHOWN_CHARS", () => {
  test.each<[number, string]>([
    [MAX_SHOWN_CHARS - 2, `"${"a".repeat(MAX_SHOWN_CHARS - 2)}"`],
    [MAX_SHOWN_CHARS - 1, `"${"a".repeat(MAX_SHOWN_CHARS - 21)}…(${MAX_SHOWN_CHARS - 1} characters in all)`],
  ])("a string of %i characters", (length, shown) => {
    // GIVEN a string whose quoted form is just within / just over the limit; WHEN shown; THEN whole / cut
    expect(showString("a".repeat(length))).toBe(shown);
  });

  test("a long file path is shown whole (to be found or copied); one past PATH_MAX is cut", () => {
    // GIVEN a missing config file with a 213-character path
    const path = `/nonexistent/${"d".repeat(200)}`;
    // WHEN loaded; THEN the message names the whole path
    expect(() => loadConfig(path)).toThrow(
      new ConfigError(
        `Config file ${path} does not exist. Set PRIVATELINK_CONFIG to a JSON config file, or leave it unset to use config/default.json.`,
      ),
    );
    // AND a path of PATH_MAX characters is whole; one character more is a pasted blob, cut
    expect(showPath("p".repeat(MAX_SHOWN_PATH_CHARS))).toBe("p".repeat(MAX_SHOWN_PATH_CHARS));
    expect(showPath(`\u001b${"p".repeat(MAX_SHOWN_PATH_CHARS)}`)).toBe(
      `\\u001b${"p".repeat(MAX_SHOWN_PATH_CHARS - 26)}…(${MAX_SHOWN_PATH_CHARS + 1} characters in all)`,
    );
  });
});
