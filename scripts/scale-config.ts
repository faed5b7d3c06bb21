/**
 * Configs of the default service with `n` consumers, for measuring how synth grows with the
 * number of stacks (`npm run bench`). Each consumer has its own account and VPC CIDR, and the
 * NLB's rule quota is raised to fit one client rule per consumer.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The default config with `n` consumers (1-250), as raw JSON. */
export function scaleConfig(n: number, root = join(__dirname, "..")): Record<string, unknown> {
  if (!Number.isInteger(n) || n < 1 || n > 250) throw new Error(`scaleConfig: ${n} consumers; 1-250 fit the CIDR plan`);
  type Consumer = Record<string, unknown> & { network: { create: Record<string, unknown> } };
  const base = JSON.parse(readFileSync(join(root, "config", "default.json"), "utf8")) as Record<string, unknown> & {
    consumers: Consumer[];
  };
  const template = base.consumers[0];
  const consumers = Array.from({ length: n }, (_, i) => ({
    ...template,
    name: i === 0 ? "main" : `c${i}`,
    accountId: String(200_000_000_000 + i),
    network: { create: { ...template.network.create, vpcCidr: `10.${i + 1}.0.0/16` } },
  }));
  // The provider VPC takes 10.0.0.0/16; the NLB gets one client rule per consumer.
  return { ...base, $schema: undefined, consumers, aws: { quotas: { rulesPerSecurityGroup: Math.max(60, n) } } };
}
