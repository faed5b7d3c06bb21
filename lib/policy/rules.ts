/** Every policy rule, in the order the README lists them. */
import type { Rule } from "./evaluate";
import { alarmActions } from "./rules/alarm-actions";
import { albDesyncMode } from "./rules/alb-desync-mode";
import { albDropInvalidHeaders } from "./rules/alb-drop-invalid-headers";
import { albNoEgress } from "./rules/alb-no-egress";
import { endpointOwnSg } from "./rules/endpoint-own-sg";
import { endpointServiceAcceptance } from "./rules/endpoint-service-acceptance";
import { endpointServiceWildcard } from "./rules/endpoint-service-wildcard";
import { iamManagedPolicy } from "./rules/iam-managed-policy";
import { iamPolicyWildcard } from "./rules/iam-policy-wildcard";
import { iamTrust } from "./rules/iam-trust";
import { lambdaCodeSigning } from "./rules/lambda-code-signing";
import { lambdaConcurrency } from "./rules/lambda-concurrency";
import { lambdaDlq } from "./rules/lambda-dlq";
import { lambdaInVpc } from "./rules/lambda-in-vpc";
import { lambdaNoIngress } from "./rules/lambda-no-ingress";
import { lambdaPermissionScoped } from "./rules/lambda-permission-scoped";
import { lambdaRuntime } from "./rules/lambda-runtime";
import { lambdaTracing } from "./rules/lambda-tracing";
import { lbAccessLogs } from "./rules/lb-access-logs";
import { lbDeletionProtection } from "./rules/lb-deletion-protection";
import { lbInternal } from "./rules/lb-internal";
import { listenerHttps } from "./rules/listener-https";
import { listenerTlsPolicy } from "./rules/listener-tls-policy";
import { logGroupKms } from "./rules/log-group-kms";
import { logRetention } from "./rules/log-retention";
import { nlbCrossZone } from "./rules/nlb-cross-zone";
import { nlbPrivateLinkEnforcement } from "./rules/nlb-privatelink-enforcement";
import { nlbSecurityGroups } from "./rules/nlb-security-groups";
import { sgDescriptions } from "./rules/sg-descriptions";
import { sgOpenEgress } from "./rules/sg-open-egress";
import { sgOpenIngress } from "./rules/sg-open-ingress";
import { subnetNoPublicIp } from "./rules/subnet-no-public-ip";
import { vpcDefaultSg } from "./rules/vpc-default-sg";
import { vpcFlowLogs } from "./rules/vpc-flow-logs";
import { awsNames } from "./rules/aws-names";
import { kmsKeyRotation } from "./rules/kms-key-rotation";
import { snsTopicEncrypted } from "./rules/sns-topic-encrypted";
import { topicPublishersScoped } from "./rules/topic-publishers-scoped";

export const RULES: readonly Rule[] = [
  endpointServiceWildcard,
  endpointServiceAcceptance,
  endpointOwnSg,
  nlbSecurityGroups,
  nlbPrivateLinkEnforcement,
  lbInternal,
  albDropInvalidHeaders,
  albDesyncMode,
  lbDeletionProtection,
  lbAccessLogs,
  nlbCrossZone,
  albNoEgress,
  listenerHttps,
  listenerTlsPolicy,
  sgDescriptions,
  sgOpenIngress,
  sgOpenEgress,
  lambdaInVpc,
  lambdaNoIngress,
  lambdaRuntime,
  lambdaTracing,
  lambdaConcurrency,
  lambdaDlq,
  lambdaCodeSigning,
  lambdaPermissionScoped,
  logRetention,
  logGroupKms,
  iamTrust,
  iamManagedPolicy,
  iamPolicyWildcard,
  vpcFlowLogs,
  vpcDefaultSg,
  subnetNoPublicIp,
  snsTopicEncrypted,
  kmsKeyRotation,
  topicPublishersScoped,
  alarmActions,
  awsNames,
];
