/** Compiled Python modules Lambda cannot load are named by what they were built for. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { arch, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { binaryProblem, foreignBinaries, nameProblem, NativeTarget } from "../../lib/native-modules";

const ARM: NativeTarget = { architecture: "arm64", pythonVersion: "3.13" };
const X86: NativeTarget = { architecture: "x86_64", pythonVersion: "3.13" };

/** The first 64 bytes of a 64-bit ELF shared object for `machine`, in `endian` byte order. */
function elf(machine: number, endian: "LE" | "BE" = "LE"): Buffer {
  const bytes = Buffer.alloc(64);
  bytes.write("\x7fELF", 0, "latin1");
  bytes[4] = 2;
  bytes[5] = endian === "LE" ? 1 : 2;
  if (endian === "LE") bytes.writeUInt16LE(machine, 18);
  else bytes.writeUInt16BE(machine, 18);
  return bytes;
}

describe("a binary's own header says what it was built for", () => {
  test.each<[string, Buffer, NativeTarget, string | undefined]>([
    ["an x86_64 ELF for an arm64 function", elf(0x3e), ARM, "Linux x86_64"],
    ["an arm64 ELF for an arm64 function", elf(0xb7), ARM, undefined],
    ["an arm64 ELF for an x86_64 function", elf(0xb7), X86, "Linux arm64"],
    ["a 32-bit x86 ELF", elf(0x03), X86, "Linux x86, 32-bit"],
    ["an ELF of a machine with no name here", elf(0x15), X86, "Linux ELF machine 21"],
    ["a big-endian ELF is read in its own byte order", elf(0x3e, "BE"), X86, undefined],
    ["a 64-bit Mach-O (macOS)", Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), X86, "macOS"],
    ["a universal Mach-O (macOS)", Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]), ARM, "macOS"],
    ["a PE file (Windows)", Buffer.from("MZ\x90\x00", "latin1"), X86, "Windows"],
    ["a file too short to say", Buffer.from("\x7fEL", "latin1"), X86, undefined],
  ])("%s", (_name, bytes, target, expected) => {
    expect(binaryProblem(bytes, target)).toBe(expected);
  });

  test("this machine's own node binary is judged by its architecture", () => {
    // GIVEN a real ELF header: the running node's (Linux here; x64 or arm64)
    const bytes = readFileSync(process.execPath).subarray(0, 64);
    const own = arch() === "arm64" ? ARM : X86;
    const other = arch() === "arm64" ? X86 : ARM;
    expect(binaryProblem(bytes, own)).toBeUndefined();
    expect(binaryProblem(bytes, other)).toBe(`Linux ${own.architecture}`);
  });
});

describe("an extension module's name says its platform and Python version", () => {
  test.each<[string, NativeTarget, string | undefined]>([
    ["pkg/_core.cpython-313-darwin.so", ARM, "macOS"],
    ["pkg/_core.cp313-win_amd64.pyd", X86, "Windows"],
    ["pkg/_core.cpython-313-x86_64-linux-musl.so", X86, "musl Linux (Lambda's Linux uses glibc)"],
    ["pkg/_core.cpython-311-x86_64-linux-gnu.so", X86, "Python 3.11"],
    ["pkg/_core.cpython-313t-x86_64-linux-gnu.so", X86, "free-threaded Python 3.13"],
    ["pkg/_core.cpython-313-x86_64-linux-gnu.so", X86, undefined],
    ["pkg/_speedups.abi3.so", X86, undefined],
  ])("%s", (file, target, expected) => {
    expect(nameProblem(file, target)).toBe(expected);
  });
});

test("only Python extension modules are judged, by name first, then by their bytes", () => {
  // GIVEN a folder with extension modules and other shared libraries
  const dir = mkdtempSync(join(tmpdir(), "plk-native-"));
  const files: Record<string, Buffer> = {
    "a/_fast.abi3.so": elf(0x3e),
    "a/_ok.cpython-313-aarch64-linux-gnu.so": elf(0xb7),
    "a/_mac.cpython-313-darwin.so": elf(0xb7), // the name decides, even over an ELF header
    "a/_mislabelled.cpython-313-aarch64-linux-gnu.so": Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]),
    "b/attach_linux_amd64.so": elf(0x3e), // a helper only its own platform loads
    "b/helper.dylib": Buffer.from([0xcf, 0xfa, 0xed, 0xfe]),
    "b/data.bin": elf(0x3e),
  };
  for (const [file, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), bytes);
  }
  // WHEN judged for an arm64 function; THEN the foreign extension modules, in the order given
  expect(foreignBinaries(dir, Object.keys(files), ARM)).toEqual([
    { file: "a/_fast.abi3.so", builtFor: "Linux x86_64" },
    { file: "a/_mac.cpython-313-darwin.so", builtFor: "macOS" },
    { file: "a/_mislabelled.cpython-313-aarch64-linux-gnu.so", builtFor: "macOS" },
  ]);
});
