/** A CloudWatch dashboard: one row per hop of the request path, and the state of every alarm. */
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Construct } from "constructs";
import { App, Fn } from "../cdktf";
import { withAddress } from "../naming";
import { CREATE_FIRST } from "../placement-checks";
import type { MetricRef } from "./alarms";

/** A graph of some metrics. */
export interface Graph {
  readonly title: string;
  readonly metrics: readonly (MetricRef & { readonly label?: string })[];
}

/** One hop of the request path: a heading and its graphs. */
export interface DashboardRow {
  readonly title: string;
  /** A line under the heading: what this hop is and what to read in it. */
  readonly note: string;
  readonly graphs: readonly Graph[];
}

/** Properties of {@link Dashboard}. */
export interface DashboardProps {
  readonly name: string;
  /** The Region of the metrics. */
  readonly region: string;
  /** Period of the graphs, in seconds. */
  readonly periodSeconds: number;
  readonly rows: readonly DashboardRow[];
  /** Alarms whose state the dashboard shows on top. */
  readonly alarmArns: readonly string[];
}

/** Widgets per grid row (the grid is 24 wide). */
const PER_ROW = 4;
const WIDTH = 24 / PER_ROW;
const HEIGHT = 6;

/** The dashboard: the alarms first, then each hop in the order a request takes. */
export class Dashboard extends Construct {
  /** The dashboard's name. */
  public readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const widgets: Record<string, unknown>[] = [];
    let y = 0;
    if (props.alarmArns.length > 0) {
      widgets.push({
        type: "alarm",
        x: 0,
        y,
        width: 24,
        height: 3,
        properties: { title: "Alarms", alarms: [...props.alarmArns], sortBy: "stateUpdatedTimestamp" },
      });
      y += 3;
    }
    for (const row of props.rows) {
      widgets.push({ type: "text", x: 0, y, width: 24, height: 2, properties: { markdown: `## ${row.title}\n${row.note}` } });
      y += 2;
      row.graphs.forEach((graph, i) => {
        if (i > 0 && i % PER_ROW === 0) y += HEIGHT;
        widgets.push({
          type: "metric",
          x: (i % PER_ROW) * WIDTH,
          y,
          width: WIDTH,
          height: HEIGHT,
          properties: {
            title: graph.title,
            region: props.region,
            view: "timeSeries",
            period: props.periodSeconds,
            metrics: graph.metrics.map((m) => [
              m.namespace,
              m.metricName,
              ...Object.entries(m.dimensions).flat(),
              { stat: m.stat, ...(m.label ? { label: m.label } : {}) },
            ]),
          },
        });
      });
      y += HEIGHT;
    }
    const root = this.node.root;
    const hcl = App.isApp(root) && root.hclOutput;
    const dashboard = withAddress(
      new CloudwatchDashboard(this, "dashboard", {
        dashboardName: props.name,
        // A JSON string whose references Terraform fills in (ARN suffixes, IDs: no quotes in
        // them). `synth --hcl` renders such a string with its quotes unescaped, so there it is
        // a jsonencode expression; not in JSON output, where cdktf re-renders one on every
        // resolution pass (measured: 4 ms per consumer stack).
        dashboardBody: hcl ? Fn.jsonencode({ widgets }) : JSON.stringify({ widgets }),
        lifecycle: CREATE_FIRST,
      }),
      "dashboard",
    );
    this.dashboardName = dashboard.dashboardName;
  }
}
