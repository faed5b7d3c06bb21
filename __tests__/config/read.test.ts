/** Reading the config file: odd files and odd bytes are refused with one clear line each. */
import { createServer } from "node:net";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig, parseConfig } from "../../config/load";
import { MAX_CONFIG_BYTES, MAX_DEPTH, readConfigFile } from "../../config/read";
import { showString, showValue } from "../../config/display";
import { defaultRawConfig, ROOT } from "../helpers";

const dir = mkdtempSync(join(tmpdir(), "plk-read-"));
const DEFAULT_TEXT = readFileSync(join(ROOT, "config", "default.json"), "utf8");
let n = 0;
/** A new file holding `content`, or made by `make`; returns its path. */
function file(content: string | Buffer | ((path: string) => void)): string {
  const path = join(dir, `config-${++n}.json`);
  if (typeof content === "function") content(path);
  else writeFileSync(path, content);
  return path;
}

/** The ConfigError message reading `path` gives, with the path replaced by FILE. */
function refusal(path: string): string {
  try {
    loadConfig(path);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message.split(path).join("FILE");
  }
  throw new Error(`${path} was accepted`);
}

describe("only a regular file of bounded size is read", () => {
  test.each<[string, (path: string) => void, string]>([
    ["a directory", (p) => mkdirSync(p), "is a directory, not a regular file"],
    [
      "a FIFO (reading would block until a writer appears)",
      (p) => execFileSync("mkfifo", [p]),
      "is a FIFO (named pipe), not a regular file",
    ],
    ["a character device", (p) => execFileSync("ln", ["-s", "/dev/zero", p]), "is a character device, not a regular file"],
    ["a dangling symlink", (p) => execFileSync("ln", ["-s", join(dir, "nowhere"), p]), "does not exist"],
    ["a symlink loop", (p) => execFileSync("ln", ["-s", p, p]), "cannot be read: too many levels of symbolic links"],
    ["a path through a file", (p) => writeFileSync(p, "{}"), "cannot be read: a part of its path is not a directory"],
  ])("%s", (_name, make, expected) => {
    const path = file(make);
    const target = expected.includes("part of its path") ? join(path, "config.json") : path;
    expect(refusal(target)).toMatch(
      new RegExp(`^Config file FILE(/config\\.json)? ${expected.replace(/[()]/g, "\\$&")}\\. Set PRIVATELINK_CONFIG`),
    );
  });

  test("a socket", async () => {
    const path = join(dir, "socket.json");
    const server = createServer().listen(path);
    await new Promise((r) => server.once("listening", r));
    try {
      expect(refusal(path)).toMatch(/^Config file FILE is a socket, not a regular file\./);
    } finally {
      server.close();
    }
  });

  test("the size cap: one byte over is refused, a padded config at the cap is read", () => {
    const atCap = DEFAULT_TEXT + " ".repeat(MAX_CONFIG_BYTES - Buffer.byteLength(DEFAULT_TEXT));
    expect(loadConfig(file(atCap)).name).toBe("hello-privatelink");
    expect(refusal(file(`${atCap} `))).toBe(
      `Config file FILE is ${MAX_CONFIG_BYTES + 1} bytes; a config file is at most ${MAX_CONFIG_BYTES} bytes. Is it the right file?`,
    );
  });
});

describe("encodings", () => {
  test("a UTF-8 byte order mark is accepted", () => {
    const withBom = loadConfig(file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(DEFAULT_TEXT)])));
    expect(withBom).toEqual(loadConfig(join(ROOT, "config", "default.json")));
  });

  const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();
  const utf32 = (text: string, le: boolean) =>
    Buffer.concat(
      [...text].map((c) => {
        const b = Buffer.alloc(4);
        if (le) b.writeUInt32LE(c.codePointAt(0)!);
        else b.writeUInt32BE(c.codePointAt(0)!);
        return b;
      }),
    );
  test.each<[string, Buffer, string]>([
    [
      "UTF-16 LE with BOM",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(DEFAULT_TEXT, "utf16le")]),
      "is UTF-16 LE (it starts with that byte order mark)",
    ],
    [
      "UTF-16 BE with BOM",
      Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(DEFAULT_TEXT)]),
      "is UTF-16 BE (it starts with that byte order mark)",
    ],
    ["UTF-16 LE without BOM", Buffer.from(DEFAULT_TEXT, "utf16le"), "looks like UTF-16 LE (every other byte is zero)"],
    ["UTF-16 BE without BOM", utf16be(DEFAULT_TEXT), "looks like UTF-16 BE (every other byte is zero)"],
    [
      "UTF-32 LE with BOM",
      Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32(DEFAULT_TEXT, true)]),
      "is UTF-32 LE (it starts with that byte order mark)",
    ],
    [
      "UTF-32 BE with BOM",
      Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), utf32(DEFAULT_TEXT, false)]),
      "is UTF-32 BE (it starts with that byte order mark)",
    ],
  ])("%s is refused by name", (_name, bytes, expected) => {
    expect(refusal(file(bytes))).toBe(`Config file FILE ${expected}. Save it as UTF-8.`);
  });

  test.each<[string, Buffer, string]>([
    ["Latin-1 é", Buffer.from('{\n  "name": "caf\xe9"\n}', "latin1"), "byte 0xE9 at line 2, column 15"],
    ["Shift_JIS", Buffer.from([0x7b, 0x22, 0x83, 0x65, 0x22, 0x3a, 0x31, 0x7d]), "byte 0x83 at line 1, column 3"],
    ["an overlong encoding", Buffer.from([0x7b, 0xc0, 0x80, 0x7d]), "byte 0xC0 at line 1, column 2"],
    ["an encoded surrogate", Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), "byte 0xED at line 1, column 3"],
    ["a truncated sequence at the end", Buffer.from([0x7b, 0x7d, 0xe3, 0x81]), "byte 0xE3 at line 1, column 3"],
  ])("%s: not UTF-8, with the byte and where it is", (_name, bytes, where) => {
    expect(refusal(file(bytes))).toBe(
      `Config file FILE is not UTF-8: ${where} is not valid UTF-8 (Latin-1, Windows-1252 or Shift_JIS, perhaps). Save it as UTF-8.`,
    );
  });

  test("a NUL byte: not a text file", () => {
    expect(refusal(file(Buffer.from('{"name":\n "a\0b"}')))).toBe(
      "Config file FILE contains a NUL byte at line 2, column 4: it is not a text file.",
    );
  });

  test("UTF-8 beyond ASCII is read as such", () => {
    const config = loadConfig(file(DEFAULT_TEXT.replace('"Project": "hello-privatelink"', '"Project": "こんにちは Ünïcode"')));
    expect(config.tags.Project).toBe("こんにちは Ünïcode");
  });
});

describe("JSON syntax: the first error with its line and column", () => {
  test.each<[string, string, string]>([
    ["empty", "", 'is empty: a config is a JSON object with at least "consumers".'],
    ["only whitespace", " \n\t\n", 'is empty: a config is a JSON object with at least "consumers".'],
    [
      "a trailing comma",
      '{\n  "name": "x",\n}',
      "is not valid JSON: expected a key in double quotes (no trailing comma before }) at line 3, column 1.",
    ],
    [
      "a trailing comma in an array",
      '{"consumers": [1,]}',
      "is not valid JSON: expected a value (no trailing comma before ] or }) at line 1, column 18.",
    ],
    ["a comment", '{\n  // note\n  "name": "x"\n}', "is not valid JSON: JSON has no comments at line 2, column 3."],
    [
      "single quotes",
      "{'name': 'x'}",
      "is not valid JSON: unexpected characters (JSON has no comments, single quotes, NaN or Infinity) at line 1, column 2.",
    ],
    [
      "NaN",
      '{"port": NaN}',
      "is not valid JSON: unexpected characters (JSON has no comments, single quotes, NaN or Infinity) at line 1, column 10.",
    ],
    [
      "a missing comma",
      '{\n  "a": 1\n  "b": 2\n}',
      "is not valid JSON: expected a comma or the end of the object or array at line 3, column 3.",
    ],
    ["an unclosed object", '{"a": {"b": 1}', "is not valid JSON: expected } to close the object at line 1, column 15."],
    [
      "two top-level values",
      '{"a": 1} {"b": 2}',
      "is not valid JSON: expected the end of the file after the top-level value at line 1, column 10.",
    ],
    [
      "a raw tab in a string",
      '{"a": "x\ty"}',
      "is not valid JSON: a control character (a raw tab or newline, say) inside a string; write it as \\t or \\n at line 1, column 7.",
    ],
    ["a bad escape", '{"a": "\\q"}', "is not valid JSON: an invalid escape (\\) in a string at line 1, column 7."],
    ["a leading zero", '{"port": 080}', "is not valid JSON: expected a comma or the end of the object or array at line 1, column 11."],
  ])("%s", (_name, text, expected) => {
    expect(refusal(file(text))).toBe(`Config file FILE ${expected}`);
  });
});

describe("keys and nesting", () => {
  test.each<[string, string, string]>([
    ["at the top", '{\n  "name": "a",\n  "name": "b"\n}', 'has the key "name" twice in one object: name (line 3, column 3). Keep one.'],
    [
      "deep inside",
      '{"consumers": [{"network": {"create": {"vpcCidr": "10.1.0.0/16", "vpcCidr": "10.2.0.0/16"}}}]}',
      'has the key "vpcCidr" twice in one object: consumers[0].network.create.vpcCidr (line 1, column 66). Keep one.',
    ],
    [
      "a tag key",
      '{"tags": {"a b": "1", "a b": "2"}}',
      'has the key "a b" twice in one object: tags["a b"] (line 1, column 23). Keep one.',
    ],
    [
      "__proto__",
      '{"tags": {"__proto__": {"x": 1}}}',
      'uses the key "__proto__" at tags.__proto__ (line 1, column 11), which JavaScript reserves.',
    ],
  ])("a duplicate or reserved key %s is named with its path", (_name, text, expected) => {
    expect(refusal(file(text))).toBe(`Config file FILE ${expected}`);
  });

  test("equal keys in different objects are fine", () => {
    const config = loadConfig(file(DEFAULT_TEXT));
    expect(config.provider?.network.create?.azIds).toEqual(config.consumers[0].network.create?.azIds);
  });

  test.each([10_000, 100_000])("%i levels of nesting are refused without a recursion crash", (depth) => {
    const deep = file(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);
    expect(refusal(deep)).toBe(
      `Config file FILE nests objects and arrays more than ${MAX_DEPTH} levels deep (at line 1, column ${MAX_DEPTH * 5 + 1}); a config needs 6.`,
    );
    expect(refusal(file(`${"[".repeat(depth)}${"]".repeat(depth)}`))).toMatch(/nests objects and arrays more than 32 levels deep/);
  });

  test("exactly the deepest nesting allowed is read (and then judged by the schema)", () => {
    const value = readConfigFile(file(`${"[".repeat(MAX_DEPTH)}${"]".repeat(MAX_DEPTH)}`));
    expect(JSON.stringify(value)).toBe(`${"[".repeat(MAX_DEPTH)}${"]".repeat(MAX_DEPTH)}`);
    expect(() => parseConfig(value, "deep")).toThrow(ConfigError);
  });
});

describe("values in messages are shortened and escaped", () => {
  /** The message for a default config with `edit` applied. */
  const messageFor = (edit: (raw: Record<string, any>) => void): string => {
    const raw = defaultRawConfig();
    edit(raw);
    try {
      parseConfig(raw, "test.json");
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error("accepted");
  };

  test("a long value is cut, saying how long it was", () => {
    const message = messageFor((r) => (r.provider.accountId = "9".repeat(10_000)));
    expect(message).toContain(`provider.accountId = "${"9".repeat(59)}…(10000 characters in all): must be a 12-digit`);
    expect(message.length).toBeLessThan(400);
  });

  test.each<[string, string, string]>([
    ["a terminal escape", "\u001b[31mred\u001b[0m", "\\u001b[31mred\\u001b[0m"],
    ["a bidi override", "abc\u202edef", "abc\\u202edef"],
    ["a zero-width space", "a\u200bb", "a\\u200bb"],
    ["a line separator", "a\u2028b", "a\\u2028b"],
    ["a newline", "a\nb", "a\\nb"],
    ["DEL and C1 controls", "a\u007f\u0085b", "a\\u007f\\u0085b"],
  ])("%s is shown as an escape, never sent to the terminal", (_name, value, shown) => {
    const message = messageFor((r) => (r.consumers[0].name = value));
    expect(message).toContain(`consumers[0].name = "${shown}": must be 1-20 characters`);
    expect(message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u2028\u202e]/);
    expect(message.split("\n")).toHaveLength(2);
  });

  test("an unknown key full of control characters is escaped and shortened in the list of allowed keys", () => {
    const message = messageFor((r) => (r.service[`\u001b]0;pwned\u0007${"k".repeat(500)}`] = 1));
    expect(message).toContain('service["\\u001b]0;pwned\\u0007kkkk');
    expect(message).not.toContain("\u001b");
    expect(message.length).toBeLessThan(600);
  });

  test("display helpers: objects and arrays are one line too", () => {
    expect(showValue({ a: [1, 2], b: "x\ny" })).toBe('{"a":[1,2],"b":"x\\ny"}');
    expect(showValue(Array.from({ length: 100 }, (_, i) => i))).toMatch(/^\[0,1,2,.*…\(291 characters in all\)$/);
    expect(showString("é")).toBe('"é"');
  });
});

describe("values that could turn into code or references", () => {
  const marker = (value: string, where: (raw: Record<string, any>, v: string) => void) => {
    const raw = defaultRawConfig();
    where(raw, value);
    try {
      parseConfig(raw, "test.json");
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error("accepted");
  };

  test.each(["${TfToken[TOKEN.0]}", "#{TfToken[TOKEN.0]}", "&{TfToken[TOKEN.0]}", "x ${TfToken[Token.12]} y"])(
    "the cdktf token marker %s in a value is refused before it can resolve",
    (value) => {
      const message = marker(value, (raw, v) => (raw.lambda.egress = [{ cidr: "10.9.0.0/16", port: 443, description: v }]));
      expect(message).toContain(`lambda.egress[0].description = ${showString(value)}: contains a cdktf token marker`);
    },
  );

  test("a token marker as a key is refused", () => {
    const message = marker("${TfToken[TOKEN.0]}", (raw, v) => (raw.tags[v] = "x"));
    expect(message).toContain('tags["${TfToken[TOKEN.0]}"]: the key contains a cdktf token marker');
  });

  test.each([1e300, -1.8881545897087626e289, 9007199254740993])("a number too large to be data (%d) is refused", (value) => {
    const message = marker("", (raw) => (raw.lambda.memoryMb = value));
    expect(message).toContain(`lambda.memoryMb = ${JSON.stringify(value)}: is not a number the config accepts (too large)`);
  });
});
