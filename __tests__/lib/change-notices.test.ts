/**
 * Synth names what a new output would do to a deployed service, against the previous output:
 * a stack that changed its name, a stack that moves account or Region, and a change that
 * replaces or removes what carries consumers' traffic.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { changeNotices, readStacks, StackJson } from "../../lib/change-notices";

const provider = (edit: (json: any) => void = () => undefined): StackJson => {
  const json = {
    provider: { aws: [{ region: "ap-northeast-1", allowed_account_ids: ["111111111111"] }] },
    resource: {
      aws_vpc: { network: { cidr_block: "10.0.0.0/16" } },
      aws_subnet: { a: { vpc_id: "${aws_vpc.network.id}", cidr_block: "10.0.0.0/20", availability_zone_id: "apne1-az1" } },
      aws_lb: {
        nlb: { name: "x-nlb", internal: true, load_balancer_type: "network", subnets: ["s-1", "s-2"], security_groups: ["sg-1"] },
        alb: { name: "x-alb", internal: true, load_balancer_type: "application", subnets: ["s-1", "s-2"] },
      },
      aws_vpc_endpoint_service: { service: { network_load_balancer_arns: ["${aws_lb.nlb.arn}"] } },
      aws_lambda_function: { lambda: { memory_size: 128 } },
    },
  };
  edit(json);
  return json;
};
const consumer = (edit: (json: any) => void = () => undefined): StackJson => {
  const json = {
    provider: { aws: [{ region: "ap-northeast-1", allowed_account_ids: ["222222222222"] }] },
    resource: { aws_vpc_endpoint: { endpoint: { vpc_id: "vpc-1", service_name: "svc-1", vpc_endpoint_type: "Interface" } } },
  };
  edit(json);
  return json;
};

describe("changeNotices", () => {
  test("subnets whose new blocks overlap deployed ones (AZs reordered, one put in front): the apply would stop, and the subnetCidrs that keep them", () => {
    const subnets = (blocks: Record<string, [string, string]>) => (json: any) => {
      json.resource.aws_subnet = Object.fromEntries(
        Object.entries(blocks).map(([name, [az, cidr]]) => [
          name,
          { vpc_id: "${aws_vpc.network.id}", cidr_block: cidr, availability_zone_id: az },
        ]),
      );
    };
    const deployed = provider(subnets({ az1: ["apne1-az1", "10.0.0.0/20"], az4: ["apne1-az4", "10.0.16.0/20"] }));
    // GIVEN the AZs reordered: each subnet takes the other's block
    const swapped = provider(subnets({ az1: ["apne1-az1", "10.0.16.0/20"], az4: ["apne1-az4", "10.0.0.0/20"] }));
    const notices = changeNotices({ provider: deployed }, { provider: swapped });
    // THEN besides the replacements, one notice names both handoffs and the blocks to pin
    expect(notices).toContain(
      'Stack provider: aws_subnet.az1 takes 10.0.16.0/20, which aws_subnet.az4 (10.0.16.0/20) holds until it is replaced; aws_subnet.az4 takes 10.0.0.0/20, which aws_subnet.az1 (10.0.0.0/20) holds until it is replaced. AWS refuses a subnet that overlaps one still there (InvalidSubnet.Conflict), and one in use cannot go first, so the apply would stop halfway: keep the deployed subnets by setting the network\'s subnetCidrs to {"apne1-az1":"10.0.0.0/20","apne1-az4":"10.0.16.0/20"} (add any new AZ\'s block to it).',
    );
    // AND a new AZ put in front takes a deployed block (a wider one overlaps too)
    const inFront = provider(
      subnets({ az2: ["apne1-az2", "10.0.0.0/19"], az1: ["apne1-az1", "10.0.32.0/20"], az4: ["apne1-az4", "10.0.48.0/20"] }),
    );
    expect(changeNotices({ provider: deployed }, { provider: inFront }).filter((n) => n.includes("InvalidSubnet.Conflict"))).toHaveLength(
      1,
    );
    // AND an AZ added at the end, with a free block, hands nothing over
    const appended = provider(
      subnets({ az1: ["apne1-az1", "10.0.0.0/20"], az4: ["apne1-az4", "10.0.16.0/20"], az2: ["apne1-az2", "10.0.32.0/20"] }),
    );
    expect(changeNotices({ provider: deployed }, { provider: appended })).toEqual([]);
    // AND nor does a block of another VPC
    const otherVpc = provider(subnets({ az1: ["apne1-az1", "10.0.16.0/20"] }));
    (otherVpc.resource as any).aws_subnet.az1.vpc_id = "vpc-other";
    expect(changeNotices({ provider: deployed }, { provider: otherVpc }).filter((n) => n.includes("InvalidSubnet.Conflict"))).toEqual([]);
  });

  test("no previous output, or the same output again: nothing to say", () => {
    expect(changeNotices({}, { provider: provider(), consumer: consumer() })).toEqual([]);
    expect(changeNotices({ provider: provider(), consumer: consumer() }, { provider: provider(), consumer: consumer() })).toEqual([]);
  });

  test("routine changes (memory, an added NLB subnet, the ALB's subnets) say nothing", () => {
    const after = provider((j) => {
      j.resource.aws_lambda_function.lambda.memory_size = 1024;
      j.resource.aws_lb.nlb.subnets.push("s-3");
      j.resource.aws_lb.alb.subnets = ["s-3", "s-4"];
    });
    expect(changeNotices({ provider: provider() }, { provider: after })).toEqual([]);
  });

  test("a stack that changed its name is named with the new one, and how to keep the old", () => {
    const [notice] = changeNotices({ provider: provider(), consumer: consumer() }, { provider: provider(), "consumer-east": consumer() });
    expect(notice).toMatch(/^Stack consumer is gone and consumer-east is new: /);
    expect(notice).toContain("stackName");
  });

  test("several stacks gone and new are listed; a stack only added or only removed is no rename", () => {
    const [notice] = changeNotices({ a: consumer(), b: consumer() }, { c: consumer(), d: consumer() });
    expect(notice).toMatch(/^Stacks a, b are gone and c, d are new: /);
    expect(changeNotices({ provider: provider() }, { provider: provider(), "consumer-east": consumer() })).toEqual([]);
    expect(changeNotices({ provider: provider(), "consumer-east": consumer() }, { provider: provider() })).toEqual([]);
  });

  test.each([
    ["account", (j: any) => (j.provider.aws[0].allowed_account_ids = ["999999999999"])],
    ["Region", (j: any) => (j.provider.aws[0].region = "ap-northeast-3")],
  ])("a stack that moves to another %s is recreated there, and says who reconnects", (_what, edit) => {
    expect(changeNotices({ provider: provider() }, { provider: provider(edit) })).toEqual([
      "Stack provider moves to another account or Region: every resource is created anew there and the deployed ones destroyed; every consumer reconnects.",
    ]);
    expect(changeNotices({ consumer: consumer() }, { consumer: consumer(edit) })).toEqual([
      "Stack consumer moves to another account or Region: every resource is created anew there and the deployed ones destroyed; its clients reconnect.",
    ]);
  });

  test.each([
    ["aws_vpc", "network", "cidr_block", "10.9.0.0/16"],
    ["aws_subnet", "a", "cidr_block", "10.0.16.0/20"],
    ["aws_subnet", "a", "availability_zone_id", "apne1-az2"],
    ["aws_subnet", "a", "vpc_id", "vpc-other"],
    ["aws_lb", "nlb", "name", "y-nlb"],
    ["aws_lb", "alb", "name", "y-alb"],
    ["aws_lb", "alb", "internal", false],
  ])("provider: %s.%s with a new %s is replaced, and every consumer reconnects", (type, name, arg, value) => {
    const after = provider((j) => (j.resource[type][name][arg] = value));
    const [notice, ...rest] = changeNotices({ provider: provider() }, { provider: after });
    expect(rest).toEqual([]);
    // (A load balancer replaced under its own name cannot be: the notice says so, tested below.)
    const sameName = type === "aws_lb" && arg !== "name" ? " It keeps its name .*" : "";
    expect(notice).toMatch(
      new RegExp(`^Stack provider: ${type}\\.${name} is replaced \\(${arg} .+ → .+\\); every consumer reconnects\\.${sameName}$`),
    );
  });

  test.each([
    ["vpc_id", "vpc-2"],
    ["service_name", "svc-2"],
  ])("consumer: the interface endpoint with a new %s is replaced, and its clients reconnect", (arg, value) => {
    const after = consumer((j) => (j.resource.aws_vpc_endpoint.endpoint[arg] = value));
    expect(changeNotices({ consumer: consumer() }, { consumer: after })).toEqual([
      `Stack consumer: aws_vpc_endpoint.endpoint is replaced (${arg} "${arg === "vpc_id" ? "vpc-1" : "svc-1"}" → "${value}"); its clients reconnect.`,
    ]);
  });

  test.each([
    ["subnets", (j: any) => (j.resource.aws_lb.nlb.subnets = ["s-1"])],
    ["security_groups", (j: any) => (j.resource.aws_lb.nlb.security_groups = [])],
  ])("an NLB that gives up one of its %s is replaced", (arg, edit) => {
    const [notice] = changeNotices({ provider: provider() }, { provider: provider(edit) });
    expect(notice).toMatch(new RegExp(`^Stack provider: aws_lb\\.nlb is replaced \\(${arg} .+\\); every consumer reconnects\\. `));
    // AND, replaced under its own name, it cannot be: AWS refuses a second load balancer of that name
    expect(notice).toContain(
      'It keeps its name "x-nlb", which AWS refuses for a second load balancer while the first exists (DuplicateLoadBalancerName), so the apply would stop: make this change as a new service (another name), move the consumers to it, then destroy the old one.',
    );
  });

  test("a removed endpoint service or load balancer is named", () => {
    const after = provider((j) => {
      delete j.resource.aws_vpc_endpoint_service.service;
      delete j.resource.aws_lb.alb;
    });
    expect(changeNotices({ provider: provider() }, { provider: after }).sort()).toEqual([
      "Stack provider: aws_lb.alb is removed; every consumer reconnects.",
      "Stack provider: aws_vpc_endpoint_service.service is removed; every consumer reconnects.",
    ]);
  });
});

describe("readStacks", () => {
  test("reads each stack's JSON by name; no output folder, a folder without JSON or damaged JSON give nothing", () => {
    const out = mkdtempSync(join(tmpdir(), "plk-notices-"));
    expect(readStacks(join(out, "missing"))).toEqual({});
    for (const name of ["provider", "empty", "damaged"]) mkdirSync(join(out, "stacks", name), { recursive: true });
    writeFileSync(join(out, "stacks", "provider", "cdk.tf.json"), JSON.stringify(provider()));
    writeFileSync(join(out, "stacks", "damaged", "cdk.tf.json"), "{ half");
    expect(readStacks(out)).toEqual({ provider: provider() });
  });
});
