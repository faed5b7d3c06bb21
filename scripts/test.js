#!/usr/bin/env node
// `npm test`: the static checks (scripts/static-checks.js: tsc, eslint, prettier) and jest,
// side by side. Run one after the other, the machine's second core sat mostly idle while
// eslint built its type information (about 20 s), and jest's own runs leave gaps while a
// worker waits on Terraform or a child process: side by side, the static checks fill them.
// The static checks' report is printed when they finish; the run fails if either part fails.
// Arguments go to jest (`npm test -- __tests__/guards.test.ts`).
const { spawn } = require("node:child_process");
const { join } = require("node:path");

const root = join(__dirname, "..");

/**
 * Runs `parts` ({ name, command, args, capture }) at once. A captured part's output is
 * printed, whole, when it ends (so it never splits a line of the others'). Resolves to the
 * exit code: the first failing part's (1 for a part killed by a signal), else 0.
 */
function runSideBySide(parts, { out = process.stdout, err = process.stderr } = {}) {
  const children = [];
  const forward = (signal) => children.forEach((child) => child.exitCode === null && child.kill(signal));
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, forward);
  return Promise.all(
    parts.map(
      (part) =>
        new Promise((resolve) => {
          const child = spawn(part.command, part.args, { cwd: root, stdio: part.capture ? ["ignore", "pipe", "pipe"] : "inherit" });
          children.push(child);
          let output = "";
          child.stdout?.on("data", (d) => (output += d));
          child.stderr?.on("data", (d) => (output += d));
          child.on("error", (error) => {
            err.write(`${part.name}: cannot start ${part.command} (${error.message})\n`);
            resolve({ name: part.name, code: 1 });
          });
          child.on("close", (code) => {
            if (output) out.write(output.endsWith("\n") ? output : `${output}\n`);
            resolve({ name: part.name, code: code ?? 1 });
          });
        }),
    ),
  ).then((results) => {
    for (const signal of signals) process.off(signal, forward);
    const failed = results.filter((r) => r.code !== 0);
    if (failed.length > 0) err.write(`npm test failed: ${failed.map((r) => r.name).join(", ")}\n`);
    return failed.length > 0 ? failed[0].code : 0;
  });
}

/** What `npm test` runs: the static checks (their report printed whole), and jest with `args`. */
function npmTestParts(args) {
  return [
    { name: "static checks", command: process.execPath, args: [join(root, "scripts", "static-checks.js")], capture: true },
    { name: "jest", command: process.execPath, args: [join(root, "node_modules", "jest", "bin", "jest.js"), ...args] },
  ];
}

module.exports = { npmTestParts, runSideBySide };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(
      "usage: npm test [-- <jest arguments>]\n\nRuns the static checks (scripts/static-checks.js: tsc, eslint, prettier) and jest side by side; fails if either fails. Arguments go to jest.",
    );
    process.exit(0);
  }
  runSideBySide(npmTestParts(args)).then((code) => (process.exitCode = code));
}
