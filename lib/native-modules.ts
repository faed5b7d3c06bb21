/**
 * Compiled code in a Python function's folder that Lambda cannot load. Lambda's Python
 * runtimes run on Amazon Linux (glibc) on the function's architecture, x86_64 or arm64
 * (https://docs.aws.amazon.com/lambda/latest/dg/python-package.html), so an extension module
 * built for macOS or Windows, for the other CPU, for musl, or for another Python version
 * fails at import ("invalid ELF header", "No module named …"), only once the function runs.
 * Decided by the files' own bytes (ELF, Mach-O or PE header, ELF machine) and by the
 * version tag CPython puts in an extension module's name (`.cpython-313-…`).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { join } from "node:path";

/** What the function runs on. */
export interface NativeTarget {
  readonly architecture: "arm64" | "x86_64";
  /** `3.13` */
  readonly pythonVersion: string;
}

/** ELF machines (e_machine) by number, as the ELF specification numbers them. */
const ELF_MACHINES: Readonly<Record<number, string>> = {
  0x03: "x86, 32-bit",
  0x28: "arm, 32-bit",
  0x3e: "x86_64",
  0xb7: "arm64",
};

/**
 * Python extension modules: what `import` loads, by the names CPython gives them
 * (`_core.cpython-313-x86_64-linux-gnu.so`, `_speedups.abi3.so`, `_core.cp313-win_amd64.pyd`).
 * Other shared libraries are left alone: some packages ship helpers for every platform that
 * only one platform ever loads.
 */
const BINARY_NAME = /\.(cpython-[^/]*|abi3)\.so$|\.pyd$/;

/** The first bytes of `path`. */
function head(path: string, length: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Why compiled code with these first bytes cannot run on `target`, or undefined when it can. */
export function binaryProblem(bytes: Buffer, target: NativeTarget): string | undefined {
  if (bytes.length >= 20 && bytes.toString("latin1", 0, 4) === "\x7fELF") {
    // e_machine: two bytes at offset 18, in the byte order EI_DATA (offset 5) says.
    const machine = bytes[5] === 2 ? bytes.readUInt16BE(18) : bytes.readUInt16LE(18);
    const cpu = ELF_MACHINES[machine] ?? `ELF machine ${machine}`;
    return cpu === target.architecture ? undefined : `Linux ${cpu}`;
  }
  const magic = bytes.length >= 4 ? bytes.readUInt32BE(0) : 0;
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)) return "macOS";
  if (bytes.toString("latin1", 0, 2) === "MZ") return "Windows";
  return undefined;
}

/** Why an extension module's file name says it cannot load on `target`, or undefined. */
export function nameProblem(file: string, target: NativeTarget): string | undefined {
  if (/\.pyd$/.test(file)) return "Windows";
  if (/-darwin\.so$/.test(file)) return "macOS";
  if (/-linux-musl\.so$/.test(file)) return "musl Linux (Lambda's Linux uses glibc)";
  const tag = /\.cpython-(\d)(\d+)(t?)-[^/]*\.so$/.exec(file);
  if (tag) {
    const version = `${tag[1]}.${tag[2]}`;
    if (tag[3]) return `free-threaded Python ${version}`;
    if (version !== target.pythonVersion) return `Python ${version}`;
  }
  return undefined;
}

/**
 * The files among `files` (paths relative to `dir`) holding compiled code `target` cannot
 * load, each with what it was built for, in the order given.
 */
export function foreignBinaries(dir: string, files: readonly string[], target: NativeTarget): { file: string; builtFor: string }[] {
  return files.flatMap((file) => {
    if (!BINARY_NAME.test(file)) return [];
    const builtFor = nameProblem(file, target) ?? binaryProblem(head(join(dir, file), 20), target);
    return builtFor ? [{ file, builtFor }] : [];
  });
}
