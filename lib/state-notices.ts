/**
 * What a stack's local state says about the config being synthesized: two configs that keep
 * local state in the same folder under the same stack names (another environment, a copy of
 * the default config) share one state file, and the second one's plan destroys what the
 * first deployed. The state is read as data before anyone plans, and a state that holds
 * another account's or Region's resources, or other names for the same resources, is named.
 */
import { existsSync, readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { StackJson } from "./change-notices";
import { firstFew } from "./text";

/** A stack's JSON with its backend, as far as read here. */
export interface StackWithBackend extends StackJson {
  readonly terraform?: { readonly backend?: { readonly local?: { readonly path?: unknown } } };
}

/** The parts of a Terraform state file read here. */
interface StateFile {
  readonly resources?: unknown;
}
interface Resource {
  readonly mode?: unknown;
  readonly type?: unknown;
  readonly name?: unknown;
  readonly instances?: unknown;
}
interface Instance {
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** The objects of a list in a state file; none when it is not a list (read as data: a state of another shape says nothing). */
const list = <T>(value: unknown): T[] =>
  Array.isArray(value) ? ((value as unknown[]).filter((v) => v !== null && typeof v === "object") as T[]) : [];

/** Account and Region of an ARN (`arn:<partition>:<service>:<region>:<account>:…`; IAM's has no Region). */
function placeOfArn(arn: string): { account: string; region: string } | undefined {
  const [, , , region, account] = arn.split(":");
  return /^\d{12}$/.test(account ?? "") ? { account, region: region ?? "" } : undefined;
}

/** The state file a stack folder's local backend points at, or undefined when it has none. */
export function localStateFile(outdir: string, stack: string, json: StackWithBackend): string | undefined {
  const path = json.terraform?.backend?.local?.path;
  return typeof path === "string" ? resolve(outdir, "stacks", stack, path) : undefined;
}

/**
 * Notices for each stack of `after` (the new output for `outdir`) whose local state holds
 * resources of another account or Region, or of other names, than the new config gives it.
 * Stacks in `skip` are left out (already told, from the previous output).
 */
export function stateNotices(
  outdir: string,
  after: Readonly<Record<string, StackWithBackend>>,
  skip: ReadonlySet<string> = new Set(),
): string[] {
  const notices: string[] = [];
  for (const [stack, json] of Object.entries(after)) {
    const file = localStateFile(outdir, stack, json);
    if (skip.has(stack) || !file || !existsSync(file)) continue;
    let state: StateFile;
    try {
      state = JSON.parse(readFileSync(file, "utf8")) as StateFile;
    } catch {
      continue; // Not a state this check can read: Terraform will say what is wrong with it.
    }
    const shown = relative(process.cwd(), file) || file;
    const managed = list<Resource>((state as StateFile | null)?.resources).filter((r) => r.mode === "managed");
    const attributes = managed.flatMap((r) => list<Instance>(r.instances).map((i) => i.attributes ?? {}));
    const aws = json.provider?.aws?.[0] ?? {};
    const accounts = Array.isArray(aws.allowed_account_ids) ? (aws.allowed_account_ids as unknown[]).map(String) : [];
    const region = typeof aws.region === "string" ? aws.region : undefined;
    const elsewhere = attributes
      .map((a) => (typeof a.arn === "string" ? placeOfArn(a.arn) : undefined))
      .find(
        (p) =>
          p && ((accounts.length > 0 && !accounts.includes(p.account)) || (region !== undefined && p.region !== region && p.region !== "")),
      );
    const give =
      "If this config is another environment, give it a state of its own (backend.local.directory, or an S3 backend with its own keyPrefix).";
    if (elsewhere) {
      notices.push(
        `Stack ${stack}: its state (${shown}) holds resources in account ${elsewhere.account}${elsewhere.region ? `, Region ${elsewhere.region}` : ""}; this config deploys the stack to ${accounts.join(", ") || "its account"}, Region ${region ?? "(the provider's)"}, so a plan destroys those and creates new ones. ${give}`,
      );
      continue;
    }
    const renamed = managed.flatMap((r) => {
      if (typeof r.type !== "string" || typeof r.name !== "string") return [];
      const now = json.resource?.[r.type]?.[r.name]?.name;
      const was = list<Instance>(r.instances)[0]?.attributes?.name;
      return typeof now === "string" && !now.includes("${") && typeof was === "string" && was !== now
        ? [`${r.type}.${r.name} "${was}" → "${now}"`]
        : [];
    });
    if (renamed.length > 0) {
      notices.push(
        `Stack ${stack}: its state (${shown}) holds resources under other names (${firstFew(renamed)}), so a plan replaces them. ${give}`,
      );
    }
  }
  return notices;
}
