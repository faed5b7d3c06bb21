import { isDeprecated, runtimeProblem, RUNTIMES, RUNTIMES_AS_OF, USABLE_RUNTIMES } from "../../lib/aws/runtimes";

describe("Lambda runtimes", () => {
  test("usable: current in Lambda and accepted by the pinned provider", () => {
    expect(USABLE_RUNTIMES).toEqual(["python3.11", "python3.12", "python3.13", "nodejs22.x"]);
    for (const r of USABLE_RUNTIMES) expect(runtimeProblem(r)).toBeUndefined();
  });

  test.each([
    ["python3.9", /deprecated by Lambda on 2025-12-15/],
    ["nodejs20.x", /deprecated by Lambda on 2026-04-30/],
    ["python3.14", /pinned AWS provider \(hashicorp\/aws 5\.100\.0\) refuses it/],
    ["nodejs24.x", /refuses it/],
    ["java21", /not a Python or Node.js Lambda runtime/],
    ["python", /not a Python or Node.js/],
  ])("%s is refused: %s", (runtime, message) => {
    expect(runtimeProblem(runtime)).toMatch(message);
    expect(runtimeProblem(runtime)).toContain("use one of python3.11, python3.12, python3.13, nodejs22.x");
  });

  test("a runtime counts as deprecated from its deprecation date on", () => {
    expect(isDeprecated({ language: "python", deprecation: RUNTIMES_AS_OF, providerAccepts: true })).toBe(true);
    expect(isDeprecated({ language: "python", deprecation: "2999-01-01", providerAccepts: true })).toBe(false);
    expect(Object.values(RUNTIMES).every((f) => /^\d{4}-\d{2}-\d{2}$/.test(f.deprecation))).toBe(true);
  });
});
