/** CloudWatch metric alarms that notify one SNS topic when they go off and when they clear. */
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { withAddress } from "../naming";
import { CREATE_FIRST } from "../placement-checks";

/** One metric of one resource: namespace, name and the dimensions that pick the resource. */
export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension name → value (often a reference, such as a load balancer's `arn_suffix`). */
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Average`, `Minimum`, `Maximum` or a percentile such as `p99`. */
  readonly stat: string;
}

/** One alarm: a metric (or the rate of one metric to another) against a threshold. */
export interface AlarmSpec {
  /** Its Terraform name (`aws_cloudwatch_metric_alarm.<key>`), stable across changes. */
  readonly key: string;
  /** The alarm's name. */
  readonly name: string;
  /** What it means when it fires, and what to look at first. */
  readonly description: string;
  readonly comparison: "LessThanThreshold" | "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold";
  readonly threshold: number;
  /** Periods without data: quiet for counts of failures (published only when nonzero), else left unknown. */
  readonly missingData: "breaching" | "notBreaching" | "missing";
  /** The metric, or, for a rate, `100 × numerator / denominator` in percent. */
  readonly metric: MetricRef | { readonly numerator: MetricRef; readonly denominator: MetricRef };
}

/** How every alarm evaluates. */
export interface AlarmEvaluation {
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** Properties of {@link Alarms}. */
export interface AlarmsProps extends AlarmEvaluation {
  readonly alarms: readonly AlarmSpec[];
  /** The SNS topic notified when an alarm goes off and when it clears. */
  readonly topicArn: string;
}

const PERCENTILE = /^p\d{1,2}(\.\d+)?$/;

/** Statistic or extended statistic, as the alarm resource takes them. */
function statistic(stat: string): { statistic?: string; extendedStatistic?: string } {
  return PERCENTILE.test(stat) ? { extendedStatistic: stat } : { statistic: stat };
}

/** One alarm resource per spec, each notifying the topic. */
export class Alarms extends Construct {
  /** The alarms' ARNs, in the order given. */
  public readonly alarmArns: string[];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.alarmArns = props.alarms.map((spec) => {
      const metric =
        "numerator" in spec.metric ? rateQuery(spec.metric, props.periodSeconds) : singleMetric(spec.metric, props.periodSeconds);
      const alarm = withAddress(
        new CloudwatchMetricAlarm(this, spec.key, {
          alarmName: spec.name,
          alarmDescription: spec.description,
          comparisonOperator: spec.comparison,
          threshold: spec.threshold,
          evaluationPeriods: props.evaluationPeriods,
          datapointsToAlarm: props.datapointsToAlarm,
          treatMissingData: spec.missingData,
          actionsEnabled: true,
          alarmActions: [props.topicArn],
          okActions: [props.topicArn],
          ...metric,
          // A new name replaces the alarm: the new one watches before the old one goes.
          lifecycle: CREATE_FIRST,
        }),
        spec.key,
      );
      return alarm.arn;
    });
  }
}

function singleMetric(m: MetricRef, period: number) {
  return { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, period, ...statistic(m.stat) };
}

/**
 * `100 × numerator / denominator`. A period without numerator data (ELB publishes no 5xx count
 * while there are none) counts as 0; one without requests has no rate at all.
 */
function rateQuery(rate: { numerator: MetricRef; denominator: MetricRef }, period: number) {
  const query = (id: string, m: MetricRef) => ({
    id,
    returnData: false,
    metric: { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, period, stat: m.stat },
  });
  return {
    metricQuery: [
      query("failed", rate.numerator),
      query("total", rate.denominator),
      { id: "rate", expression: "100 * FILL(failed, 0) / total", label: "percent", returnData: true },
    ],
  };
}
