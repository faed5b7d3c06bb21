/**
 * Starts one AWS provider process for the whole jest run (when Terraform and the mirror are
 * here), so that Terraform in every test file attaches to it instead of starting its own.
 * The workers find it through TF_SHARED_PROVIDER_REATTACH; global-teardown.ts stops it.
 */
import { mirroredProviderBinary, providerMirror, SharedProvider, terraformAvailability } from "./terraform";

export default async function globalSetup(): Promise<void> {
  const mirror = providerMirror();
  const binary = mirror && mirroredProviderBinary(mirror);
  if (terraformAvailability().mode !== "run" || !binary) return;
  const shared = await SharedProvider.start(binary);
  (globalThis as { sharedProvider?: SharedProvider }).sharedProvider = shared;
  process.env.TF_SHARED_PROVIDER_REATTACH = shared.reattach;
}
