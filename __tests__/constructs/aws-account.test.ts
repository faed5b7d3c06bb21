/** AwsAccount: the stack's one AWS provider, pinned to an account, and the partition looked up on demand. */
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AwsAccount, AwsAccountProps } from "../../lib/constructs/aws-account";
import { Testing, TerraformOutput, TerraformStack } from "../../lib/cdktf";
import { synth } from "./harness";

const ACCOUNT = "111111111111";

/**
 * A stack with no provider of its own: AwsAccount *is* the provider, so the harness's `scope()`
 * (which adds one) cannot be used here.
 */
function bareStack(): TerraformStack {
  return new TerraformStack(Testing.app(), "test");
}

function account(props: Partial<AwsAccountProps> = {}): { stack: TerraformStack; aws: AwsAccount } {
  const stack = bareStack();
  const aws = new AwsAccount(stack, "aws", { accountId: ACCOUNT, region: "ap-northeast-1", ...props });
  return { stack, aws };
}

/** What `value` (a token, or a string with tokens in it) becomes in the stack's Terraform JSON. */
function rendered(stack: TerraformStack, value: unknown): unknown {
  const id = `rendered_${stack.node.children.length}`;
  new TerraformOutput(stack, id, { value });
  return synth(stack).json.output[id].value;
}

/** The single provider block of the stack. */
function providerBlock(json: Record<string, any>): Record<string, any> {
  expect(json.provider.aws).toHaveLength(1);
  return json.provider.aws[0];
}

describe("AwsAccount provider", () => {
  test("configures exactly one AWS provider with the Region and the account pinned", () => {
    // GIVEN account 111111111111 in eu-west-1
    const { stack } = account({ region: "eu-west-1" });
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN the provider has the Region and allows only that account
    expect(text).toHaveProviderWithProperties(AwsProvider, { region: "eu-west-1", allowed_account_ids: [ACCOUNT] });
    expect(providerBlock(json).allowed_account_ids).toEqual([ACCOUNT]);
  });

  test("exposes the account ID it pins", () => {
    // GIVEN account 222222222222
    const { aws } = account({ accountId: "222222222222" });
    // WHEN its accountId is read
    const id = aws.accountId;
    // THEN it is the configured account
    expect(id).toBe("222222222222");
  });

  test("with only the required props, no profile, assume_role, default_tags or alias are written", () => {
    // GIVEN an account with neither profile, role nor tags
    const { stack } = account();
    // WHEN the stack is synthesized
    const provider = providerBlock(synth(stack).json);
    // THEN the provider block holds just the Region and the pinned account
    expect(provider).toEqual({ region: "ap-northeast-1", allowed_account_ids: [ACCOUNT] });
  });

  test("a profile is written when given", () => {
    // GIVEN an account reached through the named profile "deploy-a"
    const { stack } = account({ profile: "deploy-a" });
    // WHEN the stack is synthesized
    const provider = providerBlock(synth(stack).json);
    // THEN the provider uses that profile
    expect(provider.profile).toBe("deploy-a");
    expect(provider).not.toHaveProperty("assume_role");
  });

  test("a role to assume is written with its external ID and session name", () => {
    // GIVEN a role with an external ID and a session name
    const roleArn = "arn:aws:iam::111111111111:role/deployer";
    const { stack } = account({ assumeRole: { roleArn, externalId: "ext-123", sessionName: "cdktf-deploy" } });
    // WHEN the stack is synthesized
    const provider = providerBlock(synth(stack).json);
    // THEN assume_role is one block carrying all three
    expect(provider.assume_role).toEqual([{ role_arn: roleArn, external_id: "ext-123", session_name: "cdktf-deploy" }]);
    expect(provider).not.toHaveProperty("profile");
  });

  test("a role with only its ARN writes only role_arn", () => {
    // GIVEN a role given by ARN alone
    const roleArn = "arn:aws:iam::111111111111:role/deployer";
    const { stack } = account({ assumeRole: { roleArn } });
    // WHEN the stack is synthesized
    const provider = providerBlock(synth(stack).json);
    // THEN no external ID or session name is invented
    expect(provider.assume_role).toEqual([{ role_arn: roleArn }]);
  });

  test("profile and role together are both written", () => {
    // GIVEN a profile that then assumes a role
    const roleArn = "arn:aws:iam::111111111111:role/deployer";
    const { stack } = account({ profile: "base", assumeRole: { roleArn } });
    // WHEN the stack is synthesized
    const provider = providerBlock(synth(stack).json);
    // THEN the provider has both
    expect(provider).toMatchObject({ profile: "base", assume_role: [{ role_arn: roleArn }] });
  });

  test("non-empty tags become the provider's default_tags", () => {
    // GIVEN two tags
    const { stack } = account({ tags: { Project: "privatelink", Owner: "platform" } });
    // WHEN the stack is synthesized
    const provider = providerBlock(synth(stack).json);
    // THEN default_tags is one block with exactly those tags
    expect(provider.default_tags).toEqual([{ tags: { Project: "privatelink", Owner: "platform" } }]);
  });

  test.each([
    ["absent", undefined],
    ["empty", {}],
  ])("tags %s: no default_tags block is written", (_label, tags) => {
    // GIVEN tags that are absent or an empty object
    const { stack } = account({ tags });
    // WHEN the stack is synthesized
    const provider = providerBlock(synth(stack).json);
    // THEN the provider has no default_tags at all (not even an empty block)
    expect(provider).not.toHaveProperty("default_tags");
  });

  test("the tags object given is copied, not held: a later change does not reach the provider", () => {
    // GIVEN a mutable tags object
    const tags: Record<string, string> = { Project: "privatelink" };
    const { stack } = account({ tags });
    // WHEN the caller changes it after construction
    tags.Project = "changed";
    // THEN the provider keeps the value it was given
    expect(providerBlock(synth(stack).json).default_tags).toEqual([{ tags: { Project: "privatelink" } }]);
  });
});

describe("AwsAccount required_providers", () => {
  test("the provider source is fully qualified as hashicorp/aws, keeping the binding's version", () => {
    // GIVEN a stack with an AwsAccount
    const { stack } = account();
    // WHEN the stack is synthesized
    const { json } = synth(stack);
    // THEN required_providers.aws names hashicorp/aws
    expect(json.terraform.required_providers.aws.source).toBe("hashicorp/aws");
    expect(json.terraform.required_providers.aws.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("without AwsAccount the prebuilt binding writes the short source (what the override fixes)", () => {
    // GIVEN a stack with a bare AwsProvider and no AwsAccount
    const stack = bareStack();
    new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
    // WHEN the stack is synthesized
    const { json } = synth(stack);
    // THEN the source is the unqualified "aws"
    expect(json.terraform.required_providers.aws.source).toBe("aws");
  });
});

describe("AwsAccount partition", () => {
  test("no partition data source exists until .partition is read", () => {
    // GIVEN an AwsAccount whose partition is never read
    const { stack } = account();
    // WHEN the stack is synthesized
    const { text, json } = synth(stack);
    // THEN there is no aws_partition data source
    expect(text).not.toHaveDataSource(DataAwsPartition);
    expect(json.data).toBeUndefined();
  });

  test("reading .partition creates data.aws_partition.current and returns a reference to its partition", () => {
    // GIVEN an AwsAccount
    const { stack, aws } = account();
    // WHEN its partition is read
    const partition = aws.partition;
    // THEN the token resolves to the data source's attribute, and the data source is in the stack
    expect(rendered(stack, partition)).toBe("${data.aws_partition.current.partition}");
    const { text, json } = synth(stack);
    expect(text).toHaveDataSource(DataAwsPartition);
    expect(Object.keys(json.data)).toEqual(["aws_partition"]);
    expect(Object.keys(json.data.aws_partition)).toEqual(["current"]);
  });

  test.each([2, 3, 5])("reading .partition %i times creates the data source only once; every read refers to it", (reads) => {
    // GIVEN an AwsAccount
    const { stack, aws } = account();
    // WHEN its partition is read several times
    const values = Array.from({ length: reads }, () => aws.partition);
    // THEN every read refers to the same data source and the stack has one partition lookup
    expect(rendered(stack, values)).toEqual(values.map(() => "${data.aws_partition.current.partition}"));
    expect(Object.keys(synth(stack).json.data.aws_partition)).toEqual(["current"]);
    expect(aws.node.children.filter((c) => c instanceof DataAwsPartition)).toHaveLength(1);
  });

  test("the partition can be used inside an ARN string", () => {
    // GIVEN an AwsAccount
    const { stack, aws } = account();
    // WHEN an ARN is built from its partition
    const arn = `arn:${aws.partition}:iam::${aws.accountId}:root`;
    // THEN the ARN resolves to an interpolation of the data source
    expect(rendered(stack, arn)).toBe("arn:${data.aws_partition.current.partition}:iam::111111111111:root");
  });
});
