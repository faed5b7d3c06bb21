/** Firewall: a security group with no inline rules, each opening a separate described rule resource; and cidrName. */
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { cidrName, Firewall, FirewallProps, TcpRule } from "../../lib/constructs/security-group";
import { TerraformOutput, TerraformStack } from "../../lib/cdktf";
import { resourceOf, scope, synth } from "./harness";

const PROPS: FirewallProps = { name: "hello-alb", description: "ALB in front of the function", vpcId: "vpc-0abc", address: "alb" };

/** A Firewall built as construct "fw" with address "alb". */
function firewall(props: Partial<FirewallProps> = {}) {
  const { stack } = scope();
  const fw = new Firewall(stack, "fw", { ...PROPS, ...props });
  return { stack, fw };
}

/** What `value` (a token, or a string with tokens in it) becomes in the stack's Terraform JSON. */
function rendered(stack: TerraformStack, value: unknown): unknown {
  const id = `rendered_${stack.node.children.length}`;
  new TerraformOutput(stack, id, { value });
  return synth(stack).json.output[id].value;
}

describe("Firewall group", () => {
  test("the group is aws_security_group.<address> with name, description, VPC and Name tag", () => {
    // GIVEN a firewall with address "alb"
    const { stack } = firewall();
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN the group sits at that address with exactly these arguments; a replacement (a new
    // name, another VPC) creates the new group first, since AWS keeps one in use
    expect(text).toHaveResourceWithProperties(SecurityGroup, { name: "hello-alb", vpc_id: "vpc-0abc" });
    expect(resourceOf(json, "aws_security_group", "alb")).toEqual({
      name: "hello-alb",
      description: "ALB in front of the function",
      vpc_id: "vpc-0abc",
      tags: { Name: "hello-alb" },
      lifecycle: { create_before_destroy: true },
    });
  });

  test("the group has no inline rules, and no rule resources until rules are added", () => {
    // GIVEN a firewall with no rules added
    const { stack } = firewall();
    // WHEN the stack is synthesized
    const { json } = synth(stack);
    // THEN neither inline ingress/egress nor separate rule resources exist
    const group = resourceOf(json, "aws_security_group", "alb");
    expect(group).not.toHaveProperty("ingress");
    expect(group).not.toHaveProperty("egress");
    expect(Object.keys(json.resource)).toEqual(["aws_security_group"]);
  });

  test("the address is the one given, not derived from the construct id", () => {
    // GIVEN a firewall built as construct "fw" with address "lambda"
    const { stack } = firewall({ address: "lambda" });
    // WHEN the stack is synthesized
    const { json } = synth(stack);
    // THEN the group is aws_security_group.lambda
    expect(Object.keys(json.resource.aws_security_group)).toEqual(["lambda"]);
  });

  test("the VPC ID may be a reference to a VPC", () => {
    // GIVEN a VPC ID that is an interpolation
    const { stack } = firewall({ vpcId: "${aws_vpc.net.id}" });
    // WHEN the stack is synthesized
    const { text } = synth(stack);
    // THEN the group refers to that VPC
    expect(text).toHaveResourceWithProperties(SecurityGroup, { vpc_id: "${aws_vpc.net.id}" });
  });

  test("securityGroupId refers to the group", () => {
    // GIVEN a firewall with address "alb"
    const { stack, fw } = firewall();
    // WHEN its securityGroupId is read
    const id = fw.securityGroupId;
    // THEN it is a reference to aws_security_group.alb
    expect(rendered(stack, id)).toBe("${aws_security_group.alb.id}");
  });

  test("two firewalls with the same address in one stack are refused", () => {
    // GIVEN a firewall "a" with address "alb"
    const { stack } = scope();
    new Firewall(stack, "a", PROPS);
    // WHEN firewall "b" takes the same address
    const second = () => new Firewall(stack, "b", { ...PROPS, name: "other" });
    // THEN the clash is reported with both construct paths
    expect(second).toThrow(
      new Error("Terraform address aws_security_group.alb is chosen twice in stack test: by test/a/group and by test/b/group"),
    );
  });
});

describe("Firewall rules", () => {
  test("allowIn from a CIDR: an ingress rule resource <address>_<name>, TCP on one port", () => {
    // GIVEN a firewall with address "nlb"
    const { stack, fw } = firewall({ address: "nlb" });
    // WHEN clients in 10.1.0.0/16 are allowed in on 80
    fw.allowIn("client_10_1_0_0_16", { description: "Clients of the consumer VPC", port: 80, cidr: "10.1.0.0/16" });
    // THEN aws_vpc_security_group_ingress_rule.nlb_client_10_1_0_0_16 has exactly these arguments
    const { text, json } = synth(stack);
    expect(text).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { ip_protocol: "tcp", cidr_ipv4: "10.1.0.0/16" });
    expect(resourceOf(json, "aws_vpc_security_group_ingress_rule", "nlb_client_10_1_0_0_16")).toEqual({
      security_group_id: "${aws_security_group.nlb.id}",
      description: "Clients of the consumer VPC",
      ip_protocol: "tcp",
      from_port: 80,
      to_port: 80,
      cidr_ipv4: "10.1.0.0/16",
    });
    expect(json.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
  });

  test("allowIn from another group: the rule references that group's ID and has no CIDR", () => {
    // GIVEN two firewalls, "nlb" and "alb"
    const { stack } = scope();
    const nlb = new Firewall(stack, "nlb-fw", { ...PROPS, name: "hello-nlb", address: "nlb" });
    const alb = new Firewall(stack, "alb-fw", PROPS);
    // WHEN the ALB lets the NLB in on 80
    alb.allowIn("from_nlb", { description: "From the NLB", port: 80, securityGroupId: nlb.securityGroupId });
    // THEN the ingress rule of the ALB group references the NLB group
    const rule = resourceOf(synth(stack).json, "aws_vpc_security_group_ingress_rule", "alb_from_nlb");
    expect(rule).toEqual({
      security_group_id: "${aws_security_group.alb.id}",
      description: "From the NLB",
      ip_protocol: "tcp",
      from_port: 80,
      to_port: 80,
      referenced_security_group_id: "${aws_security_group.nlb.id}",
    });
  });

  test("allowOut to another group: an egress rule resource <address>_<name>", () => {
    // GIVEN two firewalls, "nlb" and "alb"
    const { stack } = scope();
    const nlb = new Firewall(stack, "nlb-fw", { ...PROPS, name: "hello-nlb", address: "nlb" });
    const alb = new Firewall(stack, "alb-fw", PROPS);
    // WHEN the NLB may reach the ALB on 80
    nlb.allowOut("to_alb", { description: "To the ALB", port: 80, securityGroupId: alb.securityGroupId });
    // THEN aws_vpc_security_group_egress_rule.nlb_to_alb exists with the reference, and no ingress rule does
    const { text, json } = synth(stack);
    expect(text).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, {
      security_group_id: "${aws_security_group.nlb.id}",
      referenced_security_group_id: "${aws_security_group.alb.id}",
      ip_protocol: "tcp",
      from_port: 80,
      to_port: 80,
      description: "To the ALB",
    });
    expect(Object.keys(json.resource.aws_vpc_security_group_egress_rule)).toEqual(["nlb_to_alb"]);
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  test("allowOut to a CIDR: the egress rule has cidr_ipv4 and no referenced group", () => {
    // GIVEN a firewall with address "lambda"
    const { stack, fw } = firewall({ address: "lambda" });
    // WHEN HTTPS out to 10.0.0.0/16 is allowed
    fw.allowOut("vpc_https", { description: "AWS APIs through interface endpoints", port: 443, cidr: "10.0.0.0/16" });
    // THEN the egress rule carries the CIDR only
    const rule = resourceOf(synth(stack).json, "aws_vpc_security_group_egress_rule", "lambda_vpc_https");
    expect(rule).toMatchObject({
      security_group_id: "${aws_security_group.lambda.id}",
      cidr_ipv4: "10.0.0.0/16",
      from_port: 443,
      to_port: 443,
    });
    expect(rule).not.toHaveProperty("referenced_security_group_id");
  });

  test.each([1, 80, 443, 8080, 65535])("port %i is both from_port and to_port", (port) => {
    // GIVEN a firewall
    const { stack, fw } = firewall();
    // WHEN a rule on `port` is added
    fw.allowIn("p", { description: "one port", port, cidr: "10.0.0.0/8" });
    // THEN the rule opens exactly that port
    const rule = resourceOf(synth(stack).json, "aws_vpc_security_group_ingress_rule", "alb_p");
    expect([rule.from_port, rule.to_port]).toEqual([port, port]);
  });

  test("each rule is its own resource; ingress and egress may share a name", () => {
    // GIVEN a firewall with address "alb"
    const { stack, fw } = firewall();
    // WHEN two ingress rules and one egress rule named like one of them are added
    fw.allowIn("a", { description: "a in", port: 80, cidr: "10.1.0.0/16" });
    fw.allowIn("b", { description: "b in", port: 80, cidr: "10.2.0.0/16" });
    fw.allowOut("a", { description: "a out", port: 443, cidr: "10.1.0.0/16" });
    // THEN there are two ingress resources and one egress resource, addressed by name
    const { json } = synth(stack);
    expect(Object.keys(json.resource.aws_vpc_security_group_ingress_rule).sort()).toEqual(["alb_a", "alb_b"]);
    expect(Object.keys(json.resource.aws_vpc_security_group_egress_rule)).toEqual(["alb_a"]);
    expect(json.resource.aws_vpc_security_group_egress_rule.alb_a.description).toBe("a out");
  });

  test("adding a rule leaves the other rules' addresses unchanged", () => {
    // GIVEN a firewall with a rule for 10.1.0.0/16
    const { stack, fw } = firewall();
    fw.allowIn(`client_${cidrName("10.1.0.0/16")}`, { description: "c1", port: 80, cidr: "10.1.0.0/16" });
    // WHEN a rule for 10.2.0.0/16 is added before synth
    fw.allowIn(`client_${cidrName("10.2.0.0/16")}`, { description: "c2", port: 80, cidr: "10.2.0.0/16" });
    // THEN each rule is at an address derived from its own CIDR
    const rules = synth(stack).json.resource.aws_vpc_security_group_ingress_rule;
    expect(rules.alb_client_10_1_0_0_16.cidr_ipv4).toBe("10.1.0.0/16");
    expect(rules.alb_client_10_2_0_0_16.cidr_ipv4).toBe("10.2.0.0/16");
  });

  test("the same rule name twice in one direction is refused", () => {
    // GIVEN a firewall with ingress rule "a"
    const { fw } = firewall();
    fw.allowIn("a", { description: "first", port: 80, cidr: "10.1.0.0/16" });
    // WHEN another ingress rule "a" is added
    const again = () => fw.allowIn("a", { description: "second", port: 443, cidr: "10.2.0.0/16" });
    // THEN construction fails on the duplicate
    expect(again).toThrow("There is already a Construct with name 'in-a' in Firewall [fw]");
  });
});

describe("Firewall invalid rules", () => {
  const both: TcpRule = { description: "both", port: 80, cidr: "10.0.0.0/16", securityGroupId: "sg-0123" };
  const neither: TcpRule = { description: "neither", port: 80 };

  test.each([
    ["allowIn", "both cidr and securityGroupId", both],
    ["allowIn", "neither cidr nor securityGroupId", neither],
    ["allowOut", "both cidr and securityGroupId", both],
    ["allowOut", "neither cidr nor securityGroupId", neither],
  ] as const)("%s with %s throws", (method, _label, rule) => {
    // GIVEN a firewall built as test/fw
    const { fw } = firewall();
    // WHEN a rule with no peer or two peers is added
    const add = () => fw[method]("bad", rule);
    // THEN it throws, naming the construct
    expect(add).toThrow(new Error("Firewall test/fw: a rule needs exactly one of cidr or securityGroupId"));
  });

  test.each(["allowIn", "allowOut"] as const)("a refused %s leaves no rule resource behind", (method) => {
    // GIVEN a firewall
    const { stack, fw } = firewall();
    // WHEN a rule with both peers is refused
    expect(() => fw[method]("bad", both)).toThrow("a rule needs exactly one of cidr or securityGroupId");
    // THEN the stack has only the group
    expect(Object.keys(synth(stack).json.resource)).toEqual(["aws_security_group"]);
  });

  test("the message names the firewall's own construct path", () => {
    // GIVEN a firewall nested under a construct path test/nested-fw
    const { stack } = scope();
    const fw = new Firewall(stack, "nested-fw", PROPS);
    // WHEN a rule with no peer is added
    const add = () => fw.allowOut("bad", neither);
    // THEN the message names test/nested-fw
    expect(add).toThrow(new Error("Firewall test/nested-fw: a rule needs exactly one of cidr or securityGroupId"));
  });
});

describe("cidrName", () => {
  test.each([
    ["10.1.0.0/16", "10_1_0_0_16"],
    ["0.0.0.0/0", "0_0_0_0_0"],
    ["192.168.10.0/24", "192_168_10_0_24"],
    ["10.0.0.1/32", "10_0_0_1_32"],
    ["2001:db8::/32", "2001_db8___32"],
    ["::/0", "___0"],
  ])("%p becomes %p", (cidr, expected) => {
    // GIVEN a CIDR block
    // WHEN it is made into a rule name
    const name = cidrName(cidr);
    // THEN every dot, slash and colon is an underscore
    expect(name).toBe(expected);
  });

  test("names built from cidrName are valid Terraform name characters after the address prefix", () => {
    // GIVEN a firewall and a few CIDRs
    const { stack, fw } = firewall();
    const cidrs = ["10.1.0.0/16", "172.16.0.0/12"];
    // WHEN a rule is added per CIDR, named by cidrName
    for (const cidr of cidrs) fw.allowIn(`client_${cidrName(cidr)}`, { description: cidr, port: 80, cidr });
    // THEN each address is letters, digits and underscores only
    const names = Object.keys(synth(stack).json.resource.aws_vpc_security_group_ingress_rule);
    expect(names.sort()).toEqual(["alb_client_10_1_0_0_16", "alb_client_172_16_0_0_12"]);
    for (const name of names) expect(name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });
});
