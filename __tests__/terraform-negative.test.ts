/**
 * The Terraform checks can fail: broken stacks are refused with Terraform's own words, and
 * a mis-wired stack fails our `terraform test` assertions.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformError, TerraformRunner } from "./support/terraform";
import { describeWithTerraform, initializedStacks } from "./support/terraform-suite";

describeWithTerraform("Terraform checks bite", () => {
  let runner: TerraformRunner;
  let provider: string;
  const providerJson = () => JSON.parse(readFileSync(join(provider, "cdk.tf.json"), "utf8"));

  beforeAll(async () => {
    ({ runner, provider } = await initializedStacks());
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
});
