/**
 * What is watched at each hop of the request path, and when it alarms: the endpoint service
 * (AWS/PrivateLinkServices), the NLB (AWS/NetworkELB), the ALB (AWS/ApplicationELB), each
 * function (AWS/Lambda) and, on the consumer side, the interface endpoint
 * (AWS/PrivateLinkEndpoints). Pure: it turns resource handles into alarm specs and dashboard
 * rows; the constructs create them.
 */
import type { AlarmSpec, MetricRef } from "./constructs/alarms";
import type { DashboardRow, Graph } from "./constructs/dashboard";

/** What sets the alarms off. Percentages are of requests or invocations; shares are of a limit. */
export interface AlarmThresholds {
  readonly loadBalancer5xxPercent: number;
  readonly target5xxPercent: number;
  readonly responseTimeShareOfTimeout: number;
  readonly functionErrorPercent: number;
  readonly functionThrottles: number;
  readonly durationShareOfTimeout: number;
  readonly concurrencyShareOfReserved: number;
  readonly blockedFlows: number;
  readonly serviceResetPackets: number;
  readonly endpointDroppedPackets: number;
  readonly endpointResetPackets: number;
}

/** Alarm specs and dashboard rows of one stack. */
export interface Watch {
  readonly alarms: AlarmSpec[];
  readonly rows: DashboardRow[];
}

/** One function behind the ALB, as the provider's alarms see it. */
export interface WatchedFunction {
  /** The suffix of its alarms' addresses: "" for the main function, else `_<name>`. */
  readonly addressSuffix: string;
  /** Its name as a literal (alarm names are built from it). */
  readonly functionName: string;
  /** Its name as the function resource's attribute (the dimension value). */
  readonly functionNameRef: string;
  /** Its target group's `arn_suffix`. */
  readonly targetGroup: string;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency?: number;
}

/** The provider side's resources, as references. */
export interface ProviderWatchProps {
  /** The app's name: alarm names start with it. */
  readonly name: string;
  readonly thresholds: AlarmThresholds;
  /** The endpoint service's ID. */
  readonly serviceId: string;
  /** The NLB's `arn_suffix`. */
  readonly nlb: string;
  /** Each AZ of the NLB: a stable key for addresses and names, and the AZ's name (a reference). */
  readonly nlbAzs: readonly { readonly key: string; readonly name: string }[];
  /** Whether the NLB's security group filters PrivateLink traffic (inbound rules on). */
  readonly nlbFiltersClients: boolean;
  /** The ALB's `arn_suffix`. */
  readonly alb: string;
  readonly functions: readonly WatchedFunction[];
}

const SERVICES = "AWS/PrivateLinkServices";
const ENDPOINTS = "AWS/PrivateLinkEndpoints";
const NLB = "AWS/NetworkELB";
const ALB = "AWS/ApplicationELB";
const LAMBDA = "AWS/Lambda";

const metric = (namespace: string, metricName: string, dimensions: Record<string, string>, stat: string, label?: string) => ({
  namespace,
  metricName,
  dimensions,
  stat,
  ...(label ? { label } : {}),
});
const graph = (title: string, ...metrics: (MetricRef & { label?: string })[]): Graph => ({ title, metrics });
/** `name` as an address part: letters, digits and underscores. */
const addressPart = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_");

/** The provider's alarms and dashboard rows: service, NLB, ALB, then each function. */
export function providerWatch(p: ProviderWatchProps): Watch {
  const t = p.thresholds;
  const service = { "Service Id": p.serviceId };
  const nlb = { LoadBalancer: p.nlb };
  const alb = { LoadBalancer: p.alb };
  const alarms: AlarmSpec[] = [
    {
      key: "service_reset_packets",
      name: `${p.name}-service-reset-packets`,
      description: `The endpoint service sent ${t.serviceResetPackets} or more TCP resets to consumer endpoints in a period: connections are refused or cut. First check the NLB's zonal health and refused flows on this stack's dashboard.`,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: t.serviceResetPackets,
      missingData: "notBreaching",
      metric: metric(SERVICES, "RstPacketsSent", service, "Sum"),
    },
    // Per AZ: cross-zone is off, so an AZ whose NLB node sees no healthy ALB fails its clients.
    // (HealthyHostCount leaves ALB targets out, so it cannot tell: ZonalHealthStatus can.)
    ...p.nlbAzs.map((az): AlarmSpec => ({
      key: `nlb_zonal_health_${addressPart(az.key)}`,
      name: `${p.name}-nlb-zonal-health-${az.key}`,
      description: `The NLB considers AZ ${az.key} unhealthy: its node there has no healthy ALB to send clients to (cross-zone is off). First check the ALB's health rule and the security groups between NLB and ALB.`,
      comparison: "LessThanThreshold",
      threshold: 1,
      missingData: "missing",
      metric: metric(NLB, "ZonalHealthStatus", { AvailabilityZone: az.name, ...nlb }, "Minimum"),
    })),
    ...(p.nlbFiltersClients
      ? [
          {
            key: "nlb_blocked_flows",
            name: `${p.name}-nlb-blocked-flows`,
            description: `The NLB's security group blocked ${t.blockedFlows} or more inbound TCP flows in a period: clients outside the allowed client CIDRs are calling. First compare the callers' addresses with the consumers' clientCidrs.`,
            comparison: "GreaterThanOrEqualToThreshold" as const,
            threshold: t.blockedFlows,
            missingData: "notBreaching" as const,
            metric: metric(NLB, "SecurityGroupBlockedFlowCount_Inbound_TCP", nlb, "Sum"),
          },
        ]
      : []),
    {
      key: "alb_5xx_rate",
      name: `${p.name}-alb-5xx-rate`,
      description: `More than ${t.loadBalancer5xxPercent}% of requests got a 5xx from the ALB itself (a function that failed, timed out or was throttled, or no target). First check the functions' errors, throttles and duration.`,
      comparison: "GreaterThanThreshold",
      threshold: t.loadBalancer5xxPercent,
      missingData: "notBreaching",
      metric: {
        numerator: metric(ALB, "HTTPCode_ELB_5XX_Count", alb, "Sum"),
        denominator: metric(ALB, "RequestCount", alb, "Sum"),
      },
    },
    ...p.functions.flatMap((f) => functionAlarms(f, p.alb, t)),
  ];
  const rows: DashboardRow[] = [
    {
      title: "Endpoint service (PrivateLink)",
      note: "Consumer endpoints connecting to the service, and the resets it sends them.",
      graphs: [
        graph("Connections", metric(SERVICES, "NewConnections", service, "Sum"), metric(SERVICES, "ActiveConnections", service, "Average")),
        graph("Resets sent to endpoints", metric(SERVICES, "RstPacketsSent", service, "Sum")),
        graph("Endpoints connected", metric(SERVICES, "EndpointsCount", service, "Maximum")),
        graph("Bytes", metric(SERVICES, "BytesProcessed", service, "Sum")),
      ],
    },
    {
      title: "Network Load Balancer",
      note: "Each AZ's health as the NLB sees it (its ALB target there), flows from the endpoints, flows refused (by its security group or itself), resets.",
      graphs: [
        graph(
          "Healthy AZs (1 = healthy)",
          ...p.nlbAzs.map((az) => metric(NLB, "ZonalHealthStatus", { AvailabilityZone: az.name, ...nlb }, "Minimum", az.key)),
        ),
        graph("New flows", metric(NLB, "NewFlowCount_TCP", nlb, "Sum"), metric(NLB, "ActiveFlowCount_TCP", nlb, "Average")),
        graph(
          "Refused flows",
          metric(NLB, "SecurityGroupBlockedFlowCount_Inbound_TCP", nlb, "Sum", "blocked by the security group"),
          metric(NLB, "RejectedFlowCount_TCP", nlb, "Sum", "rejected by the NLB"),
        ),
        graph(
          "TCP resets",
          metric(NLB, "TCP_Client_Reset_Count", nlb, "Sum"),
          metric(NLB, "TCP_ELB_Reset_Count", nlb, "Sum"),
          metric(NLB, "TCP_Target_Reset_Count", nlb, "Sum"),
        ),
      ],
    },
    {
      title: "Application Load Balancer",
      note: "Requests, 5xx answers of the ALB and of the functions, and the response time of each function's target group.",
      graphs: [
        graph("Requests", metric(ALB, "RequestCount", alb, "Sum")),
        graph("5xx", metric(ALB, "HTTPCode_ELB_5XX_Count", alb, "Sum"), metric(ALB, "HTTPCode_Target_5XX_Count", alb, "Sum")),
        graph(
          "Response time p99 (s)",
          ...p.functions.map((f) => metric(ALB, "TargetResponseTime", { ...alb, TargetGroup: f.targetGroup }, "p99", f.functionName)),
        ),
        // Published per target group only.
        graph(
          "Lambda errors the ALB saw",
          ...p.functions.flatMap((f) => [
            metric(ALB, "LambdaUserError", { ...alb, TargetGroup: f.targetGroup }, "Sum", `${f.functionName} user`),
            metric(ALB, "LambdaInternalError", { ...alb, TargetGroup: f.targetGroup }, "Sum", `${f.functionName} internal`),
          ]),
        ),
      ],
    },
    ...p.functions.map((f): DashboardRow => ({
      title: `Function ${f.functionName}`,
      note: `Invocations, errors and throttles, and duration against its ${f.timeoutSeconds} s timeout.`,
      graphs: [
        graph(
          "Invocations and errors",
          metric(LAMBDA, "Invocations", { FunctionName: f.functionNameRef }, "Sum"),
          metric(LAMBDA, "Errors", { FunctionName: f.functionNameRef }, "Sum"),
          metric(LAMBDA, "Throttles", { FunctionName: f.functionNameRef }, "Sum"),
        ),
        graph("Duration p99 (ms)", metric(LAMBDA, "Duration", { FunctionName: f.functionNameRef }, "p99")),
        // Lambda publishes a function's own concurrency only when it reserves some.
        ...(f.reservedConcurrency !== undefined
          ? [graph("Concurrent executions", metric(LAMBDA, "ConcurrentExecutions", { FunctionName: f.functionNameRef }, "Maximum"))]
          : []),
      ],
    })),
  ];
  return { alarms, rows };
}

/** One function's alarms: its target group's 5xx rate and response time, and its own health. */
function functionAlarms(f: WatchedFunction, albSuffix: string, t: AlarmThresholds): AlarmSpec[] {
  const fn = { FunctionName: f.functionNameRef };
  const group = { LoadBalancer: albSuffix, TargetGroup: f.targetGroup };
  const timeoutMs = f.timeoutSeconds * 1000;
  const alarms: AlarmSpec[] = [
    {
      key: `alb_target_5xx_rate${f.addressSuffix}`,
      name: `${f.functionName}-target-5xx-rate`,
      description: `More than ${t.target5xxPercent}% of the requests to ${f.functionName} were answered 5xx by the function itself. First read its log group for the failing requests.`,
      comparison: "GreaterThanThreshold",
      threshold: t.target5xxPercent,
      missingData: "notBreaching",
      metric: {
        numerator: metric(ALB, "HTTPCode_Target_5XX_Count", group, "Sum"),
        denominator: metric(ALB, "RequestCount", group, "Sum"),
      },
    },
    {
      key: `alb_response_time${f.addressSuffix}`,
      name: `${f.functionName}-response-time`,
      description: `The p99 response time of ${f.functionName} reached ${share(t.responseTimeShareOfTimeout)} of its ${f.timeoutSeconds} s timeout: slow requests are about to time out. First check its duration and what it calls.`,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: round(f.timeoutSeconds * t.responseTimeShareOfTimeout),
      missingData: "notBreaching",
      metric: metric(ALB, "TargetResponseTime", group, "p99"),
    },
    {
      key: `lambda_errors${f.addressSuffix}`,
      name: `${f.functionName}-errors`,
      description: `More than ${t.functionErrorPercent}% of the invocations of ${f.functionName} failed (an exception or a timeout); the ALB answered them 502 or 504. First read its log group.`,
      comparison: "GreaterThanThreshold",
      threshold: t.functionErrorPercent,
      missingData: "notBreaching",
      metric: { numerator: metric(LAMBDA, "Errors", fn, "Sum"), denominator: metric(LAMBDA, "Invocations", fn, "Sum") },
    },
    {
      key: `lambda_throttles${f.addressSuffix}`,
      name: `${f.functionName}-throttles`,
      description: `Lambda throttled ${t.functionThrottles} or more invocations of ${f.functionName} in a period; the ALB answered them 503. First compare its concurrency with its reserved concurrency and the account's quota.`,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: t.functionThrottles,
      missingData: "notBreaching",
      metric: metric(LAMBDA, "Throttles", fn, "Sum"),
    },
    {
      key: `lambda_duration${f.addressSuffix}`,
      name: `${f.functionName}-duration`,
      description: `The p99 duration of ${f.functionName} reached ${share(t.durationShareOfTimeout)} of its ${f.timeoutSeconds} s timeout. First look for slow calls in its traces, or raise its timeout.`,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: round(timeoutMs * t.durationShareOfTimeout),
      missingData: "notBreaching",
      metric: metric(LAMBDA, "Duration", fn, "p99"),
    },
  ];
  if (f.reservedConcurrency !== undefined) {
    alarms.push({
      key: `lambda_concurrency${f.addressSuffix}`,
      name: `${f.functionName}-concurrency`,
      description: `${f.functionName} ran ${share(t.concurrencyShareOfReserved)} or more of its ${f.reservedConcurrency} reserved concurrent executions: more load will be throttled. First raise its reserved concurrency, or find why requests got slower.`,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: round(f.reservedConcurrency * t.concurrencyShareOfReserved),
      missingData: "notBreaching",
      metric: metric(LAMBDA, "ConcurrentExecutions", fn, "Maximum"),
    });
  }
  return alarms;
}

/** The consumer's endpoint, as references. */
export interface ConsumerWatchProps {
  /** The consumer's name prefix: alarm names start with it. */
  readonly name: string;
  readonly thresholds: AlarmThresholds;
  readonly endpointId: string;
  /** The endpoint's `service_name`. */
  readonly serviceName: string;
  readonly vpcId: string;
  /** The service's Region, when the endpoint reaches it cross-Region. */
  readonly serviceRegion?: string;
}

/** Where AWS says which endpoints PrivateLink publishes metrics for. */
export const PRIVATELINK_METRICS_SOURCE = "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html";

/**
 * The consumer's alarms and dashboard row: its interface endpoint. PrivateLink publishes no
 * endpoint metrics for an endpoint that reaches its service cross-Region, so such an endpoint
 * gets no alarms (they would stay OK through any outage) and a row that says how to watch it.
 */
export function consumerWatch(c: ConsumerWatchProps): Watch {
  if (c.serviceRegion) {
    return {
      alarms: [],
      rows: [
        {
          title: "Interface endpoint (PrivateLink, cross-Region)",
          note: `This endpoint reaches its service in ${c.serviceRegion}; PrivateLink publishes no endpoint metrics for cross-Region access (${PRIVATELINK_METRICS_SOURCE}), so it has no alarms. Check it end to end with the probe: npm run smoke -- --from <this stack>.`,
          graphs: [],
        },
      ],
    };
  }
  const t = c.thresholds;
  const endpoint = {
    "Endpoint Type": "Interface",
    "Service Name": c.serviceName,
    "VPC Endpoint Id": c.endpointId,
    "VPC Id": c.vpcId,
  };
  const alarms: AlarmSpec[] = [
    {
      key: "endpoint_dropped_packets",
      name: `${c.name}-endpoint-dropped-packets`,
      description: `The endpoint dropped ${t.endpointDroppedPackets} or more packets in a period: the service behind it may be unreachable. First run the probe (npm run smoke -- --from <this stack>), then ask the provider about its NLB's health.`,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: t.endpointDroppedPackets,
      missingData: "notBreaching",
      metric: metric(ENDPOINTS, "PacketsDropped", endpoint, "Sum"),
    },
    {
      key: "endpoint_reset_packets",
      name: `${c.name}-endpoint-reset-packets`,
      description: `The endpoint received ${t.endpointResetPackets} or more TCP resets from the service in a period: connections are refused or cut. First run the probe, then check that clients come from the client CIDRs the provider allows.`,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: t.endpointResetPackets,
      missingData: "notBreaching",
      metric: metric(ENDPOINTS, "RstPacketsReceived", endpoint, "Sum"),
    },
  ];
  const rows: DashboardRow[] = [
    {
      title: "Interface endpoint (PrivateLink)",
      note: "Connections from this VPC's clients to the service, packets the endpoint dropped, and resets the service sent.",
      graphs: [
        graph(
          "Connections",
          metric(ENDPOINTS, "NewConnections", endpoint, "Sum"),
          metric(ENDPOINTS, "ActiveConnections", endpoint, "Average"),
        ),
        graph("Dropped packets", metric(ENDPOINTS, "PacketsDropped", endpoint, "Sum")),
        graph("Resets from the service", metric(ENDPOINTS, "RstPacketsReceived", endpoint, "Sum")),
        graph("Bytes", metric(ENDPOINTS, "BytesProcessed", endpoint, "Sum")),
      ],
    },
  ];
  return { alarms, rows };
}

/** `0.8` as "80%". */
const share = (s: number) => `${round(s * 100)}%`;
/** Rounded to 3 decimals, so a threshold reads the same on every machine and in every plan. */
const round = (n: number) => Math.round(n * 1000) / 1000;
