/** One line for the user about a file-system problem, never a stack trace. */
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describeFileSystemError, isFileSystemError, OutputError } from "../../lib/output-errors";

/** An error as Node's fs raises it. */
function errnoError(code: string, syscall: string, path?: string, dest?: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = Object.assign(new Error(`${code}: something, ${syscall} '${path ?? ""}'`), { code, syscall });
  if (path !== undefined) err.path = path;
  if (dest !== undefined) Object.assign(err, { dest });
  return err;
}

describe("OutputError", () => {
  test("is an Error named OutputError with the message as given", () => {
    // GIVEN / WHEN an output error is made
    const err = new OutputError("Cannot do it.");
    // THEN it reads as an OutputError
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("OutputError");
    expect(err.message).toBe("Cannot do it.");
    expect(String(err)).toBe("OutputError: Cannot do it.");
  });
});

describe("isFileSystemError", () => {
  test("a real error of node:fs is one", () => {
    // GIVEN the error of reading a missing file
    let caught: unknown;
    try {
      readFileSync("/nonexistent/plk/file");
    } catch (err) {
      caught = err;
    }
    // WHEN asked; THEN it is a file-system error
    expect(isFileSystemError(caught)).toBe(true);
  });

  test("an error from another realm (a vm context) is one too", () => {
    // GIVEN an error made in another realm, so not `instanceof Error` here
    const foreign: unknown = runInNewContext(`Object.assign(new Error("x"), { code: "EACCES", syscall: "open", path: "/x" })`);
    expect(foreign instanceof Error).toBe(false);
    // WHEN asked; THEN it counts
    expect(isFileSystemError(foreign)).toBe(true);
  });

  test.each<[string, unknown]>([
    ["undefined", undefined],
    ["null", null],
    ["a string", "ENOENT"],
    ["a number", 2],
    ["a plain Error", new Error("boom")],
    ["an error with a code but no syscall", Object.assign(new Error("x"), { code: "ERR_INVALID_ARG_TYPE" })],
    ["an error with a syscall but no code", Object.assign(new Error("x"), { syscall: "open" })],
    ["an error with a numeric code", Object.assign(new Error("x"), { code: 13, syscall: "open" })],
    ["an error with a numeric syscall", Object.assign(new Error("x"), { code: "EACCES", syscall: 1 })],
    ["a function carrying both", Object.assign(() => undefined, { code: "EACCES", syscall: "open" })],
  ])("%s is not one", (_what, value) => {
    // GIVEN something that is not a file-system error; WHEN asked; THEN no
    expect(isFileSystemError(value)).toBe(false);
  });
});

describe("describeFileSystemError", () => {
  test.each([
    ["ENOSPC", "no space left on the device. Free some space (or set CDKTF_OUTDIR to a folder on another disk) and synth again"],
    ["EDQUOT", "the disk quota is used up. Free some space and synth again"],
    ["EACCES", "permission denied. Check that path's permissions (ls -ld), or set CDKTF_OUTDIR to a writable folder"],
    ["EPERM", "operation not permitted. Check that path's permissions and attributes, or set CDKTF_OUTDIR to a writable folder"],
    ["EROFS", "the file system is read-only. Set CDKTF_OUTDIR to a folder on a writable disk"],
    ["ENOTDIR", "a part of the path is a file, not a folder. Move that file away, or set CDKTF_OUTDIR to another path"],
    ["EEXIST", "something is already there. Move it away, or set CDKTF_OUTDIR to another path"],
    ["EISDIR", "a folder is where a file should be. Move it away, or set CDKTF_OUTDIR to another path"],
    ["ENAMETOOLONG", "the path is too long. Set CDKTF_OUTDIR to a shorter path"],
    ["ELOOP", "too many symbolic links. Set CDKTF_OUTDIR to a plain folder"],
    ["EMFILE", "too many open files. Raise the limit (ulimit -n) and synth again"],
    ["ENFILE", "too many open files on this system. Close some programs and synth again"],
    ["EIO", "an input/output error on the disk. Check the disk and synth again"],
    ["ENOENT", "a folder on the way disappeared. Check the path and synth again"],
    ["EBUSY", "the path is in use (a mount point?). Set CDKTF_OUTDIR to another path"],
    ["EXDEV", "it is on another file system than its parent folder. Set CDKTF_OUTDIR to a plain folder"],
  ])("%s: the cause and what to do", (code, cause) => {
    // GIVEN a failing call on a path; WHEN described; THEN one line: doing, path, cause, and that nothing changed
    const line = describeFileSystemError(errnoError(code, "open", "/p/cdktf.out/x"), "write the new output");
    expect(line).toBe(`Cannot write the new output (/p/cdktf.out/x): ${cause}. The previous output is unchanged.`);
  });

  test("an unknown code shows the code and Node's message", () => {
    // GIVEN an error code the table does not know
    const err = errnoError("ESTALE", "stat", "/nfs/out");
    // WHEN described; THEN Node's own words stand in for the cause
    expect(describeFileSystemError(err, "use the output folder")).toBe(
      "Cannot use the output folder (/nfs/out): ESTALE: ESTALE: something, stat '/nfs/out'. The previous output is unchanged.",
    );
  });

  test("an error without a path shows none", () => {
    // GIVEN an error that names no path
    const err = errnoError("EMFILE", "open");
    // WHEN described; THEN there are no parentheses
    expect(describeFileSystemError(err, "write the new output")).toBe(
      "Cannot write the new output: too many open files. Raise the limit (ulimit -n) and synth again. The previous output is unchanged.",
    );
  });

  test("a rename shows its destination, the path that was in the way", () => {
    // GIVEN a rename refused at its destination
    const err = errnoError("EEXIST", "rename", "/p/.cdktf.out.synth-1-x/out", "/p/cdktf.out");
    // WHEN described; THEN the destination is named
    expect(describeFileSystemError(err, "publish")).toBe(
      "Cannot publish (/p/cdktf.out): something is already there. Move it away, or set CDKTF_OUTDIR to another path. The previous output is unchanged.",
    );
  });

  test.each<[string, string, string | undefined, boolean]>([
    ["the path is `about` itself", "/p/.cdktf.out.lock", "/p/.cdktf.out.lock", false],
    ["the path is inside `about`", "/p/.cdktf.out.lock.12.abc", "/p/.cdktf.out.lock", false],
    ["`about` is another path", "/p/.cdktf.out.lock.12.abc", "/q/.cdktf.out.lock", true],
    ["the path only ends like `about`", "/p/.cdktf.out.lock", ".cdktf.out.lock", true],
    ["no `about`", "/p/.cdktf.out.lock", undefined, true],
  ])("%s: path %s, about %s, shown: %s", (_what, path, about, shown) => {
    // GIVEN a failing path that the text of `doing` may already name
    const err = errnoError("EACCES", "open", path);
    // WHEN described with `about`; THEN the path is left out only when it is `about` or starts with it
    expect(describeFileSystemError(err, "create the lock file", about)).toBe(
      `Cannot create the lock file${shown ? ` (${path})` : ""}: permission denied. Check that path's permissions (ls -ld), or set CDKTF_OUTDIR to a writable folder. The previous output is unchanged.`,
    );
  });
});
