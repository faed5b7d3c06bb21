/** CloudWatch's limits on alarms and dashboards, and where AWS states them. */
export const ALARM_LIMITS = {
  /** Period × evaluation periods: an alarm looks back at most one day. */
  maxWindowSeconds: 86_400,
  source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
  /** Alarm actions notify an SNS topic in the alarm's own Region. */
  topicSource: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
} as const;
