/** Reading the config file: odd files and odd bytes are refused with one clear line each. */
import { createServer } from "node:net";
import { execFileSync } from "node:child_process";
import fs, {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig, parseConfig } from "../../config/load";
import { MAX_CONFIG_BYTES, MAX_DEPTH, pathTypo, readConfigFile } from "../../config/read";
import { showString, showValue } from "../../lib/display";
import { defaultRawConfig, escapeRegExp, ROOT, thrownBy } from "../fixtures";

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

describe("a path that does not exist says why it may be mistyped", () => {
  test.each([
    ["~/my.json", " (~ is expanded only by a shell, and was not here: write the full path)"],
    ["~", " (~ is expanded only by a shell, and was not here: write the full path)"],
    ["config/default.json ", " (the path has white space at its start or end)"],
    ["\tconfig/default.json", " (the path has white space at its start or end)"],
    ["config/~nope.json", ""],
    ["config/nope.json", ""],
  ])("%j", (path, typo) => {
    expect(pathTypo(path)).toBe(typo);
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      expect(thrownBy(() => loadConfig(path))).toMatchObject({
        message: expect.stringMatching(
          new RegExp(`^Config file .* does not exist${escapeRegExp(typo)}\\. Set PRIVATELINK_CONFIG to a JSON config file`),
        ),
      });
    } finally {
      process.chdir(cwd);
    }
  });
});

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
    // GIVEN a config padded in front to exactly MAX_CONFIG_BYTES, so its very last byte is the closing brace
    const body = DEFAULT_TEXT.trimEnd();
    const atCap = " ".repeat(MAX_CONFIG_BYTES - Buffer.byteLength(body)) + body;
    expect(Buffer.byteLength(atCap)).toBe(MAX_CONFIG_BYTES);
    // WHEN read; THEN every byte is read (a lost last byte would break the JSON)
    expect(loadConfig(file(atCap)).name).toBe("hello-privatelink");
    // AND one byte more is refused, saying how large it is
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
    ["single quotes", "{'name': 'x'}", 'is not valid JSON: a single quote: JSON takes double quotes (") at line 1, column 2.'],
    [
      "an account ID with a leading zero, without quotes",
      '{"provider": {"accountId": 011111111111}}',
      'is not valid JSON: the number 011111111111 has a leading zero, which JSON numbers cannot have: write an ID such as an account ID as a string ("011111111111"), and a number without the zero at line 1, column 29.',
    ],
    [
      "a leading zero in a list",
      '{"ports": [80, 0443]}',
      'is not valid JSON: the number 0443 has a leading zero, which JSON numbers cannot have: write an ID such as an account ID as a string ("0443"), and a number without the zero at line 1, column 17.',
    ],
    [
      "a plain zero, then a comma missing",
      '{"a": 0 "b": 1}',
      "is not valid JSON: expected a comma or the end of the object or array at line 1, column 9.",
    ],
    [
      "typographic quotes around a key (pasted from a document or a chat)",
      '{\u201cname\u201d: "x"}',
      'is not valid JSON: a typographic quote "\u201c" (as a word processor or chat app writes it): JSON takes straight double quotes (") at line 1, column 2.',
    ],
    [
      "typographic quotes around a value",
      '{"name": \u201ex\u201d}',
      'is not valid JSON: a typographic quote "\u201e" (as a word processor or chat app writes it): JSON takes straight double quotes (") at line 1, column 10.',
    ],
    [
      "guillemets",
      '{"name": \u00abx\u00bb}',
      'is not valid JSON: a typographic quote "\u00ab" (as a word processor or chat app writes it): JSON takes straight double quotes (") at line 1, column 10.',
    ],
    [
      "a backtick",
      '{"name": `x`}',
      "is not valid JSON: unexpected characters (JSON has no comments, single quotes, NaN or Infinity) at line 1, column 10.",
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
    [
      "a leading zero",
      '{"port": 080}',
      'is not valid JSON: the number 080 has a leading zero, which JSON numbers cannot have: write an ID such as an account ID as a string ("080"), and a number without the zero at line 1, column 11.',
    ],
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
    ["a no-break space", "a\u00a0b", "a\\u00a0b"],
    ["a narrow no-break space", "a\u202fb", "a\\u202fb"],
    ["an en space", "a\u2002b", "a\\u2002b"],
    ["an ideographic space", "a\u3000b", "a\\u3000b"],
    ["a Hangul filler", "a\u3164b", "a\\u3164b"],
    ["a tag character (hidden text)", "a\u{e0041}b", "a\\u{e0041}b"],
  ])("%s is shown as an escape, never sent to the terminal", (_name, value, shown) => {
    const message = messageFor((r) => (r.consumers[0].name = value));
    expect(message).toContain(`consumers[0].name = "${shown}": must be 1-20 characters`);
    expect(message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u00a0\u2002\u200b\u2028\u202e\u202f\u3000\u3164\u{e0041}]/u);
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

  test("a number past a double's range (1e309) is one line, shown as JSON.parse read it rather than as null", () => {
    // GIVEN the default config file with 1e309 written as the Lambda memory
    const path = file(DEFAULT_TEXT.replace('"memoryMb": 128', '"memoryMb": 1e309'));
    // WHEN loaded; THEN one line, with the value as read (JSON.stringify would say null)
    expect(refusal(path)).toBe("Invalid config FILE:\n  - lambda.memoryMb = Infinity: is not a number the config accepts (too large)");
  });

  test.each([1e300, -1.8881545897087626e289, 9007199254740993])("a number too large to be data (%d) is refused", (value) => {
    const message = marker("", (raw) => (raw.lambda.memoryMb = value));
    expect(message).toContain(`lambda.memoryMb = ${JSON.stringify(value)}: is not a number the config accepts (too large)`);
  });
});

describe("every kind of file that is not a regular file is named", () => {
  /** A block device on this machine (any under /dev), or a new device node when /dev has none. */
  const makeBlockDevice = (path: string) => {
    const found = readdirSync("/dev")
      .map((name) => join("/dev", name))
      .find((dev) => {
        try {
          return statSync(dev).isBlockDevice();
        } catch {
          return false;
        }
      });
    if (found) symlinkSync(found, path);
    else execFileSync("mknod", [path, "b", "7", "0"]);
  };

  test.each<[string, (path: string) => void, string]>([
    ["a block device", makeBlockDevice, "a block device"],
    ["a character device (/dev/null)", (p) => symlinkSync("/dev/null", p), "a character device"],
  ])("%s", (_name, make, kind) => {
    // GIVEN a path that stat reports as a device
    const path = file(make);
    // WHEN it is read as the config; THEN it is refused by kind, before it is opened
    expect(refusal(path)).toBe(
      `Config file FILE is ${kind}, not a regular file. Set PRIVATELINK_CONFIG to a JSON config file, or leave it unset to use config/default.json.`,
    );
  });
});

describe("errors of the operating system are named", () => {
  const HINT = "Set PRIVATELINK_CONFIG to a JSON config file, or leave it unset to use config/default.json.";

  test("a file that can be seen but not opened for reading (a write-only sysctl): permission denied", () => {
    // GIVEN a regular file whose mode allows writing only (even root may not read it)
    const path = "/proc/sys/vm/drop_caches";
    expect(statSync(path).isFile()).toBe(true);
    // WHEN read; THEN the refusal names the reason in words, and how to choose another file
    expect(refusal(path)).toBe(`Config file FILE cannot be read: permission denied. ${HINT}`);
  });

  test("a read that fails with EIO: input/output error", () => {
    // GIVEN a regular file whose first read fails with EIO (this process's memory at address 0)
    // WHEN read; THEN the reason in words (no hint: the file itself is the problem)
    expect(refusal("/proc/self/mem")).toBe("Config file FILE cannot be read: input/output error.");
  });

  test("a read that fails with an error code without words: the code is shown", () => {
    // GIVEN a regular file that can be opened but not read (EINVAL)
    // WHEN read; THEN the bare code
    expect(refusal("/proc/self/clear_refs")).toBe("Config file FILE cannot be read (EINVAL).");
  });

  test("a path the system refuses outright (a NUL character): the error code is shown, the path escaped", () => {
    // GIVEN a path with a NUL character in it; WHEN read
    // THEN the code of the error, and the NUL shown as an escape
    expect(() => loadConfig("conf\0ig.json")).toThrow(
      new ConfigError(`Config file conf\\u0000ig.json cannot be read (ERR_INVALID_ARG_VALUE). ${HINT}`),
    );
  });

  describe("an error without a code shows the error itself", () => {
    afterEach(() => jest.restoreAllMocks());

    test("from stat", () => {
      // GIVEN a stat that fails with a plain error
      jest.spyOn(fs, "statSync").mockImplementation(() => {
        throw new Error("stat failed");
      });
      // WHEN read; THEN that error's text
      expect(refusal(file("{}"))).toBe(`Config file FILE cannot be read (Error: stat failed). ${HINT}`);
    });

    test("from read", () => {
      // GIVEN a read that fails with a plain error
      jest.spyOn(fs, "readSync").mockImplementation(() => {
        throw new Error("read failed");
      });
      // WHEN read; THEN that error's text
      expect(refusal(file("{}"))).toBe("Config file FILE cannot be read (Error: read failed).");
    });
  });
});

describe("a file that changes between the size check and the read", () => {
  /** Runs `change` right after the reader has looked at `path`, before it opens it. */
  const afterStat = (path: string, change: () => void) => {
    const realStat = fs.statSync;
    jest.spyOn(fs, "statSync").mockImplementation((p: fs.PathLike) => {
      const stats = realStat(p);
      if (p === path) change();
      return stats;
    });
  };
  afterEach(() => jest.restoreAllMocks());

  test("swapped for a FIFO: refused by what was opened (reading would block)", () => {
    // GIVEN a config that is replaced by a named pipe after its stat
    const path = file(DEFAULT_TEXT);
    const fifo = join(dir, `fifo-${++n}`);
    execFileSync("mkfifo", [fifo]);
    afterStat(path, () => renameSync(fifo, path));
    // WHEN read; THEN the opened file's kind is named
    expect(refusal(path)).toBe(
      "Config file FILE is a FIFO (named pipe), not a regular file. Set PRIVATELINK_CONFIG to a JSON config file, or leave it unset to use config/default.json.",
    );
  });

  test("deleted: does not exist", () => {
    // GIVEN a config that is deleted after its stat
    const path = file(DEFAULT_TEXT);
    afterStat(path, () => unlinkSync(path));
    // WHEN read; THEN it does not exist
    expect(refusal(path)).toBe(
      "Config file FILE does not exist. Set PRIVATELINK_CONFIG to a JSON config file, or leave it unset to use config/default.json.",
    );
  });

  test("swapped for a socket: the open's error code is shown", async () => {
    // GIVEN a config that is replaced by a listening socket after its stat
    const path = file(DEFAULT_TEXT);
    const socket = join(dir, `socket-${++n}`);
    const server = createServer().listen(socket);
    await new Promise((r) => server.once("listening", r));
    try {
      afterStat(path, () => renameSync(socket, path));
      // WHEN read; THEN opening it fails with ENXIO, shown as is
      expect(refusal(path)).toBe(
        "Config file FILE cannot be read (ENXIO). Set PRIVATELINK_CONFIG to a JSON config file, or leave it unset to use config/default.json.",
      );
    } finally {
      server.close();
    }
  });

  test("grown past the cap: refused while reading, never read without end", () => {
    // GIVEN a small config that grows past MAX_CONFIG_BYTES after its stat
    const path = file(DEFAULT_TEXT);
    afterStat(path, () => appendFileSync(path, " ".repeat(MAX_CONFIG_BYTES)));
    // WHEN read; THEN refused for its size
    expect(refusal(path)).toBe(`Config file FILE is larger than ${MAX_CONFIG_BYTES} bytes, the most a config file may be.`);
  });
});

test("every file opened is closed again, whether it is accepted or refused", () => {
  // GIVEN a valid config, one refused after it is opened, and the count of open descriptors
  const good = file(DEFAULT_TEXT);
  const bad = file("{");
  const openFds = () => readdirSync("/proc/self/fd").length;
  const before = openFds();
  // WHEN each is read ten times
  for (let i = 0; i < 10; i++) {
    loadConfig(good);
    refusal(bad);
    refusal("/proc/self/mem");
  }
  // THEN no descriptor is left open
  expect(openFds()).toBe(before);
});

describe("UTF-8, byte by byte", () => {
  /** A JSON object `{"s": "<bytes>"}` holding `bytes` in a string, as a file. */
  const inString = (...bytes: number[]) => file(Buffer.concat([Buffer.from('{"s": "'), Buffer.from(bytes), Buffer.from('"}')]));

  test.each<[string, number[], string]>([
    ["the lowest two-byte lead, C2 (U+00A3)", [0xc2, 0xa3], "\u00a3"],
    ["the highest two-byte lead, DF (U+07FF)", [0xdf, 0xbf], "\u07ff"],
    ["the lowest three-byte form, E0 A0 (U+0800)", [0xe0, 0xa0, 0x80], "\u0800"],
    ["the last code point before the surrogates, ED 9F (U+D7FF)", [0xed, 0x9f, 0xbf], "\ud7ff"],
    ["the first code point after the surrogates, EE 80 (U+E000)", [0xee, 0x80, 0x80], "\ue000"],
    ["the highest three-byte lead, EF (U+FF01)", [0xef, 0xbc, 0x81], "\uff01"],
    ["the lowest four-byte form, F0 90 (U+10000)", [0xf0, 0x90, 0x80, 0x80], "\u{10000}"],
    ["an emoji (U+1F600), then more text", [0xf0, 0x9f, 0x98, 0x80, 0x61], "\u{1f600}a"],
    ["the highest code point, F4 8F (U+10FFFF)", [0xf4, 0x8f, 0xbf, 0xbf], "\u{10ffff}"],
    ["every length in a row", [0x61, 0xc3, 0xa9, 0xe3, 0x81, 0x82, 0xf0, 0x9f, 0x98, 0x80, 0x62], "a\u00e9\u3042\u{1f600}b"],
  ])("accepted: %s", (_name, bytes, text) => {
    // GIVEN a string holding these bytes; WHEN read; THEN decoded to exactly these characters
    expect(readConfigFile(inString(...bytes))).toEqual({ s: text });
  });

  test.each<[string, number[], string]>([
    ["a lone continuation byte 80", [0x80, 0x61], "80"],
    ["a lone continuation byte BF", [0xbf], "BF"],
    ["an overlong two-byte form C0", [0xc0, 0xaf], "C0"],
    ["an overlong two-byte form C1", [0xc1, 0xbf], "C1"],
    ["an overlong three-byte form E0 80", [0xe0, 0x80, 0x80], "E0"],
    ["an overlong three-byte form E0 9F", [0xe0, 0x9f, 0xbf], "E0"],
    ["the first surrogate, ED A0", [0xed, 0xa0, 0x80], "ED"],
    ["the last surrogate, ED BF", [0xed, 0xbf, 0xbf], "ED"],
    ["an overlong four-byte form F0 80", [0xf0, 0x80, 0x80, 0x80], "F0"],
    ["an overlong four-byte form F0 8F", [0xf0, 0x8f, 0xbf, 0xbf], "F0"],
    ["a code point above U+10FFFF, F4 90", [0xf4, 0x90, 0x80, 0x80], "F4"],
    ["a lead byte F5", [0xf5, 0x80, 0x80, 0x80], "F5"],
    ["a lead byte F7", [0xf7, 0xbf, 0xbf, 0xbf], "F7"],
    ["a five-byte lead F8", [0xf8, 0x88, 0x80, 0x80, 0x80], "F8"],
    ["the byte FF", [0xff, 0x80, 0x80, 0x80], "FF"],
    ["a two-byte sequence cut short by text", [0xc3, 0x61], "C3"],
    ["a three-byte sequence cut short by text", [0xe3, 0x81, 0x61], "E3"],
    ["a four-byte sequence cut short by text", [0xf0, 0x9f, 0x98, 0x61], "F0"],
  ])("refused: %s", (_name, bytes, shown) => {
    // GIVEN a string holding these bytes right after `{"s": "`; WHEN read
    // THEN the first bad byte, in hex, at column 8
    expect(refusal(inString(...bytes))).toBe(
      `Config file FILE is not UTF-8: byte 0x${shown} at line 1, column 8 is not valid UTF-8 (Latin-1, Windows-1252 or Shift_JIS, perhaps). Save it as UTF-8.`,
    );
  });

  test.each<[string, Buffer, string]>([
    ["the very first byte", Buffer.from([0xff, 0x7b, 0x7d]), "byte 0xFF at line 1, column 1"],
    [
      "after characters of several bytes (columns count characters)",
      Buffer.from([...Buffer.from('{"s": "\u00e9\u3042'), 0xff]),
      "byte 0xFF at line 1, column 10",
    ],
    ["on a later line", Buffer.from([...Buffer.from('{\n  "a": 1,\n  "s": "'), 0xe9, 0x22, 0x7d]), "byte 0xE9 at line 3, column 9"],
  ])("where: %s", (_name, bytes, where) => {
    // GIVEN a bad byte at a known place; WHEN read; THEN its line and column
    expect(refusal(file(bytes))).toBe(
      `Config file FILE is not UTF-8: ${where} is not valid UTF-8 (Latin-1, Windows-1252 or Shift_JIS, perhaps). Save it as UTF-8.`,
    );
  });
});

describe("NUL bytes and UTF-16 without a byte order mark", () => {
  const NOT_UTF8 = "is not valid UTF-8 (Latin-1, Windows-1252 or Shift_JIS, perhaps). Save it as UTF-8.";

  test.each<[string, Buffer, string]>([
    [
      "an invalid byte before a NUL: the invalid byte",
      Buffer.from([...Buffer.from('{"s": "'), 0xff, 0x00, 0x22, 0x7d]),
      `is not UTF-8: byte 0xFF at line 1, column 8 ${NOT_UTF8}`,
    ],
    [
      "a NUL before an invalid byte: the NUL",
      Buffer.from([...Buffer.from('{"s": "'), 0x00, 0xff, 0x22, 0x7d]),
      "contains a NUL byte at line 1, column 8: it is not a text file.",
    ],
    [
      "two NULs first, then an invalid byte: the NUL",
      Buffer.from([0x00, 0x00, 0xff]),
      "contains a NUL byte at line 1, column 1: it is not a text file.",
    ],
    [
      "two NULs first: the NUL, not UTF-16",
      Buffer.from([0x00, 0x00, 0x7b, 0x7d]),
      "contains a NUL byte at line 1, column 1: it is not a text file.",
    ],
    ["a file of one NUL", Buffer.from([0x00]), "contains a NUL byte at line 1, column 1: it is not a text file."],
    ["two bytes, the second zero", Buffer.from([0x31, 0x00]), "looks like UTF-16 LE (every other byte is zero). Save it as UTF-8."],
    ["two bytes, the first zero", Buffer.from([0x00, 0x31]), "looks like UTF-16 BE (every other byte is zero). Save it as UTF-8."],
    [
      "UTF-16 LE after a UTF-8 byte order mark",
      Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x00, 0x7d, 0x00]),
      "looks like UTF-16 LE (every other byte is zero). Save it as UTF-8.",
    ],
  ])("%s", (_name, bytes, expected) => {
    // GIVEN these bytes as the whole file; WHEN read
    const path = file(bytes);
    // THEN the one problem that comes first
    expect(refusal(path)).toBe(`Config file FILE ${expected}`);
  });
});

describe("nesting is counted per level, not per bracket", () => {
  test.each<[string, string, unknown]>([
    ["40 sibling arrays", `[${Array.from({ length: 40 }, () => "[]").join(",")}]`, Array.from({ length: 40 }, () => [])],
    [
      "40 sibling objects",
      `{${Array.from({ length: 40 }, (_, i) => `"k${i}": {}`).join(", ")}}`,
      Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, {}])),
    ],
    [
      "arrays and objects closing in turn",
      `[${Array.from({ length: 20 }, () => '{"a": [[]]}').join(",")}]`,
      Array.from({ length: 20 }, () => ({ a: [[]] })),
    ],
  ])("%s, two levels deep, are read", (_name, text, value) => {
    // GIVEN more brackets in all than MAX_DEPTH, but never more than three open at once
    // WHEN read; THEN accepted as the value written
    expect(readConfigFile(file(text))).toEqual(value);
  });
});
