// Preloaded with `node -r` by the benchmark: at exit, prints how many modules of
// @cdktf/provider-aws the process loaded (a handful with deep imports, thousands from the root).
const { writeSync } = require("node:fs");
process.on("exit", () => {
  const count = Object.keys(require.cache).filter((p) => p.includes("/@cdktf/provider-aws/")).length;
  writeSync(2, `provider-aws modules loaded: ${count}\n`);
});
