/**
 * The scanner ignore files (lib/policy/scanner-files.ts), exactly as written: trivy's and
 * checkov's entries for each suppressed finding, in a stable order, and where they go.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Evaluation, Rule, stackView, SuppressedFinding } from "../../lib/policy/evaluate";
import { renderIgnoreFiles, scannerIgnoreFiles, writeScannerIgnoreFiles } from "../../lib/policy/scanner-files";

const never = () => undefined;
/** Rules with every combination of other scanners' IDs. */
const RULES: Rule[] = [
  { id: "CKV_AWS_1", title: "t", scanners: { trivy: ["AVD-AWS-0001", "AVD-AWS-0002"] }, appliesTo: [], check: never },
  {
    id: "CKV_AWS_2",
    title: "t",
    scanners: { checkov: ["CKV2_AWS_9", "NOT_CHECKOV"], trivy: ["AVD-AWS-0003"] },
    appliesTo: [],
    check: never,
  },
  { id: "PLK_OWN", title: "t", scanners: { checkov: ["CKV_AWS_8"] }, appliesTo: [], check: never },
  { id: "PLK_BARE", title: "t", appliesTo: [], check: never },
];
const HEADER = "# Findings the provider stack leaves on purpose, generated at synth from its policy suppressions.\n";
const TRIVY_USE = "# Use: trivy config --ignorefile .trivyignore.yaml .\n";
const CHECKOV_USE = "# Use: checkov -d . --config-file .checkov.yaml\n";

const suppressed = (ruleId: string, address: string, reason: string): SuppressedFinding => ({
  stack: "provider",
  ruleId,
  address,
  message: "m",
  reason,
});
const evaluation = (...s: SuppressedFinding[]): Evaluation => ({ findings: [], suppressed: s });

describe("renderIgnoreFiles", () => {
  test("no suppression: both files say so with an empty list", () => {
    // GIVEN a stack that suppresses nothing
    // WHEN its ignore files are rendered
    const files = renderIgnoreFiles("provider", RULES, evaluation());
    // THEN each is its header and an empty list
    expect(files).toStrictEqual({
      ".trivyignore.yaml": `${HEADER}${TRIVY_USE}misconfigurations: []\n`,
      ".checkov.yaml": `${HEADER}${CHECKOV_USE}skip-check: []\n`,
    });
  });

  test("trivy's entries for rules with trivy IDs, checkov's for CKV IDs (the rule's own and its others)", () => {
    // GIVEN suppressed findings of rules with trivy IDs, checkov IDs, both, and neither
    const files = renderIgnoreFiles(
      "provider",
      RULES,
      evaluation(
        suppressed("PLK_BARE", "aws_lb.alb", "nothing else reports this"),
        suppressed("CKV_AWS_2", "aws_lb_listener.http", 'redirects only, "quoted"'),
        suppressed("PLK_OWN", "aws_vpc.v", "checkov knows it by another ID"),
        suppressed("CKV_AWS_1", "aws_subnet.a", "public on purpose"),
      ),
    );
    // WHEN read; THEN trivy lists each trivy ID with the address and reason as a JSON string
    expect(files[".trivyignore.yaml"]).toBe(
      `${HEADER}${TRIVY_USE}misconfigurations:\n` +
        '  - id: AVD-AWS-0001\n    paths:\n      - "cdk.tf.json"\n    statement: "aws_subnet.a: public on purpose"\n' +
        '  - id: AVD-AWS-0002\n    paths:\n      - "cdk.tf.json"\n    statement: "aws_subnet.a: public on purpose"\n' +
        '  - id: AVD-AWS-0003\n    paths:\n      - "cdk.tf.json"\n    statement: "aws_lb_listener.http: redirects only, \\"quoted\\""\n',
    );
    // AND checkov lists every CKV ID, the rule's own first, never a non-CKV one
    expect(files[".checkov.yaml"]).toBe(
      `${HEADER}${CHECKOV_USE}skip-check:\n` +
        "  - CKV_AWS_1 # aws_subnet.a: public on purpose\n" +
        '  - CKV_AWS_2 # aws_lb_listener.http: redirects only, "quoted"\n' +
        '  - CKV2_AWS_9 # aws_lb_listener.http: redirects only, "quoted"\n' +
        "  - CKV_AWS_8 # aws_vpc.v: checkov knows it by another ID\n",
    );
  });

  test("a suppression of a rule no other scanner knows leaves both lists empty", () => {
    // GIVEN a suppressed finding of a rule with no CKV ID and no trivy ID
    // WHEN the files are rendered; THEN both lists are empty
    expect(renderIgnoreFiles("provider", RULES, evaluation(suppressed("PLK_BARE", "aws_lb.alb", "nothing reports this")))).toStrictEqual({
      ".trivyignore.yaml": `${HEADER}${TRIVY_USE}misconfigurations: []\n`,
      ".checkov.yaml": `${HEADER}${CHECKOV_USE}skip-check: []\n`,
    });
  });

  test("a rule no longer known still skips its own CKV ID in checkov only", () => {
    // GIVEN a suppressed finding of a rule missing from the rules
    // WHEN rendered; THEN checkov skips its ID and trivy has nothing
    const files = renderIgnoreFiles("provider", [], evaluation(suppressed("CKV_AWS_99", "aws_vpc.v", "a reason")));
    expect(files[".trivyignore.yaml"]).toBe(`${HEADER}${TRIVY_USE}misconfigurations: []\n`);
    expect(files[".checkov.yaml"]).toBe(`${HEADER}${CHECKOV_USE}skip-check:\n  - CKV_AWS_99 # aws_vpc.v: a reason\n`);
  });

  test("entries are sorted by rule, then address; equal ones keep their order", () => {
    // GIVEN suppressed findings in no particular order, two of them for the same rule and address
    const files = renderIgnoreFiles(
      "provider",
      RULES,
      evaluation(
        suppressed("CKV_AWS_2", "aws_lb_listener.b", "b"),
        suppressed("CKV_AWS_2", "aws_lb_listener.c", "c"),
        suppressed("CKV_AWS_1", "aws_subnet.z", "z"),
        suppressed("CKV_AWS_2", "aws_lb_listener.a", "a"),
        suppressed("CKV_AWS_1", "aws_subnet.y", "y first"),
        suppressed("CKV_AWS_1", "aws_subnet.y", "y second"),
      ),
    );
    // WHEN the checkov file is read; THEN the order is by rule, then address
    expect(files[".checkov.yaml"]).toBe(
      `${HEADER}${CHECKOV_USE}skip-check:\n` +
        "  - CKV_AWS_1 # aws_subnet.y: y first\n" +
        "  - CKV_AWS_1 # aws_subnet.y: y second\n" +
        "  - CKV_AWS_1 # aws_subnet.z: z\n" +
        "  - CKV_AWS_2 # aws_lb_listener.a: a\n" +
        "  - CKV2_AWS_9 # aws_lb_listener.a: a\n" +
        "  - CKV_AWS_2 # aws_lb_listener.b: b\n" +
        "  - CKV2_AWS_9 # aws_lb_listener.b: b\n" +
        "  - CKV_AWS_2 # aws_lb_listener.c: c\n" +
        "  - CKV2_AWS_9 # aws_lb_listener.c: c\n",
    );
  });

  test("the rule sorts before the address", () => {
    // GIVEN a later rule on an earlier address, given first
    const files = renderIgnoreFiles(
      "provider",
      RULES,
      evaluation(suppressed("CKV_AWS_2", "aws_a.a", "first given"), suppressed("CKV_AWS_1", "aws_z.z", "second given")),
    );
    // WHEN rendered; THEN the earlier rule comes first
    expect(files[".checkov.yaml"]).toBe(
      `${HEADER}${CHECKOV_USE}skip-check:\n` +
        "  - CKV_AWS_1 # aws_z.z: second given\n" +
        "  - CKV_AWS_2 # aws_a.a: first given\n" +
        "  - CKV2_AWS_9 # aws_a.a: first given\n",
    );
  });

  test("rendering does not reorder the evaluation", () => {
    // GIVEN an evaluation whose suppressed findings are unsorted
    const given = evaluation(suppressed("CKV_AWS_2", "aws_b.b", "b"), suppressed("CKV_AWS_1", "aws_a.a", "a"));
    // WHEN rendered; THEN the evaluation is as it was
    renderIgnoreFiles("provider", RULES, given);
    expect(given.suppressed.map((s) => s.ruleId)).toEqual(["CKV_AWS_2", "CKV_AWS_1"]);
  });
});

describe("scannerIgnoreFiles", () => {
  test("evaluates the stack and renders its suppressed findings", () => {
    // GIVEN a stack with a suppressed finding of a rule and a finding left unsuppressed
    const publicIps: Rule = {
      id: "CKV_AWS_130",
      title: "t",
      scanners: { trivy: ["AVD-AWS-0164"] },
      appliesTo: ["aws_subnet"],
      check: (r) => (r.attrs.map_public_ip_on_launch === true ? "maps public IPs on launch" : undefined),
    };
    const stack = stackView("consumer", {
      resource: {
        aws_subnet: {
          a: { map_public_ip_on_launch: true, "//": { policy_suppressions: { CKV_AWS_130: "a public subnet on purpose" } } },
          b: { map_public_ip_on_launch: true },
        },
      },
    });
    // WHEN its ignore files are made; THEN they hold the suppressed one only
    const header = "# Findings the consumer stack leaves on purpose, generated at synth from its policy suppressions.\n";
    expect(scannerIgnoreFiles(stack, [publicIps])).toStrictEqual({
      ".trivyignore.yaml": `${header}${TRIVY_USE}misconfigurations:\n  - id: AVD-AWS-0164\n    paths:\n      - "cdk.tf.json"\n    statement: "aws_subnet.a: a public subnet on purpose"\n`,
      ".checkov.yaml": `${header}${CHECKOV_USE}skip-check:\n  - CKV_AWS_130 # aws_subnet.a: a public subnet on purpose\n`,
    });
  });
});

describe("writeScannerIgnoreFiles", () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), "plk-scanner-files-"));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  test("writes both files of each stack into outdir/stacks/<stack>/", () => {
    // GIVEN two stacks' folders and their evaluations
    for (const name of ["provider", "consumer"]) mkdirSync(join(outdir, "stacks", name), { recursive: true });
    const evaluations = new Map<string, Evaluation>([
      ["provider", evaluation(suppressed("CKV_AWS_1", "aws_subnet.a", "public on purpose"))],
      ["consumer", evaluation()],
    ]);
    // WHEN the files are written
    writeScannerIgnoreFiles(evaluations, outdir, RULES);
    // THEN each folder holds exactly its stack's rendered files
    for (const [name, e] of evaluations) {
      const folder = join(outdir, "stacks", name);
      expect(readdirSync(folder).sort()).toEqual([".checkov.yaml", ".trivyignore.yaml"]);
      const expected = renderIgnoreFiles(name, RULES, e);
      expect(readFileSync(join(folder, ".trivyignore.yaml"), "utf8")).toBe(expected[".trivyignore.yaml"]);
      expect(readFileSync(join(folder, ".checkov.yaml"), "utf8")).toBe(expected[".checkov.yaml"]);
    }
    expect(readFileSync(join(outdir, "stacks", "provider", ".checkov.yaml"), "utf8")).toContain(
      "  - CKV_AWS_1 # aws_subnet.a: public on purpose\n",
    );
    expect(readdirSync(outdir)).toEqual(["stacks"]);
  });

  test("no evaluations write nothing", () => {
    // GIVEN no stacks; WHEN the files are written; THEN the outdir stays empty
    writeScannerIgnoreFiles(new Map(), outdir, RULES);
    expect(readdirSync(outdir)).toEqual([]);
  });
});
