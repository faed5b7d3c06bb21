/**
 * Lambda runtimes for the languages the app packages (Python and Node.js): which ones a
 * function may use. A runtime must be both current in Lambda (not deprecated: Lambda blocks
 * creating functions on a deprecated runtime soon after) and accepted by the pinned AWS
 * provider (hashicorp/aws 5.100.0 validates `runtime` against its own list at plan time).
 *
 * Sources:
 * - Lambda: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 * - provider: the runtime values compiled into terraform-provider-aws 5.100.0, which has no
 *   `python3.14` or `nodejs24.x` (both came to Lambda in November 2025, after its release).
 */

/** A runtime's language: how its package is built. */
export type RuntimeLanguage = "python" | "nodejs";

/** One runtime and its status. */
export interface RuntimeFacts {
  readonly language: RuntimeLanguage;
  /** The date Lambda deprecates (or deprecated) it, ISO. */
  readonly deprecation: string;
  /** Whether the pinned provider accepts the identifier. */
  readonly providerAccepts: boolean;
}

/** The date the table was checked against Lambda's runtime page. */
export const RUNTIMES_AS_OF = "2026-11-26";

export const LAMBDA_RUNTIMES_SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html";

/** Python and Node.js runtimes, current and recently deprecated. */
export const RUNTIMES: Readonly<Record<string, RuntimeFacts>> = {
  "python3.9": { language: "python", deprecation: "2025-12-15", providerAccepts: true },
  "python3.10": { language: "python", deprecation: "2026-06-30", providerAccepts: true },
  "python3.11": { language: "python", deprecation: "2027-06-30", providerAccepts: true },
  "python3.12": { language: "python", deprecation: "2028-10-31", providerAccepts: true },
  "python3.13": { language: "python", deprecation: "2029-06-30", providerAccepts: true },
  "python3.14": { language: "python", deprecation: "2029-06-30", providerAccepts: false },
  "nodejs18.x": { language: "nodejs", deprecation: "2025-09-01", providerAccepts: true },
  "nodejs20.x": { language: "nodejs", deprecation: "2026-04-30", providerAccepts: true },
  "nodejs22.x": { language: "nodejs", deprecation: "2027-04-30", providerAccepts: true },
  "nodejs24.x": { language: "nodejs", deprecation: "2028-04-30", providerAccepts: false },
};

/** Whether Lambda had deprecated the runtime when the table was written. */
export const isDeprecated = (facts: RuntimeFacts): boolean => facts.deprecation <= RUNTIMES_AS_OF;

/** Runtimes a function may use: current in Lambda and accepted by the pinned provider. */
export const USABLE_RUNTIMES: readonly string[] = Object.entries(RUNTIMES)
  .filter(([, facts]) => facts.providerAccepts && !isDeprecated(facts))
  .map(([id]) => id);

/** Why `runtime` can't be used, or undefined when it can. */
export function runtimeProblem(runtime: string): string | undefined {
  const facts = RUNTIMES[runtime];
  const choose = `use one of ${USABLE_RUNTIMES.join(", ")}`;
  if (!facts) return `is not a Python or Node.js Lambda runtime this app packages: ${choose}`;
  if (isDeprecated(facts)) return `was deprecated by Lambda on ${facts.deprecation} (${LAMBDA_RUNTIMES_SOURCE}): ${choose}`;
  if (!facts.providerAccepts) {
    return `is a Lambda runtime, but the pinned AWS provider (hashicorp/aws 5.100.0) refuses it at plan: ${choose}`;
  }
  return undefined;
}
