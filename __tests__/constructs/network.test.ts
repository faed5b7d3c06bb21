/** PrivateNetwork (a VPC this app creates), ExistingNetwork (one that exists) and describeSubnets. */
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { VpcFlowLogs } from "../../lib/constructs/flow-logs";
import { describeSubnets, ExistingNetwork, PrivateNetwork, PrivateNetworkProps, SubnetGroup } from "../../lib/constructs/network";
import { TerraformOutput, TerraformStack } from "../../lib/cdktf";
import { resourceOf, scope, synth } from "./harness";

const ACCOUNT = "111111111111";

const PROPS: PrivateNetworkProps = {
  name: "hello",
  vpcCidr: "10.0.0.0/16",
  subnets: [
    { azId: "apne1-az1", cidr: "10.0.0.0/20" },
    { azId: "apne1-az4", cidr: "10.0.16.0/20" },
  ],
  flowLogs: { retentionDays: 30 },
  accountId: ACCOUNT,
};

function privateNetwork(props: Partial<PrivateNetworkProps> = {}, id = "net") {
  const { stack } = scope();
  const network = new PrivateNetwork(stack, id, { ...PROPS, ...props });
  return { stack, network };
}

/** What `value` (a token, or a structure with tokens in it) becomes in the stack's Terraform JSON. */
function rendered(stack: TerraformStack, value: unknown): any {
  const id = `rendered_${stack.node.children.length}`;
  new TerraformOutput(stack, id, { value });
  return synth(stack).json.output[id].value;
}

describe("PrivateNetwork", () => {
  test("the VPC is aws_vpc.<id> with the CIDR, DNS support and DNS hostnames on, and a Name tag", () => {
    // GIVEN a network "net" named hello on 10.0.0.0/16
    const { stack } = privateNetwork();
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN one VPC, at aws_vpc.net, has DNS on
    expect(Object.keys(json.resource.aws_vpc)).toEqual(["net"]);
    expect(text).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.0.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: { Name: "hello" },
    });
  });

  test.each([
    ["net", "net"],
    ["my-network", "my_network"],
    ["a.b c", "a_b_c"],
  ])("construct id %p gives the VPC, default group and subnet addresses the prefix %p", (id, prefix) => {
    // GIVEN a network built under construct id `id`
    const { stack } = privateNetwork({}, id);
    // WHEN the stack is synthesized
    const { json } = synth(stack);
    // THEN each address starts with the id made into a valid Terraform name
    expect(Object.keys(json.resource.aws_vpc)).toEqual([prefix]);
    expect(Object.keys(json.resource.aws_default_security_group)).toEqual([prefix]);
    expect(Object.keys(json.resource.aws_subnet).sort()).toEqual([`${prefix}_private_apne1_az1`, `${prefix}_private_apne1_az4`]);
  });

  test("the inventory of addresses is pinned (a changed address destroys and re-creates)", () => {
    // GIVEN a network "net" with two subnets
    const { stack } = privateNetwork();
    // WHEN the stack is synthesized
    const { json } = synth(stack);
    // THEN these are exactly its resources and data sources
    const addresses = (block: Record<string, any> = {}, prefix = "") =>
      Object.entries(block).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${prefix}${type}.${name}`));
    expect([...addresses(json.resource), ...addresses(json.data, "data.")].sort()).toEqual([
      "aws_cloudwatch_log_group.network_flow_logs",
      "aws_default_security_group.net",
      "aws_flow_log.network_flow_logs",
      "aws_iam_role.network_flow_logs",
      "aws_iam_role_policy.network_flow_logs",
      "aws_subnet.net_private_apne1_az1",
      "aws_subnet.net_private_apne1_az4",
      "aws_vpc.net",
      "data.aws_iam_policy_document.network_flow_logs_trust",
      "data.aws_iam_policy_document.network_flow_logs_write",
    ]);
    expect(json.resource.aws_internet_gateway).toBeUndefined();
    expect(json.resource.aws_nat_gateway).toBeUndefined();
  });

  test("the VPC's default security group is taken over with no rules at all", () => {
    // GIVEN a network "net"
    const { stack } = privateNetwork();
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN aws_default_security_group.net is in the VPC, tagged closed, and lists no ingress or egress
    expect(text).toHaveResourceWithProperties(DefaultSecurityGroup, { vpc_id: "${aws_vpc.net.id}" });
    const group = resourceOf(json, "aws_default_security_group", "net");
    expect(group).toEqual({ vpc_id: "${aws_vpc.net.id}", tags: { Name: "hello-default-closed" } });
    expect(group).not.toHaveProperty("ingress");
    expect(group).not.toHaveProperty("egress");
  });

  test("each subnet is placed by AZ ID, in the VPC, with its CIDR and no public IPs", () => {
    // GIVEN subnets in apne1-az1 and apne1-az4
    const { stack } = privateNetwork();
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN each is aws_subnet.net_private_<az id> with availability_zone_id and map_public_ip_on_launch false
    for (const [azId, cidr] of [
      ["apne1-az1", "10.0.0.0/20"],
      ["apne1-az4", "10.0.16.0/20"],
    ]) {
      expect(resourceOf(json, "aws_subnet", `net_private_${azId.replace("-", "_")}`)).toEqual({
        vpc_id: "${aws_vpc.net.id}",
        cidr_block: cidr,
        availability_zone_id: azId,
        map_public_ip_on_launch: false,
        tags: { Name: `hello-private-${azId}` },
      });
    }
    expect(text).toHaveResourceWithProperties(Subnet, { availability_zone_id: "apne1-az1", map_public_ip_on_launch: false });
    expect(JSON.stringify(json.resource.aws_subnet)).not.toContain('"availability_zone"');
  });

  test.each([1, 2, 3, 6])("%i subnet(s) given: one subnet per AZ ID, no more", (count) => {
    // GIVEN `count` placements in distinct AZ IDs
    const subnets = Array.from({ length: count }, (_, i) => ({ azId: `apne1-az${i + 1}`, cidr: `10.0.${i * 16}.0/20` }));
    // WHEN the network is built and synthesized
    const { stack, network } = privateNetwork({ subnets });
    const { json } = synth(stack);
    // THEN there are exactly that many subnets, and the group lists their AZ IDs
    expect(Object.keys(json.resource.aws_subnet)).toHaveLength(count);
    expect(network.subnets.azIds).toEqual(subnets.map((s) => s.azId));
    expect(network.subnets.subnetIds).toHaveLength(count);
  });

  test("two placements in the same AZ ID are refused", () => {
    // GIVEN two placements in apne1-az1
    const { stack } = scope();
    const subnets = [
      { azId: "apne1-az1", cidr: "10.0.0.0/20" },
      { azId: "apne1-az1", cidr: "10.0.16.0/20" },
    ];
    // WHEN the network is built
    const build = () => new PrivateNetwork(stack, "net", { ...PROPS, subnets });
    // THEN construction fails on the second subnet of that AZ ID
    expect(build).toThrow("There is already a Construct with name 'subnet-apne1-az1' in PrivateNetwork [net]");
  });

  test("the subnet group lists the subnets in the given order, AZ IDs known at synth", () => {
    // GIVEN placements given az4 first, then az1
    const { stack, network } = privateNetwork({
      subnets: [
        { azId: "apne1-az4", cidr: "10.0.16.0/20" },
        { azId: "apne1-az1", cidr: "10.0.0.0/20" },
      ],
    });
    // WHEN the group is read
    const group: SubnetGroup = network.subnets;
    // THEN IDs, AZ IDs and AZ names follow that order; AZ IDs are literals; no source is claimed
    expect(group.azIdsKnown).toBe(true);
    expect(group.azIds).toEqual(["apne1-az4", "apne1-az1"]);
    expect(group.source).toBeUndefined();
    expect(rendered(stack, { ids: group.subnetIds, names: group.azNames })).toEqual({
      ids: ["${aws_subnet.net_private_apne1_az4.id}", "${aws_subnet.net_private_apne1_az1.id}"],
      names: ["${aws_subnet.net_private_apne1_az4.availability_zone}", "${aws_subnet.net_private_apne1_az1.availability_zone}"],
    });
  });

  test("vpcId refers to the VPC; vpcCidr is the configured CIDR", () => {
    // GIVEN a network on 10.20.0.0/16
    const { stack, network } = privateNetwork({ vpcCidr: "10.20.0.0/16" });
    // WHEN its VPC ID and CIDR are read
    const { vpcId, vpcCidr } = network;
    // THEN the ID is a reference to aws_vpc.net and the CIDR is a literal
    expect(rendered(stack, vpcId)).toBe("${aws_vpc.net.id}");
    expect(vpcCidr).toBe("10.20.0.0/16");
    expect(resourceOf(synth(stack).json, "aws_vpc", "net").cidr_block).toBe("10.20.0.0/16");
  });

  test("flow logs are a VpcFlowLogs child recording this VPC", () => {
    // GIVEN a network "net"
    const { stack, network } = privateNetwork();
    // WHEN its children and the stack are inspected
    const flowLogs = network.node.children.filter((c) => c instanceof VpcFlowLogs);
    const { text } = synth(stack);
    // THEN there is one VpcFlowLogs, and its flow log records aws_vpc.net
    expect(flowLogs).toHaveLength(1);
    expect(flowLogs[0].node.id).toBe("network-flow-logs");
    expect(text).toHaveResourceWithProperties(FlowLog, { vpc_id: "${aws_vpc.net.id}", traffic_type: "ALL" });
  });

  test("the flow logs get the network's name, account, retention and KMS key", () => {
    // GIVEN flow logs kept 400 days under a KMS key
    const kmsKeyArn = "arn:aws:kms:ap-northeast-1:111111111111:key/0123abcd-0000-1111-2222-333344445555";
    const { stack } = privateNetwork({ flowLogs: { retentionDays: 400, kmsKeyArn } });
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN the log group and the trust policy carry them
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/vpc/flow-logs/hello",
      retention_in_days: 400,
      kms_key_id: kmsKeyArn,
    });
    expect(json.data.aws_iam_policy_document.network_flow_logs_trust.statement[0].condition[0].values).toEqual([ACCOUNT]);
  });

  test("without a KMS key the flow log group has no kms_key_id", () => {
    // GIVEN flow logs with a retention only
    const { stack } = privateNetwork({ flowLogs: { retentionDays: 30 } });
    // WHEN the stack is synthesized
    const group = resourceOf(synth(stack).json, "aws_cloudwatch_log_group", "network_flow_logs");
    // THEN the log group uses CloudWatch Logs' own encryption
    expect(group).not.toHaveProperty("kms_key_id");
    expect(group.retention_in_days).toBe(30);
  });

  test("flowLogGroup is the flow logs' log group", () => {
    // GIVEN a network "net"
    const { stack, network } = privateNetwork();
    // WHEN its flowLogGroup is read
    const group = network.flowLogGroup;
    // THEN it is the CloudwatchLogGroup at aws_cloudwatch_log_group.network_flow_logs
    expect(group).toBeInstanceOf(CloudwatchLogGroup);
    expect(rendered(stack, group.arn)).toBe("${aws_cloudwatch_log_group.network_flow_logs.arn}");
  });

  test("a second PrivateNetwork in the same stack is refused: the flow-log addresses do not depend on the network's id", () => {
    // GIVEN a stack with network "a"
    const { stack } = scope();
    new PrivateNetwork(stack, "a", PROPS);
    // WHEN network "b" is added
    const second = () => new PrivateNetwork(stack, "b", { ...PROPS, name: "other" });
    // THEN the shared flow-log address is reported rather than silently merged
    expect(second).toThrow(
      new Error(
        "Terraform address aws_cloudwatch_log_group.network_flow_logs is chosen twice in stack test: by test/a/network-flow-logs/logs and by test/b/network-flow-logs/logs",
      ),
    );
  });
});

describe("ExistingNetwork", () => {
  function existing(subnetIds: string[], vpcId = "vpc-0abc") {
    const { stack } = scope();
    const network = new ExistingNetwork(stack, "existing", { vpcId, subnetIds });
    return { stack, network };
  }

  test("each subnet is read by data.aws_subnet, filtered by its ID and the VPC", () => {
    // GIVEN two subnets of vpc-0abc
    const { stack } = existing(["subnet-0aaa", "subnet-0bbb"]);
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN there is one lookup per subnet at data.aws_subnet.existing_<subnet>, each with vpc_id
    expect(json.data.aws_subnet).toEqual({
      existing_subnet_0aaa: { id: "subnet-0aaa", vpc_id: "vpc-0abc" },
      existing_subnet_0bbb: { id: "subnet-0bbb", vpc_id: "vpc-0abc" },
    });
    expect(text).toHaveDataSourceWithProperties(DataAwsSubnet, { id: "subnet-0aaa", vpc_id: "vpc-0abc" });
  });

  test("creates nothing: no resources at all", () => {
    // GIVEN an existing network with one subnet
    const { stack } = existing(["subnet-0aaa"]);
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN there is no resource, no VPC and no subnet to create
    expect(json.resource).toBeUndefined();
    expect(text).not.toHaveResource(Vpc);
    expect(text).not.toHaveResource(Subnet);
  });

  test.each([
    [["subnet-0aaa", "subnet-0aaa"], ["existing_subnet_0aaa"]],
    [
      ["subnet-0aaa", "subnet-0bbb", "subnet-0aaa", "subnet-0bbb"],
      ["existing_subnet_0aaa", "existing_subnet_0bbb"],
    ],
  ])("subnet IDs %p are each looked up once", (subnetIds, names) => {
    // GIVEN a subnet list with repeats (several roles sharing subnets)
    const { stack } = existing(subnetIds);
    // WHEN the stack is synthesized
    const { json } = synth(stack);
    // THEN each distinct subnet has exactly one lookup
    expect(Object.keys(json.data.aws_subnet).sort()).toEqual(names);
  });

  test("vpcId is the configured ID, a literal", () => {
    // GIVEN an existing network in vpc-0123
    const { network } = existing(["subnet-0aaa"], "vpc-0123");
    // WHEN its VPC ID is read
    const vpcId = network.vpcId;
    // THEN it is that ID
    expect(vpcId).toBe("vpc-0123");
  });

  test("group() returns the subnet IDs as given, with AZ IDs and names read from the lookups at plan time", () => {
    // GIVEN two declared subnets
    const { stack, network } = existing(["subnet-0aaa", "subnet-0bbb"]);
    // WHEN a group of both, in reverse order, is taken with a source
    const group = network.group(["subnet-0bbb", "subnet-0aaa"], "provider.network.existing.lambdaSubnetIds");
    // THEN IDs are literals, AZ IDs and names refer to the lookups in the same order, and azIdsKnown is false
    expect(group.subnetIds).toEqual(["subnet-0bbb", "subnet-0aaa"]);
    expect(group.azIdsKnown).toBe(false);
    expect(group.source).toBe("provider.network.existing.lambdaSubnetIds");
    expect(rendered(stack, { azIds: group.azIds, azNames: group.azNames })).toEqual({
      azIds: [
        "${data.aws_subnet.existing_subnet_0bbb.availability_zone_id}",
        "${data.aws_subnet.existing_subnet_0aaa.availability_zone_id}",
      ],
      azNames: ["${data.aws_subnet.existing_subnet_0bbb.availability_zone}", "${data.aws_subnet.existing_subnet_0aaa.availability_zone}"],
    });
  });

  test("group() without a source leaves source undefined", () => {
    // GIVEN a declared subnet
    const { network } = existing(["subnet-0aaa"]);
    // WHEN a group is taken without a source
    const group = network.group(["subnet-0aaa"]);
    // THEN no source is claimed
    expect(group.source).toBeUndefined();
    expect(group.azIdsKnown).toBe(false);
  });

  test("group() copies the IDs: a later change to the caller's array does not reach the group", () => {
    // GIVEN a declared subnet and an array naming it
    const { network } = existing(["subnet-0aaa", "subnet-0bbb"]);
    const ids = ["subnet-0aaa"];
    // WHEN a group is taken and the array is then changed
    const group = network.group(ids);
    ids.push("subnet-0bbb");
    // THEN the group keeps the IDs it was given
    expect(group.subnetIds).toEqual(["subnet-0aaa"]);
  });

  test("groups taken for several roles share the same lookups", () => {
    // GIVEN subnets shared by two roles
    const { stack, network } = existing(["subnet-0aaa", "subnet-0bbb", "subnet-0aaa"]);
    // WHEN a group is taken for each role
    const lambda = network.group(["subnet-0aaa", "subnet-0bbb"], "lambda");
    const nlb = network.group(["subnet-0aaa"], "nlb");
    // THEN both refer to the same data source and there are still only two lookups
    expect(rendered(stack, [lambda.azIds[0], nlb.azIds[0]])).toEqual([
      "${data.aws_subnet.existing_subnet_0aaa.availability_zone_id}",
      "${data.aws_subnet.existing_subnet_0aaa.availability_zone_id}",
    ]);
    expect(Object.keys(synth(stack).json.data.aws_subnet)).toHaveLength(2);
  });

  test.each([
    [["subnet-0ccc"], "subnet-0ccc"],
    [["subnet-0aaa", "subnet-0zzz"], "subnet-0zzz"],
  ])("group(%p) with an undeclared subnet throws, naming the construct and the subnet", (ids, missing) => {
    // GIVEN an existing network declaring subnet-0aaa and subnet-0bbb only
    const { network } = existing(["subnet-0aaa", "subnet-0bbb"]);
    // WHEN a group names a subnet that was not declared
    const take = () => network.group(ids);
    // THEN it throws with the construct path and the subnet ID
    expect(take).toThrow(new Error(`ExistingNetwork test/existing: subnet ${missing} was not declared`));
  });

  test("an undeclared subnet adds no lookup", () => {
    // GIVEN an existing network declaring subnet-0aaa
    const { stack, network } = existing(["subnet-0aaa"]);
    // WHEN a group names an undeclared subnet
    expect(() => network.group(["subnet-0ccc"])).toThrow("subnet subnet-0ccc was not declared");
    // THEN the stack still reads only the declared subnet
    expect(Object.keys(synth(stack).json.data.aws_subnet)).toEqual(["existing_subnet_0aaa"]);
  });
});

describe("describeSubnets", () => {
  const group = (source?: string): SubnetGroup => ({
    subnetIds: ["subnet-0aaa"],
    azIds: ["apne1-az1"],
    azNames: ["x"],
    azIdsKnown: true,
    source,
  });

  test.each([
    ["NLB subnets", "provider.network.existing.nlbSubnetIds", "NLB subnets (provider.network.existing.nlbSubnetIds)"],
    [
      "endpoint subnets",
      "consumers[0].network.existing.endpointSubnetIds",
      "endpoint subnets (consumers[0].network.existing.endpointSubnetIds)",
    ],
  ])("with a source, %p is followed by the source in parentheses", (what, source, expected) => {
    // GIVEN a group chosen in a config field
    const subnets = group(source);
    // WHEN it is described
    const text = describeSubnets(what, subnets);
    // THEN the description names the field
    expect(text).toBe(expected);
  });

  test.each([
    ["no source", undefined],
    ["an empty source", ""],
  ])("with %s, the description is just what was given", (_label, source) => {
    // GIVEN a group with no (or an empty) source
    const subnets = group(source);
    // WHEN it is described
    const text = describeSubnets("Lambda subnets", subnets);
    // THEN no parentheses are added
    expect(text).toBe("Lambda subnets");
  });

  test("a created network's group is described without a source", () => {
    // GIVEN a PrivateNetwork's subnet group
    const { network } = privateNetwork();
    // WHEN it is described
    const text = describeSubnets("ALB subnets", network.subnets);
    // THEN the description has no parentheses
    expect(text).toBe("ALB subnets");
  });

  test("an existing network's group is described with the source given to group()", () => {
    // GIVEN an ExistingNetwork group taken with a source
    const { stack } = scope();
    const network = new ExistingNetwork(stack, "existing", { vpcId: "vpc-0abc", subnetIds: ["subnet-0aaa"] });
    // WHEN it is described
    const text = describeSubnets("ALB subnets", network.group(["subnet-0aaa"], "provider.network.existing.albSubnetIds"));
    // THEN the description names the source
    expect(text).toBe("ALB subnets (provider.network.existing.albSubnetIds)");
  });
});
