/** Chosen Terraform addresses: readable, and never silently shared by two elements. */
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Construct } from "constructs";
import { Testing, TerraformOutput, TerraformStack } from "../../lib/cdktf";
import { addressName, withAddress } from "../../lib/naming";

function stack(id = "s"): TerraformStack {
  const s = new TerraformStack(Testing.app(), id);
  new AwsProvider(s, "aws", { region: "ap-northeast-1" });
  return s;
}

describe("withAddress", () => {
  test("names the element `<type>.<name>` in the JSON", () => {
    // GIVEN a stack
    const s = stack();
    // WHEN a group gets the address name "alb"
    withAddress(new SecurityGroup(s, "group", { name: "x", description: "y" }), "alb");
    // THEN the JSON holds it under that name
    expect(JSON.parse(Testing.synth(s)).resource.aws_security_group).toHaveProperty("alb");
  });

  test("a second element of the same type and name fails, naming both construct paths", () => {
    // GIVEN a group already named "alb" in one construct
    const s = stack("provider");
    const a = new Construct(s, "a");
    const b = new Construct(s, "b");
    withAddress(new SecurityGroup(a, "group", { name: "x", description: "y" }), "alb");
    // WHEN another construct names a group "alb" too
    const clash = () => withAddress(new SecurityGroup(b, "group", { name: "z", description: "w" }), "alb");
    // THEN synth is refused, naming both
    expect(clash).toThrow(
      "Terraform address aws_security_group.alb is chosen twice in stack provider: by provider/a/group and by provider/b/group",
    );
  });

  test("the same name is fine for another type, for a data source, and in another stack", () => {
    // GIVEN a subnet named "net"
    const s = stack();
    withAddress(new Subnet(s, "subnet", { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24" }), "net");
    // WHEN a group, a data source and another stack's subnet are named "net"
    const others = () => {
      withAddress(new SecurityGroup(s, "group", { name: "x", description: "y" }), "net");
      withAddress(new DataAwsSubnet(s, "lookup", { id: "subnet-1" }), "net");
      withAddress(new Subnet(stack("other"), "subnet", { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24" }), "net");
    };
    // THEN nothing collides
    expect(others).not.toThrow();
  });

  test("two data sources of one type with one name collide too", () => {
    // GIVEN a subnet lookup named "net"
    const s = stack();
    withAddress(new DataAwsSubnet(s, "one", { id: "subnet-1" }), "net");
    // WHEN a second lookup takes the name
    // THEN it fails with the data source's address
    expect(() => withAddress(new DataAwsSubnet(s, "two", { id: "subnet-2" }), "net")).toThrow(
      "Terraform address data.aws_subnet.net is chosen twice in stack s: by s/one and by s/two",
    );
  });
  test("an element that is neither resource nor data source is renamed and never checked for clashes", () => {
    // GIVEN a stack with a provider and an output named "vpc_id"
    const s = stack();
    withAddress(new TerraformOutput(s, "first", { value: "a" }), "vpc_id");
    // WHEN a second output is named "endpoint"
    const second = () => withAddress(new TerraformOutput(s, "second", { value: "b" }), "endpoint");
    // THEN it is accepted and the JSON holds both outputs under their names
    expect(second).not.toThrow();
    expect(Object.keys(JSON.parse(Testing.synth(s)).output).sort()).toEqual(["endpoint", "vpc_id"]);
  });
});

describe("addressName", () => {
  test.each<[string, string | undefined, string]>([
    ["network", undefined, "network"],
    ["network-flow-logs", undefined, "network_flow_logs"],
    ["nlb", "alb", "nlb_alb"],
    ["endpoint", "accept_vpce-0123", "endpoint_accept_vpce_0123"],
  ])("%s + %s → %s", (id, suffix, expected) => {
    // GIVEN a construct with the ID; WHEN its address name is taken; THEN only Terraform's characters remain
    expect(addressName(new Construct(stack(), id), suffix)).toBe(expected);
  });
});
