/**
 * Composition root: load and validate the config, build the Lambda package, create the
 * provider stack and one consumer stack per consumer, and synthesize.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from "./config/load";
import { AppConfig, consumerStackName } from "./config/schema";
import { App, Aspects } from "./lib/cdktf";
import { repairHclOutput } from "./lib/hcl-fixes";
import { buildLambdaPackage, LambdaPackage } from "./lib/lambda-package";
import { PolicyAspect, PolicyViolationError, writeScannerIgnoreFiles } from "./lib/policy/engine";
import { RULES } from "./lib/policy/rules";
import { publish, withWorkDir } from "./lib/synth-output";
import { ConsumerStack } from "./stacks/consumer-stack";
import { ProviderStack } from "./stacks/provider-stack";

/** The project root: this file's folder, or its parent when run from the `.build/` bundle. */
export const PROJECT_ROOT = existsSync(join(__dirname, "lambda-src")) ? __dirname : dirname(__dirname);

/** The folder zipped into the function's package. */
export const LAMBDA_SOURCE_DIR = join(PROJECT_ROOT, "lambda-src", "hello");

/** Creates every stack of the app. Consumers of this app's service get its typed handle. */
export function createStacks(app: App, config: AppConfig, lambdaPackage: LambdaPackage) {
  const provider = config.provider && new ProviderStack(app, "provider", { config, side: config.provider, lambdaPackage });
  const consumers = config.consumers.map(
    (consumer) =>
      new ConsumerStack(app, consumerStackName(config, consumer.name), {
        consumer,
        service: consumer.serviceName ? undefined : provider?.service,
        port: config.service.port,
        tls: config.service.certificateArn ? { hostname: config.service.hostname } : undefined,
        name: config.name,
        backend: config.backend,
        tags: config.tags,
      }),
  );
  // Every stack is checked against the policy rules when the app synthesizes.
  const policy = new PolicyAspect(RULES);
  for (const stack of [...(provider ? [provider] : []), ...consumers]) Aspects.of(stack).add(policy);
  return { provider, consumers };
}

async function main(): Promise<void> {
  const configFile = process.env.PRIVATELINK_CONFIG || DEFAULT_CONFIG_FILE;
  // Validate before anything is written: a bad config leaves the last cdktf.out untouched.
  const config = loadConfig(configFile);
  await withWorkDir(async (workDir) => {
    const lambdaPackage = await buildLambdaPackage(LAMBDA_SOURCE_DIR, workDir, "hello");
    const staging = join(workDir, "cdktf.out");
    const app = new App({ outdir: staging });
    createStacks(app, config, lambdaPackage);
    app.synth();
    writeScannerIgnoreFiles(app, staging, RULES);
    repairHclOutput(staging);
    publish(staging, process.env.CDKTF_OUTDIR || "cdktf.out");
  });
}

/** Runs the app: a bad config or a policy finding is one message and exit code 1, no stack trace. */
export function cli(): void {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof PolicyViolationError) {
      console.error(err.message);
    } else {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    }
    process.exitCode = 1;
  });
}

if (require.main === module) cli();
