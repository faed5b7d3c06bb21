/**
 * The app's configuration: one JSON file, validated strictly at the edge.
 *
 * - field types: fields.ts (one schema per kind of value);
 * - sections: sections.ts (each with the rules that look only inside it);
 * - rules across sections: rules.ts.
 *
 * Every object is `.strict()`, so a misspelt key is refused instead of silently ignored. The
 * parsed config keeps the file's shape; resolve.ts turns it into the model the stacks use.
 */
import { z } from "zod";
import { appName, tags } from "./fields";
import { awsRules } from "./aws-rules";
import { crossSectionRules } from "./rules";
import { dnsRules } from "./dns-rules";
import { monitoringRules, monitoringSection } from "./monitoring";
import { DEFAULT_FUNCTIONS, functionRules, functionsSection } from "./functions";
import {
  awsSection,
  backend,
  consumer,
  createNetwork,
  existingConsumerNetwork,
  existingProviderNetwork,
  lambdaSection,
  loadBalancersSection,
  providerSide,
  serviceSection,
} from "./sections";

const shape = z
  .object({
    name: appName.default("hello-privatelink"),
    tags: tags.default({}),
    backend: backend.default({ local: { directory: "state" } }),
    provider: providerSide.optional(),
    consumers: z.array(consumer).min(1, "must list at least one consumer"),
    service: serviceSection,
    loadBalancers: loadBalancersSection,
    lambda: lambdaSection,
    functions: functionsSection.default(DEFAULT_FUNCTIONS),
    monitoring: monitoringSection,
    aws: awsSection,
  })
  .strict();

/** The config as the sections parse it, before the cross-section rules. */
export type AppConfigShape = z.infer<typeof shape>;

/**
 * The whole config schema. The rules across sections run only on a config whose sections
 * all passed (a pipe stops at a refused input): a value a section refused gets its one
 * message, not a second one from a rule that read it (an invalid `name` would otherwise
 * also be named through the function names made from it).
 */
export const configSchema = shape.pipe(
  z.custom<AppConfigShape>().superRefine((cfg, ctx) => {
    crossSectionRules(cfg, ctx);
    functionRules(cfg, ctx);
    dnsRules(cfg, ctx);
    monitoringRules(cfg, ctx);
    awsRules(cfg, ctx);
  }),
);

/** The configuration as written, after defaults. */
export type AppConfig = z.infer<typeof configSchema>;
/** A provider-side configuration. */
export type ProviderConfig = NonNullable<AppConfig["provider"]>;
/** One consumer's configuration. */
export type ConsumerConfig = AppConfig["consumers"][number];
/** A VPC to create, as written in the config. */
export type CreateNetworkConfig = z.infer<typeof createNetwork>;
/** The provider's existing VPC and subnets. */
export type ExistingProviderNetworkConfig = z.infer<typeof existingProviderNetwork>;
/** A consumer's existing VPC and subnets. */
export type ExistingConsumerNetworkConfig = z.infer<typeof existingConsumerNetwork>;
/** One function's configuration. */
export type FunctionConfig = AppConfig["functions"][number];
/** The state backend section. */
export type BackendConfig = AppConfig["backend"];

export { consumerStackName, stackNames } from "./stack-names";
export { LOG_RETENTION_DAYS, DERIVED_SUBNET_NEWBITS } from "./fields";
