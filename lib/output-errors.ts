/** Problems with the output folder or the disk, as one line for the user. */

/** A problem with the output folder or the disk: one line for the user, never a stack trace. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputError";
  }
}

const ERRNO: Record<string, string> = {
  ENOSPC: "no space left on the device. Free some space (or set CDKTF_OUTDIR to a folder on another disk) and synth again",
  EDQUOT: "the disk quota is used up. Free some space and synth again",
  EACCES: "permission denied. Check that path's permissions (ls -ld), or set CDKTF_OUTDIR to a writable folder",
  EPERM: "operation not permitted. Check that path's permissions and attributes, or set CDKTF_OUTDIR to a writable folder",
  EROFS: "the file system is read-only. Set CDKTF_OUTDIR to a folder on a writable disk",
  ENOTDIR: "a part of the path is a file, not a folder. Move that file away, or set CDKTF_OUTDIR to another path",
  EEXIST: "something is already there. Move it away, or set CDKTF_OUTDIR to another path",
  EISDIR: "a folder is where a file should be. Move it away, or set CDKTF_OUTDIR to another path",
  ENAMETOOLONG: "the path is too long. Set CDKTF_OUTDIR to a shorter path",
  ELOOP: "too many symbolic links. Set CDKTF_OUTDIR to a plain folder",
  EMFILE: "too many open files. Raise the limit (ulimit -n) and synth again",
  ENFILE: "too many open files on this system. Close some programs and synth again",
  EIO: "an input/output error on the disk. Check the disk and synth again",
  ENOENT: "a folder on the way disappeared. Check the path and synth again",
  EBUSY: "the path is in use (a mount point?). Set CDKTF_OUTDIR to another path",
  EXDEV: "it is on another file system than its parent folder. Set CDKTF_OUTDIR to a plain folder",
};

/** True for Node's file-system errors (they carry an errno `code` and the `syscall`). */
export function isFileSystemError(err: unknown): err is NodeJS.ErrnoException {
  // Duck-typed: errors from another realm (a vm context, say) are no `instanceof Error` here.
  const e = err as NodeJS.ErrnoException | null;
  return typeof e === "object" && e !== null && typeof e.code === "string" && typeof e.syscall === "string";
}

/**
 * One line: what was being done, the path, the cause, what to do, and that nothing changed.
 * The failing path is left out when it is `about` or inside it (already named in `doing`).
 */
export function describeFileSystemError(err: NodeJS.ErrnoException, doing: string, about?: string): string {
  const path = (err as { dest?: string }).dest ?? err.path;
  const shown = path && !(about && path.startsWith(about)) ? ` (${path})` : "";
  const cause = ERRNO[err.code ?? ""] ?? `${err.code}: ${err.message}`;
  return `Cannot ${doing}${shown}: ${cause}. The previous output is unchanged.`;
}
