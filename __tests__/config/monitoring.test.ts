/**
 * The monitoring section: on by default with reasoned defaults, and every bad value (a
 * threshold out of range, an evaluation CloudWatch refuses, a topic ARN of the wrong form or
 * Region) refused with one message naming the field and the value.
 */
import { resolveConfig } from "../../config/resolve";
import { configWith, refusalOf } from "../fixtures";
import { MONITORING_DEFAULTS } from "../support/config-bases";

type Raw = Record<string, any>;
const PROVIDER_TOPIC = "arn:aws:sns:ap-northeast-1:111111111111:ops-alarms";
const CONSUMER_TOPIC = "arn:aws:sns:ap-northeast-1:222222222222:ops-alarms";
const monitoring = (raw: Raw, settings: Raw) => (raw.monitoring = { ...raw.monitoring, ...settings });
const thresholds = (raw: Raw, settings: Raw) => monitoring(raw, { thresholds: settings });

describe("config: monitoring", () => {
  test("on by default, for every stack, with the documented defaults and a topic each stack creates", () => {
    const model = resolveConfig(configWith());
    const expected = { ...MONITORING_DEFAULTS, topicArn: undefined };
    expect(model.provider?.monitoring).toEqual(expected);
    expect(model.consumers[0].monitoring).toEqual(expected);
  });

  test("switched off, no stack is monitored", () => {
    const model = resolveConfig(configWith((raw) => monitoring(raw, { enabled: false })));
    expect(model.provider?.monitoring).toBeUndefined();
    expect(model.consumers[0].monitoring).toBeUndefined();
  });

  test("each stack gets its own existing topic: the provider's from monitoring.topicArn, a consumer's from its alarmTopicArn", () => {
    const model = resolveConfig(
      configWith((raw) => {
        monitoring(raw, { topicArn: PROVIDER_TOPIC });
        raw.consumers[0].alarmTopicArn = CONSUMER_TOPIC;
      }),
    );
    expect(model.provider?.monitoring?.topicArn).toBe(PROVIDER_TOPIC);
    expect(model.consumers[0].monitoring?.topicArn).toBe(CONSUMER_TOPIC);
  });

  test("limits that hold: a period of a day in one period, every datapoint required, shares of 1 and 0.05, 0%", () => {
    expect(() =>
      configWith((raw) => {
        monitoring(raw, { periodSeconds: 86_400, evaluationPeriods: 1, datapointsToAlarm: 1 });
        thresholds(raw, { responseTimeShareOfTimeout: 1, durationShareOfTimeout: 0.05, functionErrorPercent: 0, target5xxPercent: 99.9 });
      }),
    ).not.toThrow();
    expect(() =>
      configWith((raw) => monitoring(raw, { periodSeconds: 300, evaluationPeriods: 288, datapointsToAlarm: 288 })),
    ).not.toThrow();
    // A period of an hour or more looks back up to seven days (a day: 48 hourly periods; a week: 168; 7 daily periods)
    for (const [periodSeconds, evaluationPeriods] of [
      [3600, 48],
      [3600, 168],
      [86_400, 7],
    ]) {
      expect(() => configWith((raw) => monitoring(raw, { periodSeconds, evaluationPeriods, datapointsToAlarm: 1 }))).not.toThrow();
    }
  });

  test.each<[string, (raw: Raw) => void, string]>([
    // Thresholds out of range.
    [
      "a negative percentage",
      (raw) => thresholds(raw, { loadBalancer5xxPercent: -1 }),
      "monitoring.thresholds.loadBalancer5xxPercent = -1: must be a percentage from 0 to 99.9",
    ],
    [
      "a percentage of 100 or more",
      (raw) => thresholds(raw, { target5xxPercent: 100 }),
      "monitoring.thresholds.target5xxPercent = 100: must be a percentage from 0 to 99.9: a rate cannot go above 100%",
    ],
    [
      "a percentage as text",
      (raw) => thresholds(raw, { functionErrorPercent: "5%" }),
      'monitoring.thresholds.functionErrorPercent = "5%": must be a percentage from 0 to 99.9',
    ],
    [
      "a share above 1",
      (raw) => thresholds(raw, { durationShareOfTimeout: 1.2 }),
      "monitoring.thresholds.durationShareOfTimeout = 1.2: must be a share from 0.05 to 1 (1 = the whole limit): the metric never goes past the limit itself",
    ],
    [
      "a share of 0",
      (raw) => thresholds(raw, { responseTimeShareOfTimeout: 0 }),
      "monitoring.thresholds.responseTimeShareOfTimeout = 0: must be a share from 0.05 to 1",
    ],
    [
      "a share given as a percentage",
      (raw) => thresholds(raw, { concurrencyShareOfReserved: 80 }),
      "monitoring.thresholds.concurrencyShareOfReserved = 80: must be a share from 0.05 to 1",
    ],
    [
      "a count of 0",
      (raw) => thresholds(raw, { functionThrottles: 0 }),
      "monitoring.thresholds.functionThrottles = 0: must be a whole number of at least 1",
    ],
    [
      "a fractional count",
      (raw) => thresholds(raw, { endpointDroppedPackets: 2.5 }),
      "monitoring.thresholds.endpointDroppedPackets = 2.5: must be a whole number of at least 1",
    ],
    [
      "a negative count",
      (raw) => thresholds(raw, { serviceResetPackets: -10 }),
      "monitoring.thresholds.serviceResetPackets = -10: must be a whole number of at least 1",
    ],
    [
      "a null count",
      (raw) => thresholds(raw, { blockedFlows: null }),
      "monitoring.thresholds.blockedFlows = null: must be a whole number of at least 1",
    ],
    [
      "a misspelt threshold",
      (raw) => thresholds(raw, { lambdaErrorPercent: 5 }),
      'monitoring.thresholds.lambdaErrorPercent: unknown key "lambdaErrorPercent" in monitoring.thresholds',
    ],
    // Evaluation settings CloudWatch does not accept.
    [
      "a period of 30 s (high resolution only)",
      (raw) => monitoring(raw, { periodSeconds: 30 }),
      "monitoring.periodSeconds = 30: must be 60 or a multiple of 60",
    ],
    ["a period of 90 s", (raw) => monitoring(raw, { periodSeconds: 90 }), "monitoring.periodSeconds = 90: must be 60 or a multiple of 60"],
    ["a period of 0", (raw) => monitoring(raw, { periodSeconds: 0 }), "monitoring.periodSeconds = 0: must be 60 or a multiple of 60"],
    [
      "a period over a day",
      (raw) => monitoring(raw, { periodSeconds: 86_460 }),
      "monitoring.periodSeconds = 86460: must be at most 86400 (one day)",
    ],
    [
      "a fractional period",
      (raw) => monitoring(raw, { periodSeconds: 60.5 }),
      "monitoring.periodSeconds = 60.5: must be 60 or a multiple of 60",
    ],
    [
      "no evaluation period",
      (raw) => monitoring(raw, { evaluationPeriods: 0 }),
      "monitoring.evaluationPeriods = 0: must be a whole number of periods of at least 1",
    ],
    [
      "more datapoints than periods",
      (raw) => monitoring(raw, { evaluationPeriods: 2, datapointsToAlarm: 3 }),
      "monitoring.datapointsToAlarm = 3: must be at most evaluationPeriods (2)",
    ],
    [
      "a look-back over a day with a period under an hour",
      (raw) => monitoring(raw, { periodSeconds: 3540, evaluationPeriods: 25 }),
      "monitoring.evaluationPeriods = 25: makes alarms look back 88500 s (periodSeconds 3540 × 25); CloudWatch allows at most 86400 s, one day with a period under 3600 s",
    ],
    [
      "a look-back over seven days with hourly periods",
      (raw) => monitoring(raw, { periodSeconds: 3600, evaluationPeriods: 169 }),
      "monitoring.evaluationPeriods = 169: makes alarms look back 608400 s (periodSeconds 3600 × 169); CloudWatch allows at most 604800 s, seven days",
    ],
    // At each bound of what the look-back and datapoints checks compare: a valid value is
    // compared, and an invalid one is reported once, on its own line only.
    [
      "a look-back of one period over a day, at the shortest period",
      (raw) => monitoring(raw, { periodSeconds: 60, evaluationPeriods: 1441, datapointsToAlarm: 1 }),
      "monitoring.evaluationPeriods = 1441: makes alarms look back 86460 s (periodSeconds 60 × 1441)",
    ],
    [
      "eight periods of a day",
      (raw) => monitoring(raw, { periodSeconds: 86_400, evaluationPeriods: 8, datapointsToAlarm: 1 }),
      "monitoring.evaluationPeriods = 8: makes alarms look back 691200 s (periodSeconds 86400 × 8)",
    ],
    [
      "two datapoints of one period",
      (raw) => monitoring(raw, { evaluationPeriods: 1, datapointsToAlarm: 2 }),
      "monitoring.datapointsToAlarm = 2: must be at most evaluationPeriods (1)",
    ],
    [
      "a period of 90 s, many periods",
      (raw) => monitoring(raw, { periodSeconds: 90, evaluationPeriods: 1000, datapointsToAlarm: 1 }),
      "monitoring.periodSeconds = 90: must be 60 or a multiple of 60",
    ],
    [
      "a fractional period, many periods",
      (raw) => monitoring(raw, { periodSeconds: 60.5, evaluationPeriods: 2000, datapointsToAlarm: 1 }),
      "monitoring.periodSeconds = 60.5: must be 60 or a multiple of 60",
    ],
    [
      "a fractional number of periods",
      (raw) => monitoring(raw, { evaluationPeriods: 2.5 }),
      "monitoring.evaluationPeriods = 2.5: must be a whole number of periods of at least 1",
    ],
    [
      "a fractional number of periods over a week",
      (raw) => monitoring(raw, { periodSeconds: 3600, evaluationPeriods: 168.5, datapointsToAlarm: 1 }),
      "monitoring.evaluationPeriods = 168.5: must be a whole number of periods of at least 1",
    ],
    ["enabled as text", (raw) => monitoring(raw, { enabled: "yes" }), 'monitoring.enabled = "yes"'],
    ["an unknown key", (raw) => monitoring(raw, { dashboard: false }), 'monitoring.dashboard: unknown key "dashboard" in monitoring'],
    // Topics of the wrong form or Region.
    [
      "a topic ARN of another service",
      (raw) => monitoring(raw, { topicArn: "arn:aws:sqs:ap-northeast-1:111111111111:ops" }),
      'monitoring.topicArn = "arn:aws:sqs:ap-northeast-1:111111111111:ops": must be an SNS topic ARN',
    ],
    [
      "a FIFO topic",
      (raw) => monitoring(raw, { topicArn: `${PROVIDER_TOPIC}.fifo` }),
      "(a standard topic: alarms cannot notify FIFO topics)",
    ],
    [
      "a topic name, not an ARN",
      (raw) => monitoring(raw, { topicArn: "ops-alarms" }),
      'monitoring.topicArn = "ops-alarms": must be an SNS topic ARN',
    ],
    [
      "a topic ARN without an account",
      (raw) => monitoring(raw, { topicArn: "arn:aws:sns:ap-northeast-1::ops" }),
      "must be an SNS topic ARN",
    ],
    [
      "a subscription ARN",
      (raw) => monitoring(raw, { topicArn: `${PROVIDER_TOPIC}:0a1b2c3d-4e5f-6789-abcd-ef0123456789` }),
      "must be an SNS topic ARN",
    ],
    [
      "the provider's topic in another Region",
      (raw) => monitoring(raw, { topicArn: "arn:aws:sns:us-east-1:111111111111:ops-alarms" }),
      'monitoring.topicArn = "arn:aws:sns:us-east-1:111111111111:ops-alarms": is in us-east-1, but the provider stack is in ap-northeast-1 (provider.region): CloudWatch alarms notify topics of their own Region only',
    ],
    [
      "a consumer's topic in another Region",
      (raw) => (raw.consumers[0].alarmTopicArn = "arn:aws:sns:ap-northeast-3:222222222222:ops-alarms"),
      'consumers[0].alarmTopicArn = "arn:aws:sns:ap-northeast-3:222222222222:ops-alarms": is in ap-northeast-3, but this consumer\'s stack is in ap-northeast-1 (consumers[0].region)',
    ],
    [
      "a consumer's topic of the wrong form",
      (raw) => (raw.consumers[0].alarmTopicArn = "arn:aws:sns:ap-northeast-1:2222:x"),
      "consumers[0].alarmTopicArn",
    ],
    [
      "a topic with monitoring off",
      (raw) => monitoring(raw, { enabled: false, topicArn: PROVIDER_TOPIC }),
      `monitoring.topicArn = "${PROVIDER_TOPIC}": only applies with monitoring.enabled = true`,
    ],
    [
      "a consumer's topic with monitoring off",
      (raw) => {
        monitoring(raw, { enabled: false });
        raw.consumers[0].alarmTopicArn = CONSUMER_TOPIC;
      },
      `consumers[0].alarmTopicArn = "${CONSUMER_TOPIC}": only applies with monitoring.enabled = true`,
    ],
    [
      "the provider's topic without a provider",
      (raw) => {
        delete raw.provider;
        raw.consumers[0].serviceName = "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0";
        monitoring(raw, { topicArn: PROVIDER_TOPIC });
      },
      `monitoring.topicArn = "${PROVIDER_TOPIC}": only applies with a "provider"`,
    ],
  ])("refused: %s", (_what, edit, message) => {
    const refusal = refusalOf(edit);
    expect(refusal).toContain(message);
    // One line for the one problem.
    expect(refusal.split("\n").filter((line) => line.startsWith("  - ")).length).toBe(1);
  });
});
