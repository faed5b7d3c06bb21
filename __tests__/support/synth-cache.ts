/**
 * The environment variable naming the folder where test files share synthesized configs for
 * one jest run: global-setup.ts sets it, helpers.ts (stacksFolder) reads it. A module of its
 * own so that neither side loads the other's dependencies.
 */
export const SYNTH_CACHE_ENV = "PLK_TEST_SYNTH_CACHE";
