// cdktf captures a full stack trace at every token it creates (each reference, each function
// call), only to name where a token was made if it later fails to resolve. The app's bundle
// returns none (scripts/app.js); here too, or every trace went through jest's source-map
// support frame by frame: a quarter of the CPU of test:quick, a fifth of each synth in a test.
// (Registered before anything loads cdktf: a module loaded earlier keeps the real one.)
jest.mock(require.resolve("cdktf/lib/tokens/private/stack-trace"), () => ({ captureStackTrace: () => [] }));

// cdktf's jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
require("cdktf/lib/testing/adapters/jest").setupJest();
