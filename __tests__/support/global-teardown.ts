/** Stops the provider process global-setup.ts started and removes the run's temp folder. */
import { rmSync } from "node:fs";
import type { SharedProvider } from "./terraform";

export default function globalTeardown(): void {
  const state = globalThis as { sharedProvider?: SharedProvider; runTemp?: string };
  state.sharedProvider?.stop();
  if (state.runTemp) rmSync(state.runTemp, { recursive: true, force: true });
}
