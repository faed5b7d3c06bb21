/**
 * Day 2: config changes on a deployed service, planned with the real provider against the
 * state the old config left (support/day2.ts):
 * - the routine changes (port, HTTPS on and off, a consumer added and removed, memory, tags):
 *   nothing deleted before its replacement exists, nothing that carries traffic replaced;
 * - proofs that the checks catch a deadlocking replacement, a name taken twice, a listener
 *   that changes address, and a stack that changes name;
 * - every row of the README's change table (support/change-table.ts).
 * The base configs are planned once, and every case in one root: one plan for all.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../config/load";
import { defaultRawConfig, synthFolders } from "./helpers";
import { readmeRows, readmeTable, observedClasses, tableCases } from "./support/change-table";
import {
  actionsByType,
  awsResourceSchemas,
  Day2Case,
  Day2Plan,
  day2Plan,
  disruptions,
  replacementProblems,
  ResourceChange,
} from "./support/day2";
import type { StackFolder } from "./support/mock-plan";
import { OFFLINE_ENV } from "./support/offline-plan";
import { realPlanRoot } from "./support/real-plan";
import { describeWithTerraform, newRunner } from "./support/terraform-suite";

type Raw = Record<string, any>;

const CERTIFICATE = "arn:aws:acm:ap-northeast-1:111111111111:certificate/0123abcd-0123-4567-89ab-0123456789ab";

/** A second consumer, in its own account and VPC. */
const SECOND_CONSUMER = {
  name: "east",
  accountId: "333333333333",
  region: "ap-northeast-1",
  network: { create: { vpcCidr: "10.2.0.0/16", azIds: ["apne1-az1", "apne1-az4"] } },
};

/** One routine change: the config before (the default, unless `before` edits it) and the edit. */
interface Change {
  readonly before?: (raw: Raw) => void;
  readonly edit: (raw: Raw) => void;
}

/** The routine changes: none may replace what carries traffic, or delete a named resource first. */
const CHANGES: Readonly<Record<string, Change>> = {
  port: { edit: (raw) => (raw.service.port = 8080) },
  https: {
    edit: (raw) => {
      raw.service.certificateArn = CERTIFICATE;
      raw.service.hostname = "hello.example.com";
      raw.service.port = 443;
    },
  },
  https_off: {
    before: (raw) => Object.assign(raw.service, { certificateArn: CERTIFICATE, hostname: "hello.example.com", port: 443 }),
    edit: (raw) => {
      delete raw.service.certificateArn;
      delete raw.service.hostname;
      raw.service.port = 80;
    },
  },
  consumer_added: { edit: (raw) => raw.consumers.push(SECOND_CONSUMER) },
  consumer_removed: { before: (raw) => raw.consumers.push(SECOND_CONSUMER), edit: (raw) => raw.consumers.pop() },
  memory: { edit: (raw) => (raw.lambda.memoryMb = 1024) },
  tags: { edit: (raw) => (raw.tags = { Project: "hello-privatelink", CostCenter: "cc-42" }) },
};

/** Changes planned a second time without slicing, to check the slice against. */
const WHOLE = ["port", "https", "consumer_removed", "memory"];

/** Synthesizes `raw` with module names `<case>_<stack>`. */
const folders = (raw: Raw, prefix: string) => synthFolders(parseConfig(raw, "(test)"), prefix);

/** Rewrites a synthesized stack's JSON in place. */
function rewrite(folder: StackFolder | undefined, edit: (json: Raw) => void): void {
  if (!folder) throw new Error("no such stack");
  const file = join(folder.dir, "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8"));
  edit(json);
  writeFileSync(file, JSON.stringify(json));
}

/** The default config as written, with `edit` applied. */
const rawOf = (edit?: (raw: Raw) => void): Raw => {
  const raw = defaultRawConfig();
  edit?.(raw);
  return raw;
};

describeWithTerraform("day 2: config changes on a deployed service plan safely", () => {
  let plan: Day2Plan;
  /** The planned changes of one case's modules. */
  const of = (prefix: string): ResourceChange[] =>
    plan.changes.filter((c) => new RegExp(`^module\\.${prefix}_(provider|consumer(_[a-z0-9_]+)?)\\.`).test(c.address));

  let table: Awaited<ReturnType<typeof tableCases>>;

  beforeAll(async () => {
    const runner = await newRunner(true);
    const bases: Record<string, StackFolder[]> = {};
    const cases: Day2Case[] = [];
    /** Adds a base config (as applied state), by key. */
    const base = async (key: string, raw: Raw, edit?: (json: Raw) => void) => {
      bases[key] = await folders(raw, `base_${key}`);
      if (edit) rewrite(bases[key][0], edit);
    };
    /** Adds a case: the base's stacks in state as `<name>_<stack>`, the case's own as config. */
    const addCase = (name: string, key: string, after: StackFolder[]) =>
      cases.push({ base: key, stateModules: bases[key].map((f) => `${name}_${f.module.slice(`base_${key}_`.length)}`), after });

    await base("default", rawOf());
    await base("https_on", rawOf(CHANGES.https_off.before));
    await base("two_consumers", rawOf(CHANGES.consumer_removed.before));
    const baseOf = (change: Change) =>
      change === CHANGES.https_off ? "https_on" : change === CHANGES.consumer_removed ? "two_consumers" : "default";
    for (const [name, change] of Object.entries(CHANGES)) {
      addCase(
        name,
        baseOf(change),
        await folders(
          rawOf((r) => (change.before?.(r), change.edit(r))),
          name,
        ),
      );
    }

    // Whole plans of some changes, to check the slice against (see the test below).
    for (const name of WHOLE) {
      const change = CHANGES[name];
      addCase(
        `whole_${name}`,
        baseOf(change),
        await folders(
          rawOf((r) => (change.before?.(r), change.edit(r))),
          `whole_${name}`,
        ),
      );
    }

    // Proofs, built from the port change with the protection this app adds taken away.
    // 1. The NLB's target group with a fixed name and no create-before-destroy: deleted first.
    const fixed = (json: Raw) => {
      const tg = json.resource.aws_lb_target_group.nlb_alb;
      tg.name = "hello-privatelink-alb-tg";
      delete tg.lifecycle;
    };
    // 2. Create-before-destroy kept, name fixed: the new group takes the old one's name.
    const sameName = (json: Raw) => (json.resource.aws_lb_target_group.nlb_alb.name = "hello-privatelink-alb-tg");
    // 3. The ALB listener's address named by its protocol, as it was: HTTPS on deletes one
    //    listener and creates another on the same port of the same load balancer.
    const byProtocol = (protocol: string) => (json: Raw) => {
      const listeners = json.resource.aws_lb_listener;
      listeners[`alb_${protocol}`] = listeners.alb_listener;
      delete listeners.alb_listener;
      delete json.moved;
      const text = JSON.stringify(json).replaceAll("aws_lb_listener.alb_listener", `aws_lb_listener.alb_${protocol}`);
      Object.assign(json, JSON.parse(text));
    };
    // Each proof: its name, the base it starts from (built by the first proof that names it),
    // config B, and the edits of A and B. Proofs 1 and 2 leave the same state (a lifecycle
    // setting is not part of state), so they share a base.
    const proofs: [string, string, Raw, (json: Raw) => void, (json: Raw) => void][] = [
      ["proof_fixed_name", "proof_fixed_name", rawOf(CHANGES.port.edit), fixed, fixed],
      ["proof_same_name", "proof_fixed_name", rawOf(CHANGES.port.edit), sameName, sameName],
      // (HTTPS on the same port, so the two listeners meet on it.)
      [
        "proof_listener_address",
        "proof_listener_address",
        rawOf((r) => (CHANGES.https.edit(r), (r.service.port = 80))),
        byProtocol("http"),
        byProtocol("https"),
      ],
    ];
    for (const [name, key, b, editA, editB] of proofs) {
      if (!(key in bases)) {
        await base(key, rawOf(), editA);
        bases[key] = bases[key].slice(0, 1);
      }
      const [providerB] = await folders(b, name);
      rewrite(providerB, editB);
      addCase(name, key, [providerB]);
    }
    // 4. A consumer's stack renamed by another consumer's arrival (the old naming rule): the
    //    same stack under a new name plans a second copy beside the deployed one.
    const [provider, consumer] = await folders(rawOf(), "proof_renamed");
    addCase("proof_renamed", "default", [provider, { ...consumer, module: "proof_renamed_consumer_main" }]);

    // The documented migration: a lone consumer not named main, deployed under the old rule
    // as `consumer`, keeps that stack (and its state) with stackName.
    const loneEast = (r: Raw) => (r.consumers[0].name = "east");
    await base("lone_east", rawOf(loneEast));
    cases.push({
      base: "lone_east",
      stateModules: ["migrated_provider", "migrated_consumer"],
      after: await folders(
        rawOf((r) => (loneEast(r), (r.consumers[0].stackName = "consumer"))),
        "migrated",
      ),
    });

    // Every field of the README's change table, on the base configs that hold it.
    table = await tableCases();
    Object.assign(bases, table.bases);
    cases.push(...table.planned);

    // One initialized root gives the provider's schema, for the values AWS assigns.
    const schemaRoot = realPlanRoot(bases.default);
    await runner.mustRun(schemaRoot, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
    const schemas = await awsResourceSchemas(runner, schemaRoot);
    const whole = new Set(cases.flatMap((c) => c.after.map((f) => f.module)).filter((m) => m.startsWith("whole_")));
    plan = await day2Plan(runner, schemas, bases, cases, { whole });
  }, 600_000);

  test("the plan of the changed configs runs against the deployed state", () => {
    expect(plan.result.stderr).toBe("");
    expect(plan.result.status).toBe(0);
    expect(plan.changes.length).toBeGreaterThan(0);
  });

  test("the state is what the base configs leave: planned again, they change nothing", () => {
    expect(plan.unsettled).toEqual([]);
  });

  test.each(Object.keys(CHANGES))("%s: no named resource is deleted first or taken twice", (name) => {
    expect(replacementProblems(of(name))).toEqual([]);
  });

  test.each(Object.keys(CHANGES).filter((n) => n !== "consumer_removed"))(
    "%s: nothing that carries consumers' traffic is replaced or removed",
    (name) => {
      expect(disruptions(of(name))).toEqual([]);
    },
  );

  test("consumer_removed: only the removed consumer's stack is destroyed; the other consumer's plans nothing", () => {
    const changes = of("consumer_removed");
    const touched = (c: ResourceChange) => c.change.actions.join() !== "no-op" && c.mode === "managed";
    expect(changes.filter((c) => c.address.startsWith("module.consumer_removed_consumer.") && touched(c))).toEqual([]);
    const removed = changes.filter((c) => c.address.startsWith("module.consumer_removed_consumer_east."));
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.every((c) => c.change.actions.join() === "delete")).toBe(true);
    // The provider stops allowing the removed account, in place.
    const provider = changes.filter((c) => c.address.startsWith("module.consumer_removed_provider.") && touched(c));
    expect(actionsByType(provider)).toEqual({ aws_vpc_endpoint_service: ["update"], aws_vpc_security_group_ingress_rule: ["delete"] });
  });

  test("migration: a stack deployed under the old naming rule, kept by stackName, plans no change", () => {
    const changed = of("migrated").filter((c) => c.mode === "managed" && c.change.actions.join() !== "no-op");
    expect(changed.map((c) => c.address)).toEqual([]);
    // Its state held the whole stack, and its config matched it resource for resource.
    expect(plan.sliced.migrated_consumer).toEqual({ kept: 0, total: expect.any(Number) });
    expect(plan.sliced.migrated_consumer.total).toBeGreaterThan(20);
  });

  test.each(WHOLE)("%s: the sliced plan plans what the whole plan of the same change does", (name) => {
    // What Terraform plans to do, under the case's own module names.
    const acting = (prefix: string) =>
      of(prefix)
        .filter((c) => c.change.actions.join() !== "no-op")
        .map((c) => ({
          address: c.address.replace(`module.${prefix}_`, "module."),
          actions: c.change.actions,
          before: c.change.before,
          after: c.change.after,
          unknown: c.change.after_unknown,
          reason: c.action_reason,
        }));
    expect(acting(name).length).toBeGreaterThan(0);
    expect(acting(name)).toEqual(acting(`whole_${name}`));
    // The whole plan had more to look at: the slice left the unchanged resources out.
    const slicedTotal = (prefix: string) => plan.changes.filter((c) => c.address.startsWith(`module.${prefix}_`)).length;
    expect(slicedTotal(name)).toBeLessThan(slicedTotal(`whole_${name}`));
  });

  test("port: the NLB's target group is replaced create-first under a new name; the listeners change in place", () => {
    const provider = of("port").filter((c) => c.address.startsWith("module.port_provider."));
    const tg = provider.find((c) => c.address.endsWith("aws_lb_target_group.nlb_alb"));
    expect(tg?.change.actions).toEqual(["create", "delete"]);
    expect(tg?.change.after?.name).toBe("hello-privatelink-albtg-8080");
    expect(actionsByType(provider).aws_lb_listener).toEqual(["update"]);
  });

  test("https: the ALB listener keeps its address and changes protocol in place", () => {
    const listener = of("https").find((c) => c.address === "module.https_provider.aws_lb_listener.alb_listener");
    expect(listener?.change.actions).toEqual(["update"]);
    expect(listener?.change.after).toMatchObject({ protocol: "HTTPS", port: 443, certificate_arn: CERTIFICATE });
  });

  test("proof: a target group with a fixed name whose port changes is deleted before it is replaced", () => {
    expect(replacementProblems(of("proof_fixed_name"))).toEqual([
      "module.proof_fixed_name_provider.aws_lb_target_group.nlb_alb: deleted before its replacement is created, while AWS may still hold it in use",
    ]);
  });

  test("proof: create-before-destroy with a fixed name creates the new group under the old one's name", () => {
    expect(replacementProblems(of("proof_same_name"))).toEqual([
      'module.proof_same_name_provider.aws_lb_target_group.nlb_alb: created as aws_lb_target_group "hello-privatelink-alb-tg", which module.proof_same_name_provider.aws_lb_target_group.nlb_alb still holds',
    ]);
  });

  test("proof: a listener whose address follows its protocol is created on a port the old one still holds", () => {
    expect(replacementProblems(of("proof_listener_address"))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^module\.proof_listener_address_provider\.aws_lb_listener\.alb_https: created as aws_lb_listener on \S+ port 80, which module\.proof_listener_address_provider\.aws_lb_listener\.alb_http still holds$/,
        ),
      ]),
    );
  });

  test("proof: a consumer stack that moves to a new name plans a second copy that collides with the deployed one", () => {
    const problems = replacementProblems(of("proof_renamed"));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^module\.proof_renamed_consumer_main\.aws_iam_role\.network_flow_logs: created as aws_iam_role "[^"]+", which module\.proof_renamed_consumer\.aws_iam_role\.network_flow_logs still holds$/,
        ),
      ]),
    );
    expect(disruptions(of("proof_renamed"))).not.toEqual([]);
  });
  test("every row of the README's change table says what the change does", () => {
    const rows = readmeRows();
    const observed = observedClasses(table.cases, plan.changes);
    const wrong = observed.filter((o) => o.cls !== "unknown" && rows.get(o.field)?.cls !== o.cls);
    expect(
      wrong.map((o) => `${o.leaf}: the table says "${rows.get(o.field)?.cls}", the ${o.planned ? "plan" : "output"} says "${o.cls}"`),
    ).toEqual([]);
    // What neither a plan nor the output can class is only what the table says it could not plan.
    const unchecked = observed.filter((o) => o.cls === "unknown" && !rows.get(o.field)?.note.includes("not planned offline"));
    expect(unchecked.map((o) => o.leaf)).toEqual([]);
  });

  test("no change the table calls routine deletes a named resource first or creates one under a held name", () => {
    const rows = readmeTable();
    const problems = observedClasses(table.cases, plan.changes)
      .filter((o) => o.planned && !rows.get(o.field)?.startsWith("disruptive"))
      .flatMap((o) => replacementProblems(o.changes).map((p) => `${o.leaf}: ${p}`));
    expect(problems).toEqual([]);
  });
});
