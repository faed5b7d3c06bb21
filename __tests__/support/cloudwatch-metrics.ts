/**
 * The CloudWatch metrics AWS publishes for the resources this app creates: for each metric,
 * the dimension sets it is published under, the statistics that mean something for it, and
 * the page that says so. Written from AWS's documentation, independently of lib/monitoring.ts,
 * so the monitoring test can hold every alarm and graph to it.
 */

const DOCS = {
  privateLink: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html",
  recommended: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html",
  nlb: "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html",
  alb: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html",
  lambda: "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
} as const;

/** One metric: its dimension sets (names sorted), meaningful statistics, and source. */
export interface MetricFact {
  readonly dimensionSets: readonly (readonly string[])[];
  /** Statistics that mean something for it; `pNN` stands for any percentile. */
  readonly stats: readonly string[];
  readonly doc: string;
  /** What a reader must know (such as what the metric leaves out). */
  readonly note?: string;
  /** Published only for some resources of the kind: the test checks the condition. */
  readonly onlyWhen?: "reserved concurrency";
}

const sets = (...s: string[][]) => s.map((d) => [...d].sort());

const ENDPOINT_SETS = sets(
  ["Endpoint Type", "Service Name", "VPC Endpoint Id", "VPC Id"],
  ["Endpoint Type", "Service Name", "Subnet Id", "VPC Endpoint Id", "VPC Id"],
);
const SERVICE_SETS = sets(
  ["Service Id"],
  ["Az", "Service Id"],
  ["Load Balancer Arn", "Service Id"],
  ["Az", "Load Balancer Arn", "Service Id"],
  ["Service Id", "VPC Endpoint Id"],
);
const NLB_SETS = sets(["LoadBalancer"], ["AvailabilityZone", "LoadBalancer"]);
const ALB_LB_SETS = sets(["LoadBalancer"], ["AvailabilityZone", "LoadBalancer"]);
const ALB_TG_SETS = sets(
  ["LoadBalancer"],
  ["AvailabilityZone", "LoadBalancer"],
  ["LoadBalancer", "TargetGroup"],
  ["AvailabilityZone", "LoadBalancer", "TargetGroup"],
);
const LAMBDA_SETS = sets(["FunctionName"]);
const SUM = ["Sum"];
const GAUGE = ["Average", "Maximum", "Minimum"];

/** Namespace → metric → facts. */
export const METRICS: Readonly<Record<string, Readonly<Record<string, MetricFact>>>> = {
  "AWS/PrivateLinkEndpoints": {
    ActiveConnections: { dimensionSets: ENDPOINT_SETS, stats: GAUGE, doc: DOCS.privateLink },
    BytesProcessed: { dimensionSets: ENDPOINT_SETS, stats: SUM, doc: DOCS.privateLink },
    NewConnections: { dimensionSets: ENDPOINT_SETS, stats: SUM, doc: DOCS.privateLink },
    PacketsDropped: { dimensionSets: ENDPOINT_SETS, stats: SUM, doc: `${DOCS.privateLink} ; ${DOCS.recommended}` },
    RstPacketsReceived: { dimensionSets: ENDPOINT_SETS, stats: SUM, doc: DOCS.privateLink },
  },
  "AWS/PrivateLinkServices": {
    ActiveConnections: { dimensionSets: SERVICE_SETS, stats: GAUGE, doc: DOCS.privateLink },
    BytesProcessed: { dimensionSets: SERVICE_SETS, stats: SUM, doc: DOCS.privateLink },
    EndpointsCount: { dimensionSets: sets(["Service Id"]), stats: GAUGE, doc: DOCS.privateLink },
    NewConnections: { dimensionSets: SERVICE_SETS, stats: SUM, doc: DOCS.privateLink },
    RstPacketsSent: { dimensionSets: SERVICE_SETS, stats: SUM, doc: `${DOCS.privateLink} ; ${DOCS.recommended}` },
  },
  "AWS/NetworkELB": {
    ActiveFlowCount_TCP: { dimensionSets: NLB_SETS, stats: GAUGE, doc: DOCS.nlb },
    NewFlowCount_TCP: { dimensionSets: NLB_SETS, stats: SUM, doc: DOCS.nlb },
    SecurityGroupBlockedFlowCount_Inbound_TCP: { dimensionSets: NLB_SETS, stats: SUM, doc: DOCS.nlb },
    RejectedFlowCount_TCP: { dimensionSets: NLB_SETS, stats: SUM, doc: DOCS.nlb },
    TCP_Client_Reset_Count: { dimensionSets: NLB_SETS, stats: SUM, doc: DOCS.nlb },
    TCP_ELB_Reset_Count: { dimensionSets: NLB_SETS, stats: SUM, doc: DOCS.nlb },
    TCP_Target_Reset_Count: { dimensionSets: NLB_SETS, stats: SUM, doc: DOCS.nlb },
    ZonalHealthStatus: {
      dimensionSets: NLB_SETS,
      stats: ["Maximum", "Minimum"],
      doc: DOCS.nlb,
      note: "1 per healthy AZ; reported when health checks are enabled",
    },
    HealthyHostCount: {
      dimensionSets: sets(["LoadBalancer", "TargetGroup"], ["AvailabilityZone", "LoadBalancer", "TargetGroup"]),
      stats: ["Maximum", "Minimum"],
      doc: DOCS.nlb,
      note: "does not include any Application Load Balancers registered as targets",
    },
  },
  "AWS/ApplicationELB": {
    RequestCount: { dimensionSets: ALB_TG_SETS, stats: SUM, doc: DOCS.alb },
    HTTPCode_ELB_5XX_Count: { dimensionSets: ALB_LB_SETS, stats: SUM, doc: DOCS.alb },
    HTTPCode_Target_5XX_Count: { dimensionSets: ALB_TG_SETS, stats: SUM, doc: DOCS.alb },
    TargetResponseTime: { dimensionSets: ALB_TG_SETS, stats: ["Average", "pNN"], doc: DOCS.alb, note: "seconds" },
    LambdaInternalError: { dimensionSets: sets(["TargetGroup"], ["LoadBalancer", "TargetGroup"]), stats: SUM, doc: DOCS.alb },
    LambdaUserError: { dimensionSets: sets(["TargetGroup"], ["LoadBalancer", "TargetGroup"]), stats: SUM, doc: DOCS.alb },
  },
  "AWS/Lambda": {
    Invocations: { dimensionSets: LAMBDA_SETS, stats: SUM, doc: DOCS.lambda },
    Errors: { dimensionSets: LAMBDA_SETS, stats: SUM, doc: DOCS.lambda },
    Throttles: { dimensionSets: LAMBDA_SETS, stats: SUM, doc: DOCS.lambda },
    Duration: { dimensionSets: LAMBDA_SETS, stats: ["Average", "Maximum", "Minimum", "pNN"], doc: DOCS.lambda, note: "milliseconds" },
    ConcurrentExecutions: {
      dimensionSets: LAMBDA_SETS,
      stats: ["Maximum"],
      doc: `${DOCS.lambda} ; ${DOCS.recommended}`,
      note: "per function only for functions with reserved concurrency",
      onlyWhen: "reserved concurrency",
    },
  },
};

/** Why a statistic does not suit a metric, or undefined when it does. */
export function statProblem(fact: MetricFact, stat: string): string | undefined {
  const ok = fact.stats.some((s) => s === stat || (s === "pNN" && /^p\d{1,2}(\.\d+)?$/.test(stat)));
  return ok ? undefined : `statistic ${stat} (meaningful: ${fact.stats.join(", ")})`;
}
