import { certificateCovers, hostedZoneIdProblem, hostnameProblem } from "../../lib/dns";

describe("hostnameProblem: names clients can resolve and verify", () => {
  test.each(["api.example.com", "a.b", "xn--bcher-kva.example", "a-1.example.co.jp", `${"a".repeat(63)}.example.com`])(
    "%s is a host name",
    (name) => {
      expect(hostnameProblem(name)).toBeUndefined();
    },
  );

  test.each([
    ["api.example.com.", "without the trailing dot"],
    [" api.example.com", "without spaces"],
    ["api.example.com\n", "without spaces"],
    ["https://api.example.com/", "not a URL"],
    ["api.example.com/path", "not a URL"],
    ["api.example.com:443", "without a port"],
    ["API.example.com", "in lowercase"],
    ["localhost", "with a domain"],
    ["api..example.com", "without empty labels"],
    [".example.com", "without empty labels"],
    ["-api.example.com", 'the label "-api"'],
    ["api-.example.com", 'the label "api-"'],
    ["api_v1.example.com", 'the label "api_v1"'],
    ["bücher.example.com", 'the label "bücher"'],
    // Invisible and terminal-control characters show escaped, so the label does not look valid.
    ["api.example.com\u200b", 'the label "com\\u200b"'],
    ["api.\u202eexample.com", 'the label "\\u202eexample"'],
    [`${"a".repeat(64)}.example.com`, "a label of 64 characters"],
    [`${"a.".repeat(127)}com`, "at most 253 characters"],
    ["10.0.0.1", "not an IP address"],
    ["*.example.com", "not a wildcard"],
    ["a.*.example.com", 'only have "*" as its whole first label'],
    ["api*.example.com", 'only have "*" as its whole first label'],
  ])("%j is refused: %s", (name, why) => {
    expect(hostnameProblem(name)).toContain(why);
  });

  test("a certificate's wildcard name is a name where wildcards are allowed", () => {
    expect(hostnameProblem("*.example.com", { wildcard: true })).toBeUndefined();
    expect(hostnameProblem("*.com", { wildcard: true })).toBeUndefined();
    expect(hostnameProblem("*", { wildcard: true })).toContain("with a domain");
    expect(hostnameProblem("*.*.example.com", { wildcard: true })).toContain('only have "*" as its whole first label');
  });
});

describe("certificateCovers: as TLS clients match names (RFC 6125 6.4.3)", () => {
  test.each([
    ["api.example.com", "api.example.com", true],
    ["API.example.com", "api.EXAMPLE.com", true],
    ["api.example.com", "web.example.com", false],
    ["*.example.com", "api.example.com", true],
    ["*.example.com", "example.com", false],
    ["*.example.com", "a.api.example.com", false],
    ["*.example.com", "api.example.org", false],
    ["*.example.com", "*.example.com", false],
    ["*.api.example.com", "v1.api.example.com", true],
    ["*.api.example.com", "api.example.com", false],
    ["example.com", "api.example.com", false],
  ])("a certificate for %s covers %s: %s", (cert, host, covers) => {
    expect(certificateCovers(cert, host)).toBe(covers);
  });
});

describe("hostedZoneIdProblem", () => {
  test.each(["Z0123456789ABCDEFGHIJ", "Z2FDTNDATAQYW2", `Z${"A".repeat(31)}`])("%s is a hosted zone ID", (id) => {
    expect(hostedZoneIdProblem(id)).toBeUndefined();
  });
  test.each([
    ["/hostedzone/Z0123456789ABCDEFGHIJ", 'without "/hostedzone/": "Z0123456789ABCDEFGHIJ"'],
    ["hostedzone/Z0123456789ABCDEFGHIJ", 'without "/hostedzone/"'],
    ["/hostedzone/Z0123\u001b[31mRED", 'without "/hostedzone/": "Z0123\\u001b[31mRED"'],
    ["z0123456789abcdefghij", "Route 53 hosted zone ID"],
    ["Z", "Route 53 hosted zone ID"],
    [`Z${"A".repeat(32)}`, "Route 53 hosted zone ID"],
    ["Z0123 456", "Route 53 hosted zone ID"],
    ["example.com", "Route 53 hosted zone ID"],
  ])("%j is refused", (id, why) => {
    expect(hostedZoneIdProblem(id)).toContain(why);
  });
});
