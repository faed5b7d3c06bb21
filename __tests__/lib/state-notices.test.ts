/**
 * The local state a stack would plan with, read before anyone plans: another config's state
 * (another environment that keeps its state in the same folder) is named.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localStatePath } from "../../lib/constructs/state-backend";
import { localStateFile, StackWithBackend, stateNotices } from "../../lib/state-notices";

const ACCOUNT = "111111111111";
const NLB_ARN = `arn:aws:elasticloadbalancing:ap-northeast-1:${ACCOUNT}:loadbalancer/net/hello-privatelink-nlb/0123456789abcdef`;

/** A provider stack's JSON as the synth writes it, with a local backend. */
const stack = (over: { account?: string; region?: string; nlbName?: string; backend?: object } = {}): StackWithBackend => ({
  terraform: { backend: over.backend ?? { local: { path: localStatePath("provider") } } },
  provider: { aws: [{ allowed_account_ids: [over.account ?? ACCOUNT], region: over.region ?? "ap-northeast-1" }] },
  resource: {
    aws_lb: { nlb: { name: over.nlbName ?? "hello-privatelink-nlb" } },
    aws_iam_role: { lambda_role: { name: "${aws_lambda_function.x.function_name}-role" } },
  },
});

/** A state file of the resources given: [type, name, attributes], managed unless the type starts with "data.". */
const stateOf = (resources: [string, string, Record<string, unknown>][]) =>
  JSON.stringify({
    version: 4,
    resources: resources.map(([type, name, attributes]) => ({
      mode: type.startsWith("data.") ? "data" : "managed",
      type: type.replace(/^data\./, ""),
      name,
      instances: [{ attributes }],
    })),
  });

const DEPLOYED = stateOf([["aws_lb", "nlb", { arn: NLB_ARN, name: "hello-privatelink-nlb" }]]);

/** An output folder in a project folder whose state/ holds `state` for the provider stack. */
function project(state?: string): string {
  const root = mkdtempSync(join(tmpdir(), "plk-state-"));
  if (state !== undefined) {
    mkdirSync(join(root, "state"));
    writeFileSync(join(root, "state", "terraform.provider.tfstate"), state);
  }
  return join(root, "cdktf.out");
}

describe("local state read before a plan", () => {
  test("the state file is the one the stack folder's backend points at: <project>/state/terraform.<stack>.tfstate", () => {
    const out = project();
    expect(localStateFile(out, "provider", stack())).toBe(join(out, "..", "state", "terraform.provider.tfstate"));
    expect(localStateFile(out, "provider", stack({ backend: { s3: { bucket: "b" } } }))).toBeUndefined();
  });

  test("the stack's own state, or none yet, or no local backend: nothing to say", () => {
    expect(stateNotices(project(DEPLOYED), { provider: stack() })).toEqual([]);
    expect(stateNotices(project(), { provider: stack() })).toEqual([]);
    expect(stateNotices(project(DEPLOYED), { provider: stack({ account: "999999999999", backend: { s3: {} } }) })).toEqual([]);
  });

  test("another account's state: named, with the state file, both places and what to do", () => {
    const [notice, ...rest] = stateNotices(project(DEPLOYED), { provider: stack({ account: "999999999999" }) });
    expect(rest).toEqual([]);
    expect(notice).toMatch(
      /^Stack provider: its state \(.*state\/terraform\.provider\.tfstate\) holds resources in account 111111111111, Region ap-northeast-1; this config deploys the stack to 999999999999, Region ap-northeast-1, so a plan destroys those and creates new ones\. If this config is another environment, give it a state of its own/,
    );
  });

  test("another Region's state is named; an IAM ARN (no Region) counts for its account only", () => {
    expect(stateNotices(project(DEPLOYED), { provider: stack({ region: "ap-northeast-3" }) })).toEqual([
      expect.stringContaining(
        "holds resources in account 111111111111, Region ap-northeast-1; this config deploys the stack to 111111111111, Region ap-northeast-3",
      ),
    ]);
    const iam = stateOf([["aws_iam_role", "lambda_role", { arn: `arn:aws:iam::${ACCOUNT}:role/hello-privatelink-lambda` }]]);
    expect(stateNotices(project(iam), { provider: stack() })).toEqual([]);
    expect(stateNotices(project(iam), { provider: stack({ account: "222222222222" }) })).toEqual([
      expect.stringContaining("holds resources in account 111111111111; this config deploys the stack to 222222222222"),
    ]);
  });

  test("the same account with other names (another environment's state): the renamed resources are named", () => {
    expect(stateNotices(project(DEPLOYED), { provider: stack({ nlbName: "orders-stg-nlb" }) })).toEqual([
      expect.stringMatching(
        /holds resources under other names \(aws_lb\.nlb "hello-privatelink-nlb" → "orders-stg-nlb"\), so a plan replaces them\. If this config is another environment/,
      ),
    ]);
  });

  test("data sources, names that are references and unreadable states say nothing", () => {
    const data = stateOf([["data.aws_caller_identity", "current", { arn: "arn:aws:iam::555555555555:user/someone", name: "x" }]]);
    expect(stateNotices(project(data), { provider: stack() })).toEqual([]);
    const role = stateOf([["aws_iam_role", "lambda_role", { name: "something-else-role" }]]);
    expect(stateNotices(project(role), { provider: stack() })).toEqual([]);
    expect(stateNotices(project("{ not json"), { provider: stack({ account: "999999999999" }) })).toEqual([]);
    for (const odd of [
      "null",
      "[]",
      '{"resources": "x"}',
      '{"resources": [null, 5, {"mode": "managed", "instances": "x"}, {"mode": "managed", "instances": [null, {"attributes": "x"}]}]}',
    ]) {
      expect([odd, stateNotices(project(odd), { provider: stack({ account: "999999999999" }) })]).toEqual([odd, []]);
    }
  });

  test("a stack already told about (from the previous output) is left out", () => {
    expect(stateNotices(project(DEPLOYED), { provider: stack({ account: "999999999999" }) }, new Set(["provider"]))).toEqual([]);
  });
});
