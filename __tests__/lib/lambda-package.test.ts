import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { base64Sha256, buildLambdaPackage, listSourceFiles, zipDirectory } from "../../lib/lambda-package";
import { LAMBDA_SOURCE_DIR } from "../../main";
import { ROOT } from "../helpers";

/** Zips `dir` in a fresh Node process with time zone `tz`; returns the zip bytes. */
function zipInChild(dir: string, tz: string): Buffer {
  const code = `require("./lib/lambda-package").zipDirectory(${JSON.stringify(dir)}).then((r) => process.stdout.write(r.zip.toString("base64")))`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "-e", code], {
    cwd: ROOT,
    env: { ...process.env, TZ: tz },
    encoding: "utf8",
  });
  return Buffer.from(out, "base64");
}

/** A copy of the sources with other mtimes, other modes, and junk that must be left out. */
function messyCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "plk-src-"));
  cpSync(LAMBDA_SOURCE_DIR, dir, { recursive: true });
  const file = join(dir, "lambda_function.py");
  utimesSync(file, new Date("2031-07-04T05:06:07Z"), new Date("2031-07-04T05:06:07Z"));
  chmodSync(file, 0o755);
  mkdirSync(join(dir, "__pycache__"));
  writeFileSync(join(dir, "__pycache__", "lambda_function.cpython-313.pyc"), "bytecode");
  writeFileSync(join(dir, "stale.pyc"), "bytecode");
  writeFileSync(join(dir, ".DS_Store"), "junk");
  return dir;
}

/** What python's zipfile reads from the archive. */
function inspectWithPython(zip: Buffer): Array<{ name: string; date: number[]; mode: string; stored: boolean; data: string }> {
  const script = [
    "import io, json, sys, zipfile",
    "z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))",
    "print(json.dumps([{'name': i.filename, 'date': list(i.date_time), 'mode': oct(i.external_attr >> 16),",
    "  'stored': i.compress_type == zipfile.ZIP_STORED, 'data': z.read(i).decode()} for i in z.infolist()]))",
  ].join("\n");
  const run = spawnSync("python3", ["-c", script], { input: zip });
  if (run.status !== 0) throw new Error(run.stderr.toString());
  return JSON.parse(run.stdout.toString());
}

describe("Lambda package", () => {
  let reference: Buffer;
  beforeAll(async () => {
    reference = (await zipDirectory(LAMBDA_SOURCE_DIR)).zip;
  });

  test("is byte-identical under other time zones, mtimes, modes and with caches/dotfiles present", () => {
    const messy = messyCopy();
    expect(zipInChild(messy, "Pacific/Chatham").equals(reference)).toBe(true);
    expect(zipInChild(LAMBDA_SOURCE_DIR, "America/Los_Angeles").equals(reference)).toBe(true);
  });

  test("holds exactly the handler, stored with a fixed date and rw-r--r--", () => {
    const entries = inspectWithPython(reference);
    expect(entries).toEqual([
      {
        name: "lambda_function.py",
        date: [1980, 1, 1, 0, 0, 0],
        mode: "0o100644",
        stored: true,
        data: readFileSync(join(LAMBDA_SOURCE_DIR, "lambda_function.py"), "utf8"),
      },
    ]);
  });

  test("leaves out __pycache__, *.pyc and dotfiles, and sorts entries bytewise", () => {
    const dir = messyCopy();
    writeFileSync(join(dir, "Zeta.py"), "");
    mkdirSync(join(dir, "pkg"));
    writeFileSync(join(dir, "pkg", "a.py"), "");
    expect(listSourceFiles(dir)).toEqual(["Zeta.py", "lambda_function.py", "pkg/a.py"]);
  });

  test("source_code_hash is the base64 SHA-256 of the zip, as python's hashlib computes it", async () => {
    const pkg = await buildLambdaPackage(LAMBDA_SOURCE_DIR, mkdtempSync(join(tmpdir(), "plk-pkg-")), "hello");
    const expected = execFileSync("python3", [
      "-c",
      "import base64, hashlib, sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1], 'rb').read()).digest()).decode())",
      pkg.zipPath,
    ])
      .toString()
      .trim();
    expect(pkg.sourceCodeHash).toBe(expected);
    expect(base64Sha256(readFileSync(pkg.zipPath))).toBe(expected);
    expect(pkg.entries).toEqual(["lambda_function.py"]);
  });

  test("an empty source folder is refused", async () => {
    await expect(zipDirectory(mkdtempSync(join(tmpdir(), "plk-empty-")))).rejects.toThrow(/has no files to package/);
  });
});
