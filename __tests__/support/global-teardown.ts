/** Stops the provider process global-setup.ts started. */
import type { SharedProvider } from "./terraform";

export default async function globalTeardown(): Promise<void> {
  (globalThis as { sharedProvider?: SharedProvider }).sharedProvider?.stop();
}
