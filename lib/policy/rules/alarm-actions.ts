import type { Rule } from "../evaluate";
import { list } from "./util";

/** CKV_AWS_319: an alarm notifies someone: actions enabled, and at least one alarm action. */
export const alarmActions: Rule = {
  id: "CKV_AWS_319",
  title: "CloudWatch alarms have actions, enabled",
  appliesTo: ["aws_cloudwatch_metric_alarm"],
  check: (r) => {
    if (r.attrs.actions_enabled === false) return "has actions_enabled = false: it changes state and tells no one";
    if (list(r.attrs.alarm_actions).length === 0) return "has no alarm_actions: it changes state and tells no one";
    return undefined;
  },
};
