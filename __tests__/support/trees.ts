/** Folder trees for tests: a hash of everything in one, and small builders. */
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * A SHA-256 over every entry under `dir` (relative path, kind, content or link target), in
 * byte order; `"absent"` when `dir` does not exist. Equal hashes mean equal trees.
 */
export function treeHash(dir: string): string {
  const hash = createHash("sha256");
  const walk = (path: string, rel: string): void => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) hash.update(`L ${rel} -> ${readlinkSync(path)}\0`);
    else if (st.isDirectory()) {
      hash.update(`D ${rel}\0`);
      for (const name of readdirSync(path).sort()) walk(join(path, name), rel ? `${rel}/${name}` : name);
    } else hash.update(`F ${rel}\0`).update(readFileSync(path)).update("\0");
  };
  try {
    lstatSync(dir);
  } catch {
    return "absent";
  }
  walk(dir, "");
  return hash.digest("hex");
}

/** Every path under `dir`, relative, sorted ("" when it does not exist). */
export function listTree(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true }).map(String).sort();
  } catch {
    return [];
  }
}

/** Writes `files` (relative path → content) under `dir`. */
export function writeTree(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** The data of entry `name` of a STORE zip (the synth writes no compressed entries). */
export function storedEntry(zip: Buffer, name: string): Buffer {
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const extra = zip.readUInt16LE(at + 28);
    const entry = zip.subarray(at + 30, at + 30 + nameLength).toString("utf8");
    const start = at + 30 + nameLength + extra;
    if (entry === name) return zip.subarray(start, start + size);
    at = start + size;
  }
  throw new Error(`no entry ${name} in the zip`);
}

/** Each entry's permission bits (the Unix mode in its central directory record), by name. */
export function zipModes(zip: Buffer): Map<string, number> {
  const modes = new Map<string, number>();
  // The central directory starts where the end record (its last 22 bytes, with no comment) says.
  let at = zip.readUInt32LE(zip.length - 22 + 16);
  while (zip.readUInt32LE(at) === 0x02014b50) {
    const [nameLength, extra, comment] = [zip.readUInt16LE(at + 28), zip.readUInt16LE(at + 30), zip.readUInt16LE(at + 32)];
    modes.set(zip.subarray(at + 46, at + 46 + nameLength).toString("utf8"), (zip.readUInt32LE(at + 38) >>> 16) & 0o777);
    at += 46 + nameLength + extra + comment;
  }
  return modes;
}
