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

describe("ALB patterns, against every text they could match", () => {
  // Every pattern of up to 3 characters over a, b, * and ?; two patterns overlap when some
  // text matches both, and a shortest such text is never longer than the two together.
  const alphabet = ["a", "b", "*", "?"];
  /** Every string of up to `n` letters. */
  const upTo = (n: number, letters: string[]): string[] => {
    const all = [""];
    for (let from = 0; all[from].length < n; from++) for (const l of letters) all.push(all[from] + l);
    return all;
  };
  const patterns = upTo(3, alphabet);
  const texts = upTo(6, ["a", "b"]);
  const regex = (pattern: string) => new RegExp(`^${pattern.replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  const matching = new Map(patterns.map((p) => [p, new Set(texts.filter((t) => regex(p).test(t)))]));

  test("two patterns overlap exactly when some text matches both", () => {
    const wrong: string[] = [];
    for (const a of patterns) {
      for (const b of patterns) {
        const expected = [...(matching.get(a) as Set<string>)].some((t) => matching.get(b)?.has(t));
        if (patternsOverlap(a, b) !== expected) wrong.push(`${JSON.stringify(a)} ~ ${JSON.stringify(b)}: ${!expected}`);
      }
    }
    expect(patterns.length).toBe(85);
    expect(wrong).toEqual([]);
  });

  test("a pattern matches exactly the texts its wildcards allow; a * or ? in a text is one character", () => {
    const wrong = patterns.flatMap((p) => texts.filter((t) => patternMatches(p, t) !== matching.get(p)?.has(t)).map((t) => `${p} ${t}`));
    expect(wrong).toEqual([]);
    expect(patternMatches("/a?", "/a*")).toBe(true);
    expect(patternMatches("/a?c", "/a?c")).toBe(true);
    expect(patternMatches("/a", "/a*")).toBe(false);
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

  test("a condition with alternatives overlaps when any one of them can", () => {
    expect(routesOverlap({ paths: ["/a", "/b"] }, { paths: ["/b"] })).toBe(true);
    expect(routesOverlap({ paths: ["/a"] }, { paths: ["/c", "/a/*", "/a"] })).toBe(true);
    expect(routesOverlap({ paths: ["/a", "/b"] }, { paths: ["/c"] })).toBe(false);
    expect(routesOverlap({ hosts: ["a.example.com", "B.example.com"] }, { hosts: ["b.example.com"] })).toBe(true);
    expect(routesOverlap({ methods: ["GET", "POST"] }, { methods: ["POST"] })).toBe(true);
    expect(routesOverlap({ methods: ["POST"] }, { methods: ["PUT", "POST"] })).toBe(true);
    expect(routesOverlap({ methods: ["GET", "HEAD"] }, { methods: ["POST", "PUT"] })).toBe(false);
    expect(routesOverlap({ headers: { "x-team": ["red", "blue"] } }, { headers: { "X-Team": ["blue"] } })).toBe(true);
  });

  test("specificity: literal characters of the least specific path, plus one per other condition", () => {
    expect(specificity({ paths: ["/api/*"] })).toBe(5);
    expect(specificity({ paths: ["/api/orders/*", "/a*"] })).toBe(2);
    expect(specificity({ hosts: ["a.example.com"], methods: ["GET"], headers: { a: ["1"], b: ["2"] } })).toBe(4);
  });

  test("a route's values: only the conditions it has", () => {
    expect(conditionValues({ methods: ["GET"] })).toEqual(["GET"]);
    expect(conditionValues({ paths: ["/a"] })).toEqual(["/a"]);
    expect(conditionValues({ hosts: ["a.example.com"], headers: { "x-a": ["1"] } })).toEqual(["a.example.com", "1"]);
    expect(conditionValues({})).toEqual([]);
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
    const headers = ["x-c", "X-A", "x-b", "x-e", "x-d"];
    const orders = [headers, [...headers].reverse(), [headers[2], headers[4], headers[0], headers[3], headers[1]]];
    const forms = orders.map((names) => canonicalRoute({ headers: Object.fromEntries(names.map((n) => [n, [n.toLowerCase()]])) }));
    expect(new Set(forms).size).toBe(1);
  });

  test("the canonical form: paths, hosts (lowercased), methods and headers (by lowercased name), each sorted", () => {
    expect(
      canonicalRoute({
        methods: ["POST", "GET"],
        hosts: ["B.Example.com", "a.example.com"],
        paths: ["/b", "/a"],
        headers: { "X-B": ["2"], "x-a": ["1"] },
      }),
    ).toBe(
      JSON.stringify([
        ["/a", "/b"],
        ["a.example.com", "b.example.com"],
        ["GET", "POST"],
        [
          ["x-a", ["1"]],
          ["x-b", ["2"]],
        ],
      ]),
    );
    expect(canonicalRoute({ paths: ["/a"] })).toBe(JSON.stringify([["/a"], null, null, []]));
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

  test("of two routes preferring one priority, the one whose conditions sort first keeps it, in any order given", () => {
    // GIVEN two routes of one level that prefer the same priority
    const candidates = Array.from({ length: 400 }, (_, i) => ({ paths: [`/c${String(i).padStart(3, "0")}`] }));
    const byPriority = new Map<number, { paths: string[] }>();
    let pair: [{ paths: string[] }, { paths: string[] }] | undefined;
    for (const route of candidates) {
      const other = byPriority.get(derivedPriority(route));
      if (other) {
        pair = [other, route];
        break;
      }
      byPriority.set(derivedPriority(route), route);
    }
    if (!pair) throw new Error("no two of the candidates prefer one priority");
    const [first, second] = canonicalRoute(pair[0]) < canonicalRoute(pair[1]) ? pair : [pair[1], pair[0]];
    const preferred = derivedPriority(first);
    // THEN the first in the order of conditions gets it, the other another one of that level
    const [a, b] = assignPriorities([first, second]);
    expect(a).toBe(preferred);
    expect(b).not.toBe(preferred);
    expect(Math.floor((b - 2) / 1000)).toBe(Math.floor((preferred - 2) / 1000));
    expect(assignPriorities([second, first])).toEqual([b, a]);
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
