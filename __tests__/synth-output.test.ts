import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publish, withWorkDir } from "../lib/synth-output";

const files = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();

describe("publishing a finished synth", () => {
  test("replaces each stack's generated files, drops stale ones, and keeps Terraform's own", () => {
    const base = mkdtempSync(join(tmpdir(), "plk-publish-"));
    const outdir = join(base, "cdktf.out");
    mkdirSync(join(outdir, "stacks", "provider", ".terraform"), { recursive: true });
    mkdirSync(join(outdir, "stacks", "provider", "assets", "old"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "provider", "cdk.tf"), "stale HCL from an --hcl synth");
    writeFileSync(join(outdir, "stacks", "provider", ".terraform.lock.hcl"), "lock");
    const staging = join(base, "staging");
    mkdirSync(join(staging, "stacks", "provider", "assets", "new"), { recursive: true });
    writeFileSync(join(staging, "stacks", "provider", "cdk.tf.json"), "{}");
    writeFileSync(join(staging, "manifest.json"), "{}");
    publish(staging, outdir);
    expect(files(join(outdir, "stacks", "provider"))).toEqual([".terraform", ".terraform.lock.hcl", "assets", "assets/new", "cdk.tf.json"]);
    expect(readFileSync(join(outdir, "manifest.json"), "utf8")).toBe("{}");
  });

  test("a failing synth removes its work folder and publishes nothing", async () => {
    let seen = "";
    await expect(
      withWorkDir(async (dir) => {
        seen = dir;
        throw new Error("policy finding");
      }),
    ).rejects.toThrow("policy finding");
    expect(() => readdirSync(seen)).toThrow(/ENOENT/);
  });
});
