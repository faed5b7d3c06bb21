/**
 * Monitoring: every alarm and every dashboard graph names a metric, namespace, dimensions and
 * statistic AWS publishes for the resource it watches (checked against the table in
 * support/cloudwatch-metrics.ts, with its doc links); the alarms the issue asks for exist at
 * each hop and follow the config; alarms and connection events reach an encrypted topic.
 */
import { configWith, examples, synthAll, synthExample } from "../helpers";
import { baseConfigs } from "../support/config-bases";
import { METRICS, statProblem } from "../support/cloudwatch-metrics";
import { jsonencoded } from "../support/jsonencoded";
import { parseConfig } from "../../config/load";
import { readFileSync } from "node:fs";
import { join } from "node:path";

type Json = Record<string, any>;

/** A dashboard body as written: a JSON string (JSON output) or a jsonencode expression (HCL output). */
const dashboardBody = (body: string): Json => (body.startsWith("${jsonencode(") ? jsonencoded(body) : JSON.parse(body));

/** One metric as an alarm or a graph uses it. */
interface MetricUse {
  readonly where: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly stat: string;
}

/** Every metric the stack's alarms and dashboards use. */
export function metricUses(stack: Json): MetricUse[] {
  const uses: MetricUse[] = [];
  for (const [name, a] of Object.entries<Json>(stack.resource?.aws_cloudwatch_metric_alarm ?? {})) {
    const where = `aws_cloudwatch_metric_alarm.${name}`;
    if (a.metric_name) {
      uses.push({
        where,
        namespace: a.namespace,
        metricName: a.metric_name,
        dimensions: a.dimensions ?? {},
        stat: a.statistic ?? a.extended_statistic,
      });
    }
    for (const q of a.metric_query ?? []) {
      if (q.metric) {
        uses.push({
          where: `${where} (${q.id})`,
          namespace: q.metric.namespace,
          metricName: q.metric.metric_name,
          dimensions: q.metric.dimensions ?? {},
          stat: q.metric.stat,
        });
      }
    }
  }
  for (const [name, d] of Object.entries<Json>(stack.resource?.aws_cloudwatch_dashboard ?? {})) {
    const body = dashboardBody(d.dashboard_body);
    for (const w of body.widgets.filter((x: Json) => x.type === "metric")) {
      for (const m of w.properties.metrics) {
        const options = typeof m[m.length - 1] === "object" ? m[m.length - 1] : {};
        const pairs: string[] = m.slice(2, typeof m[m.length - 1] === "object" ? -1 : undefined);
        const dimensions = Object.fromEntries(pairs.flatMap((_, i) => (i % 2 === 0 ? [[pairs[i], pairs[i + 1]]] : [])));
        uses.push({
          where: `aws_cloudwatch_dashboard.${name} "${w.properties.title}"`,
          namespace: m[0],
          metricName: m[1],
          dimensions,
          stat: options.stat ?? w.properties.stat ?? "Average",
        });
      }
    }
  }
  return uses;
}

/** The resource a `${type.name.attr}` reference points at, and the attribute. */
function target(stack: Json, value: string): { type: string; attrs: Json; attribute: string; data: boolean } | undefined {
  const m = /^\$\{(data\.)?([a-z0-9_]+)\.([\w-]+)\.([a-z_]+)\}$/.exec(value);
  if (!m) return undefined;
  const attrs = (m[1] ? stack.data : stack.resource)?.[m[2]]?.[m[3]];
  return attrs ? { type: m[2], attrs, attribute: m[4], data: Boolean(m[1]) } : undefined;
}

/** The subnets of the stack's NLB, as the references its `subnets` hold. */
const nlbSubnets = (stack: Json): string[] =>
  Object.values<Json>(stack.resource?.aws_lb ?? {}).find((lb) => lb.load_balancer_type === "network")?.subnets ?? [];

/** Why a dimension's value does not pick the kind of resource the metric is published for. */
function dimensionProblem(stack: Json, use: MetricUse, name: string, value: string): string | undefined {
  const t = target(stack, value);
  const is = (type: string, attribute: string) => t?.type === type && t.attribute === attribute;
  const lbOf = (kind: string) => is("aws_lb", "arn_suffix") && (t?.attrs.load_balancer_type ?? "application") === kind;
  const az = () => {
    if (!(is("aws_subnet", "availability_zone") || is("aws_subnet", "availability_zone"))) return false;
    const ref = t?.data ? t.attrs.id : `\${aws_subnet.${/\.([\w-]+)\./.exec(value)?.[1]}.id}`;
    return nlbSubnets(stack).includes(ref);
  };
  const rules: Record<string, Record<string, () => boolean>> = {
    "AWS/NetworkELB": {
      LoadBalancer: () => lbOf("network"),
      AvailabilityZone: az,
      TargetGroup: () => is("aws_lb_target_group", "arn_suffix"),
    },
    "AWS/ApplicationELB": {
      LoadBalancer: () => lbOf("application"),
      TargetGroup: () => is("aws_lb_target_group", "arn_suffix") && t?.attrs.target_type === "lambda",
      AvailabilityZone: () => is("aws_subnet", "availability_zone"),
    },
    "AWS/Lambda": {
      FunctionName: () =>
        is("aws_lambda_function", "function_name") &&
        (METRICS[use.namespace][use.metricName]?.onlyWhen !== "reserved concurrency" ||
          t?.attrs.reserved_concurrent_executions !== undefined),
    },
    "AWS/PrivateLinkServices": {
      "Service Id": () => is("aws_vpc_endpoint_service", "id"),
      "Load Balancer Arn": () => is("aws_lb", "arn"),
      Az: az,
    },
    "AWS/PrivateLinkEndpoints": {
      "Endpoint Type": () => value === "Interface",
      "Service Name": () => is("aws_vpc_endpoint", "service_name"),
      "VPC Endpoint Id": () => is("aws_vpc_endpoint", "id"),
      "VPC Id": () => is("aws_vpc_endpoint", "vpc_id"),
    },
  };
  const rule = rules[use.namespace]?.[name];
  return rule?.() ? undefined : `dimension ${name} = ${value} does not pick a resource ${use.metricName} is published for`;
}

/** Every way the stack's metric uses differ from what AWS publishes: empty when all hold. */
export function metricProblems(stack: Json): string[] {
  return metricUses(stack).flatMap((use) => {
    const fact = METRICS[use.namespace]?.[use.metricName];
    if (!fact) return [`${use.where}: ${use.namespace} ${use.metricName} is not a metric AWS publishes here`];
    const names = Object.keys(use.dimensions).sort();
    const problems: string[] = [];
    if (!fact.dimensionSets.some((set) => set.join("|") === names.join("|"))) {
      problems.push(`${use.where}: ${use.metricName} is not published with dimensions [${names.join(", ")}]`);
    }
    for (const [name, value] of Object.entries(use.dimensions)) {
      const p = dimensionProblem(stack, use, name, value);
      if (p) problems.push(`${use.where}: ${p}`);
    }
    if (use.metricName === "HealthyHostCount") {
      const group = target(stack, use.dimensions.TargetGroup ?? "");
      if (group?.attrs.target_type === "alb") problems.push(`${use.where}: HealthyHostCount ${fact.note}`);
    }
    const stat = statProblem(fact, use.stat);
    if (stat) problems.push(`${use.where}: ${stat}`);
    return problems;
  });
}

const alarms = (stack: Json): Record<string, Json> => stack.resource?.aws_cloudwatch_metric_alarm ?? {};

describe("monitoring: every metric exists for its resource", () => {
  let provider: Json;
  let consumer: Json;
  beforeAll(async () => {
    const all = await synthAll();
    provider = all.provider.json;
    consumer = all.consumers[0].json;
  });

  test("the default stacks: alarms and dashboards hold to AWS's published metrics", () => {
    expect(metricUses(provider).length).toBeGreaterThan(20);
    expect(metricUses(consumer).length).toBeGreaterThan(5);
    expect(metricProblems(provider)).toEqual([]);
    expect(metricProblems(consumer)).toEqual([]);
  });

  test.each(examples)("example %s: every stack's metrics hold", async (file) => {
    for (const folder of await synthExample(file)) {
      const json = JSON.parse(readFileSync(join(folder.dir, "cdk.tf.json"), "utf8"));
      expect({ stack: folder.module, problems: metricProblems(json) }).toEqual({ stack: folder.module, problems: [] });
    }
  });

  test.each(baseConfigs().map((raw, i) => [i, raw] as const))("test base config %i: every stack's metrics hold", async (_i, raw) => {
    const all = await synthAll(parseConfig(raw, "base"));
    for (const [name, stack] of Object.entries(all.byName)) {
      expect({ name, problems: metricProblems(stack.json) }).toEqual({ name, problems: [] });
    }
  });

  // Proof that the check fails: each breakage is one the table catches.
  const broken = (edit: (p: Json) => void) => {
    const copy = JSON.parse(JSON.stringify(provider));
    edit(copy);
    return metricProblems(copy);
  };
  test.each<[string, (p: Json) => void, string]>([
    [
      "a misspelt metric",
      (p) => (p.resource.aws_cloudwatch_metric_alarm.lambda_throttles.metric_name = "Throttle"),
      "AWS/Lambda Throttle is not a metric AWS publishes here",
    ],
    [
      "a metric in the wrong namespace",
      (p) => (p.resource.aws_cloudwatch_metric_alarm.nlb_blocked_flows.namespace = "AWS/ApplicationELB"),
      "AWS/ApplicationELB SecurityGroupBlockedFlowCount_Inbound_TCP is not a metric",
    ],
    [
      "a dimension set AWS does not publish",
      (p) =>
        (p.resource.aws_cloudwatch_metric_alarm.alb_5xx_rate.metric_query[0].metric.dimensions.TargetGroup =
          "${aws_lb_target_group.alb_lambda.arn_suffix}"),
      "HTTPCode_ELB_5XX_Count is not published with dimensions [LoadBalancer, TargetGroup]",
    ],
    [
      "the NLB's metric pointed at the ALB",
      (p) => (p.resource.aws_cloudwatch_metric_alarm.nlb_blocked_flows.dimensions.LoadBalancer = "${aws_lb.alb.arn_suffix}"),
      "dimension LoadBalancer = ${aws_lb.alb.arn_suffix} does not pick a resource SecurityGroupBlockedFlowCount_Inbound_TCP is published for",
    ],
    [
      "a load balancer by ARN instead of ARN suffix",
      (p) => (p.resource.aws_cloudwatch_metric_alarm.alb_response_time.dimensions.LoadBalancer = "${aws_lb.alb.arn}"),
      "dimension LoadBalancer = ${aws_lb.alb.arn} does not pick",
    ],
    [
      "a zone the NLB is not in",
      (p) => (p.resource.aws_cloudwatch_metric_alarm.nlb_zonal_health_apne1_az1.dimensions.AvailabilityZone = "ap-northeast-1a"),
      "dimension AvailabilityZone = ap-northeast-1a does not pick",
    ],
    [
      "a function by a literal name",
      (p) => (p.resource.aws_cloudwatch_metric_alarm.lambda_errors.metric_query[0].metric.dimensions.FunctionName = "hello-privatelink"),
      "dimension FunctionName = hello-privatelink does not pick",
    ],
    [
      "NLB healthy hosts of an ALB target",
      (p) =>
        (p.resource.aws_cloudwatch_metric_alarm.nlb_zonal_health_apne1_az1 = {
          ...p.resource.aws_cloudwatch_metric_alarm.nlb_zonal_health_apne1_az1,
          metric_name: "HealthyHostCount",
          dimensions: { LoadBalancer: "${aws_lb.nlb.arn_suffix}", TargetGroup: "${aws_lb_target_group.nlb_alb.arn_suffix}" },
        }),
      "HealthyHostCount does not include any Application Load Balancers registered as targets",
    ],
    [
      "a function's own concurrency without reserved concurrency",
      (p) =>
        (p.resource.aws_cloudwatch_metric_alarm.lambda_throttles = {
          ...p.resource.aws_cloudwatch_metric_alarm.lambda_throttles,
          metric_name: "ConcurrentExecutions",
          statistic: "Maximum",
        }),
      "dimension FunctionName = ${aws_lambda_function.lambda.function_name} does not pick a resource ConcurrentExecutions is published for",
    ],
    [
      "a percentile of a count",
      (p) => (p.resource.aws_cloudwatch_metric_alarm.lambda_throttles.statistic = "p99"),
      "statistic p99 (meaningful: Sum)",
    ],
    [
      "a dashboard graph with a misspelt metric",
      (p) =>
        (p.resource.aws_cloudwatch_dashboard.dashboard.dashboard_body =
          p.resource.aws_cloudwatch_dashboard.dashboard.dashboard_body.replace('"EndpointsCount"', '"EndpointCount"')),
      'aws_cloudwatch_dashboard.dashboard "Endpoints connected": AWS/PrivateLinkServices EndpointCount is not a metric',
    ],
  ])("the check catches %s", (_what, edit, problem) => {
    expect(broken(edit).join("\n")).toContain(problem);
  });
});

describe("monitoring: the alarms at each hop", () => {
  test("provider: service resets, each NLB AZ's health, blocked flows, ALB 5xx, and each function's target and own health", async () => {
    const { provider } = await synthAll();
    expect(Object.keys(alarms(provider.json)).sort()).toEqual([
      "alb_5xx_rate",
      "alb_response_time",
      "alb_target_5xx_rate",
      "lambda_duration",
      "lambda_errors",
      "lambda_throttles",
      "nlb_blocked_flows",
      "nlb_zonal_health_apne1_az1",
      "nlb_zonal_health_apne1_az4",
      "service_reset_packets",
    ]);
  });

  test("consumer: the endpoint's dropped packets and resets", async () => {
    const { consumers } = await synthAll();
    expect(Object.keys(alarms(consumers[0].json)).sort()).toEqual(["endpoint_dropped_packets", "endpoint_reset_packets"]);
  });

  test("a consumer that reaches its service cross-Region: no endpoint alarms (PrivateLink publishes no metrics for it), and a dashboard that says so", async () => {
    const config = configWith((raw) => {
      raw.consumers[0].region = "ap-northeast-3";
      raw.consumers[0].network.create.azIds = ["apne3-az1", "apne3-az2"];
    });
    const { consumers } = await synthAll(config);
    const json = consumers[0].json;
    expect(alarms(json)).toEqual({});
    expect(metricUses(json)).toEqual([]);
    const widgets = dashboardBody(json.resource.aws_cloudwatch_dashboard.dashboard.dashboard_body).widgets;
    expect(widgets.map((w: Json) => w.properties.markdown)).toEqual([
      expect.stringMatching(
        /^## Interface endpoint \(PrivateLink, cross-Region\)\nThis endpoint reaches its service in ap-northeast-1; PrivateLink publishes no endpoint metrics for cross-Region access .* npm run smoke -- --from <this stack>\.$/,
      ),
    ]);
  });

  test("thresholds follow the config and each function's timeout; concurrency only where reserved", async () => {
    const config = configWith((raw) => {
      raw.lambda.timeoutSeconds = 20;
      raw.lambda.reservedConcurrency = 50;
      raw.monitoring = {
        periodSeconds: 300,
        evaluationPeriods: 4,
        datapointsToAlarm: 2,
        thresholds: {
          responseTimeShareOfTimeout: 0.5,
          durationShareOfTimeout: 0.9,
          concurrencyShareOfReserved: 0.7,
          functionErrorPercent: 2,
          endpointDroppedPackets: 7,
        },
      };
    });
    const all = await synthAll(config);
    const a = alarms(all.provider.json);
    expect(a.alb_response_time).toMatchObject({ threshold: 10, extended_statistic: "p99", period: 300 });
    expect(a.lambda_duration).toMatchObject({ threshold: 18000, extended_statistic: "p99" });
    expect(a.lambda_concurrency).toMatchObject({ threshold: 35, metric_name: "ConcurrentExecutions", statistic: "Maximum" });
    expect(a.lambda_errors).toMatchObject({ threshold: 2, comparison_operator: "GreaterThanThreshold" });
    expect(a.lambda_errors.metric_query.map((q: Json) => q.metric?.period ?? q.expression)).toEqual([
      300,
      300,
      "100 * FILL(failed, 0) / total",
    ]);
    for (const alarm of [...Object.values(a), ...Object.values(alarms(all.consumers[0].json))]) {
      expect(alarm).toMatchObject({ evaluation_periods: 4, datapoints_to_alarm: 2, actions_enabled: true });
    }
    expect(alarms(all.consumers[0].json).endpoint_dropped_packets).toMatchObject({ threshold: 7, period: 300 });
  });

  test("no blocked-flows alarm when the NLB does not filter PrivateLink traffic", async () => {
    const all = await synthAll(configWith((raw) => (raw.service.privateLinkInboundRules = "off")));
    expect(alarms(all.provider.json).nlb_blocked_flows).toBeUndefined();
  });

  test("an existing VPC: one zonal alarm per NLB subnet, keyed by subnet ID, on the subnet's AZ as AWS reports it", async () => {
    const all = await synthExample("existing-vpcs-s3-state.json");
    const json = JSON.parse(readFileSync(join(all[0].dir, "cdk.tf.json"), "utf8"));
    const config = JSON.parse(readFileSync(join(__dirname, "..", "..", "config", "examples", "existing-vpcs-s3-state.json"), "utf8"));
    const zonal = Object.entries(alarms(json)).filter(([k]) => k.startsWith("nlb_zonal_health_"));
    expect(zonal.map(([k]) => k).sort()).toEqual(
      config.provider.network.existing.nlbSubnetIds.map((id: string) => `nlb_zonal_health_${id.replace(/-/g, "_")}`).sort(),
    );
    for (const [, alarm] of zonal) expect(alarm.dimensions.AvailabilityZone).toMatch(/^\$\{data\.aws_subnet\.[\w-]+\.availability_zone\}$/);
  });

  test("every function gets its own alarms, named after it", async () => {
    const all = await synthExample("two-functions-routes.json");
    const json = JSON.parse(readFileSync(join(all[0].dir, "cdk.tf.json"), "utf8"));
    const names = Object.values(alarms(json)).map((a) => a.alarm_name);
    const functions = Object.values<Json>(json.resource.aws_lambda_function).map((f) => f.function_name);
    expect(functions.length).toBe(2);
    for (const fn of functions) {
      for (const suffix of ["errors", "throttles", "duration", "target-5xx-rate", "response-time"])
        expect(names).toContain(`${fn}-${suffix}`);
    }
  });

  test("switched off: no alarm, topic, key, dashboard or notification in any stack", async () => {
    const all = await synthAll(configWith((raw) => (raw.monitoring = { enabled: false })));
    for (const stack of Object.values(all.byName)) {
      for (const type of [
        "aws_cloudwatch_metric_alarm",
        "aws_sns_topic",
        "aws_kms_key",
        "aws_cloudwatch_dashboard",
        "aws_vpc_endpoint_connection_notification",
      ]) {
        expect({ type, present: stack.json.resource[type] !== undefined }).toEqual({ type, present: false });
      }
    }
  });
});

describe("monitoring: where alarms and connection events go", () => {
  test("each stack's topic is encrypted with its own rotating key that the publishers may use", async () => {
    const all = await synthAll();
    for (const stack of [all.provider.json, all.consumers[0].json]) {
      expect(stack.resource.aws_sns_topic.alarms.kms_master_key_id).toBe("${aws_kms_key.alarms.arn}");
      expect(stack.resource.aws_kms_key.alarms.enable_key_rotation).toBe(true);
      expect(jsonencoded(stack.resource.aws_kms_key.alarms.policy).Statement[0]).toEqual({
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: expect.stringMatching(/^arn:\$\{data\.aws_partition\.current\.partition\}:iam::\d{12}:root$/) },
        Action: "kms:*",
        Resource: "*",
      });
      for (const alarm of Object.values(alarms(stack))) {
        expect(alarm.alarm_actions).toEqual(["${aws_sns_topic.alarms.arn}"]);
        expect(alarm.ok_actions).toEqual(["${aws_sns_topic.alarms.arn}"]);
      }
    }
    // The publishers may encrypt messages with the key, and nothing else (AWS's documented statement).
    const keyUsers = (stack: Json) => jsonencoded(stack.resource.aws_kms_key.alarms.policy);
    expect(keyUsers(all.provider.json)).toMatchObject({ Version: "2012-10-17" });
    expect(keyUsers(all.provider.json).Statement).toHaveLength(2);
    expect(keyUsers(all.provider.json).Statement[1]).toEqual({
      Sid: "PublishersEncryptMessages",
      Effect: "Allow",
      Principal: { Service: ["cloudwatch.amazonaws.com", "vpce.amazonaws.com"] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    });
    expect(keyUsers(all.consumers[0].json).Statement[1].Principal.Service).toEqual(["cloudwatch.amazonaws.com"]);
    expect(all.provider.json.resource.aws_kms_key.alarms.description).toBe(
      `Encrypts the SNS topic ${all.provider.json.resource.aws_sns_topic.alarms.name}`,
    );
  });

  test("the topic policy lets each publisher in for this account's resources only", async () => {
    const { provider } = await synthAll();
    const statements = provider.json.data.aws_iam_policy_document.alarms_topic.statement;
    // Publish on this topic, by a service principal, under both conditions; nothing more.
    expect(
      statements.map((s: Json) => [s.sid, s.actions, s.resources, s.principals[0].type, s.condition.map((c: Json) => c.test)]),
    ).toEqual([0, 1].map((i) => [`Publish${i}`, ["sns:Publish"], ["${aws_sns_topic.alarms.arn}"], "Service", ["StringEquals", "ArnLike"]]));
    expect(provider.json.resource.aws_sns_topic_policy.alarms.policy).toBe("${data.aws_iam_policy_document.alarms_topic.json}");
    expect(statements.map((s: Json) => [s.principals[0].identifiers, s.condition.map((c: Json) => [c.variable, c.values])])).toEqual([
      [
        ["cloudwatch.amazonaws.com"],
        [
          ["aws:SourceAccount", ["111111111111"]],
          ["aws:SourceArn", ["arn:${data.aws_partition.current.partition}:cloudwatch:ap-northeast-1:111111111111:alarm:*"]],
        ],
      ],
      [
        ["vpce.amazonaws.com"],
        [
          ["aws:SourceAccount", ["111111111111"]],
          ["aws:SourceArn", ["arn:${data.aws_partition.current.partition}:ec2:ap-northeast-1:111111111111:vpc-endpoint-service/*"]],
        ],
      ],
    ]);
  });

  test("connection events (connect, accept, reject, delete) go to the topic once its policy is in place", async () => {
    const { provider } = await synthAll();
    expect(provider.json.resource.aws_vpc_endpoint_connection_notification.service_connections).toMatchObject({
      vpc_endpoint_service_id: "${aws_vpc_endpoint_service.service.id}",
      connection_notification_arn: "${aws_sns_topic.alarms.arn}",
      connection_events: ["Accept", "Connect", "Delete", "Reject"],
      depends_on: ["aws_sns_topic_policy.alarms"],
    });
  });

  test("an existing topic: used as given, nothing created for it, no policy of ours to wait for", async () => {
    const topic = "arn:aws:sns:ap-northeast-1:111111111111:ops-alarms";
    const all = await synthAll(
      configWith((raw) => {
        raw.monitoring = { topicArn: topic };
        raw.consumers[0].alarmTopicArn = "arn:aws:sns:ap-northeast-1:222222222222:ops-alarms";
      }),
    );
    const p = all.provider.json;
    expect(p.resource.aws_sns_topic).toBeUndefined();
    expect(p.resource.aws_kms_key).toBeUndefined();
    for (const alarm of Object.values(alarms(p))) expect(alarm.alarm_actions).toEqual([topic]);
    expect(p.resource.aws_vpc_endpoint_connection_notification.service_connections.connection_notification_arn).toBe(topic);
    expect(p.resource.aws_vpc_endpoint_connection_notification.service_connections.depends_on).toBeUndefined();
    expect(p.output.alarm_topic_arn.value).toBe(topic);
    for (const alarm of Object.values(alarms(all.consumers[0].json)))
      expect(alarm.alarm_actions).toEqual(["arn:aws:sns:ap-northeast-1:222222222222:ops-alarms"]);
  });
});

describe("monitoring: the dashboards", () => {
  test("the provider's shows the alarms, then each hop in request order; the consumer's its endpoint", async () => {
    const all = await synthAll();
    const body = (stack: Json) => dashboardBody(stack.resource.aws_cloudwatch_dashboard.dashboard.dashboard_body);
    const headings = (stack: Json) =>
      body(stack)
        .widgets.filter((w: Json) => w.type === "text")
        .map((w: Json) => w.properties.markdown.split("\n")[0]);
    expect(headings(all.provider.json)).toEqual([
      "## Endpoint service (PrivateLink)",
      "## Network Load Balancer",
      "## Application Load Balancer",
      "## Function hello-privatelink",
    ]);
    expect(headings(all.consumers[0].json)).toEqual(["## Interface endpoint (PrivateLink)"]);
    const alarmWidget = body(all.provider.json).widgets[0];
    expect(alarmWidget.type).toBe("alarm");
    expect(alarmWidget.properties.alarms).toHaveLength(Object.keys(alarms(all.provider.json)).length);
    expect(all.provider.json.resource.aws_cloudwatch_dashboard.dashboard.dashboard_name).toBe("hello-privatelink-service");
    expect(all.consumers[0].json.resource.aws_cloudwatch_dashboard.dashboard.dashboard_name).toBe("hello-privatelink-consumer-endpoint");
  });

  test("the body reads back exactly: strings with quotes, newlines and references", () => {
    const body =
      '${jsonencode({"widgets" = [{"x" = 0, "ok" = true, "t" = "a \\"b\\" = c\\nd", "alarms" = [aws_x.y.arn, data.aws_subnet.s-1.availability_zone]}]})}';
    expect(jsonencoded(body)).toEqual({
      widgets: [{ x: 0, ok: true, t: 'a "b" = c\nd', alarms: ["${aws_x.y.arn}", "${data.aws_subnet.s-1.availability_zone}"] }],
    });
  });

  test("widgets never overlap on the 24-wide grid", async () => {
    const all = await synthAll(parseConfig(baseConfigs()[2], "base"));
    for (const stack of Object.values(all.byName)) {
      const widgets = dashboardBody(stack.json.resource.aws_cloudwatch_dashboard.dashboard.dashboard_body).widgets;
      const cells = new Set<string>();
      for (const w of widgets) {
        expect(w.x + w.width).toBeLessThanOrEqual(24);
        for (let x = w.x; x < w.x + w.width; x++)
          for (let y = w.y; y < w.y + w.height; y++) {
            expect(cells.has(`${x},${y}`)).toBe(false);
            cells.add(`${x},${y}`);
          }
      }
    }
  });
});
