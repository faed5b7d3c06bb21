/**
 * Plans many synthesized stacks with the real hashicorp/aws provider in ONE offline
 * `terraform plan`: each stack becomes a module of one root, with its own provider
 * configuration (its Region and default tags) made offline: fake static credentials, the
 * skip_* switches, one retry, and every AWS endpoint on a closed loopback port, so any API
 * call fails at once. A consumer's remote state reads a fabricated state file holding what
 * the provider would output.
 *
 * The real provider runs its own validators (names, ARNs, enums, conflicts), which
 * `mock_provider` skips. One Terraform process for every stack keeps it to seconds.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StackFolder } from "./mock-plan";
import { OFFLINE_ENV, offlineModuleOverride, offlineProviderSettings, PlanJson } from "./offline-plan";
import type { TerraformRunner } from "./terraform";

/** The state file a producer would have: its outputs, no resources. */
function fabricatedState(outputs: Readonly<Record<string, unknown>>): string {
  const typeOf = (v: unknown): unknown =>
    Array.isArray(v)
      ? ["tuple", v.map(typeOf)]
      : typeof v === "object" && v !== null
        ? ["object", Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeOf(x)]))]
        : typeof v === "number"
          ? "number"
          : typeof v === "boolean"
            ? "bool"
            : "string";
  return JSON.stringify({
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "fabricated-for-tests",
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value, type: typeOf(value), sensitive: true }])),
    resources: [],
  });
}

/**
 * The outputs a deployed producer stack would have: literal values as written, and values
 * of the right form for what AWS assigns at apply (the endpoint service's name and ID).
 */
export function producerOutputs(producerDir: string): Record<string, unknown> {
  const json = JSON.parse(readFileSync(join(producerDir, "cdk.tf.json"), "utf8"));
  const region: string = json.provider?.aws?.[0]?.region ?? "us-east-1";
  const fake = (value: unknown): unknown => {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fake(v)]));
    }
    if (typeof value !== "string") return value;
    const expr = value;
    if (!expr.includes("${")) return expr;
    if (expr.endsWith(".service_name}")) return `com.amazonaws.vpce.${region}.vpce-svc-0123456789abcdef0`;
    if (expr.endsWith(".id}")) return "vpce-svc-0123456789abcdef0";
    return `fabricated-${expr.replace(/[^A-Za-z0-9]+/g, "-")}`;
  };
  return Object.fromEntries(Object.entries<{ value: unknown }>(json.output ?? {}).map(([name, o]) => [name, fake(o.value)]));
}

/** Builds the root: every stack as a module with an offline provider of its own. */
export function realPlanRoot(stacks: readonly StackFolder[]): string {
  const root = mkdtempSync(join(tmpdir(), "tf-real-"));
  const providers: Record<string, unknown>[] = [];
  const modules: Record<string, unknown> = {};
  const aliases = new Map<string, string>();
  for (const { module, dir, remoteStateFrom } of stacks) {
    const producer = stacks.find((s) => s.module === remoteStateFrom);
    const remoteOutputs = producer && producerOutputs(producer.dir);
    const target = join(root, "stacks", module);
    cpSync(dir, target, { recursive: true });
    if (!existsSync(join(target, "cdk.tf.json"))) {
      // HCL output (`synth --hcl`): its own provider block stays, made offline by an override
      // file; Terraform ignores a child module's backend. One provider configuration each.
      writeFileSync(join(target, "zz_offline_override.tf.json"), offlineModuleOverride());
      modules[module] = { source: `./stacks/${module}` };
      continue;
    }
    const json = JSON.parse(readFileSync(join(target, "cdk.tf.json"), "utf8"));
    const own = json.provider?.aws?.[0] ?? {};
    delete json.provider;
    delete json.terraform.backend;
    delete json.terraform.cloud;
    for (const [name, remote] of Object.entries<Record<string, unknown>>(json.data?.terraform_remote_state ?? {})) {
      const state = join(root, `${module}.${name}.tfstate`);
      writeFileSync(state, fabricatedState(remoteOutputs ?? {}));
      json.data.terraform_remote_state[name] = { ...remote, backend: "local", config: { path: state } };
    }
    writeFileSync(join(target, "cdk.tf.json"), JSON.stringify(json));
    // One provider configuration per Region and default tags, shared by the modules that
    // have the same: each configuration is a provider process of its own. Its alias comes
    // from what it holds, so two roots name the same configuration alike.
    const key = JSON.stringify([own.region, own.default_tags ?? null]);
    let alias = aliases.get(key);
    if (!alias) {
      alias = `p_${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
      aliases.set(key, alias);
      providers.push({
        alias,
        region: own.region,
        default_tags: own.default_tags,
        ...offlineProviderSettings(),
      });
    }
    modules[module] = { source: `./stacks/${module}`, providers: { aws: `aws.${alias}` } };
  }
  writeFileSync(
    join(root, "main.tf.json"),
    JSON.stringify(
      {
        terraform: {
          required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } },
          backend: { local: { path: "terraform.tfstate" } },
        },
        provider: { aws: providers },
        module: modules,
      },
      null,
      2,
    ),
  );
  return root;
}

/** Plans `stacks` offline with the real provider; returns the plan, or throws Terraform's error text. */
export async function realPlan(runner: TerraformRunner, stacks: readonly StackFolder[]): Promise<PlanJson> {
  const root = realPlanRoot(stacks);
  await runner.mustRun(root, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
  await runner.mustRun(root, ["plan", "-refresh=false", "-input=false", "-no-color", "-out=plan.bin"], OFFLINE_ENV);
  const shown = await runner.mustRun(root, ["show", "-json", "plan.bin"], OFFLINE_ENV);
  return JSON.parse(shown.stdout) as PlanJson;
}
