/** What every stack's monitoring is made of: its topic, the alarms of its hops, and its dashboard. */
import type { Construct } from "constructs";
import type { MonitoringModel } from "../config/model";
import { AlarmTopic, TopicPublisher } from "../lib/constructs/alarm-topic";
import { Alarms } from "../lib/constructs/alarms";
import { Dashboard } from "../lib/constructs/dashboard";
import type { Watch } from "../lib/monitoring";

/** Where a stack's monitoring lives and what it watches. */
export interface StackMonitoringProps {
  /** The topic's name (a created one's; its key alias follows it). */
  readonly topicName: string;
  readonly dashboardName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly settings: MonitoringModel;
  /** Services besides CloudWatch that publish to the topic. @default - none */
  readonly publishers?: readonly TopicPublisher[];
  /** The alarms and dashboard rows of the stack's hops. */
  readonly watch: Watch;
}

/** The topic (created, or the existing one), every alarm notifying it, and the dashboard. */
export function monitorStack(scope: Construct, p: StackMonitoringProps): { topic: AlarmTopic; dashboardName: string } {
  const topic = new AlarmTopic(scope, "alarms", {
    name: p.topicName,
    accountId: p.accountId,
    partition: p.partition,
    existingTopicArn: p.settings.topicArn,
    publishers: [
      { service: "cloudwatch.amazonaws.com", sourceArns: [`arn:${p.partition}:cloudwatch:${p.region}:${p.accountId}:alarm:*`] },
      ...(p.publishers ?? []),
    ],
  });
  const alarms = new Alarms(scope, "alarm", { ...p.settings, alarms: p.watch.alarms, topicArn: topic.topicArn });
  const dashboard = new Dashboard(scope, "dashboard", {
    name: p.dashboardName,
    region: p.region,
    periodSeconds: p.settings.periodSeconds,
    rows: p.watch.rows,
    alarmArns: alarms.alarmArns,
  });
  return { topic, dashboardName: dashboard.dashboardName };
}
