/**
 * The rules' helpers (lib/policy/rules/util.ts) on their own: typed reads of synthesized JSON
 * at their edges (null, arrays, scalars), world CIDRs, security group rules of every shape and
 * direction, and what kind of load balancer a resource is.
 */
import { ResourceView, stackView } from "../../lib/policy/evaluate";
import {
  block,
  blocks,
  groupsOf,
  idRef,
  isRecord,
  isWorld,
  list,
  loadBalancerKind,
  opensToWorld,
  rulesOfGroup,
  text,
} from "../../lib/policy/rules/util";

/** A stack of `resource`. */
const view = (resource: Record<string, Record<string, Record<string, unknown>>>) => stackView("s", { resource });
/** One resource of `type` named `x`, with `attrs`. */
const one = (type: string, attrs: Record<string, unknown> = {}): ResourceView => view({ [type]: { x: attrs } }).resources[0];

describe("reading synthesized JSON", () => {
  test.each<[string, unknown, boolean]>([
    ["an empty object", {}, true],
    ["an object", { a: 1 }, true],
    ["an empty array", [], false],
    ["an array of objects", [{ a: 1 }], false],
    ["null", null, false],
    ["undefined", undefined, false],
    ["a string", "x", false],
    ["a number", 1, false],
  ])("isRecord: %s (%p) is %s", (_name, value, expected) => {
    // GIVEN a JSON value; WHEN asked whether it is an object; THEN only objects are
    expect(isRecord(value)).toBe(expected);
  });

  test.each<[string, unknown, unknown[]]>([
    ["undefined", undefined, []],
    ["null", null, []],
    ["an empty list", [], []],
    ["a list", ["a", "b"], ["a", "b"]],
    ["a list holding null", [null], [null]],
    ["a string", "a", ["a"]],
    ["zero", 0, [0]],
    ["false", false, [false]],
    ["an object", { a: 1 }, [{ a: 1 }]],
  ])("list: %s", (_name, value, expected) => {
    // GIVEN a list argument as Terraform JSON may hold it
    // WHEN read as a list; THEN missing is empty and a single value is a list of one
    expect(list(value)).toStrictEqual(expected);
  });

  test("list returns a list argument itself", () => {
    // GIVEN a list; WHEN read as a list; THEN it is the same array
    const value = ["a"];
    expect(list(value)).toBe(value);
  });

  test.each<[string, unknown, Record<string, unknown>]>([
    ["undefined", undefined, {}],
    ["null", null, {}],
    ["an empty list", [], {}],
    ["an object", { a: 1 }, { a: 1 }],
    ["a list of objects (the first counts)", [{ a: 1 }, { b: 2 }], { a: 1 }],
    ["a list starting with a scalar", ["x", { b: 2 }], {}],
    ["a list of lists", [[{ a: 1 }]], {}],
    ["a string", "x", {}],
  ])("block: %s", (_name, value, expected) => {
    // GIVEN a nested block as an object, a list, or something else
    // WHEN read as one block; THEN it is the object (the first of a list), else empty
    expect(block(value)).toStrictEqual(expected);
  });

  test.each<[string, unknown, Record<string, unknown>[]]>([
    ["undefined", undefined, []],
    ["null", null, []],
    ["one object", { a: 1 }, [{ a: 1 }]],
    ["a list mixing objects and other values", [{ a: 1 }, "x", null, [{ b: 2 }], { c: 3 }], [{ a: 1 }, { c: 3 }]],
  ])("blocks: %s", (_name, value, expected) => {
    // GIVEN a list of blocks; WHEN read; THEN only its objects are kept, in order
    expect(blocks(value)).toStrictEqual(expected);
  });

  test("text: a string is itself; anything else is undefined", () => {
    // GIVEN strings and other values; WHEN read as text; THEN only strings come back
    expect(text("a")).toBe("a");
    expect(text("")).toBe("");
    expect(text(1)).toBeUndefined();
    expect(text(["a"])).toBeUndefined();
    expect(text(undefined)).toBeUndefined();
  });

  test("idRef is the reference a resource's ID is written as", () => {
    // GIVEN a resource; WHEN its ID reference is made; THEN it is ${type.name.id}
    expect(idRef(one("aws_security_group"))).toBe("${aws_security_group.x.id}");
  });
});

describe("world CIDRs", () => {
  test.each<[unknown, boolean]>([
    ["0.0.0.0/0", true],
    ["::/0", true],
    ["10.0.0.0/8", false],
    ["0.0.0.0/1", false],
    ["::/1", false],
    ["", false],
    [undefined, false],
    [["0.0.0.0/0"], false],
  ])("isWorld(%p) is %s", (value, expected) => {
    // GIVEN a CIDR; WHEN checked; THEN only the two whole-internet CIDRs are the world
    expect(isWorld(value)).toBe(expected);
  });
});

describe("opensToWorld", () => {
  test.each<[string, string, Record<string, unknown>, { ingress: boolean; egress: boolean }]>([
    [
      "a separate ingress rule from 0.0.0.0/0",
      "aws_vpc_security_group_ingress_rule",
      { cidr_ipv4: "0.0.0.0/0" },
      { ingress: true, egress: false },
    ],
    ["a separate egress rule to ::/0", "aws_vpc_security_group_egress_rule", { cidr_ipv6: "::/0" }, { ingress: false, egress: true }],
    [
      "a separate egress rule to a private range",
      "aws_vpc_security_group_egress_rule",
      { cidr_ipv4: "10.0.0.0/8" },
      { ingress: false, egress: false },
    ],
    [
      "a legacy ingress rule from 0.0.0.0/0",
      "aws_security_group_rule",
      { type: "ingress", cidr_blocks: ["0.0.0.0/0"] },
      { ingress: true, egress: false },
    ],
    [
      "a legacy egress rule to ::/0",
      "aws_security_group_rule",
      { type: "egress", ipv6_cidr_blocks: ["::/0"] },
      { ingress: false, egress: true },
    ],
    ["a legacy rule without a type", "aws_security_group_rule", { cidr_blocks: ["0.0.0.0/0"] }, { ingress: false, egress: false }],
    [
      "a legacy ingress rule from a private range and the world",
      "aws_security_group_rule",
      { type: "ingress", cidr_blocks: ["10.0.0.0/8", "0.0.0.0/0"] },
      { ingress: true, egress: false },
    ],
    [
      "a legacy ingress rule whose inline-looking blocks say otherwise",
      "aws_security_group_rule",
      { type: "ingress", cidr_blocks: ["10.0.0.0/8"], egress: [{ cidr_blocks: ["0.0.0.0/0"] }] },
      { ingress: false, egress: false },
    ],
    [
      "a group with an inline ingress block from ::/0",
      "aws_security_group",
      { ingress: [{ cidr_blocks: ["10.0.0.0/8"], ipv6_cidr_blocks: ["::/0"] }] },
      { ingress: true, egress: false },
    ],
    [
      "a group with an inline egress block to a private range and the world",
      "aws_security_group",
      { egress: { cidr_blocks: ["10.0.0.0/8", "0.0.0.0/0"] } },
      { ingress: false, egress: true },
    ],
    [
      "a group with private inline rules",
      "aws_security_group",
      { ingress: [{ cidr_blocks: ["10.0.0.0/8"] }] },
      { ingress: false, egress: false },
    ],
  ])("%s", (_name, type, attrs, expected) => {
    // GIVEN a rule or a group; WHEN asked about each direction; THEN only the open direction opens
    const r = one(type, attrs);
    expect({ ingress: opensToWorld(r, "ingress"), egress: opensToWorld(r, "egress") }).toEqual(expected);
  });
});

describe("rulesOfGroup", () => {
  /** Group a with rules of every shape and both directions; group b with one of each kind. */
  const stack = view({
    aws_security_group: {
      a: { description: "a", ingress: [{ description: "a inline in" }], egress: [{ description: "a inline out" }] },
      b: { description: "b" },
    },
    aws_vpc_security_group_ingress_rule: {
      a_in: { security_group_id: "${aws_security_group.a.id}", description: "a separate in" },
      b_in: { security_group_id: "${aws_security_group.b.id}", description: "b separate in" },
    },
    aws_vpc_security_group_egress_rule: {
      a_out: { security_group_id: "${aws_security_group.a.id}", description: "a separate out" },
    },
    aws_security_group_rule: {
      a_in: { security_group_id: "${aws_security_group.a.id}", type: "ingress", description: "a legacy in" },
      a_out: { security_group_id: "${aws_security_group.a.id}", type: "egress", description: "a legacy out" },
      b_out: { security_group_id: "${aws_security_group.b.id}", type: "egress", description: "b legacy out" },
    },
  });
  const group = (name: string) => stack.ofType("aws_security_group").find((g) => g.name === name)!;
  const descriptions = (name: string, direction: "ingress" | "egress") =>
    rulesOfGroup(group(name), stack, direction).map((r) => r.description);

  test("a group's rules of one direction: separate, then legacy, then inline", () => {
    // GIVEN groups with rules of both directions in every shape
    // WHEN one group's rules of one direction are listed
    // THEN only that group's rules of that direction come back
    expect(descriptions("a", "ingress")).toEqual(["a separate in", "a legacy in", "a inline in"]);
    expect(descriptions("a", "egress")).toEqual(["a separate out", "a legacy out", "a inline out"]);
    expect(descriptions("b", "ingress")).toEqual(["b separate in"]);
    expect(descriptions("b", "egress")).toEqual(["b legacy out"]);
  });

  test("a group without any rule has none", () => {
    // GIVEN a group no rule refers to; WHEN its rules are listed; THEN there are none
    const alone = view({
      aws_security_group: { c: { description: "c" } },
      aws_security_group_rule: { other: { security_group_id: "${aws_security_group.d.id}", type: "ingress" } },
    });
    expect(rulesOfGroup(alone.resources[0], alone, "ingress")).toEqual([]);
    expect(rulesOfGroup(alone.resources[0], alone, "egress")).toEqual([]);
  });
});

describe("groupsOf", () => {
  test("the groups a list (or a single reference) names, in the stack's order", () => {
    // GIVEN a stack with three groups
    const stack = view({ aws_security_group: { a: {}, b: {}, c: {} } });
    // WHEN a resource lists some of them; THEN exactly those come back
    expect(groupsOf(["${aws_security_group.c.id}", "${aws_security_group.a.id}"], stack).map((g) => g.address)).toEqual([
      "aws_security_group.a",
      "aws_security_group.c",
    ]);
    expect(groupsOf("${aws_security_group.b.id}", stack).map((g) => g.address)).toEqual(["aws_security_group.b"]);
    expect(groupsOf(undefined, stack)).toEqual([]);
  });
});

describe("loadBalancerKind", () => {
  test.each<[string, string, Record<string, unknown>, string | undefined]>([
    ["aws_lb without a type", "aws_lb", {}, "application"],
    ["aws_lb of type application", "aws_lb", { load_balancer_type: "application" }, "application"],
    ["aws_lb of type network", "aws_lb", { load_balancer_type: "network" }, "network"],
    ["aws_lb of type gateway", "aws_lb", { load_balancer_type: "gateway" }, "gateway"],
    ["aws_lb of an unknown type", "aws_lb", { load_balancer_type: "classic" }, "application"],
    ["aws_alb without a type", "aws_alb", {}, "application"],
    ["aws_alb of type network", "aws_alb", { load_balancer_type: "network" }, "network"],
    ["aws_alb of type gateway", "aws_alb", { load_balancer_type: "gateway" }, "gateway"],
    ["a listener", "aws_lb_listener", { load_balancer_type: "network" }, undefined],
    ["an instance", "aws_instance", {}, undefined],
  ])("%s", (_name, type, attrs, expected) => {
    // GIVEN a resource; WHEN its load balancer kind is asked; THEN it is what AWS makes of it, or none
    expect(loadBalancerKind(one(type, attrs))).toBe(expected);
  });
});
