import {
  assignPriorities,
  canonicalRoute,
  conditionValues,
  derivedPriority,
  patternMatches,
  patternsOverlap,
  ROUTE_PRIORITY_MAX,
  ROUTE_PRIORITY_MIN,
  routesOverlap,
  specificity,
  wildcardCount,
} from "../../lib/routes";

describe("ALB patterns", () => {
  test.each([
    ["/api/*", "/api/orders", true],
    ["/api/*", "/api/", true],
    ["/api/*", "/api", false],
    ["/a?c", "/abc", true],
    ["/a?c", "/ac", false],
    ["/healthz", "/healthz", true],
    ["/healthz", "/healthz/", false],
    ["*", "/anything", true],
    ["/API/*", "/api/x", false],
  ])("%s matches %s: %s", (pattern, text, expected) => {
    expect(patternMatches(pattern, text)).toBe(expected);
  });

  test.each([
    ["/api/*", "/api/orders/*", true],
    ["/api/*", "/static/*", false],
    ["/a/*", "/*/b", true],
    ["*.png", "/static/*", true],
    ["/x?", "/xy", true],
    ["/x?", "/x", false],
    ["/a*b", "/a*c", false],
  ])("%s and %s overlap: %s", (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });
});

describe("routes", () => {
  test("a route overlaps another only when every condition can match one request", () => {
    expect(routesOverlap({ paths: ["/api/*"] }, { paths: ["/api/v1/*"] })).toBe(true);
    expect(routesOverlap({ paths: ["/api/*"], methods: ["GET"] }, { paths: ["/api/*"], methods: ["POST"] })).toBe(false);
    expect(routesOverlap({ paths: ["/api/*"] }, { hosts: ["api.example.com"] })).toBe(true);
    expect(routesOverlap({ hosts: ["A.example.com"] }, { hosts: ["a.EXAMPLE.com"] })).toBe(true);
    expect(routesOverlap({ hosts: ["a.example.com"] }, { hosts: ["b.example.com"] })).toBe(false);
    expect(routesOverlap({ headers: { "X-Team": ["red"] } }, { headers: { "x-team": ["blue"] } })).toBe(false);
    expect(routesOverlap({ headers: { "X-Team": ["red"] } }, { headers: { "x-other": ["blue"] } })).toBe(true);
  });

  test("specificity: literal characters of the least specific path, plus one per other condition", () => {
    expect(specificity({ paths: ["/api/*"] })).toBe(5);
    expect(specificity({ paths: ["/api/orders/*", "/a*"] })).toBe(2);
    expect(specificity({ hosts: ["a.example.com"], methods: ["GET"], headers: { a: ["1"], b: ["2"] } })).toBe(4);
  });

  test("counts the values and wildcards the ALB limits", () => {
    const route = { paths: ["/a/*", "/b?"], hosts: ["*.example.com"], methods: ["GET"], headers: { "x-a": ["1", "*"] } };
    expect(conditionValues(route)).toEqual(["/a/*", "/b?", "*.example.com", "GET", "1", "*"]);
    expect(wildcardCount(route)).toBe(4);
  });

  test("the canonical form ignores the order values and headers are written in", () => {
    expect(canonicalRoute({ paths: ["/b", "/a"], headers: { B: ["1"], a: ["2"] } })).toBe(
      canonicalRoute({ headers: { a: ["2"], b: ["1"] }, paths: ["/a", "/b"] }),
    );
    expect(canonicalRoute({ paths: ["/a"] })).not.toBe(canonicalRoute({ paths: ["/b"] }));
  });
});

describe("derived priorities", () => {
  test("depend on the route alone, so adding other routes changes none", () => {
    const priority = derivedPriority({ paths: ["/orders/*"] });
    expect(derivedPriority({ paths: ["/orders/*"] })).toBe(priority);
    expect(derivedPriority({ paths: ["/orders/*"], methods: ["GET"] })).not.toBe(priority);
  });

  test("put a more specific route before a less specific one", () => {
    expect(derivedPriority({ paths: ["/api/orders/*"] })).toBeLessThan(derivedPriority({ paths: ["/api/*"] }));
    expect(derivedPriority({ paths: ["/api/*"] })).toBeLessThan(derivedPriority({ paths: ["/*"] }));
  });

  test("stay within 2-50000 at both ends of specificity", () => {
    for (const route of [{ paths: ["*"] }, { paths: [`/${"x".repeat(120)}`] }, { hosts: ["*"] }]) {
      const p = derivedPriority(route);
      expect(p).toBeGreaterThanOrEqual(ROUTE_PRIORITY_MIN);
      expect(p).toBeLessThanOrEqual(ROUTE_PRIORITY_MAX);
    }
    expect(derivedPriority({ paths: [`/${"x".repeat(120)}`] })).toBeLessThanOrEqual(1000);
    expect(derivedPriority({ paths: ["*"] })).toBeGreaterThan(49000);
  });
});

describe("assigned priorities", () => {
  const many = Array.from({ length: 99 }, (_, i) => ({ paths: [`/r${i}`] }));

  test("every route gets its own, a given priority is kept, and routes meeting at one take the next free", () => {
    const priorities = assignPriorities([...many, { paths: ["/given"], priority: derivedPriority(many[0]) }]);
    expect(new Set(priorities).size).toBe(100);
    expect(priorities[99]).toBe(derivedPriority(many[0]));
    // The route whose preferred priority was given away moved, within its level.
    expect(priorities[0]).not.toBe(derivedPriority(many[0]));
    expect(Math.floor((priorities[0] - 2) / 1000)).toBe(Math.floor((derivedPriority(many[0]) - 2) / 1000));
    // Every other route whose preferred priority is free keeps it.
    const collided = new Set(priorities.filter((p, i) => p !== (i < 99 ? derivedPriority(many[i]) : p)));
    expect(collided.size).toBeLessThan(10);
  });

  test("are the same in any order, and a route added leaves the others where they were", () => {
    const forward = assignPriorities(many);
    const reversed = assignPriorities([...many].reverse()).reverse();
    expect(reversed).toEqual(forward);
    const added = assignPriorities([...many, { paths: ["/new/*"] }]);
    expect(added.slice(0, 99)).toEqual(forward);
  });

  test("wrap to the start of their level at its end", () => {
    // GIVEN every priority from the route's preferred one to its level's last taken
    const route = { paths: ["/q"] };
    const preferred = derivedPriority(route);
    const levelStart = Math.floor((preferred - 2) / 1000) * 1000 + 2;
    const taken = Array.from({ length: levelStart + 998 - preferred + 1 }, (_, k) => ({ paths: [`/t${k}`], priority: preferred + k }));
    // THEN the route takes its level's first
    expect(assignPriorities([...taken, route]).at(-1)).toBe(levelStart);
  });
});
