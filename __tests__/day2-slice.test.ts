/**
 * The day-2 slice (support/day2-slice.ts) on small hand-written modules: what it keeps, what
 * it writes in place of a reference, and what it refuses. terraform-day2.test.ts checks it
 * against Terraform: whole plans of some changes against the sliced plans of the same.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hclLiteral, mapInterpolations, SliceStateResource, sliceModule } from "./support/day2-slice";

type Json = Record<string, any>;

/** A module folder holding `json` as its cdk.tf.json, plus `extra` files. */
function folder(json: Json, extra: Record<string, Json> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "slice-"));
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json));
  for (const [name, body] of Object.entries(extra)) writeFileSync(join(dir, name), JSON.stringify(body));
  return dir;
}
const read = (dir: string, name = "cdk.tf.json"): Json => JSON.parse(readFileSync(join(dir, name), "utf8"));
const state = (type: string, name: string, attributes: Record<string, unknown>): SliceStateResource => ({
  mode: "managed",
  type,
  name,
  instances: [{ attributes }],
});

/** A VPC, a subnet in it, a security group, a listener port and a policy document reading the group. */
function stack(port: number): Json {
  return {
    "//": { metadata: { stack: "x" } },
    terraform: { required_providers: { aws: { source: "hashicorp/aws" } } },
    resource: {
      aws_vpc: { net: { cidr_block: "10.0.0.0/16" } },
      aws_subnet: { a: { "//": { metadata: { path: "x/a" } }, vpc_id: "${aws_vpc.net.id}", cidr_block: "10.0.0.0/20" } },
      aws_security_group: { sg: { vpc_id: "${aws_vpc.net.id}", name: "sg-x" } },
      aws_lb_target_group: { tg: { port, vpc_id: "${aws_vpc.net.id}", lifecycle: { create_before_destroy: true } } },
      aws_lb_listener: {
        l: {
          port: 80,
          default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.tg.arn}" }],
          depends_on: ["aws_security_group.sg"],
        },
      },
      aws_iam_policy: { p: { policy: "${data.aws_iam_policy_document.d.json}" } },
    },
    data: {
      aws_iam_policy_document: {
        d: { statement: [{ resources: ["arn:${aws_security_group.sg.arn}/x", "$${aws:username}"], actions: ["ec2:*"] }] },
      },
    },
    output: { tg: { value: "${aws_lb_target_group.tg.arn}" } },
    moved: [
      { from: "aws_lb_target_group.old", to: "aws_lb_target_group.tg" },
      { from: "aws_vpc.old", to: "aws_vpc.net" },
    ],
  };
}

const STATE = [
  state("aws_vpc", "net", { id: "vpc-1", cidr_block: "10.0.0.0/16" }),
  state("aws_subnet", "a", { id: "subnet-1", vpc_id: "vpc-1" }),
  state("aws_security_group", "sg", { id: "sg-1", arn: "arn:aws:ec2:r:1:security-group/sg-1", name: "sg-x" }),
  state("aws_lb_target_group", "tg", { id: "tg-1", arn: "arn:tg-1", port: 80 }),
  state("aws_lb_listener", "l", { id: "l-1", port: 80 }),
  state("aws_iam_policy", "p", { id: "p-1", policy: "{}" }),
];

describe("the day-2 slice", () => {
  test("interpolations are found with nested braces and quoted strings; escaped ones are left alone", () => {
    const seen: string[] = [];
    const out = mapInterpolations('a ${x.y.id} $${z} ${jsonencode({"k" = "}"})} b', (e) => (seen.push(e), "E"));
    expect(seen).toEqual(["x.y.id", 'jsonencode({"k" = "}"})']);
    expect(out).toBe("a ${E} $${z} ${E} b");
    expect(() => mapInterpolations("${a.b.c", (e) => e)).toThrow(/unbalanced/);
  });

  test("a value becomes an expression literal; template sequences in it stay literal", () => {
    expect(hclLiteral("vpc-1")).toBe('"vpc-1"');
    expect(hclLiteral(["a", 1, true, null])).toBe('["a",1,true,null]');
    expect(hclLiteral({ k: "x${y}%{z}" })).toBe('{"k":"x$${y}%%{z}"}');
    expect(hclLiteral(undefined)).toBe("null");
  });

  test("an unchanged module keeps nothing and loses its outputs", () => {
    const base = folder(stack(80));
    const dir = folder(stack(80));
    const { keep, count } = sliceModule(dir, base, STATE);
    expect(count).toEqual({ kept: 0, total: 6 });
    expect([...keep]).toEqual([]);
    expect(read(dir)).toEqual({ "//": { metadata: { stack: "x" } }, terraform: stack(80).terraform });
  });

  test("a changed resource keeps what references it, and reads the rest from the state", () => {
    const base = folder(stack(80));
    const dir = folder(stack(8080), {
      "zz_override.tf.json": { resource: { aws_vpc: { net: { tags: {} } }, aws_lb_listener: { l: { port: 81 } } } },
    });
    const { keep, count } = sliceModule(dir, base, STATE);
    expect([...keep].sort()).toEqual(["aws_lb_listener.l", "aws_lb_target_group.tg"]);
    expect(count).toEqual({ kept: 2, total: 6 });
    const json = read(dir);
    expect(Object.keys(json.resource).sort()).toEqual(["aws_lb_listener", "aws_lb_target_group"]);
    expect(json.resource.aws_lb_target_group.tg.vpc_id).toBe('${"vpc-1"}');
    // The reference to the kept group stays; depends_on drops what is not in the config.
    expect(json.resource.aws_lb_listener.l.default_action[0].target_group_arn).toBe("${aws_lb_target_group.tg.arn}");
    expect(json.resource.aws_lb_listener.l.depends_on).toBeUndefined();
    expect(json.data).toBeUndefined();
    expect(json.moved).toEqual([{ from: "aws_lb_target_group.old", to: "aws_lb_target_group.tg" }]);
    // Override files keep only what they override of the kept resources.
    expect(read(dir, "zz_override.tf.json")).toEqual({ resource: { aws_lb_listener: { l: { port: 81 } } } });
  });

  test("a changed data source keeps its readers; what it reads of a left-out resource comes from the state", () => {
    const changed = stack(80);
    changed.data.aws_iam_policy_document.d.statement[0].actions = ["ec2:Describe*"];
    const base = folder(stack(80));
    const dir = folder(changed);
    const { keep } = sliceModule(dir, base, STATE);
    expect([...keep]).toEqual(["aws_iam_policy.p"]);
    const doc = read(dir).data.aws_iam_policy_document.d.statement[0];
    expect(doc.resources).toEqual(['arn:${"arn:aws:ec2:r:1:security-group/sg-1"}/x', "$${aws:username}"]);
  });

  test("a resource in the state only stays there (to be deleted); one in the config only is kept", () => {
    const after = stack(80);
    delete after.resource.aws_iam_policy;
    after.resource.aws_sns_topic = { t: { name: "t" } };
    const { keep } = sliceModule(folder(after), folder(stack(80)), STATE);
    expect([...keep].sort()).toEqual(["aws_iam_policy.p", "aws_sns_topic.t"]);
  });

  test("a resource whose state changed is kept, with what reads it, though its config did not change", () => {
    // GIVEN an unchanged module whose security group's state changed (settle took a value in)
    const dir = folder(stack(80));
    const { keep } = sliceModule(dir, folder(stack(80)), STATE, new Set(["aws_security_group.sg"]));
    const { keep: none } = sliceModule(folder(stack(80)), folder(stack(80)), STATE);
    expect([...none]).toEqual([]);
    // THEN the group, the listener that depends on it, and the policy reading it through the
    // data source are planned; the data source stays to be read
    expect([...keep].sort()).toEqual(["aws_iam_policy.p", "aws_lb_listener.l", "aws_security_group.sg"]);
    expect(Object.keys(read(dir).data.aws_iam_policy_document)).toEqual(["d"]);
  });

  test("a reference with no value in the state keeps the resource it names", () => {
    const after = stack(80);
    after.resource.aws_iam_policy.p.description = "${aws_subnet.a.availability_zone}";
    const { keep } = sliceModule(folder(after), folder(stack(80)), STATE);
    expect([...keep].sort()).toEqual(["aws_iam_policy.p", "aws_subnet.a"]);
  });
});
