/** Configs that together hold every section and optional field of the schema. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultRawConfig, EXAMPLES_DIR } from "../fixtures";

const example = (name: string) => JSON.parse(readFileSync(join(EXAMPLES_DIR, name), "utf8"));
const KMS = "arn:aws:kms:ap-northeast-1:111111111111:key/0123abcd-0000-0000-0000-000000000000";
const ROLE = { roleArn: "arn:aws:iam::111111111111:role/deploy", externalId: "ext-id", sessionName: "session" };

/** The monitoring settings' documented defaults (README), as a config writes them. */
export const MONITORING_DEFAULTS = {
  periodSeconds: 60,
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
  thresholds: {
    loadBalancer5xxPercent: 5,
    target5xxPercent: 5,
    responseTimeShareOfTimeout: 0.8,
    functionErrorPercent: 5,
    functionThrottles: 1,
    durationShareOfTimeout: 0.8,
    concurrencyShareOfReserved: 0.8,
    blockedFlows: 1,
    serviceResetPackets: 100,
    endpointDroppedPackets: 1,
    endpointResetPackets: 100,
  },
} as const;

/** Configs that together hold every optional section of the schema. */
export function baseConfigs(): Record<string, any>[] {
  const full = defaultRawConfig();
  Object.assign(full.provider, { profile: "provider-admin", assumeRole: { ...ROLE } });
  Object.assign(full.provider.network.create, {
    subnetCidrs: { "apne1-az1": "10.0.0.0/24", "apne1-az4": "10.0.1.0/24" },
    flowLogs: { retentionDays: 365, kmsKeyArn: KMS },
  });
  Object.assign(full.consumers[0], {
    profile: "consumer-admin",
    assumeRole: { ...ROLE, roleArn: "arn:aws:iam::222222222222:role/deploy" },
    clientCidrs: ["10.1.0.0/16"],
  });
  full.consumers[0].network.create.flowLogs = { retentionDays: 365, kmsKeyArn: KMS };
  full.service = {
    port: 443,
    certificateArn: "arn:aws:acm:ap-northeast-1:111111111111:certificate/0123abcd-0000-0000-0000-000000000000",
    hostname: "hello.example.com",
    privateLinkInboundRules: "on",
    acceptanceRequired: true,
    acceptEndpointIds: ["vpce-0123456789abcdef0"],
    healthCheckPath: "/healthz",
    allowedPrincipals: [{ principal: "arn:aws:iam::444444444444:role/partner", clientCidrs: ["10.44.0.0/16"] }],
  };
  full.loadBalancers = { deletionProtection: true, desyncMitigationMode: "defensive", accessLogs: { bucket: "lb-logs", prefix: "hello" } };
  Object.assign(full.lambda, {
    logKmsKeyArn: KMS,
    tracing: "Active",
    ephemeralStorageMb: 1024,
    logFormat: "JSON",
    reservedConcurrency: 5,
    codeSigningConfigArn: "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-0123456789abcdef0",
    signedPackage: { bucket: "signed-packages", key: "signed/hello.zip", objectVersion: "v1-0123456789" },
    egress: [{ cidr: "10.9.0.0/16", port: 443, description: "Orders API" }],
  });
  // Every monitoring setting, at its default: each leaf's change is then a change from the default.
  full.monitoring = { enabled: true, topicArn: "arn:aws:sns:ap-northeast-1:111111111111:ops-alarms", ...MONITORING_DEFAULTS };
  full.consumers[0].alarmTopicArn = "arn:aws:sns:ap-northeast-1:222222222222:ops-alarms";
  full.aws = { quotas: { rulesPerSecurityGroup: 100 }, crossRegionPrivateLinkRegions: ["ap-east-2"] };
  const s3 = example("existing-vpcs-s3-state.json");
  Object.assign(s3.backend.s3, { assumeRole: { ...ROLE } });
  const cloud = example("many-consumers-cross-region-hcp.json");
  cloud.backend.cloud.hostname = "tfe.example.com";
  cloud.consumers[0].dnsName = "hello.internal.example";
  // The default's tags: the stacks in its Region then share one provider configuration with
  // the default's in the real-provider plans (each configuration costs seconds per plan).
  cloud.tags = { ...full.tags };
  // Off here (on by default elsewhere), so the change to it is one that adds a probe.
  cloud.consumers[0].probe = false;
  // The service's private DNS name: the consumer in its Region (tokyo) uses it.
  Object.assign(cloud.service, { privateDnsName: "hello.example.com", privateDnsZoneId: "Z0123456789ABCDEFGHIJ" });
  // Every optional field of a function (the first: a route's fields are read at index 0), and
  // the default function. A Node.js one: only those list files to package.
  cloud.functions = [
    {
      name: "api",
      source: "hello-ts",
      runtime: "nodejs22.x",
      handler: "index.handler",
      files: ["README.md"],
      architecture: "arm64",
      memoryMb: 256,
      timeoutSeconds: 20,
      ephemeralStorageMb: 2048,
      logFormat: "JSON",
      reservedConcurrency: 3,
      egress: [{ cidr: "10.9.0.0/16", port: 443, description: "Orders API" }],
      environment: { GREETING: "Hello" },
      secrets: { DB_PASSWORD_ARN: "arn:aws:ssm:ap-northeast-1:111111111111:parameter/hello/db-password" },
      iamStatements: [
        { actions: ["dynamodb:Get*"], resources: ["arn:aws:dynamodb:ap-northeast-1:111111111111:table/orders"], reason: "reads one table" },
      ],
      layers: ["arn:aws:lambda:ap-northeast-1:111111111111:layer:deps:1"],
      multiValueHeaders: true,
      routes: [{ paths: ["/api/*"], hosts: ["api.example.com"], methods: ["GET"], headers: { "X-Team": ["red"] }, priority: 100 }],
    },
    { name: "main", source: "hello", runtime: "python3.13", handler: "lambda_function.lambda_handler" },
  ];
  const outside = example("consumer-of-outside-service.json");
  // A service in another Region: its name carries that Region.
  outside.consumers[0].serviceRegion = "ap-northeast-3";
  outside.consumers[0].serviceName = outside.consumers[0].serviceName.replace(".ap-northeast-1.", ".ap-northeast-3.");
  return [full, s3, cloud, outside];
}
