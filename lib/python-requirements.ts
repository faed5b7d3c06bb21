/**
 * What a Python function's requirements.txt asks to have installed on Lambda: the
 * distribution names of its requirement lines (PEP 508 names, `name @ url`, and wheel, sdist
 * or `#egg=` URLs), less those whose environment marker is false on Lambda's platform (Linux,
 * CPython, the function's Python version and architecture). Options (`-r`, `-e`, `--hash`)
 * are skipped, and so is a requirement whose name or marker this cannot read: the check that
 * uses this refuses a synth, and it must never refuse a requirement pip would not install.
 */

/** The Lambda platform a function runs on. */
export interface PythonTarget {
  /** The runtime's Python version, such as "3.13". */
  readonly version: string;
  readonly architecture: "arm64" | "x86_64";
}

/** PEP 503 names: case and runs of `-_.` do not matter. */
export const normalizeDistribution = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, "-");

/** A PEP 508 name, with optional extras, followed by what may follow a name. */
const NAMED = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(?=@|[<>=!~;(]|$)/;

/**
 * The distributions `text` (a requirements.txt) asks for on `target`, normalized. Without a
 * target, a requirement with a marker is not known to be asked for, and is left out.
 */
export function requiredDistributions(text: string, target?: PythonTarget): string[] {
  return (
    text
      // A backslash at the end of a line continues it (pip joins them first).
      .replace(/\\\r?\n/g, " ")
      .split(/\r?\n/)
      .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
      .filter((line) => line !== "" && !line.startsWith("-"))
      // Per-requirement options (`--hash=…`) follow the requirement after whitespace.
      .map((line) => line.split(/\s+--?[A-Za-z]/)[0])
      .flatMap((line) => {
        const requirement = parseRequirement(line);
        if (!requirement) return [];
        if (requirement.marker !== undefined && (!target || evaluateMarker(requirement.marker, target) !== true)) return [];
        return [normalizeDistribution(requirement.name)];
      })
  );
}

/** The name and marker of one requirement line; undefined when no name can be read. */
function parseRequirement(line: string): { name: string; marker?: string } | undefined {
  const named = NAMED.exec(line);
  if (named) {
    const rest = line.slice(named[0].length);
    // After `name @ url` the marker needs whitespace before its `;` (a URL may hold `;`).
    const semicolon = rest.startsWith("@") ? rest.search(/\s;/) + 1 : rest.indexOf(";");
    return { name: named[1], marker: semicolon > 0 || rest.startsWith(";") ? rest.slice(semicolon + 1).trim() : undefined };
  }
  // A URL or a path: the name is in `#egg=`, or in a wheel's or an sdist's file name.
  const split = line.search(/\s;/);
  const location = (split >= 0 ? line.slice(0, split) : line).trim();
  const marker = split >= 0 ? line.slice(split + 2).trim() : undefined;
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(location)?.[1];
  const file = location.split(/[?#]/)[0].split("/").pop() ?? "";
  const name =
    egg ??
    /^([A-Za-z0-9][A-Za-z0-9._]*)-\d[^-]*(?:-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(file)?.[1] ??
    /^([A-Za-z0-9][A-Za-z0-9._-]*?)-\d[A-Za-z0-9._+!]*\.(?:tar\.gz|tar\.bz2|tar\.xz|zip)$/.exec(file)?.[1];
  return name ? { name, marker } : undefined;
}

/** Environment marker variables on Lambda; python_full_version is handled apart (its patch is not known). */
function environment(target: PythonTarget): Record<string, string> {
  return {
    os_name: "posix",
    sys_platform: "linux",
    platform_system: "Linux",
    platform_machine: target.architecture === "arm64" ? "aarch64" : "x86_64",
    python_version: target.version,
    implementation_name: "cpython",
    platform_python_implementation: "CPython",
  };
}

/** Older spellings packaging still reads. */
const ALIASES: Readonly<Record<string, string>> = {
  "os.name": "os_name",
  "sys.platform": "sys_platform",
  "platform.machine": "platform_machine",
  "platform.python_implementation": "platform_python_implementation",
  python_implementation: "platform_python_implementation",
};

/** Variables whose value is the interpreter's full version: only its major.minor is known. */
const FULL_VERSION = new Set(["python_full_version", "implementation_version"]);

type Token = { kind: "name" | "string" | "op" | "paren"; text: string };

function tokenize(marker: string): Token[] | undefined {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\(|\))|('[^']*'|"[^"]*")|(===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b|and\b|or\b)|([A-Za-z_][A-Za-z0-9_.]*))/y;
  let at = 0;
  while (at < marker.length) {
    if (/^\s*$/.test(marker.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(marker);
    if (!m) return undefined;
    at = pattern.lastIndex;
    if (m[1]) tokens.push({ kind: "paren", text: m[1] });
    else if (m[2]) tokens.push({ kind: "string", text: m[2].slice(1, -1) });
    else if (m[3]) tokens.push({ kind: m[3] === "and" || m[3] === "or" ? "name" : "op", text: m[3].replace(/\s+/, " ") });
    else tokens.push({ kind: "name", text: m[4] });
  }
  return tokens;
}

/** True, false, or undefined when the answer on Lambda is not known. */
type Truth = boolean | undefined;

/**
 * Evaluates a PEP 508 environment marker for Lambda's platform: true or false, or undefined
 * when it names something not known there (a release, an extra) or cannot be read.
 */
export function evaluateMarker(marker: string, target: PythonTarget): Truth {
  const tokens = tokenize(marker);
  if (!tokens || tokens.length === 0) return undefined;
  const env = environment(target);
  let i = 0;
  const peek = () => tokens[i];
  /**
   * `operand (word operand)*`, in Kleene logic: the word's deciding value (false for and, true
   * for or) wins over unknown; null when an operand cannot be read.
   */
  const chain = (word: "and" | "or", operand: () => Truth | null, decides: boolean) => (): Truth | null => {
    let left = operand();
    while (left !== null && peek()?.kind === "name" && peek().text === word) {
      i++;
      const right = operand();
      if (right === null) return null;
      left = left === decides || right === decides ? decides : left === !decides && right === !decides ? !decides : undefined;
    }
    return left;
  };
  const and = chain("and", () => atom(), false);
  const or = chain("or", () => and(), true);
  const value = (): { known: boolean; text: string; variable?: string } | null => {
    const t = tokens[i++];
    if (!t) return null;
    if (t.kind === "string") return { known: true, text: t.text };
    if (t.kind !== "name" || t.text === "and" || t.text === "or") return null;
    const name = ALIASES[t.text] ?? t.text;
    if (FULL_VERSION.has(name)) return { known: false, text: target.version, variable: name };
    return name in env ? { known: true, text: env[name], variable: name } : { known: false, text: "", variable: name };
  };
  const atom = (): Truth | null => {
    if (peek()?.kind === "paren" && peek().text === "(") {
      i++;
      const inner = or();
      if (inner === null || peek()?.text !== ")") return null;
      i++;
      return inner;
    }
    const left = value();
    const op = tokens[i++];
    const right = value();
    if (!left || !right || op?.kind !== "op") return null;
    if (FULL_VERSION.has(left.variable ?? "") && !right.variable) return compareFullVersion(target.version, op.text, right.text);
    if (!left.known || !right.known) return undefined;
    return compare(left.text, op.text, right.text);
  };
  const result = or();
  return result === null || i !== tokens.length ? undefined : result;
}

/** A release version's numbers, or undefined for anything else (pre-releases, local versions). */
function release(version: string): number[] | undefined {
  return /^\d+(\.\d+)*$/.test(version) ? version.split(".").map(Number) : undefined;
}

function cmp(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const d = (a[k] ?? 0) - (b[k] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** `left op right` as packaging evaluates it: as versions when both are, else as strings. */
function compare(left: string, op: string, right: string): Truth {
  if (op === "in") return right.includes(left);
  if (op === "not in") return !right.includes(left);
  if (op === "===") return left === right;
  const wildcard = /^(\d+(?:\.\d+)*)\.\*$/.exec(right);
  if (wildcard && (op === "==" || op === "!=")) {
    const [l, prefix] = [release(left), release(wildcard[1])];
    if (!l || !prefix) return undefined;
    const matches = prefix.every((n, k) => (l[k] ?? 0) === n);
    return op === "==" ? matches : !matches;
  }
  const [l, r] = [release(left), release(right)];
  if (l && r) {
    const c = cmp(l, r);
    switch (op) {
      case "==":
        return c === 0;
      case "!=":
        return c !== 0;
      case "<":
        return c < 0;
      case "<=":
        return c <= 0;
      case ">":
        return c > 0;
      case ">=":
        return c >= 0;
      case "~=":
        return r.length >= 2 && c >= 0 && cmp(l.slice(0, r.length - 1), r.slice(0, -1)) === 0;
    }
  }
  if (op === "==") return left === right;
  if (op === "!=") return left !== right;
  return undefined;
}

/**
 * `python_full_version op version` knowing only the runtime's major.minor: decided when the
 * answer is the same for every patch release of it, else undefined.
 */
function compareFullVersion(minor: string, op: string, version: string): Truth {
  const answers = [0, 1, 99].map((patch) => compare(`${minor}.${patch}`, op, version));
  return answers.every((a) => a === answers[0]) ? answers[0] : undefined;
}

/**
 * A requirements file's text, decoded as pip decodes it: by its byte order mark (UTF-8,
 * UTF-16 or UTF-32, as Windows PowerShell 5's `pip freeze > requirements.txt` writes
 * UTF-16), else as UTF-8. https://github.com/pypa/pip/blob/main/src/pip/_internal/utils/encoding.py
 */
export function decodeRequirements(bytes: Buffer): string {
  const boms: [number[], string][] = [
    [[0xef, 0xbb, 0xbf], "utf-8"],
    [[0xff, 0xfe, 0x00, 0x00], "utf-32le"],
    [[0x00, 0x00, 0xfe, 0xff], "utf-32be"],
    [[0xff, 0xfe], "utf-16le"],
    [[0xfe, 0xff], "utf-16be"],
  ];
  const found = boms.find(([bom]) => bom.every((b, i) => bytes[i] === b));
  if (!found) return bytes.toString("utf8");
  const [bom, encoding] = found;
  const body = bytes.subarray(bom.length);
  if (encoding.startsWith("utf-32")) {
    const little = encoding === "utf-32le";
    const chars: string[] = [];
    for (let i = 0; i + 3 < body.length; i += 4) chars.push(String.fromCodePoint(little ? body.readUInt32LE(i) : body.readUInt32BE(i)));
    return chars.join("");
  }
  return new TextDecoder(encoding).decode(body);
}
