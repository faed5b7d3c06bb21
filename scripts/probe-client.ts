/**
 * Calls a consumer's probe function with that consumer's credentials: the profile and role
 * its stack's AWS provider uses, from the same config.
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { loadConfig } from "../config/load";
import type { AccountModel } from "../config/model";
import { resolveConfig } from "../config/resolve";
import { probeFunctionName } from "../config/stack-names";

/** The probe of one consumer stack, and how to reach it. */
export interface ProbeTarget {
  readonly stack: string;
  readonly functionName: string;
  readonly account: AccountModel;
}

/** What the probe returns (lambda-src/probe/probe.py). */
export interface ProbeAnswer {
  /** Whether an answer came at all. */
  readonly ok: boolean;
  readonly url?: string;
  readonly status?: number;
  /** Lowercased names. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly bodyExcerpt?: string;
  readonly latencyMs?: number;
  readonly error?: string;
}

/** The probe of stack `from` in the config at `configFile`; throws a one-line message when there is none. */
export function probeTarget(configFile: string, from: string): ProbeTarget {
  const model = resolveConfig(loadConfig(configFile));
  const consumer = model.consumers.find((c) => c.stackName === from);
  if (!consumer) {
    const stacks = model.consumers.map((c) => c.stackName).join(", ");
    throw new Error(`--from ${JSON.stringify(from)}: no consumer stack of that name in ${configFile} (consumer stacks: ${stacks})`);
  }
  if (!consumer.probe) {
    const i = model.consumers.indexOf(consumer);
    throw new Error(
      `--from ${from}: consumer "${consumer.name}" has no probe (consumers[${i}].probe); set it to true and deploy, or call the URL directly`,
    );
  }
  return { stack: from, functionName: probeFunctionName(model.name, consumer.name), account: consumer.account };
}

/** How long one invocation of the probe may take, cold start and the probe's own timeout included. */
export const PROBE_INVOKE_TIMEOUT_MS = 60_000;

/**
 * A Lambda client in the consumer's account and Region, with its profile and role. The AWS
 * SDK is loaded here, on first use: a smoke check of a URL alone never loads it (it is most
 * of the script's start-up time).
 */
export async function probeClient(account: AccountModel): Promise<LambdaClient> {
  const [{ LambdaClient }, { fromNodeProviderChain, fromTemporaryCredentials }] = await Promise.all([
    import("@aws-sdk/client-lambda"),
    import("@aws-sdk/credential-providers"),
  ]);
  const base = fromNodeProviderChain(account.profile ? { profile: account.profile } : {});
  const credentials = account.assumeRole
    ? fromTemporaryCredentials({
        masterCredentials: base,
        params: {
          RoleArn: account.assumeRole.roleArn,
          ExternalId: account.assumeRole.externalId,
          RoleSessionName: account.assumeRole.sessionName ?? "privatelink-smoke",
        },
        clientConfig: { region: account.region },
      })
    : base;
  return new LambdaClient({ region: account.region, credentials });
}

/** Invokes the probe once, synchronously, asking for `path`. */
export async function invokeProbe(
  target: ProbeTarget,
  path: string,
  client?: LambdaClient,
  timeoutMs = PROBE_INVOKE_TIMEOUT_MS,
): Promise<ProbeAnswer> {
  const { InvokeCommand } = await import("@aws-sdk/client-lambda");
  // An invocation that never answers (a network that drops the call) ends, named, instead of
  // hanging the check: the probe itself gives up on the service within its own timeout.
  const abortSignal = AbortSignal.timeout(timeoutMs);
  const out = await (client ?? (await probeClient(target.account)))
    .send(new InvokeCommand({ FunctionName: target.functionName, InvocationType: "RequestResponse", Payload: JSON.stringify({ path }) }), {
      abortSignal,
    })
    .catch((err: unknown) => {
      if (abortSignal.aborted) throw new Error(`the probe ${target.functionName} did not answer within ${timeoutMs / 1000} s`);
      throw err;
    });
  const text = out.Payload ? Buffer.from(out.Payload).toString("utf8") : "";
  if (out.FunctionError) throw new Error(`the probe ${target.functionName} failed (${out.FunctionError}): ${text.slice(0, 300)}`);
  const notAProbeResult = () =>
    new Error(`the probe ${target.functionName} answered something else than a probe result: ${text.slice(0, 300)}`);
  let answer: ProbeAnswer;
  try {
    answer = JSON.parse(text) as ProbeAnswer;
  } catch {
    throw notAProbeResult();
  }
  if (typeof answer !== "object" || answer === null || typeof answer.ok !== "boolean") {
    throw notAProbeResult();
  }
  return answer;
}
