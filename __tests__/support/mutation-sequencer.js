/**
 * The order of test files in mutation runs: small files first. Jest's default order puts the
 * slowest files first; with runs that stop at a mutant's first failure, the quick unit tests
 * that kill most mutants should come before the suites that synthesize whole apps.
 */
const { statSync } = require("node:fs");
const Sequencer = require("@jest/test-sequencer").default;

class SmallFirst extends Sequencer {
  sort(tests) {
    const size = (t) => statSync(t.path).size;
    return [...tests].sort((a, b) => size(a) - size(b) || (a.path < b.path ? -1 : 1));
  }
}

module.exports = SmallFirst;
