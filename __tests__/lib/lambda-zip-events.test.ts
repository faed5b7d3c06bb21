/** A zip that archiver reports as failed is never handed on as a package. */
import { EventEmitter } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTree } from "../support/trees";

type Outcome = "error" | "warning";

/**
 * lib/lambda-package with archiver replaced by a stand-in that, when finalized, reports
 * `outcome` if anyone listens for it, and otherwise ends as if nothing went wrong.
 */
function zipDirectoryWith(outcome: Outcome): (dir: string) => Promise<{ zip: Buffer; entries: string[] }> {
  let zipDirectory: ((dir: string) => Promise<{ zip: Buffer; entries: string[] }>) | undefined;
  jest.isolateModules(() => {
    jest.doMock("archiver", () => () => {
      const archive = Object.assign(new EventEmitter(), {
        append: () => archive,
        finalize: () => {
          setImmediate(() => {
            archive.emit("data", Buffer.from("PK"));
            if (archive.listenerCount(outcome) > 0) archive.emit(outcome, new Error(`archiver ${outcome}`));
            else archive.emit("end");
          });
          return Promise.resolve();
        },
      });
      return archive;
    });
    ({ zipDirectory } = jest.requireActual<typeof import("../../lib/lambda-package")>("../../lib/lambda-package"));
  });
  jest.dontMock("archiver");
  return zipDirectory!;
}

describe("archiver's reports", () => {
  test.each<Outcome>(["error", "warning"])("an archiver %s rejects the zip", async (outcome) => {
    // GIVEN sources, and an archiver that reports a problem while zipping
    const dir = mkdtempSync(join(tmpdir(), "plk-src-"));
    writeTree(dir, { "app.py": "x" });
    // WHEN zipped; THEN the problem is the result, not a zip
    await expect(zipDirectoryWith(outcome)(dir)).rejects.toThrow(`archiver ${outcome}`);
  });
});
