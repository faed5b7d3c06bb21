/** Stops the provider process global-setup.ts started. */
import type { SharedProvider } from "./terraform";

export default function globalTeardown(): void {
  (globalThis as { sharedProvider?: SharedProvider }).sharedProvider?.stop();
}
