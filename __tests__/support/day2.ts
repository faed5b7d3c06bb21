/**
 * Day-2 plans: what Terraform would do to a deployed service when its config changes.
 *
 * Config A is planned offline with the real provider (support/real-plan.ts); its plan becomes
 * a state, as if A had been applied: the planned values, and every value AWS assigns at apply
 * (IDs, ARNs, DNS names) filled in by its type in the provider's schema. Config B is then
 * planned against that state with `-refresh=false`, and its planned actions are checked:
 * - no named resource is deleted before its replacement is created (AWS refuses to delete
 *   one in use, so the apply would stop halfway), and no new resource takes a name, or a
 *   listener port, that a resource in the state still holds;
 * - which resources a change replaces, and whether any of them carries traffic to consumers.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StackFolder } from "./mock-plan";
import { OFFLINE_ENV, PlanJson } from "./offline-plan";
import { SliceCount, sliceModule, SliceStateResource } from "./day2-slice";
import { realPlanRoot } from "./real-plan";
import type { TerraformResult, TerraformRunner } from "./terraform";

/** One planned change, as `terraform show -json` gives it. */
export interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    readonly after_unknown?: unknown;
  };
  readonly action_reason?: string;
}

/** A resource of `planned_values`. */
interface PlannedResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly schema_version: number;
  readonly index?: string | number;
  readonly values: Record<string, unknown>;
}

interface PlannedModule {
  readonly address?: string;
  readonly resources?: readonly PlannedResource[];
  readonly child_modules?: readonly PlannedModule[];
}

/** The part of `terraform providers schema -json` read here: attribute types and nested blocks. */
export interface BlockSchema {
  readonly attributes?: Readonly<Record<string, { readonly type?: unknown }>>;
  readonly block_types?: Readonly<Record<string, { readonly nesting_mode: string; readonly block: BlockSchema }>>;
}
export type ResourceSchemas = Readonly<Record<string, { readonly version: number; readonly block: BlockSchema }>>;

/** The aws provider's resource schemas (one `terraform providers schema -json` in an initialized root). */
export async function awsResourceSchemas(runner: TerraformRunner, initializedRoot: string): Promise<ResourceSchemas> {
  const shown = await runner.mustRun(initializedRoot, ["providers", "schema", "-json"], OFFLINE_ENV);
  const all = JSON.parse(shown.stdout) as { provider_schemas: Record<string, { resource_schemas: ResourceSchemas }> };
  return all.provider_schemas["registry.terraform.io/hashicorp/aws"].resource_schemas;
}

const ACCOUNT = "111111111111";

/** What AWS would assign: an ID or ARN of the right form, derived from the address so it is stable. */
function assigned(type: string, address: string, attribute: string, region: string): string {
  const hash = createHash("sha256").update(`${address}.${attribute}`).digest("hex");
  const hex17 = hash.slice(0, 17);
  if (attribute === "arn" || attribute.endsWith("_arn")) {
    const service = type.startsWith("aws_lb") ? "elasticloadbalancing" : type.replace(/^aws_/, "").split("_")[0];
    return `arn:aws:${service}:${region}:${ACCOUNT}:${type.replace(/^aws_/, "")}/${hash.slice(0, 16)}`;
  }
  if (attribute === "id") {
    const prefixes: Record<string, string> = {
      aws_vpc: "vpc-",
      aws_subnet: "subnet-",
      aws_security_group: "sg-",
      aws_default_security_group: "sg-",
      aws_vpc_endpoint: "vpce-",
      aws_vpc_endpoint_service: "vpce-svc-",
      aws_flow_log: "fl-",
      aws_vpc_security_group_ingress_rule: "sgr-",
      aws_vpc_security_group_egress_rule: "sgr-",
    };
    if (prefixes[type]) return `${prefixes[type]}${hex17}`;
    if (type.startsWith("aws_lb")) return assigned(type, address, "arn", region);
  }
  if (attribute === "service_name") return `com.amazonaws.vpce.${region}.vpce-svc-${hex17}`;
  if (attribute === "dns_name") return `${hash.slice(0, 12)}.elb.${region}.amazonaws.com`;
  // AWS reports none for a standard topic; any value is refused as a FIFO-only setting.
  if (type === "aws_sns_topic" && attribute === "fifo_throughput_scope") return "";
  return `${attribute}-${hash.slice(0, 12)}`;
}

/**
 * A value of schema type `type` for an attribute AWS assigns. A list of objects gets one
 * element (what AWS reports, such as an endpoint's DNS entries, is read by index).
 */
function valueOfType(type: unknown, make: () => string): unknown {
  if (type === "string") return make();
  if (type === "number") return 0;
  if (type === "bool") return false;
  if (Array.isArray(type) && type[0] === "object") {
    return Object.fromEntries(Object.entries(type[1] as Record<string, unknown>).map(([k, t]) => [k, valueOfType(t, make)]));
  }
  if (Array.isArray(type) && (type[0] === "list" || type[0] === "set")) {
    return Array.isArray(type[1]) && type[1][0] === "object" ? [valueOfType(type[1], make)] : [];
  }
  if (Array.isArray(type) && type[0] === "map") return {};
  return null;
}

type Path = readonly (string | number)[];

/**
 * Fills every unknown in `values` (as `unknown` marks them): with `resolve(path)` when the
 * value is another resource's attribute, else with a value of the schema's type.
 */
function fillUnknowns(
  values: unknown,
  unknown: unknown,
  block: BlockSchema | undefined,
  make: (attribute: string) => string,
  resolve: (path: Path) => unknown,
  path: Path = [],
): unknown {
  if (typeof unknown !== "object" || unknown === null || typeof values !== "object" || values === null) return values;
  const out: Record<string, unknown> = { ...(values as Record<string, unknown>) };
  for (const [key, marker] of Object.entries(unknown as Record<string, unknown>)) {
    const attribute = block?.attributes?.[key];
    const nested = block?.block_types?.[key];
    const here = [...path, key];
    if (marker === true) {
      const resolved = resolve(here);
      // A list written as one reference (`[aws_security_group.x.id]`) resolves to its element.
      const isList = Array.isArray(attribute?.type) && ["list", "set"].includes(attribute.type[0] as string);
      // A map holding references (`{ LoadBalancer = aws_lb.x.arn_suffix }`) resolves to one of them,
      // not to the map: it starts empty, and the settling plan fills it in.
      const isMap = Array.isArray(attribute?.type) && attribute.type[0] === "map";
      const fitting = isMap && (typeof resolved !== "object" || resolved === null) ? undefined : resolved;
      const conformed = isList && fitting !== undefined && !Array.isArray(fitting) ? [fitting] : fitting;
      out[key] = conformed !== undefined ? conformed : attribute ? valueOfType(attribute.type, () => make(key)) : nested ? [] : make(key);
    } else if (Array.isArray(marker) && Array.isArray(out[key])) {
      out[key] = (out[key] as unknown[]).map((item, i) => {
        if (marker[i] !== true) return fillUnknowns(item, marker[i], nested?.block, make, resolve, [...here, i]);
        const resolved = resolve([...here, i]);
        return resolved !== undefined ? resolved : make(key);
      });
    } else if (typeof marker === "object" && marker !== null) {
      out[key] = fillUnknowns(out[key], marker, nested?.block, make, resolve, here);
    }
  }
  return out;
}

/** Every resource of a plan's planned values, with its module. */
function plannedResources(module: PlannedModule | undefined): { module?: string; resource: PlannedResource }[] {
  if (!module) return [];
  return [
    ...(module.resources ?? []).map((resource) => ({ module: module.address, resource })),
    ...(module.child_modules ?? []).flatMap(plannedResources),
  ];
}

/** A resource's configuration: the expression of each argument, with what it references. */
interface ConfiguredResource {
  readonly address: string;
  readonly expressions?: Record<string, unknown>;
}
interface ConfiguredModule {
  readonly resources?: readonly ConfiguredResource[];
  readonly module_calls?: Readonly<Record<string, { readonly module: ConfiguredModule }>>;
}

/** The expressions of every resource, by full address. */
function expressionsByAddress(module: ConfiguredModule | undefined, prefix = ""): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const r of module?.resources ?? []) out.set(`${prefix}${r.address}`, r.expressions ?? {});
  for (const [name, call] of Object.entries(module?.module_calls ?? {})) {
    for (const [k, v] of expressionsByAddress(call.module, `${prefix}module.${name}.`)) out.set(k, v);
  }
  return out;
}

/** `aws_vpc.network.id` → the resource and the attribute path; undefined for a whole-resource reference. */
function parseReference(reference: string): { resource: string; path: Path } | undefined {
  const match = /^((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.(.+)$/.exec(reference);
  if (!match) return undefined;
  const path = match[2]
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== "")
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return { resource: match[1], path };
}

/** The references of an expression that name one attribute of a resource. */
const attributeReferences = (node: unknown): string[] =>
  ((node as { references?: string[] }).references ?? []).filter((r) => parseReference(r) !== undefined);

/** The reference an argument's value at `path` comes from, if it is one attribute of one resource. */
function referenceAt(expressions: Record<string, unknown> | undefined, path: Path): string | undefined {
  let node: unknown = expressions;
  for (let i = 0; i < path.length; i++) {
    if (node && typeof node === "object" && "references" in node) {
      // A list written as references, one per element: the element's index picks its reference.
      const rest = path.slice(i);
      return rest.length === 1 && typeof rest[0] === "number" ? attributeReferences(node)[rest[0]] : undefined;
    }
    node = Array.isArray(node) ? node[path[i] as number] : (node as Record<string, unknown> | undefined)?.[path[i] as string];
  }
  if (!node || typeof node !== "object" || !("references" in node)) return undefined;
  const refs = attributeReferences(node);
  return refs.length === 1 ? refs[0] : undefined;
}

/**
 * The state config A leaves once applied: every managed resource of A's plan, with the values
 * AWS would have assigned. A value that is another resource's attribute (a VPC's ID in a
 * subnet) takes that resource's value, as it would after the apply. `providers` maps a module
 * address to its provider configuration.
 */
export function stateFromPlan(plan: PlanJson, schemas: ResourceSchemas, providers: Readonly<Record<string, string>>): string {
  const changes = new Map((plan.resource_changes as ResourceChange[] | undefined)?.map((c) => [c.address, c]) ?? []);
  const expressions = expressionsByAddress((plan.configuration as { root_module?: ConfiguredModule } | undefined)?.root_module);
  const regionOf = (values: Record<string, unknown>): string =>
    (typeof values.region === "string" && values.region) ||
    (typeof values.arn === "string" && values.arn.split(":")[3]) ||
    "ap-northeast-1";
  const planned = plannedResources((plan.planned_values as { root_module?: PlannedModule } | undefined)?.root_module).filter(
    ({ resource }) => resource.mode === "managed",
  );
  const byAddress = new Map(planned.map((p) => [p.resource.address, p]));
  const filled = new Map<string, Record<string, unknown>>();
  const filling = new Set<string>();
  const attributesOf = (address: string): Record<string, unknown> | undefined => {
    const known = filled.get(address);
    if (known) return known;
    const entry = byAddress.get(address);
    if (!entry || filling.has(address)) return undefined;
    filling.add(address);
    const { module, resource } = entry;
    const schema = schemas[resource.type];
    if (!schema) throw new Error(`no provider schema for ${resource.type}`);
    // A plan leaves `values` out when none is known yet (a topic policy of a topic to come).
    const values = resource.values ?? {};
    const region = regionOf(values);
    const configAddress = resource.address.replace(/\[[^\]]*\]$/, "");
    const resolve = (path: Path): unknown => {
      const parsed = parseReference(referenceAt(expressions.get(configAddress), path) ?? "");
      if (!parsed) return undefined;
      let value: unknown = attributesOf(`${module ? `${module}.` : ""}${parsed.resource}`);
      for (const step of parsed.path) value = (value as Record<string | number, unknown> | undefined)?.[step];
      return value ?? undefined;
    };
    const attributes = fillUnknowns(
      values,
      changes.get(resource.address)?.change.after_unknown,
      schema.block,
      (attribute) => assigned(resource.type, resource.address, attribute, region),
      resolve,
    ) as Record<string, unknown>;
    if (attributes.id === null || attributes.id === undefined) attributes.id = assigned(resource.type, resource.address, "id", region);
    filling.delete(address);
    filled.set(address, attributes);
    return attributes;
  };
  const instances = planned.map(({ module, resource }) => ({
    key: `${module ?? ""}|${resource.type}|${resource.name}`,
    resource: {
      ...(module ? { module } : {}),
      mode: "managed",
      type: resource.type,
      name: resource.name,
      provider: providers[module ?? ""] ?? `provider["registry.terraform.io/hashicorp/aws"]`,
    },
    instance: {
      ...(resource.index !== undefined ? { index_key: resource.index } : {}),
      schema_version: resource.schema_version,
      attributes: attributesOf(resource.address),
      sensitive_attributes: [],
    },
  }));
  // Instances of one resource (count, for_each) share its entry.
  const grouped = new Map<string, { instances: unknown[] } & Record<string, unknown>>();
  for (const { key, resource, instance } of instances) {
    const entry = grouped.get(key) ?? { ...resource, instances: [] };
    entry.instances.push(instance);
    grouped.set(key, entry);
  }
  return JSON.stringify({
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "day2-00000000",
    outputs: {},
    resources: [...grouped.values()],
  });
}

/**
 * Takes into `state` what a plan of the same config against it still updates: values that
 * data sources compute from the state's own values (a policy document naming a log group's
 * ARN). Returns what the plan would replace or create, which a settled state never has, and
 * the addresses it took changes of.
 *
 * A replacement is taken too when every value that forces it is known: a value the config
 * reads from a nested attribute of another resource (`x.private_dns_name_configuration[0].name`)
 * is only filled in once that resource is in the state, and an apply would leave it so.
 */
export function settle(state: string, plan: PlanJson): { state: string; unsettled: string[]; settled: string[] } {
  type Entry = { module?: string; type: string; name: string; instances: { attributes: Record<string, unknown> }[] };
  const json = JSON.parse(state) as { resources: Entry[] };
  const unsettled: string[] = [];
  const settled: string[] = [];
  const forcedByKnown = (change: ResourceChange) => {
    const paths = (change.change as { replace_paths?: unknown[][] }).replace_paths ?? [];
    const unknown = (change.change.after_unknown ?? {}) as Record<string, unknown>;
    return paths.length > 0 && paths.every((p) => p.length === 1 && typeof p[0] === "string" && unknown[p[0]] !== true);
  };
  for (const change of (plan.resource_changes as ResourceChange[] | undefined) ?? []) {
    const actions = change.change.actions.join();
    if (change.mode !== "managed" || actions === "no-op") continue;
    const replaced = actions === "delete,create" || actions === "create,delete";
    if (!(actions === "update" || (replaced && forcedByKnown(change))) || !change.change.after) {
      unsettled.push(`${change.address}: ${actions}`);
      continue;
    }
    const entry = json.resources.find((r) => `${r.module ? `${r.module}.` : ""}${r.type}.${r.name}` === change.address);
    if (!entry) continue;
    const known = Object.fromEntries(Object.entries(change.change.after).filter(([, v]) => v !== null && v !== undefined));
    entry.instances[0].attributes = { ...entry.instances[0].attributes, ...known };
    settled.push(change.address);
  }
  return { state: JSON.stringify(json), unsettled, settled };
}

/** The provider configuration each module of a real-plan root uses, as state records it. */
function moduleProviders(root: string): Record<string, string> {
  const main = JSON.parse(readFileSync(join(root, "main.tf.json"), "utf8")) as { module: Record<string, { providers: { aws: string } }> };
  return Object.fromEntries(
    Object.entries(main.module).map(([name, m]) => [
      `module.${name}`,
      `provider["registry.terraform.io/hashicorp/aws"].${m.providers.aws.replace(/^aws\./, "")}`,
    ]),
  );
}

/** Adds to root B every provider configuration of root A it lacks: the state's removed resources still need theirs. */
function keepProviders(rootA: string, rootB: string): void {
  const read = (root: string) => JSON.parse(readFileSync(join(root, "main.tf.json"), "utf8"));
  const a = read(rootA);
  const b = read(rootB);
  const have = new Set(b.provider.aws.map((p: { alias: string }) => p.alias));
  for (const p of a.provider.aws) if (!have.has(p.alias)) b.provider.aws.push(p);
  writeFileSync(join(rootB, "main.tf.json"), JSON.stringify(b, null, 2));
}

/** The outcome of planning the cases against the states their base configs leave. */
export interface Day2Plan {
  /** Terraform's own result: a plan can stop on its own (a `prevent_destroy` guard). */
  readonly result: TerraformResult;
  /** The planned changes (empty when the plan stopped). */
  readonly changes: readonly ResourceChange[];
  /** Per case module with a base: how many of its resources the plan took (support/day2-slice.ts). */
  readonly sliced: Readonly<Record<string, SliceCount>>;
  /**
   * What the base configs, planned once more against the state they left, would still do:
   * nothing, when the state is what their apply leaves. (Each base is planned beside the
   * cases, under modules `same_<base>_<i>`: what settle took into its state and what reads it.)
   */
  readonly unsettled: readonly string[];
}

/** One change of config: from a base config's applied state to the case's stacks. */
export interface Day2Case {
  /** Which base config the case starts from. */
  readonly base: string;
  /**
   * The module each of the base's stacks has in the case's state, by position; undefined
   * leaves that stack out. A module the case's stacks lack is a stack removed (or renamed).
   */
  readonly stateModules: readonly (string | undefined)[];
  /** The case's stacks, config B. */
  readonly after: readonly StackFolder[];
}

type StateResource = SliceStateResource & { provider: string };

/** The settled state each base config leaves once applied, with its stacks' modules in order. */
async function baseStates(
  runner: TerraformRunner,
  schemas: ResourceSchemas,
  bases: Readonly<Record<string, readonly StackFolder[]>>,
): Promise<{ root: string; resources: StateResource[]; settled: ReadonlySet<string> }> {
  const root = realPlanRoot(Object.values(bases).flat());
  await runner.mustRun(root, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
  await runner.mustRun(root, ["plan", "-refresh=false", "-input=false", "-no-color", "-out=plan.bin"], OFFLINE_ENV);
  const plan = JSON.parse((await runner.mustRun(root, ["show", "-json", "plan.bin"], OFFLINE_ENV)).stdout) as PlanJson;
  // Settle the state: the base configs planned against it must change nothing but what data
  // sources derive from it; anything else means it is not what their apply would leave.
  writeFileSync(join(root, "terraform.tfstate"), stateFromPlan(plan, schemas, moduleProviders(root)));
  await runner.mustRun(root, ["plan", "-refresh=false", "-input=false", "-no-color", "-out=again.bin"], OFFLINE_ENV);
  const again = JSON.parse((await runner.mustRun(root, ["show", "-json", "again.bin"], OFFLINE_ENV)).stdout) as PlanJson;
  // Whether the state is settled, the bases planned again against it show (day2Plan plans
  // each base once more beside the cases: what settle changed, and what reads it).
  const { state, unsettled, settled } = settle(readFileSync(join(root, "terraform.tfstate"), "utf8"), again);
  if (unsettled.length > 0)
    throw new Error(`The state built from the base configs' plan is not what they leave; they plan:\n${unsettled.join("\n")}`);
  return { root, resources: (JSON.parse(state) as { resources: StateResource[] }).resources, settled: new Set(settled) };
}

/**
 * Plans every case against the state its base config leaves once applied: the bases are
 * planned (and their states built) once, each case's state is its base's under the case's
 * module names, and all cases are planned together in one root.
 */
export async function day2Plan(
  runner: TerraformRunner,
  schemas: ResourceSchemas,
  bases: Readonly<Record<string, readonly StackFolder[]>>,
  cases: readonly Day2Case[],
  options: { readonly whole?: ReadonlySet<string> } = {},
): Promise<Day2Plan> {
  const applied = await baseStates(runner, schemas, bases);
  // Each base config unchanged, planned once more: what settle took into its state, and
  // everything that reads it, must plan no change. (The rest planned no change against the
  // same state and config in the second base plan.)
  const same = Object.entries(bases).map(([key, stacks]): Day2Case => {
    const renamed = (module: string | undefined) => module && `same_${key}_${stacks.findIndex((s) => s.module === module)}`;
    return {
      base: key,
      stateModules: stacks.map((s) => renamed(s.module)),
      after: stacks.map((s) => ({ ...s, module: renamed(s.module) as string, remoteStateFrom: renamed(s.remoteStateFrom) })),
    };
  });
  const whole = options.whole ?? new Set<string>();
  const sameModules = new Set(same.flatMap((c) => c.after.map((s) => s.module)));
  const planned = [...cases, ...same];
  const rootB = realPlanRoot(planned.flatMap((c) => c.after));
  keepProviders(applied.root, rootB);
  const providersB = moduleProviders(rootB);
  const providersA = moduleProviders(applied.root);
  /** Each case module's base module: the config its state comes from. */
  const baseModule = new Map<string, string>();
  const resources = planned.flatMap((c) =>
    bases[c.base].flatMap((stack, j) => {
      const target = c.stateModules[j];
      if (target === undefined) return [];
      baseModule.set(target, stack.module);
      return applied.resources
        .filter((r) => r.module === `module.${stack.module}`)
        .map((r) => ({ ...r, module: `module.${target}`, provider: providersB[`module.${target}`] ?? r.provider }));
    }),
  );
  // Only what each change touches is planned (support/day2-slice.ts).
  const sliced: Record<string, SliceCount> = {};
  const dropped = new Set<StateResource>();
  for (const module of Object.keys(providersB).map((m) => m.replace(/^module\./, ""))) {
    const from = baseModule.get(module);
    // A new provider configuration (Region, default tags) touches every resource: planned whole.
    if (!from || whole.has(module) || providersA[`module.${from}`] !== providersB[`module.${module}`]) continue;
    const own = resources.filter((r) => r.module === `module.${module}`);
    const inBase = `module.${from}.`;
    const settled = sameModules.has(module)
      ? new Set([...applied.settled].filter((a) => a.startsWith(inBase)).map((a) => a.slice(inBase.length).replace(/\[[^\]]*\]$/, "")))
      : undefined;
    const { keep, count } = sliceModule(join(rootB, "stacks", module), join(applied.root, "stacks", from), own, settled);
    for (const r of own) if (!keep.has(`${r.type}.${r.name}`)) dropped.add(r);
    sliced[module] = count;
  }
  writeFileSync(
    join(rootB, "terraform.tfstate"),
    JSON.stringify({
      version: 4,
      terraform_version: "1.11.4",
      serial: 1,
      lineage: "day2-00000000",
      outputs: {},
      resources: resources.filter((r) => !dropped.has(r)),
    }),
  );
  await runner.mustRun(rootB, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
  const result = await runner.run(rootB, ["plan", "-refresh=false", "-input=false", "-no-color", "-out=plan.bin"], OFFLINE_ENV);
  if (result.status !== 0) return { result, changes: [], sliced, unsettled: [] };
  const planB = JSON.parse((await runner.mustRun(rootB, ["show", "-json", "plan.bin"], OFFLINE_ENV)).stdout) as PlanJson;
  const changes = (planB.resource_changes as ResourceChange[] | undefined) ?? [];
  const unsettled = changes
    .filter((c) => c.address.startsWith("module.same_") && c.mode === "managed" && c.change.actions.join() !== "no-op")
    .map((c) => `${c.address}: ${c.change.actions.join(", ")}`);
  return { result, changes: changes.filter((c) => !c.address.startsWith("module.same_")), sliced, unsettled };
}

/**
 * Resource types AWS keeps unique by a name (or a port), or refuses to delete while another
 * resource uses them. Deleting one before its replacement exists stops the apply halfway.
 */
export const NAMED_TYPES = new Set([
  "aws_lb",
  "aws_lb_target_group",
  "aws_lb_listener",
  "aws_lb_listener_rule",
  "aws_security_group",
  "aws_lambda_function",
  "aws_iam_role",
  "aws_cloudwatch_log_group",
]);

/** Resources that carry consumers' traffic: replacing one breaks their connections. */
export const DISRUPTIVE_TYPES = new Set(["aws_vpc_endpoint_service", "aws_lb", "aws_vpc", "aws_subnet", "aws_vpc_endpoint"]);

/** What AWS keeps unique for a resource: its name, or a listener's port on its load balancer. */
function identity(type: string, values: Record<string, unknown> | null): string | undefined {
  if (!values || !NAMED_TYPES.has(type)) return undefined;
  const known = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : undefined);
  if (type === "aws_lb_listener") {
    const lb = known(values.load_balancer_arn);
    const port = known(values.port);
    return lb && port ? `${type} on ${lb} port ${port}` : undefined;
  }
  if (type === "aws_lb_listener_rule") {
    const listener = known(values.listener_arn);
    const priority = known(values.priority);
    return listener && priority ? `${type} on ${listener} priority ${priority}` : undefined;
  }
  const name = known(values.name) ?? known(values.function_name);
  if (!name) return undefined;
  // Security group names are unique per VPC; the others per account and Region.
  return type === "aws_security_group" ? `${type} "${name}" in ${known(values.vpc_id)}` : `${type} "${name}"`;
}

/** Replacements and creations that AWS would refuse, or that stop the apply halfway. */
export function replacementProblems(changes: readonly ResourceChange[]): string[] {
  const problems: string[] = [];
  const managed = changes.filter((c) => c.mode === "managed");
  // What the state holds and keeps until after the creates: every prior resource not deleted first.
  const held = new Map<string, string>();
  for (const c of managed) {
    const deletedFirst = c.change.actions[0] === "delete" && c.change.actions.includes("create");
    const id = identity(c.type, c.change.before);
    if (id && !deletedFirst) held.set(id, c.address);
  }
  for (const c of managed) {
    const { actions } = c.change;
    if (actions[0] === "delete" && actions[1] === "create" && NAMED_TYPES.has(c.type)) {
      problems.push(`${c.address}: deleted before its replacement is created, while AWS may still hold it in use`);
    }
    if (!actions.includes("create")) continue;
    const id = identity(c.type, c.change.after);
    const holder = id && held.get(id);
    if (holder) problems.push(`${c.address}: created as ${id}, which ${holder} still holds`);
  }
  return problems;
}

/** Deletions (alone or in a replacement) of resources that carry consumers' traffic. */
export function disruptions(changes: readonly ResourceChange[]): string[] {
  return changes
    .filter((c) => c.mode === "managed" && DISRUPTIVE_TYPES.has(c.type) && c.change.actions.includes("delete"))
    .map((c) => `${c.address}: ${c.change.actions.join(", ")}`);
}

/** The actions planned per resource type, such as `aws_lb_target_group: create, delete (replace)`. */
export function actionsByType(changes: readonly ResourceChange[]): Record<string, string[]> {
  const byType: Record<string, Set<string>> = {};
  for (const c of changes) {
    if (c.mode !== "managed" || c.change.actions.join() === "no-op") continue;
    const action = c.change.actions.length === 2 ? `replace (${c.change.actions.join(" then ")})` : c.change.actions[0];
    (byType[c.type] ??= new Set()).add(action);
  }
  return Object.fromEntries(Object.entries(byType).map(([type, set]) => [type, [...set].sort()]));
}
