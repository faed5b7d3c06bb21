/**
 * The Terraform checks can fail: broken stacks are refused with Terraform's own words, and
 * a mis-wired stack fails our `terraform test` assertions.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../config/load";
import { EXAMPLES_DIR, synthExample, synthFolders } from "./helpers";
import { aggregateRoot, mockPlanTestFile } from "./support/mock-plan";
import { TerraformError, TerraformRunner, writeFiles } from "./support/terraform";
import { describeWithTerraform, initializedStacks, newRunner } from "./support/terraform-suite";

describeWithTerraform("Terraform checks bite", () => {
  let runner: TerraformRunner;
  let provider: string;
  const providerJson = () => JSON.parse(readFileSync(join(provider, "cdk.tf.json"), "utf8"));

  beforeAll(async () => {
    runner = await newRunner(true);
    ({ provider } = await initializedStacks(runner, ["provider"]));
  });

  test("negative: the runner fails on a broken stack and surfaces Terraform's own error text", async () => {
    const json = providerJson();
    json.resource.aws_lb_target_group.nlb_alb.target_type = "albx";
    json.resource.aws_lb.nlb.load_balancer_type = "netwerk";
    const failure = runner.validate(runner.workspace(provider, { "cdk.tf.json": JSON.stringify(json) }));
    await expect(failure).rejects.toBeInstanceOf(TerraformError);
    await expect(failure).rejects.toThrow(/expected target_type to be one of .*got albx/s);
    await expect(failure).rejects.toThrow(/expected load_balancer_type to be one of .*got netwerk/s);
  });

  test("negative: a mis-wired permission fails the mock apply with our assertion's message", async () => {
    const json = providerJson();
    json.resource.aws_lambda_permission.alb_invoke.source_arn = "${aws_lb_target_group.nlb_alb.arn}";
    const dir = runner.workspace(provider, { "cdk.tf.json": JSON.stringify(json) });
    await expect(runner.test(dir)).rejects.toThrow(/The invoke permission's source_arn must be the lambda target group/);
  });

  test("negative: every plan-time placement check refuses: ALB or Lambda subnets in one AZ, an NLB outside the ALB's AZs, endpoint subnets outside the NLB's", async () => {
    const config = loadConfig(join(EXAMPLES_DIR, "existing-vpcs-s3-state.json"));
    // The NLB gets a subnet of its own (…723), which the plan puts in an AZ the ALB is not in.
    const nlbApart = {
      ...config,
      provider: {
        ...config.provider!,
        network: { existing: { ...config.provider!.network.existing!, nlbSubnetIds: ["subnet-0a1b2c3d4e5f60723"] } },
      },
    };
    const stacks = [...(await synthExample("existing-vpcs-s3-state.json")), ...(await synthFolders(nlbApart, "nlb_apart"))];
    const root = aggregateRoot(stacks, true);
    const provider = "existing_vpcs_s3_state_provider";
    const consumer = "existing_vpcs_s3_state_consumer";
    writeFiles(root, {
      "tests/plan.tftest.hcl": mockPlanTestFile(stacks, {
        // Both ALB subnets (…721, …722; also the NLB's) in one AZ.
        [`${provider}/network_subnet_0a1b2c3d4e5f60721`]: "apne1-az1",
        [`${provider}/network_subnet_0a1b2c3d4e5f60722`]: "apne1-az1",
        // An endpoint subnet in an AZ where the NLB has none.
        [`${consumer}/network_subnet_0f1e2d3c4b5a69782`]: "apne1-az2",
        // The NLB's own subnet in an AZ where the ALB (az1, az4) has none.
        ["nlb_apart_provider/network_subnet_0a1b2c3d4e5f60721"]: "apne1-az1",
        ["nlb_apart_provider/network_subnet_0a1b2c3d4e5f60722"]: "apne1-az4",
        ["nlb_apart_provider/network_subnet_0a1b2c3d4e5f60723"]: "apne1-az2",
        // And both Lambda subnets in one AZ.
        ["nlb_apart_provider/network_subnet_0a1b2c3d4e5f60711"]: "apne1-az4",
        ["nlb_apart_provider/network_subnet_0a1b2c3d4e5f60712"]: "apne1-az4",
      }),
    });
    await runner.init(root);
    const failure = runner.test(root);
    await expect(failure).rejects.toThrow(
      /The ALB's subnets \(provider\.network\.existing\.albSubnetIds\) must be in at least 2 different AZs, one subnet per AZ; their AZ IDs are: apne1-az1, apne1-az1/,
    );
    await expect(failure).rejects.toThrow(/The endpoint's subnets must be in AZs where the service's NLB has a subnet/);
    await expect(failure).rejects.toThrow(
      /The Lambda function's subnets \(provider\.network\.existing\.lambdaSubnetIds\) must be in at least 2 different AZs, one subnet per AZ; their AZ IDs are: apne1-az4, apne1-az4/,
    );
    await expect(failure).rejects.toThrow(
      /The NLB's subnets \(provider\.network\.existing\.nlbSubnetIds\) must be in AZs where the ALB has a subnet: .* \(apne1-az2 not all within apne1-az1, apne1-az4\)/s,
    );
  });
});
