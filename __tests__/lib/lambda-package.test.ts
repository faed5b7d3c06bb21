import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { base64Sha256, buildLambdaPackage, isProgram, listSourceFiles, zipDirectory } from "../../lib/lambda-package";
import { LAMBDA_SOURCE_DIR } from "../../main";
import { ROOT } from "../fixtures";
import { writeTree } from "../support/trees";

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

/** A copy of the sources with other mtimes, another umask's modes, and junk that must be left out. */
function messyCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "plk-src-"));
  cpSync(LAMBDA_SOURCE_DIR, dir, { recursive: true });
  const file = join(dir, "lambda_function.py");
  utimesSync(file, new Date("2031-07-04T05:06:07Z"), new Date("2031-07-04T05:06:07Z"));
  chmodSync(file, 0o600);
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

  test("is byte-identical under other time zones, mtimes, umasks and with caches/dotfiles present", () => {
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

  test("a program (ELF, or a #! script) is rwxr-xr-x whatever its mode here; every other file rw-r--r--, even if marked executable", async () => {
    // GIVEN a function folder with a vendored Linux program and a script, one of them not
    // marked executable here (a Windows checkout), and plain files, one marked executable (a
    // FAT or SMB mount marks every file)
    const dir = mkdtempSync(join(tmpdir(), "plk-exec-"));
    writeTree(dir, { "app.py": "print()", "bin/run.sh": "#!/bin/sh\necho hi\n", "data.txt": "x" });
    writeFileSync(join(dir, "bin", "tool"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]));
    chmodSync(join(dir, "bin/tool"), 0o755);
    chmodSync(join(dir, "bin/run.sh"), 0o644);
    chmodSync(join(dir, "data.txt"), 0o777);
    // WHEN zipped; THEN Python's zipfile reads the programs as 755 and everything else as 644
    const modes = Object.fromEntries(inspectWithPython((await zipDirectory(dir)).zip).map((e) => [e.name, e.mode]));
    expect(modes).toEqual({ "app.py": "0o100644", "bin/run.sh": "0o100755", "bin/tool": "0o100755", "data.txt": "0o100644" });
    // AND the other way round on another machine, the zip is the same bytes
    const first = (await zipDirectory(dir)).zip;
    chmodSync(join(dir, "bin/tool"), 0o644);
    chmodSync(join(dir, "bin/run.sh"), 0o700);
    chmodSync(join(dir, "data.txt"), 0o600);
    expect((await zipDirectory(dir)).zip.equals(first)).toBe(true);
  });

  test.each<[string, Buffer, boolean]>([
    ["an ELF header", Buffer.from([0x7f, 0x45, 0x4c, 0x46]), true],
    ["a #! line", Buffer.from("#!/usr/bin/env python3\n"), true],
    ["#! alone", Buffer.from("#!"), true],
    ["ELF without its 0x7f", Buffer.from("ELF binary"), false],
    ["a # comment", Buffer.from("# !not a shebang"), false],
    ["a short file", Buffer.from([0x7f]), false],
    ["nothing", Buffer.alloc(0), false],
  ])("isProgram: %s -> %s", (_name, data, expected) => {
    expect(isProgram(data)).toBe(expected);
  });

  test("an empty source folder is refused", async () => {
    await expect(zipDirectory(mkdtempSync(join(tmpdir(), "plk-empty-")))).rejects.toThrow(/has no files to package/);
  });
});

describe("the files of a package", () => {
  test("caches and dotfiles are left out wherever they are, whatever they hold", () => {
    // GIVEN sources next to a cache folder with a non-.pyc file, a dot folder and dotfiles
    const dir = mkdtempSync(join(tmpdir(), "plk-src-"));
    writeTree(dir, {
      "app.py": "",
      "__pycache__/notes.txt": "not Python, still cache",
      "pkg/__pycache__/mod.txt": "",
      "pkg/mod.py": "",
      "pkg/mod.pyc": "",
      "pkg/.hidden": "",
      ".git/config": "",
      ".env": "",
      "pycache.py": "",
      "x.pyc.py": "",
    });
    // WHEN listed; THEN only the sources remain
    expect(listSourceFiles(dir)).toEqual(["app.py", "pkg/mod.py", "pycache.py", "x.pyc.py"]);
  });

  test("symbolic links and FIFOs are not followed or packaged", () => {
    // GIVEN a source file, a symlink to it, a symlink to a folder and a FIFO
    const dir = mkdtempSync(join(tmpdir(), "plk-src-"));
    writeTree(dir, { "app.py": "", "lib/util.py": "" });
    symlinkSync(join(dir, "app.py"), join(dir, "link.py"));
    symlinkSync(join(dir, "lib"), join(dir, "linked-lib"));
    execFileSync("mkfifo", [join(dir, "pipe.py")]);
    // WHEN listed; THEN only regular files are there
    expect(listSourceFiles(dir)).toEqual(["app.py", "lib/util.py"]);
  });

  test("entries sort by bytes: digits, upper case, underscore, lower case, then deeper paths by their folder", () => {
    // GIVEN files written in a scrambled order
    const names = [
      "b.py",
      "~t.py",
      "a_b.py",
      "Z.py",
      "pkg/z.py",
      "a.py",
      "_x.py",
      "0.py",
      "pkg/A.py",
      "a-b.py",
      "ab.py",
      "B.py",
      "pkg-x.py",
      "a.b.py",
    ];
    const dir = mkdtempSync(join(tmpdir(), "plk-src-"));
    writeTree(dir, Object.fromEntries(names.map((n) => [n, n])));
    // WHEN listed; THEN the order is the byte order, not the locale's or the disk's
    expect(listSourceFiles(dir)).toEqual([
      "0.py",
      "B.py",
      "Z.py",
      "_x.py",
      "a-b.py",
      "a.b.py",
      "a.py",
      "a_b.py",
      "ab.py",
      "b.py",
      "pkg-x.py",
      "pkg/A.py",
      "pkg/z.py",
      "~t.py",
    ]);
  });
});

describe("the zip", () => {
  test("stores every file uncompressed, in the listed order, with its name", async () => {
    // GIVEN two compressible files
    const dir = mkdtempSync(join(tmpdir(), "plk-src-"));
    const a = "print('hello')\n".repeat(40);
    const b = "x = 1\n".repeat(40);
    writeTree(dir, { "b.py": b, "a.py": a });
    // WHEN zipped
    const { zip, entries } = await zipDirectory(dir);
    // THEN it is a zip whose first entry is stored (method 0), with each name and the bytes as written, a.py first
    expect(entries).toEqual(["a.py", "b.py"]);
    expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(zip.readUInt16LE(8)).toBe(0);
    expect(zip.indexOf(Buffer.from(a))).toBeGreaterThan(0);
    expect(zip.indexOf(Buffer.from(b))).toBeGreaterThan(zip.indexOf(Buffer.from(a)));
    expect(zip.indexOf("a.py")).toBeGreaterThan(0);
    expect(zip.indexOf("b.py")).toBeGreaterThan(0);
  });

  test("an empty source folder, or one of caches only, is refused by name", async () => {
    // GIVEN a folder with nothing to package
    const empty = mkdtempSync(join(tmpdir(), "plk-empty-"));
    const cachesOnly = mkdtempSync(join(tmpdir(), "plk-empty-"));
    writeTree(cachesOnly, { "__pycache__/a.pyc": "", ".DS_Store": "" });
    // WHEN zipped; THEN one line names the folder
    await expect(zipDirectory(empty)).rejects.toThrow(new Error(`Lambda source folder ${empty} has no files to package`));
    await expect(zipDirectory(cachesOnly)).rejects.toThrow(new Error(`Lambda source folder ${cachesOnly} has no files to package`));
  });

  test("base64Sha256 is the standard SHA-256 in base64", () => {
    // GIVEN the FIPS 180-2 test vector "abc"; WHEN hashed; THEN the known digest
    expect(base64Sha256(Buffer.from("abc"))).toBe("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    expect(base64Sha256(Buffer.alloc(0))).toBe("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  });

  test("buildLambdaPackage writes <outDir>/<name>.zip, creating the folders, and hashes those bytes", async () => {
    // GIVEN sources and an output folder that does not exist yet
    const dir = mkdtempSync(join(tmpdir(), "plk-src-"));
    writeTree(dir, { "handler.py": "def handler(e, c):\n    return 1\n", "util/x.py": "" });
    const out = join(mkdtempSync(join(tmpdir(), "plk-pkg-")), "deep", "er");
    // WHEN the package is built
    const pkg = await buildLambdaPackage(dir, out, "hello");
    // THEN the zip is there, byte-identical to zipDirectory's, with its hash and entries
    expect(pkg.zipPath).toBe(join(out, "hello.zip"));
    expect(existsSync(pkg.zipPath)).toBe(true);
    const { zip } = await zipDirectory(dir);
    expect(readFileSync(pkg.zipPath).equals(zip)).toBe(true);
    expect(pkg.sourceCodeHash).toBe(base64Sha256(zip));
    expect(pkg.entries).toEqual(["handler.py", "util/x.py"]);
  });
});

describe("the function sources in git", () => {
  /** The bytes git stores for `relPath` written as `data` and committed under this project's .gitattributes. */
  function committed(relPath: string, data: Buffer): Buffer {
    const repo = mkdtempSync(join(tmpdir(), "plk-git-"));
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "core.autocrlf=false", "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: repo,
        stdio: ["ignore", "pipe", "pipe"],
      });
    git("init", "-q");
    cpSync(join(ROOT, ".gitattributes"), join(repo, ".gitattributes"));
    mkdirSync(join(repo, "lambda-src", "fn"), { recursive: true });
    writeFileSync(join(repo, "lambda-src", "fn", relPath), data);
    git("add", "-A");
    git("commit", "-q", "-m", "x");
    return git("cat-file", "blob", `HEAD:lambda-src/fn/${relPath}`);
  }

  test("a binary file (an image, a vendored compiled module) is stored byte for byte, CR LF bytes and all", () => {
    // GIVEN a PNG header (a CR LF pair, then a NUL byte as every PNG has)
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    // THEN git keeps it as it is: a clone zips the same bytes the author's copy does
    expect(committed("logo.png", png).equals(png)).toBe(true);
  });

  test("a text file is stored with LF endings, so every checkout zips the same bytes", () => {
    expect(committed("app.py", Buffer.from("def handler(e, c):\r\n    return 1\r\n")).toString()).toBe(
      "def handler(e, c):\n    return 1\n",
    );
  });
});
