/** The names of the stacks a config produces (they name folders, state files and workspaces). */

/** What stack naming reads of a config. */
export interface StackNaming {
  readonly consumers: readonly { readonly name: string }[];
  readonly provider?: unknown;
}

/** Stack name of a consumer: `consumer` when there is one, `consumer-<name>` when several. */
export function consumerStackName(config: StackNaming, name: string): string {
  return config.consumers.length === 1 ? "consumer" : `consumer-${name}`;
}

/** Every stack name the config produces, provider first. */
export function stackNames(config: StackNaming): string[] {
  return [...(config.provider ? ["provider"] : []), ...config.consumers.map((c) => consumerStackName(config, c.name))];
}
