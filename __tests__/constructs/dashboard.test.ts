/** Dashboard: the alarms on top, then each row's heading and its graphs, laid out on CloudWatch's 24-column grid. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack } from "../../lib/cdktf";
import { Dashboard, DashboardProps } from "../../lib/constructs/dashboard";
import { jsonencoded } from "../support/jsonencoded";
import { resourceOf, scope, synth } from "./harness";

type Json = Record<string, any>;

const graph = (n: number) => ({
  title: `graph ${n}`,
  metrics: [
    {
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: "hello" },
      stat: "Sum",
      ...(n === 0 ? { label: "errors" } : {}),
    },
  ],
});

const PROPS: DashboardProps = {
  name: "hello-service",
  region: "ap-northeast-1",
  periodSeconds: 60,
  rows: [
    { title: "Function", note: "the backend", graphs: [0, 1, 2, 3, 4, 5].map(graph) },
    { title: "Load balancer", note: "in front", graphs: [graph(6)] },
  ],
  alarmArns: ["arn:aws:cloudwatch:ap-northeast-1:111111111111:alarm:a", "arn:aws:cloudwatch:ap-northeast-1:111111111111:alarm:b"],
};

function widgets(props: Partial<DashboardProps> = {}): Json[] {
  const { stack } = scope();
  new Dashboard(stack, "dashboard", { ...PROPS, ...props });
  return JSON.parse(resourceOf(synth(stack).json, "aws_cloudwatch_dashboard", "dashboard").dashboard_body).widgets;
}

/** Whether two widgets' rectangles share any cell. */
const overlap = (a: Json, b: Json) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("Dashboard", () => {
  test("every widget sits on the 24-column grid, none overlaps another, and they read top to bottom, left to right", () => {
    const all = widgets();
    for (const w of all)
      expect({ w: w.properties.title ?? w.type, inGrid: w.x >= 0 && w.y >= 0 && w.x + w.width <= 24 }).toMatchObject({ inGrid: true });
    const clashes = all.flatMap((a, i) =>
      all
        .slice(i + 1)
        .filter((b) => overlap(a, b))
        .map((b) => `${JSON.stringify(a)} / ${JSON.stringify(b)}`),
    );
    expect(clashes).toEqual([]);
    const order = all.map((w) => [w.y, w.x]);
    expect(order).toEqual([...order].sort((p, q) => p[0] - q[0] || p[1] - q[1]));
  });

  test("the alarms first, full width; each row's heading, then its graphs four to a line", () => {
    const all = widgets();
    expect(all.map((w) => [w.type, w.x, w.y, w.width, w.height])).toEqual([
      ["alarm", 0, 0, 24, 3],
      ["text", 0, 3, 24, 2],
      ["metric", 0, 5, 6, 6],
      ["metric", 6, 5, 6, 6],
      ["metric", 12, 5, 6, 6],
      ["metric", 18, 5, 6, 6],
      ["metric", 0, 11, 6, 6],
      ["metric", 6, 11, 6, 6],
      ["text", 0, 17, 24, 2],
      ["metric", 0, 19, 6, 6],
    ]);
    expect(all[0].properties).toEqual({ title: "Alarms", alarms: PROPS.alarmArns, sortBy: "stateUpdatedTimestamp" });
    expect(all[1].properties.markdown).toBe("## Function\nthe backend");
  });

  test("a graph: its title, Region, period and metrics with their statistic (and label, when given)", () => {
    const [, , first, second] = widgets();
    expect(first.properties).toEqual({
      title: "graph 0",
      region: "ap-northeast-1",
      view: "timeSeries",
      period: 60,
      metrics: [["AWS/Lambda", "Errors", "FunctionName", "hello", { stat: "Sum", label: "errors" }]],
    });
    expect(second.properties.metrics).toEqual([["AWS/Lambda", "Errors", "FunctionName", "hello", { stat: "Sum" }]]);
  });

  test("no alarms: no alarm widget, and the first heading at the top", () => {
    const all = widgets({ alarmArns: [] });
    expect(all.filter((w) => w.type === "alarm")).toEqual([]);
    expect([all[0].type, all[0].y]).toEqual(["text", 0]);
  });

  test("for `synth --hcl`, the body is a jsonencode expression with the same widgets", () => {
    // GIVEN an app that writes HCL
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "dash-hcl-")), hclOutput: true });
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
    new Dashboard(stack, "dashboard", PROPS);
    // THEN the body is an expression (a JSON string would lose its escaping in HCL), reading back as the JSON output's
    const body = resourceOf(synth(stack).json, "aws_cloudwatch_dashboard", "dashboard").dashboard_body as string;
    expect(body.startsWith("${jsonencode(")).toBe(true);
    expect(jsonencoded(body).widgets).toEqual(widgets());
  });
});
