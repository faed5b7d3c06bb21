// cdktf records the stack at every token it creates (each reference, each function call), for
// its error messages only. Under jest every frame of each of those traces went through jest's
// source-map support: about 15% of the CPU of a test:quick run. Here the traces keep every
// frame, in V8's own format (as outside jest); only the source-map lookup is skipped.
// (Registered before anything loads cdktf: a module loaded earlier keeps the real one.)
/** A stack as V8 writes it: the error, then each frame. */
const plainStack = (error, frames) => [String(error), ...frames.map((f) => `    at ${f}`)].join("\n");
const STACK_TRACE = require.resolve("cdktf/lib/tokens/private/stack-trace");
jest.mock(STACK_TRACE, () => {
  const actual = jest.requireActual(STACK_TRACE);
  return {
    captureStackTrace(below) {
      const prepare = Error.prepareStackTrace;
      Error.prepareStackTrace = plainStack;
      try {
        return actual.captureStackTrace(below);
      } finally {
        Error.prepareStackTrace = prepare;
      }
    },
  };
});

// cdktf's jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
require("cdktf/lib/testing/adapters/jest").setupJest();
