/**
 * Composition root: load and validate the config, build the Lambda package, create the
 * provider stack and one consumer stack per consumer, and synthesize.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from "./config/load";
import { AppConfig, consumerStackName } from "./config/schema";
import { App } from "./lib/cdktf";
import { buildLambdaPackage, LambdaPackage } from "./lib/lambda-package";
import { ConsumerStack } from "./stacks/consumer-stack";
import { ProviderStack } from "./stacks/provider-stack";

/** The folder zipped into the function's package. */
export const LAMBDA_SOURCE_DIR = join(__dirname, "lambda-src", "hello");

/** Creates every stack of the app. Consumers of this app's service get its typed handle. */
export function createStacks(app: App, config: AppConfig, lambdaPackage: LambdaPackage) {
  const provider = config.provider && new ProviderStack(app, "provider", { config, side: config.provider, lambdaPackage });
  const consumers = config.consumers.map(
    (consumer) =>
      new ConsumerStack(app, consumerStackName(config, consumer.name), {
        consumer,
        service: consumer.serviceName ? undefined : provider?.service,
        port: config.service.port,
        name: config.name,
        backend: config.backend,
        tags: config.tags,
      }),
  );
  return { provider, consumers };
}

async function main(): Promise<void> {
  const configFile = process.env.PRIVATELINK_CONFIG || DEFAULT_CONFIG_FILE;
  // Validate before anything is written: a bad config leaves the last cdktf.out untouched.
  const config = loadConfig(configFile);
  const workDir = mkdtempSync(join(tmpdir(), "privatelink-lambda-"));
  try {
    const lambdaPackage = await buildLambdaPackage(LAMBDA_SOURCE_DIR, workDir, "hello");
    const app = new App();
    createStacks(app, config, lambdaPackage);
    app.synth();
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(err.message);
    } else {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    }
    process.exitCode = 1;
  });
}
