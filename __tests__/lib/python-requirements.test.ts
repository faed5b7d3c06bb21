/**
 * What a requirements.txt asks Lambda to have: names read from every requirement form pip
 * accepts, and environment markers evaluated for Lambda's platform. Each marker's expected
 * answer is also checked against Python's own evaluator (packaging, which pip vendors).
 */
import { spawnSync } from "node:child_process";
import { decodeRequirements, evaluateMarker, PythonTarget, requiredDistributions } from "../../lib/python-requirements";
import { pythonFailure } from "../fixtures";

const ARM_313: PythonTarget = { version: "3.13", architecture: "arm64" };
const X86_39: PythonTarget = { version: "3.9", architecture: "x86_64" };

describe("requirement lines", () => {
  test.each<[string, string[]]>([
    ["Foo_Bar[extra]==1", ["foo-bar"]],
    ["requests[socks] >= 2.31 ; python_version >= '3.8'", ["requests"]],
    ["foo (>=1.0)", ["foo"]],
    ["zope.interface~=6.0", ["zope-interface"]],
    ["name @ https://example.com/name-1.0-py3-none-any.whl", ["name"]],
    ["name @ https://example.com/x;y/name-1.0.tar.gz ; sys_platform == 'win32'", []],
    ["https://example.com/wheels/foo_bar-1.0-py3-none-any.whl", ["foo-bar"]],
    ["https://example.com/wheels/foo_bar-1.0-1-cp313-cp313-manylinux2014_aarch64.whl?x=1", ["foo-bar"]],
    ["./vendor/pkg-2.0.tar.gz", ["pkg"]],
    ["file:///tmp/my-pkg-1.0.zip", ["my-pkg"]],
    ["git+https://example.com/org/baz.git@v1#egg=baz", ["baz"]],
    ["git+https://example.com/org/no-name.git", []],
    ["-e git+https://example.com/org/x.git#egg=x", []],
    ["-r other.txt\n--index-url https://example.com/simple\n-c constraints.txt", []],
    ["numpy==2.1.0 \\\n    --hash=sha256:0000 \\\n    --hash=sha256:1111", ["numpy"]],
    ["six==1.16.0 --hash=sha256:0000", ["six"]],
    ["# a comment\n\n  attrs  # inline comment\r\n", ["attrs"]],
    ["pywin32>=306 ; sys_platform == 'win32'", []],
    ["uvloop ; platform_machine == 'aarch64'", ["uvloop"]],
    ["backports.zoneinfo ; python_version < '3.9'", []],
    ["broken ; python_version <<< '3'", []],
  ])("%j", (text, names) => {
    expect(requiredDistributions(text, ARM_313)).toEqual(names);
  });
});

test("without a target, a requirement with a marker is left out (its answer is not known)", () => {
  expect(requiredDistributions("a\nb ; sys_platform == 'linux'\nc==1")).toEqual(["a", "c"]);
});

/** [marker, answer on Python 3.13 arm64, answer on Python 3.9 x86_64]; undefined: not known on Lambda. */
const MARKERS: [string, boolean | undefined, boolean | undefined][] = [
  ['sys_platform == "linux"', true, true],
  ["sys_platform == 'win32'", false, false],
  ['sys_platform != "darwin"', true, true],
  ['platform_system == "Windows" or os_name == "nt"', false, false],
  ['platform_machine == "aarch64"', true, false],
  ["platform_machine in 'x86_64 AMD64'", false, true],
  ["'linux' in sys_platform", true, true],
  ['platform_machine not in "arm64 aarch64"', false, true],
  ['python_version < "3.11"', false, true],
  ['python_version >= "3.9" and python_version < "3.13"', false, true],
  ['python_version == "3.13"', true, false],
  ['python_version == "3.*"', true, true],
  ['python_version != "3.9.*"', true, false],
  ['python_version ~= "3.10"', true, false],
  ['python_full_version >= "3.9.2"', true, undefined],
  ['python_full_version < "3.10"', false, true],
  ['implementation_name == "cpython" and platform_python_implementation == "CPython"', true, true],
  ['platform_python_implementation == "PyPy"', false, false],
  ['(sys_platform == "win32" or sys_platform == "linux") and python_version >= "3.10"', true, false],
  ['sys.platform == "linux"', true, true],
  ['platform_release >= "5"', undefined, undefined],
  ['platform_release >= "5" and sys_platform == "win32"', false, false],
  ['platform_release >= "5" or sys_platform == "linux"', true, true],
  ['extra == "test"', undefined, undefined],
  // Each comparison both ways, on versions of more than one digit.
  ['python_version > "3.10"', true, false],
  ['python_version <= "3.9"', false, true],
  ['python_version != "3.13"', false, true],
  ['python_version == "3.9"', false, true],
  ['python_version ~= "3.9"', true, true],
  ['python_version ~= "3.12.0"', false, false],
  ['python_full_version <= "3.13.99"', true, true],
  ['python_full_version > "3.9.0"', true, undefined],
  ['platform_machine != "aarch64"', false, true],
  ['"aarch64" == platform_machine', true, false],
  // Unknown against known, in and and or, and nested parentheses.
  ['platform_release >= "5" and sys_platform == "linux"', undefined, undefined],
  ['platform_release >= "5" or sys_platform == "win32"', undefined, undefined],
  ['(platform_release >= "5" or (python_version >= "3.10" and os_name == "posix"))', true, undefined],
  ['sys_platform == "linux" and (platform_machine == "x86_64" or python_version < "3.10")', false, true],
];

describe("environment markers on Lambda", () => {
  test.each(MARKERS)("%s", (marker, arm313, x8639) => {
    expect(evaluateMarker(marker, ARM_313)).toBe(arm313);
    expect(evaluateMarker(marker, X86_39)).toBe(x8639);
  });

  test.each([
    "sys_platform ==",
    "== 'linux'",
    "(sys_platform == 'linux'",
    "sys_platform == 'linux')",
    "sys_platform = 'linux'",
    "sys_platform == linux",
    "sys_platform == 'linux' and",
    "and == 'linux'",
    "sys_platform == 'linux' or or os_name == 'posix'",
    "",
  ])("%j cannot be read: not known", (marker) => {
    expect(evaluateMarker(marker, ARM_313)).toBeUndefined();
  });

  test("every decided answer is Python's own (packaging), on each patch release of the version", () => {
    const decided = MARKERS.flatMap(([marker, arm, x86]) => [
      ...(arm === undefined ? [] : [{ marker, answer: arm, machine: "aarch64", version: "3.13" }]),
      ...(x86 === undefined ? [] : [{ marker, answer: x86, machine: "x86_64", version: "3.9" }]),
    ]);
    const script = [
      "import json, sys",
      "try:",
      "    from packaging.markers import Marker",
      "except ImportError:",
      "    from pip._vendor.packaging.markers import Marker",
      "out = []",
      "for case in json.load(sys.stdin):",
      "    answers = set()",
      "    for patch in ('0', '5', '12'):",
      "        env = dict(os_name='posix', sys_platform='linux', platform_system='Linux', platform_machine=case['machine'],",
      "                   python_version=case['version'], python_full_version=case['version'] + '.' + patch,",
      "                   implementation_name='cpython', implementation_version=case['version'] + '.' + patch,",
      "                   platform_python_implementation='CPython', platform_release='', platform_version='')",
      "        answers.add(Marker(case['marker']).evaluate(env))",
      "    out.append(sorted(answers))",
      "print(json.dumps(out))",
    ].join("\n");
    const run = spawnSync("python3", ["-c", script], { input: JSON.stringify(decided), encoding: "utf8" });
    if (run.error || run.status !== 0) throw pythonFailure(run.error, run.stderr);
    const python = JSON.parse(run.stdout) as boolean[][];
    expect(decided.map((c, k) => ({ ...c, python: python[k] }))).toEqual(decided.map((c) => ({ ...c, python: [c.answer] })));
  });
});

test("decodeRequirements reads a file by its byte order mark, as pip does, and UTF-8 without one", () => {
  const utf32le = Buffer.alloc(4 * 3);
  [..."a=1"].forEach((c, i) => utf32le.writeUInt32LE(c.codePointAt(0) as number, i * 4));
  const utf32be = Buffer.alloc(4 * 3);
  [..."a=1"].forEach((c, i) => utf32be.writeUInt32BE(c.codePointAt(0) as number, i * 4));
  expect(decodeRequirements(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le]))).toBe("a=1");
  expect(decodeRequirements(Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), utf32be]))).toBe("a=1");
  expect(decodeRequirements(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("é=1", "utf16le")]))).toBe("é=1");
  expect(decodeRequirements(Buffer.from("é=1"))).toBe("é=1");
});
