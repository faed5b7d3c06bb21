/**
 * Turns a parsed config into the model the stacks build (model.ts): defaults applied once,
 * networks and backends as discriminated types, stack names chosen, and each consumer
 * marked as this app's or an outside service's.
 */
import { cidrContains, cidrSubnet, formatCidr, parseIpv4Cidr } from "../lib/cidr";
import type { SubnetPlacement } from "../lib/constructs/network";
import type { StateBackend } from "../lib/constructs/state-backend";
import { DERIVED_SUBNET_NEWBITS } from "./fields";
import { RUNTIMES } from "../lib/aws/runtimes";
import { assignPriorities } from "../lib/routes";
import { functionNames, MAIN_FUNCTION } from "./function-names";
import type {
  AccountModel,
  AppModel,
  ConsumerModel,
  CreatedNetworkModel,
  FunctionModel,
  ListenerModel,
  MonitoringModel,
  ProviderModel,
} from "./model";
import type { AppConfig, BackendConfig, ConsumerConfig, CreateNetworkConfig, FunctionConfig, ProviderConfig } from "./schema";
import { consumerStackName, PROVIDER_STACK } from "./stack-names";

/** The subnets of a network, given or derived from the VPC CIDR in AZ order. */
export function subnetsOf(net: CreateNetworkConfig): SubnetPlacement[] {
  const vpc = parseIpv4Cidr(net.vpcCidr);
  if (!vpc) throw new Error(`unvalidated vpcCidr ${net.vpcCidr}`);
  return net.azIds.map((id, i) => ({
    azId: id,
    cidr: net.subnetCidrs?.[id] ?? formatCidr(cidrSubnet(vpc, DERIVED_SUBNET_NEWBITS, i)),
  }));
}

function createdNetwork(net: CreateNetworkConfig): CreatedNetworkModel {
  return { kind: "create", vpcCidr: net.vpcCidr, subnets: subnetsOf(net), flowLogs: net.flowLogs };
}

function account(side: Pick<ProviderConfig, "accountId" | "region" | "profile" | "assumeRole">): AccountModel {
  return { accountId: side.accountId, region: side.region, profile: side.profile, assumeRole: side.assumeRole };
}

function backend(config: BackendConfig): StateBackend {
  if (config.s3) return { kind: "s3", ...config.s3 };
  if (config.cloud) return { kind: "cloud", ...config.cloud };
  return { kind: "local", directory: config.local?.directory ?? "state" };
}

/** Client CIDRs of a consumer: as configured, or its created VPC's CIDR. */
function clientCidrsOf(consumer: ConsumerConfig): string[] {
  if (consumer.clientCidrs) return [...consumer.clientCidrs];
  if (consumer.network.create) return [consumer.network.create.vpcCidr];
  // The schema requires clientCidrs with an existing network.
  throw new Error(`consumer ${consumer.name}: unvalidated config without clientCidrs`);
}

function provider(config: AppConfig, side: ProviderConfig, listener: ListenerModel): ProviderModel {
  const { create, existing } = side.network;
  const network: ProviderModel["network"] = create
    ? createdNetwork(create)
    : { kind: "existing", ...required(existing, "provider.network.existing") };
  // Consumers of a service managed elsewhere (serviceName given) are not ours to allow.
  const own = config.consumers.filter((c) => !c.serviceName);
  const { service } = config;
  return {
    stackName: PROVIDER_STACK,
    account: account(side),
    network,
    listener,
    service: {
      healthCheckPath: service.healthCheckPath,
      privateLinkInboundRules: service.privateLinkInboundRules,
      acceptanceRequired: service.acceptanceRequired,
      acceptEndpointIds: service.acceptEndpointIds,
      extraPrincipals: service.allowedPrincipals.map((p) => p.principal),
      privateDns:
        service.privateDnsName && service.privateDnsZoneId ? { name: service.privateDnsName, zoneId: service.privateDnsZoneId } : undefined,
    },
    loadBalancers: config.loadBalancers,
    functions: functionModels(config),
    monitoring: monitoringOf(config, config.monitoring.topicArn),
    lambda: {
      logRetentionDays: config.lambda.logRetentionDays,
      logKmsKeyArn: config.lambda.logKmsKeyArn,
      tracing: config.lambda.tracing,
      codeSigningConfigArn: config.lambda.codeSigningConfigArn,
      signedPackage: config.lambda.signedPackage,
    },
    consumers: {
      accountIds: [...new Set(own.map((c) => c.accountId))],
      clientCidrs: [...new Set([...own.flatMap(clientCidrsOf), ...service.allowedPrincipals.flatMap((p) => p.clientCidrs ?? [])])],
      regions: own.map((c) => c.region),
    },
  };
}

/** The functions, each route with its rule's priority (assigned across every function's routes). */
function functionModels(config: AppConfig): FunctionModel[] {
  const priorities = assignPriorities(config.functions.flatMap((f) => f.routes ?? []));
  let next = 0;
  return config.functions.map((f) =>
    functionModel(
      config,
      f,
      (f.routes ?? []).map(() => priorities[next++]),
    ),
  );
}

/** A function with the shared settings (`lambda`) under its own, and its names. */
function functionModel(config: AppConfig, f: FunctionConfig, priorities: readonly number[]): FunctionModel {
  const shared = config.lambda;
  const names = functionNames(config.name, f.name);
  return {
    name: f.name,
    functionName: names.functionName,
    targetGroupName: names.targetGroupName,
    main: f.name === MAIN_FUNCTION,
    source: f.source,
    runtime: f.runtime,
    language: RUNTIMES[f.runtime].language,
    handler: f.handler,
    architecture: f.architecture ?? shared.architecture,
    memoryMb: f.memoryMb ?? shared.memoryMb,
    timeoutSeconds: f.timeoutSeconds ?? shared.timeoutSeconds,
    ephemeralStorageMb: f.ephemeralStorageMb ?? shared.ephemeralStorageMb,
    logFormat: f.logFormat ?? shared.logFormat,
    reservedConcurrency: f.reservedConcurrency ?? shared.reservedConcurrency,
    egress: f.egress ?? shared.egress,
    environment: f.environment,
    secrets: f.secrets,
    iamStatements: f.iamStatements,
    layers: f.layers,
    files: f.files,
    multiValueHeaders: f.multiValueHeaders,
    routes: (f.routes ?? []).map((r, i) => ({ ...r, priority: priorities[i] })),
  };
}

/**
 * Whether a consumer's endpoint answers for the service's private DNS name: a consumer of
 * this app's service in the service's Region. AWS documents private DNS names for endpoints
 * in the service's Region; its cross-Region pages say nothing of them for services shared
 * through PrivateLink, so a consumer in another Region uses its own `dnsName` instead.
 */
export function usesPrivateDns(cfg: Pick<AppConfig, "service" | "provider">, c: ConsumerConfig): boolean {
  return Boolean(cfg.service.privateDnsName && cfg.provider && !c.serviceName && c.region === cfg.provider.region);
}

/**
 * The endpoint subnets (where the probe runs) outside every client CIDR, while the provider's
 * NLB answers only clients in them: PrivateLink inbound rules on, for this app's service.
 * Empty when they are all inside, or only known at plan (an existing VPC).
 */
export function probeSubnetsOutsideClients(cfg: Pick<AppConfig, "service">, c: ConsumerConfig): string[] {
  const net = c.network.create;
  if (c.serviceName || cfg.service.privateLinkInboundRules !== "on" || !net || !c.clientCidrs || !parseIpv4Cidr(net.vpcCidr)) return [];
  const clients = c.clientCidrs.flatMap((t) => parseIpv4Cidr(t) ?? []);
  return subnetsOf(net)
    .map((s) => s.cidr)
    .filter((cidr) => {
      const block = parseIpv4Cidr(cidr);
      return block !== undefined && !clients.some((client) => cidrContains(client, block));
    });
}

function consumer(config: AppConfig, c: ConsumerConfig, listener: ListenerModel): ConsumerModel {
  const { create, existing } = c.network;
  return {
    name: c.name,
    stackName: consumerStackName(c),
    account: account(c),
    network: create ? createdNetwork(create) : { kind: "existing", ...required(existing, "network.existing") },
    clientCidrs: clientCidrsOf(c),
    service: c.serviceName ? { kind: "outside", serviceName: c.serviceName, region: c.serviceRegion ?? c.region } : { kind: "own" },
    listener,
    privateDnsName: usesPrivateDns(config, c) ? config.service.privateDnsName : undefined,
    dnsName: c.dnsName,
    probe: c.probe ?? probeSubnetsOutsideClients(config, c).length === 0,
    monitoring: monitoringOf(config, c.alarmTopicArn),
  };
}

/** A stack's monitoring: the shared settings and its own topic, or none when switched off. */
function monitoringOf(config: AppConfig, topicArn: string | undefined): MonitoringModel | undefined {
  const { enabled, periodSeconds, evaluationPeriods, datapointsToAlarm, thresholds } = config.monitoring;
  return enabled ? { periodSeconds, evaluationPeriods, datapointsToAlarm, thresholds, topicArn } : undefined;
}

function required<T>(value: T | undefined, what: string): T {
  // The schema requires exactly one of create and existing.
  if (value === undefined) throw new Error(`unvalidated config without ${what}`);
  return value;
}

/** The model of a validated config. */
export function resolveConfig(config: AppConfig): AppModel {
  const listener: ListenerModel = {
    port: config.service.port,
    certificateArn: config.service.certificateArn,
    hostname: config.service.hostname,
  };
  return {
    name: config.name,
    tags: config.tags,
    backend: backend(config.backend),
    provider: config.provider && provider(config, config.provider, listener),
    consumers: config.consumers.map((c) => consumer(config, c, listener)),
  };
}
