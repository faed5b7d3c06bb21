/**
 * The names of the stacks a config produces. A stack's name is its state's address (the
 * state file, the S3 key, the HCP Terraform workspace) and its folder in cdktf.out, so it
 * depends on that consumer's own settings only: adding or removing another consumer never
 * renames a stack.
 */

/** The name of the provider's stack. */
export const PROVIDER_STACK = "provider";

/** The consumer whose stack is plain `consumer` unless it names its stack itself. */
export const MAIN_CONSUMER = "main";

/** What stack naming reads of a consumer. */
export interface ConsumerNaming {
  readonly name: string;
  readonly stackName?: string;
}

/** What stack naming reads of a config. */
export interface StackNaming {
  readonly consumers: readonly ConsumerNaming[];
  readonly provider?: unknown;
}

/** A consumer's stack: its `stackName`, else `consumer` for the consumer `main`, else `consumer-<name>`. */
export function consumerStackName(consumer: ConsumerNaming): string {
  if (consumer.stackName !== undefined) return consumer.stackName;
  return consumer.name === MAIN_CONSUMER ? "consumer" : `consumer-${consumer.name}`;
}

/** Every stack name the config produces, provider first. */
export function stackNames(config: StackNaming): string[] {
  return [...(config.provider ? [PROVIDER_STACK] : []), ...config.consumers.map(consumerStackName)];
}

/**
 * The prefix of a consumer's account-wide names (its flow logs' IAM role and log group, and
 * its VPC's Name tags). It holds the consumer's name, so two consumers in one account never
 * create IAM roles or log groups of the same name; the consumer named "main" (the default
 * config's) keeps `<name>-consumer`, the names it has always had.
 */
export function consumerResourcePrefix(appName: string, consumerName: string): string {
  return consumerName === MAIN_CONSUMER ? `${appName}-consumer` : `${appName}-consumer-${consumerName}`;
}

/** The name of a consumer's probe function. */
export function probeFunctionName(appName: string, consumerName: string): string {
  return `${consumerResourcePrefix(appName, consumerName)}-probe`;
}
