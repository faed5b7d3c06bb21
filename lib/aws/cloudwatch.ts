/** CloudWatch's limits on alarms and dashboards, and where AWS states them. */
export const ALARM_LIMITS = {
  /** The longest period this app takes: one day. */
  maxPeriodSeconds: 86_400,
  /** Period × evaluation periods: an alarm looks back at most seven days, and one day with a period under an hour. */
  maxWindowSeconds: 604_800,
  maxShortPeriodWindowSeconds: 86_400,
  /** Periods shorter than this get the one-day look-back. */
  longPeriodSeconds: 3_600,
  source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
  /** Alarm actions notify an SNS topic in the alarm's own Region. */
  topicSource: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
} as const;
