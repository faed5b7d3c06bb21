/**
 * The `monitoring` section: alarms, endpoint connection notifications and a dashboard per
 * stack, on by default. Thresholds and evaluation settings have reasoned defaults; alarms go
 * to a topic each stack creates (encrypted with its own KMS key), or to an existing one.
 */
import { z } from "zod";
import { ALARM_LIMITS } from "../lib/aws/cloudwatch";
import type { AppConfigShape } from "./schema";
import { PARTITIONS, whenValid } from "./fields";

/** An SNS topic ARN: standard topics only (CloudWatch alarms cannot notify FIFO topics). */
export const topicArn = z
  .string()
  .regex(
    new RegExp(`^arn:(${PARTITIONS}):sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}$`),
    'must be an SNS topic ARN such as "arn:aws:sns:ap-northeast-1:111111111111:ops-alarms" (a standard topic: alarms cannot notify FIFO topics)',
  );

/** The Region of a topic ARN that passed {@link topicArn}. */
export const topicRegion = (arn: string): string => arn.split(":")[3];

/** A percentage a rate alarm compares with: 0 alarms on any error, 100 never could. */
const percent = z
  .number({ invalid_type_error: "must be a percentage from 0 to 99.9" })
  .min(0, "must be a percentage from 0 to 99.9")
  .max(99.9, "must be a percentage from 0 to 99.9: a rate cannot go above 100%");

/** A share of a limit (the function timeout, its reserved concurrency): above 0, at most 1. */
const share = z
  .number({ invalid_type_error: "must be a share from 0.05 to 1 (1 = the whole limit)" })
  .min(0.05, "must be a share from 0.05 to 1 (1 = the whole limit)")
  .max(1, "must be a share from 0.05 to 1 (1 = the whole limit): the metric never goes past the limit itself");

/** A count per period that sets an alarm off. */
const count = z
  .number({ invalid_type_error: "must be a whole number of at least 1" })
  .int("must be a whole number of at least 1")
  .min(1, "must be a whole number of at least 1")
  .max(1_000_000_000, "must be at most 1000000000");

/** Alarm thresholds, each with the reason for its default in the README's monitoring section. */
export const thresholdsSection = z
  .object({
    /** ALB-generated 5xx responses, as a percentage of requests. */
    loadBalancer5xxPercent: percent.default(5),
    /** 5xx responses from a function, as a percentage of its requests. */
    target5xxPercent: percent.default(5),
    /** p99 response time of a function's target group, as a share of the function's timeout. */
    responseTimeShareOfTimeout: share.default(0.8),
    /** Function errors, as a percentage of its invocations. */
    functionErrorPercent: percent.default(5),
    /** Throttled invocations per period. */
    functionThrottles: count.default(1),
    /** p99 function duration, as a share of its timeout. */
    durationShareOfTimeout: share.default(0.8),
    /** Concurrent executions, as a share of the reserved concurrency (when one is set). */
    concurrencyShareOfReserved: share.default(0.8),
    /** Flows the NLB's security group blocked per period (with PrivateLink inbound rules on). */
    blockedFlows: count.default(1),
    /** TCP resets the endpoint service sent to endpoints per period. */
    serviceResetPackets: count.default(100),
    /** Packets a consumer's endpoint dropped per period. */
    endpointDroppedPackets: count.default(1),
    /** TCP resets a consumer's endpoint received from the service per period. */
    endpointResetPackets: count.default(100),
  })
  .strict()
  .default({});

export const monitoringSection = whenValid(
  z
    .object({
      enabled: z.boolean().default(true),
      /** The provider stack's topic; without it the stack creates one. */
      topicArn: topicArn.optional(),
      periodSeconds: z
        .number({ invalid_type_error: "must be a number of seconds: 60 or a multiple of 60" })
        .superRefine((p, ctx) => {
          if (!Number.isInteger(p) || p < 60 || p % 60 !== 0) {
            ctx.addIssue({
              code: "custom",
              message: `must be 60 or a multiple of 60: the metrics watched are published once a minute, and CloudWatch accepts 10, 20 and 30 only for high-resolution metrics (${ALARM_LIMITS.source})`,
            });
          } else if (p > ALARM_LIMITS.maxPeriodSeconds) {
            ctx.addIssue({
              code: "custom",
              message: `must be at most ${ALARM_LIMITS.maxPeriodSeconds} (one day) (${ALARM_LIMITS.source})`,
            });
          }
        })
        .default(60),
      evaluationPeriods: z
        .number({ invalid_type_error: "must be a whole number of periods of at least 1" })
        .int("must be a whole number of periods of at least 1")
        .min(1, "must be a whole number of periods of at least 1")
        .default(5),
      datapointsToAlarm: z
        .number({ invalid_type_error: "must be a whole number of periods of at least 1" })
        .int("must be a whole number of periods of at least 1")
        .min(1, "must be a whole number of periods of at least 1")
        .default(3),
      thresholds: thresholdsSection,
    })
    .strict(),
  (m, ctx) => {
    const issue = (path: string[], message: string) => ctx.addIssue({ code: "custom", path, message });
    // Each only when the values it compares are valid on their own (else they are reported already).
    // (A multiple of 60 is whole; one of 0 or less never makes the look-back too long.)
    const validPeriod = m.periodSeconds % 60 === 0 && m.periodSeconds <= ALARM_LIMITS.maxPeriodSeconds;
    const validPeriods = Number.isInteger(m.evaluationPeriods) && m.evaluationPeriods >= 1;
    if (validPeriods && m.datapointsToAlarm > m.evaluationPeriods) {
      issue(
        ["datapointsToAlarm"],
        `must be at most evaluationPeriods (${m.evaluationPeriods}): an alarm counts breaching periods among the last evaluationPeriods (${ALARM_LIMITS.source})`,
      );
    }
    const short = m.periodSeconds < ALARM_LIMITS.longPeriodSeconds;
    const maxWindow = short ? ALARM_LIMITS.maxShortPeriodWindowSeconds : ALARM_LIMITS.maxWindowSeconds;
    if (validPeriod && validPeriods && m.periodSeconds * m.evaluationPeriods > maxWindow) {
      issue(
        ["evaluationPeriods"],
        `makes alarms look back ${m.periodSeconds * m.evaluationPeriods} s (periodSeconds ${m.periodSeconds} × ${m.evaluationPeriods}); CloudWatch allows at most ${maxWindow} s, ${short ? `one day with a period under ${ALARM_LIMITS.longPeriodSeconds} s` : "seven days"} (${ALARM_LIMITS.source})`,
      );
    }
    if (!m.enabled && m.topicArn) issue(["topicArn"], "only applies with monitoring.enabled = true");
  },
).default({});

/** The topic Regions: an alarm (and an endpoint service) notifies topics of its own Region only. */
export function monitoringRules(cfg: AppConfigShape, ctx: z.RefinementCtx): void {
  const { monitoring } = cfg;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  const wellFormed = (arn: string | undefined): arn is string => arn !== undefined && topicArn.safeParse(arn).success;
  if (wellFormed(monitoring.topicArn)) {
    if (!cfg.provider) {
      issue(
        ["monitoring", "topicArn"],
        "only applies with a \"provider\": it is the provider stack's topic (give a consumer's own in consumers[].alarmTopicArn)",
      );
    } else if (topicRegion(monitoring.topicArn) !== cfg.provider.region) {
      issue(
        ["monitoring", "topicArn"],
        `is in ${topicRegion(monitoring.topicArn)}, but the provider stack is in ${cfg.provider.region} (provider.region): CloudWatch alarms notify topics of their own Region only (${ALARM_LIMITS.topicSource})`,
      );
    }
  }
  cfg.consumers.forEach((c, i) => {
    if (!wellFormed(c.alarmTopicArn)) return;
    if (!monitoring.enabled) issue(["consumers", i, "alarmTopicArn"], "only applies with monitoring.enabled = true");
    else if (topicRegion(c.alarmTopicArn) !== c.region) {
      issue(
        ["consumers", i, "alarmTopicArn"],
        `is in ${topicRegion(c.alarmTopicArn)}, but this consumer's stack is in ${c.region} (consumers[${i}].region): CloudWatch alarms notify topics of their own Region only (${ALARM_LIMITS.topicSource})`,
      );
    }
  });
}
