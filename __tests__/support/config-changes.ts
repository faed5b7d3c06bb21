/**
 * A valid change of each config setting (each leaf of the schema), on a base config that
 * holds it: what the "every setting reaches the output" test and the day-2 change table
 * both start from.
 */
import { ZodEnum, ZodNumber, ZodTypeAny } from "zod";
import { parseConfig } from "../../config/load";
import { baseConfigs } from "./config-bases";
import { describeSteps, Leaf, placeAt, RECORD_KEY, RECORD_VALUE, Step } from "./schema-walk";

export type Raw = Record<string, any>;

/** A changed value for string leaves, by schema path. */
const STRINGS: Record<string, string> = {
  name: "orders-link",
  "tags{key}": "CostCenter",
  "tags{value}": "team-42",
  "backend.local.directory": "infra/state",
  "backend.s3.bucket": "other-state-bucket",
  "backend.s3.keyPrefix": "other/prefix",
  "backend.s3.region": "eu-west-1",
  "backend.s3.profile": "state-other",
  "backend.s3.assumeRole.roleArn": "arn:aws:iam::111111111111:role/other-state",
  "backend.s3.assumeRole.externalId": "other-ext",
  "backend.s3.assumeRole.sessionName": "other-session",
  "backend.cloud.organization": "other-org",
  "backend.cloud.project": "other-project",
  "backend.cloud.hostname": "tfe.other.example",
  "backend.cloud.workspaces{value}": "other-workspace",
  "provider.accountId": "999999999999",
  "provider.region": "ap-northeast-3",
  "provider.profile": "provider-other",
  "provider.assumeRole.roleArn": "arn:aws:iam::111111111111:role/other-deploy",
  "provider.assumeRole.externalId": "other-ext",
  "provider.assumeRole.sessionName": "other-session",
  "provider.network.create.vpcCidr": "10.0.0.0/17",
  "provider.network.create.subnetCidrs{value}": "10.0.200.0/24",
  "provider.network.create.flowLogs.kmsKeyArn": "arn:aws:kms:ap-northeast-1:111111111111:key/ffff0000-0000-0000-0000-000000000000",
  "provider.network.existing.vpcId": "vpc-0ffffffffffffffff",
  "provider.network.existing.lambdaSubnetIds[0]": "subnet-0ffffffffffffff01",
  "provider.network.existing.albSubnetIds[0]": "subnet-0ffffffffffffff02",
  "provider.network.existing.nlbSubnetIds[0]": "subnet-0ffffffffffffff03",
  "consumers[0].name": "renamed",
  "consumers[0].accountId": "888888888888",
  "consumers[0].region": "ap-northeast-3",
  "consumers[0].profile": "consumer-other",
  "consumers[0].assumeRole.roleArn": "arn:aws:iam::222222222222:role/other-deploy",
  "consumers[0].assumeRole.externalId": "other-ext",
  "consumers[0].assumeRole.sessionName": "other-session",
  "consumers[0].network.create.vpcCidr": "10.1.0.0/17",
  "consumers[0].network.create.subnetCidrs{value}": "10.1.200.0/24",
  "consumers[0].network.create.flowLogs.kmsKeyArn": "arn:aws:kms:ap-northeast-1:222222222222:key/ffff0000-0000-0000-0000-000000000000",
  "consumers[0].network.existing.vpcId": "vpc-0eeeeeeeeeeeeeeee",
  "consumers[0].network.existing.endpointSubnetIds[0]": "subnet-0eeeeeeeeeeeeee01",
  "consumers[0].clientCidrs[0]": "10.77.0.0/16",
  "consumers[0].serviceName": "com.amazonaws.vpce.ap-northeast-3.vpce-svc-0fedcba9876543210",
  "consumers[0].stackName": "consumer-edge",
  "service.certificateArn": "arn:aws:acm:ap-northeast-1:111111111111:certificate/ffff0000-0000-0000-0000-000000000000",
  "service.hostname": "other.example.com",
  "service.privateDnsName": "api.example.com",
  "service.privateDnsZoneId": "Z0FEDCBA9876543210XYZ",
  "consumers[0].dnsName": "other.internal.example",
  "consumers[0].alarmTopicArn": "arn:aws:sns:ap-northeast-1:222222222222:other-alarms",
  "monitoring.topicArn": "arn:aws:sns:ap-northeast-1:111111111111:other-alarms",
  "service.acceptEndpointIds[0]": "vpce-0fedcba9876543210",
  "service.healthCheckPath": "/other-health",
  "service.allowedPrincipals[0].principal": "arn:aws:iam::555555555555:role/other-partner",
  "service.allowedPrincipals[0].clientCidrs[0]": "10.55.0.0/16",
  "lambda.signedPackage.bucket": "other-signed-packages",
  "lambda.signedPackage.key": "signed/other.zip",
  "lambda.signedPackage.objectVersion": "v2-9876543210",
  "loadBalancers.accessLogs.bucket": "other-lb-logs",
  "loadBalancers.accessLogs.prefix": "other/prefix",
  "lambda.logKmsKeyArn": "arn:aws:kms:ap-northeast-1:111111111111:key/eeee0000-0000-0000-0000-000000000000",
  "lambda.codeSigningConfigArn": "arn:aws:lambda:ap-northeast-1:111111111111:code-signing-config:csc-0fedcba9876543210",
  "lambda.egress[0].cidr": "10.66.0.0/16",
  "lambda.egress[0].description": "Other API ${x}",
  "functions[0].name": "orders",
  "functions[0].handler": "index.other_handler",
  "functions[0].egress[0].cidr": "10.66.0.0/16",
  "functions[0].egress[0].description": "Other API ${x}",
  "functions[0].environment{key}": "SALUTATION",
  "functions[0].environment{value}": "Hi ${there}",
  "functions[0].secrets{key}": "OTHER_PARAMETER_ARN",
  "functions[0].secrets{value}": "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:hello/other-AbCdEf",
  "functions[0].iamStatements[0].actions[0]": "dynamodb:Query*",
  "functions[0].iamStatements[0].resources[0]": "arn:aws:dynamodb:ap-northeast-1:111111111111:table/${aws:username}",
  "functions[0].iamStatements[0].reason": "reads the orders table only",
  "functions[0].layers[0]": "arn:aws:lambda:ap-northeast-1:111111111111:layer:deps:2",
  "functions[0].routes[0].paths[0]": "/orders/*",
  "functions[0].routes[0].hosts[0]": "orders.example.com",
  "functions[0].routes[0].methods[0]": "POST",
  "functions[0].routes[0].headers{key}": "X-Tenant",
  "functions[0].routes[0].headers{value}[0]": "blue ${x}",
};

/** A Node.js function made a Python one: another folder and runtime, its handler, no files to list. */
const toPython = (f: Raw) => {
  Object.assign(f, { source: "hello", runtime: "python3.13", handler: "lambda_function.lambda_handler" });
  delete f.files;
};

/** A share of a limit: the numbers tried for other fields are out of its range. */
const shareEdit = (field: string) => (raw: Raw) => (raw.monitoring.thresholds[field] = 0.9);

/** Leaves whose change must move other fields with it (keys that select, AZs that must align). */
const EDITS: Record<string, (raw: Raw) => void> = {
  "monitoring.thresholds.responseTimeShareOfTimeout": shareEdit("responseTimeShareOfTimeout"),
  "monitoring.thresholds.durationShareOfTimeout": shareEdit("durationShareOfTimeout"),
  "monitoring.thresholds.concurrencyShareOfReserved": shareEdit("concurrencyShareOfReserved"),
  // Switched off, the stacks' topics are not theirs to name.
  "monitoring.enabled": (raw) => {
    raw.monitoring.enabled = false;
    delete raw.monitoring.topicArn;
    for (const c of raw.consumers) delete c.alarmTopicArn;
  },
  // Another folder holds another language's code: its runtime and handler move with it.
  // (Node.js has one runtime Lambda has not deprecated: another runtime is Python's, with its code.)
  "functions[0].source": (raw) => toPython(raw.functions[0]),
  "functions[0].runtime": (raw) => toPython(raw.functions[0]),
  // Which workspace is which stack's: swap two.
  "backend.cloud.workspaces{key}": (raw) => {
    const w = raw.backend.cloud.workspaces;
    [w.provider, w["consumer-tokyo"]] = [w["consumer-tokyo"], w.provider];
  },
  // Which CIDR is which AZ's: swap them.
  "provider.network.create.subnetCidrs{key}": (raw) => {
    const s = raw.provider.network.create.subnetCidrs;
    [s["apne1-az1"], s["apne1-az4"]] = [s["apne1-az4"], s["apne1-az1"]];
  },
  "consumers[0].network.create.subnetCidrs{key}": (raw) => {
    const s = raw.consumers[0].network.create.subnetCidrs;
    [s["apne1-az1"], s["apne1-az4"]] = [s["apne1-az4"], s["apne1-az1"]];
  },
  // A consumer's AZs must be the provider's: move both.
  "provider.network.create.azIds[0]": (raw) => {
    raw.provider.network.create.azIds[0] = "apne1-az2";
    delete raw.provider.network.create.subnetCidrs;
    for (const c of raw.consumers) if (c.network.create) c.network.create.azIds = ["apne1-az2", "apne1-az4"];
    for (const c of raw.consumers) if (c.network.create) delete c.network.create.subnetCidrs;
  },
  "consumers[0].network.create.azIds[0]": (raw) => {
    raw.provider.network.create.azIds.push("apne1-az2");
    delete raw.provider.network.create.subnetCidrs;
    raw.consumers[0].network.create.azIds[0] = "apne1-az2";
    delete raw.consumers[0].network.create.subnetCidrs;
  },
  // AZ IDs belong to a Region: move them with it.
  "provider.region": (raw) => {
    raw.provider.region = "ap-northeast-3";
    if (raw.monitoring?.topicArn) raw.monitoring.topicArn = raw.monitoring.topicArn.replace(":ap-northeast-1:", ":ap-northeast-3:");
    raw.provider.network.create.azIds = ["apne3-az1", "apne3-az2", "apne3-az3"];
    // A function's layers are in its Region.
    for (const f of raw.functions ?? []) f.layers = f.layers?.map((l: string) => l.replace(":ap-northeast-1:", ":ap-northeast-3:"));
  },
  "consumers[0].region": (raw) => {
    raw.consumers[0].region = "ap-northeast-3";
    // Its alarm topic is in its Region.
    if (raw.consumers[0].alarmTopicArn)
      raw.consumers[0].alarmTopicArn = raw.consumers[0].alarmTopicArn.replace(":ap-northeast-1:", ":ap-northeast-3:");
    raw.consumers[0].network.create.azIds = ["apne3-az1", "apne3-az2"];
    delete raw.consumers[0].network.create.subnetCidrs;
    // So is its flow logs' KMS key.
    const flowLogs = raw.consumers[0].network.create.flowLogs;
    if (flowLogs?.kmsKeyArn) flowLogs.kmsKeyArn = flowLogs.kmsKeyArn.replace(":ap-northeast-1:", ":ap-northeast-3:");
  },
  // An endpoint service's name carries its Region: it moves with it.
  "consumers[0].serviceRegion": (raw) => {
    raw.consumers[0].serviceRegion = "ap-northeast-2";
    raw.consumers[0].serviceName = raw.consumers[0].serviceName.replace(/\.vpce\.[a-z0-9-]+\./, ".vpce.ap-northeast-2.");
  },
  // Another file packaged: it is in the zip, not in the Terraform JSON, whose package hash follows.
  "functions[0].files[0]": (raw) => (raw.functions[0].files = ["index.ts"]),
  // The role a stack assumes is in its account: it moves with it, and so does the ALB's certificate.
  "provider.accountId": (raw) => {
    raw.provider.accountId = "999999999999";
    if (raw.provider.assumeRole) raw.provider.assumeRole.roleArn = raw.provider.assumeRole.roleArn.replace(/::\d{12}:/, "::999999999999:");
    if (raw.service?.certificateArn) raw.service.certificateArn = raw.service.certificateArn.replace(/:\d{12}:/, ":999999999999:");
  },
  "consumers[0].accountId": (raw) => {
    raw.consumers[0].accountId = "999999999999";
    const role = raw.consumers[0].assumeRole;
    if (role) role.roleArn = role.roleArn.replace(/::\d{12}:/, "::999999999999:");
  },
  // Endpoint IDs to accept only apply with acceptance on: turning it off drops them.
  "service.acceptanceRequired": (raw) => {
    raw.service.acceptanceRequired = !raw.service.acceptanceRequired;
    if (!raw.service.acceptanceRequired) raw.service.acceptEndpointIds = [];
  },
  // A consumer's name names its stack (with several consumers), and so its workspace.
  "consumers[0].name": (raw) => {
    const old = `consumer-${raw.consumers[0].name}`;
    raw.consumers[0].name = "renamed";
    const w = raw.backend.cloud.workspaces;
    w["consumer-renamed"] = w[old];
    delete w[old];
  },
};

/**
 * Settings that tell the app about the account and AWS (a raised quota, a Region AWS has
 * added), so they change which configs are accepted, never the output: each has a config
 * refused without the setting and accepted with it.
 */
export const ACCEPTANCE_ONLY: Record<string, { refused: () => Raw; withSetting: (raw: Raw) => void }> = {
  "aws.quotas.rulesPerSecurityGroup": {
    // 61 client CIDRs: one over the default quota of 60 rules per security group.
    refused: () => {
      const raw = JSON.parse(JSON.stringify(baseConfigs()[0]));
      delete raw.aws;
      raw.consumers[0].clientCidrs = Array.from({ length: 61 }, (_, i) => `10.${100 + Math.floor(i / 100)}.${i % 100}.0/24`);
      return raw;
    },
    withSetting: (raw) => (raw.aws = { quotas: { rulesPerSecurityGroup: 70 } }),
  },
  "aws.quotas.lambdaConcurrentExecutions": {
    // 901 reserved executions: one over what the default quota of 1,000 lets an account reserve.
    refused: () => {
      const raw = JSON.parse(JSON.stringify(baseConfigs()[0]));
      delete raw.aws;
      raw.lambda.reservedConcurrency = 901;
      return raw;
    },
    withSetting: (raw) => (raw.aws = { quotas: { lambdaConcurrentExecutions: 1001 } }),
  },
  "aws.quotas.vpcsPerRegion": {
    // Six consumers creating VPCs in one account and Region: one over the default quota of 5.
    refused: () => {
      const raw = JSON.parse(JSON.stringify(baseConfigs()[0]));
      delete raw.aws;
      raw.consumers = Array.from({ length: 6 }, (_, i) => ({
        ...JSON.parse(JSON.stringify(raw.consumers[0])),
        name: `c${i}`,
        network: { create: { ...raw.consumers[0].network.create, vpcCidr: `10.${i + 1}.0.0/16` } },
      }));
      return raw;
    },
    withSetting: (raw) => (raw.aws = { quotas: { vpcsPerRegion: 6 } }),
  },
  "aws.crossRegionPrivateLinkRegions[0]": {
    // A consumer in a Region not (yet) known to support cross-Region PrivateLink.
    refused: () => {
      const raw = JSON.parse(JSON.stringify(baseConfigs()[0]));
      delete raw.aws;
      Object.assign(raw.consumers[0], { region: "ap-east-2", assumeRole: undefined, alarmTopicArn: undefined });
      raw.consumers[0].network.create = { vpcCidr: "10.1.0.0/16", azIds: ["ape2-az1", "ape2-az2"] };
      return JSON.parse(JSON.stringify(raw));
    },
    withSetting: (raw) => (raw.aws = { crossRegionPrivateLinkRegions: ["ap-east-2"] }),
  },
};

/** Leaves to try on a given base config (by index in baseConfigs()) rather than the first that has them. */
export const BASE_FOR: Record<string, number> = { "consumers[0].name": 2, "provider.region": 2 };

/** The value a leaf has in a parsed config (undefined where the config leaves it out). */
export function valueAt(config: unknown, path: readonly (string | number)[]): unknown {
  let node = config as Raw | undefined;
  for (const step of path) node = node?.[step];
  return node;
}

const unwrap = (schema: ZodTypeAny): ZodTypeAny => {
  let node = schema;
  while ("innerType" in node._def || "schema" in node._def) node = node._def.innerType ?? node._def.schema;
  return node;
};

/** A valid change of one leaf in `raw`, or a reason it has none. */
export function change(leaf: Leaf, raw: Raw): { path: (string | number)[]; value?: unknown } | string {
  const name = describeSteps(leaf.path);
  if (EDITS[name]) {
    EDITS[name](raw);
    return { path: [] };
  }
  const current = valueAt(parseConfig(JSON.parse(JSON.stringify(raw)), "base"), concretePath(raw, leaf.path) ?? []);
  if (leaf.kind === "boolean") return place(raw, leaf.path, !(current ?? false));
  if (leaf.kind === "enum") {
    const options = (unwrap(leaf.schema) as ZodEnum<[string, ...string[]]>).options;
    return place(
      raw,
      leaf.path,
      options.find((o) => o !== current),
    );
  }
  if (leaf.kind === "number") {
    const n = typeof current === "number" ? current : ((unwrap(leaf.schema) as ZodNumber).minValue ?? 1);
    for (const candidate of [n + 1, n - 1, 30, 400, 7, 731, n * 2]) {
      const attempt = JSON.parse(JSON.stringify(raw));
      if (placeAt(attempt, leaf.path, candidate) && parses(attempt)) return place(raw, leaf.path, candidate);
    }
    return `no valid number near ${n} for ${name}`;
  }
  const value = STRINGS[name];
  if (value === undefined) return `no changed value for ${name}: add one to STRINGS (or EDITS)`;
  return place(raw, leaf.path, value);
}

function place(raw: Raw, path: readonly Step[], value: unknown) {
  const concrete = placeAt(raw, path, value);
  return concrete ? { path: concrete, value } : `cannot place a value at ${describeSteps(path)}`;
}

/** The concrete path of a leaf in `raw` (record steps take the first entry). */
export function concretePath(raw: Raw, path: readonly Step[]): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  let node: any = raw;
  for (const step of path) {
    if (node === undefined || node === null) return undefined;
    if (step === RECORD_KEY) return out;
    const key = step === RECORD_VALUE ? Object.keys(node)[0] : step;
    if (key === undefined) return undefined;
    out.push(key);
    node = node[key];
  }
  return out;
}

export function parses(raw: Raw): boolean {
  try {
    parseConfig(raw, "change");
    return true;
  } catch {
    return false;
  }
}

/** The base config (by index in baseConfigs()) a leaf's change starts from, or -1 if none holds it. */
export function baseFor(leaf: Leaf, bases: readonly Raw[] = baseConfigs()): number {
  const name = describeSteps(leaf.path);
  const holds = (b: Raw) =>
    concretePath(b, leaf.path) !== undefined && placeAt(JSON.parse(JSON.stringify(b)), leaf.path, "x") !== undefined;
  const sets = (b: Raw) => holds(b) && valueAt(b, concretePath(b, leaf.path) ?? []) !== undefined;
  return BASE_FOR[name] ?? (bases.some(sets) ? bases.findIndex(sets) : bases.findIndex(holds));
}
