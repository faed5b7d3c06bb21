/**
 * The resolved model: what the stacks build, with every default applied once and every
 * choice a discriminated type. resolve.ts makes it from a parsed config.
 */
import type { AssumeRole } from "../lib/constructs/aws-account";
import type { SubnetPlacement } from "../lib/constructs/network";
import type { StateBackend } from "../lib/constructs/state-backend";
import type { EgressRule, IamStatement } from "../lib/constructs/vpc-lambda-function";
import type { RuntimeLanguage } from "../lib/aws/runtimes";
import type { RouteConditions } from "../lib/routes";
import type { AlarmEvaluation } from "../lib/constructs/alarms";
import type { AlarmThresholds } from "../lib/monitoring";

/** A stack's alarms, notifications and dashboard. */
export interface MonitoringModel extends AlarmEvaluation {
  readonly thresholds: AlarmThresholds;
  /** An existing SNS topic to notify. @default - the stack creates an encrypted one */
  readonly topicArn?: string;
}

/** The account and Region a stack deploys into, and how to get credentials for it. */
export interface AccountModel {
  readonly accountId: string;
  readonly region: string;
  /** A named profile. @default - the default credential chain */
  readonly profile?: string;
  /** A role to assume. @default - none */
  readonly assumeRole?: AssumeRole;
}

/** A VPC this app creates, with one private subnet per AZ ID. */
export interface CreatedNetworkModel {
  readonly kind: "create";
  readonly vpcCidr: string;
  /** One per AZ ID, in the config's order; CIDRs given or derived. */
  readonly subnets: readonly SubnetPlacement[];
  readonly flowLogs: { readonly retentionDays: number; readonly kmsKeyArn?: string };
}

/** The provider's VPC and subnets per role, already there. */
export interface ExistingProviderNetworkModel {
  readonly kind: "existing";
  readonly vpcId: string;
  readonly lambdaSubnetIds: readonly string[];
  readonly albSubnetIds: readonly string[];
  readonly nlbSubnetIds: readonly string[];
}

/** A consumer's VPC and endpoint subnets, already there. */
export interface ExistingConsumerNetworkModel {
  readonly kind: "existing";
  readonly vpcId: string;
  readonly endpointSubnetIds: readonly string[];
}

/** How clients speak to the service. */
export interface ListenerModel {
  /** The port clients connect to (and the ALB listens on). */
  readonly port: number;
  /** HTTPS with this ACM certificate. @default - plain HTTP */
  readonly certificateArn?: string;
  /** The name in the certificate, when known. */
  readonly hostname?: string;
}

/** A route to a function: its conditions, and its rule's priority (given, or derived from the conditions). */
export interface RouteModel extends RouteConditions {
  readonly priority: number;
}

/** One function behind the ALB, with every setting resolved. */
export interface FunctionModel {
  /** Its name in the config. */
  readonly name: string;
  /** The Lambda function's name (its role, security group and log group follow it). */
  readonly functionName: string;
  readonly targetGroupName: string;
  /** The function whose resources keep the addresses the app's one function had. */
  readonly main: boolean;
  /** Its folder under lambda-src/. */
  readonly source: string;
  readonly runtime: string;
  readonly language: RuntimeLanguage;
  readonly handler: string;
  readonly architecture: "arm64" | "x86_64";
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Size of its /tmp, in MB. */
  readonly ephemeralStorageMb: number;
  /** How Lambda writes its logs: plain text, or JSON objects CloudWatch Logs Insights reads by field. */
  readonly logFormat: "Text" | "JSON";
  readonly reservedConcurrency?: number;
  readonly egress: readonly EgressRule[];
  /** Plain environment values. */
  readonly environment: Readonly<Record<string, string>>;
  /** Variable name → the ARN of the SSM parameter or secret the function reads. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly iamStatements: readonly IamStatement[];
  readonly layers: readonly string[];
  /** Files and folders of a Node.js function's folder packaged beside its bundle. */
  readonly files: readonly string[];
  /** Whether the ALB sends and takes multi-value headers and query parameters. */
  readonly multiValueHeaders: boolean;
  /** Its routes; none for the default function, which answers every request no route matches. */
  readonly routes: readonly RouteModel[];
}

/** The provider side. */
export interface ProviderModel {
  readonly stackName: string;
  readonly account: AccountModel;
  readonly network: CreatedNetworkModel | ExistingProviderNetworkModel;
  readonly listener: ListenerModel;
  readonly service: {
    readonly healthCheckPath: string;
    readonly privateLinkInboundRules: "on" | "off";
    readonly acceptanceRequired: boolean;
    readonly acceptEndpointIds: readonly string[];
    /** Principals besides this app's consumer accounts. */
    readonly extraPrincipals: readonly string[];
    /** The service's private DNS name, verified with a TXT record in this Route 53 public zone. */
    readonly privateDns?: { readonly name: string; readonly zoneId: string };
  };
  readonly loadBalancers: {
    readonly deletionProtection: boolean;
    readonly desyncMitigationMode: "defensive" | "strictest";
    readonly accessLogs?: { readonly bucket: string; readonly prefix?: string };
  };
  /** The functions behind the ALB; exactly one has no routes (the default). */
  readonly functions: readonly FunctionModel[];
  /** Settings every function shares. */
  readonly lambda: {
    readonly logRetentionDays: number;
    readonly logKmsKeyArn?: string;
    readonly tracing: "Active" | "PassThrough";
    readonly codeSigningConfigArn?: string;
    /** The package AWS Signer signed; set exactly when codeSigningConfigArn is. */
    readonly signedPackage?: { readonly bucket: string; readonly key: string; readonly objectVersion: string };
  };
  /** Alarms, connection notifications and a dashboard. @default - none (monitoring.enabled false) */
  readonly monitoring?: MonitoringModel;
  /** This app's consumers, as the provider needs them. */
  readonly consumers: {
    /** Accounts allowed to create endpoints, in config order, each once. */
    readonly accountIds: readonly string[];
    /** Client CIDRs the NLB lets in, in config order, each once. */
    readonly clientCidrs: readonly string[];
    /** Regions the consumers are in. */
    readonly regions: readonly string[];
  };
}

/** The service a consumer connects to. */
export type ConsumedService =
  /** This app's provider stack. */
  | { readonly kind: "own" }
  /** A service managed elsewhere, by name; `region` is where it lives. */
  | { readonly kind: "outside"; readonly serviceName: string; readonly region: string };

/** One consumer. */
export interface ConsumerModel {
  readonly name: string;
  readonly stackName: string;
  readonly account: AccountModel;
  readonly network: CreatedNetworkModel | ExistingConsumerNetworkModel;
  /** Who may connect to the endpoint: as configured, or the consumer's own VPC CIDR. */
  readonly clientCidrs: readonly string[];
  readonly service: ConsumedService;
  readonly listener: ListenerModel;
  /** The service's private DNS name, when this consumer's endpoint answers for it. */
  readonly privateDnsName?: string;
  /** A name of the consumer's own for the endpoint, in a private hosted zone of its VPC. */
  readonly dnsName?: string;
  /** Whether a probe function in the consumer VPC checks the service from there. */
  readonly probe: boolean;
  /** Alarms on the endpoint and a dashboard. @default - none (monitoring.enabled false) */
  readonly monitoring?: MonitoringModel;
}

/** Everything the app builds. */
export interface AppModel {
  /** Name prefix of every resource. */
  readonly name: string;
  /** Tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
  readonly backend: StateBackend;
  readonly provider?: ProviderModel;
  readonly consumers: readonly ConsumerModel[];
}
