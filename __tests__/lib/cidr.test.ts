/** IPv4 CIDR parsing and the arithmetic the config checks and the derived subnets use. */
import { cidrContains, cidrsOverlap, cidrSubnet, formatCidr, hasLeadingZero, Ipv4Block, parseIpv4Cidr } from "../../lib/cidr";

/** A block from its text, failing the test when the text does not parse. */
function block(text: string): Ipv4Block {
  const parsed = parseIpv4Cidr(text);
  if (parsed === undefined) throw new Error(`test setup: ${text} does not parse`);
  return parsed;
}

describe("parseIpv4Cidr", () => {
  test.each<[string, Ipv4Block]>([
    ["10.0.0.0/16", { network: 10 * 2 ** 24, prefix: 16 }],
    ["0.0.0.0/0", { network: 0, prefix: 0 }],
    ["255.255.255.255/32", { network: 2 ** 32 - 1, prefix: 32 }],
    ["192.168.10.0/24", { network: 192 * 2 ** 24 + 168 * 2 ** 16 + 10 * 2 ** 8, prefix: 24 }],
    ["10.0.0.7/32", { network: 10 * 2 ** 24 + 7, prefix: 32 }],
  ])("%s parses to its network and prefix", (text, expected) => {
    // GIVEN a well-formed block; WHEN parsed; THEN the network is the address as an integer
    expect(parseIpv4Cidr(text)).toEqual(expected);
  });

  test.each([
    ["host bits set", "10.0.0.1/16"],
    ["host bits set at /31", "10.0.0.1/31"],
    ["an octet of 256", "256.0.0.0/8"],
    ["a prefix of 33", "10.0.0.0/33"],
    ["a three-digit prefix", "10.0.0.0/008"],
    ["a hexadecimal octet", "0x10.0.0.0/8"],
    ["a four-digit octet", "0010.0.0.0/8"],
    ["a leading zero, which ipaddr.js reads as octal (010 = 8)", "010.0.0.0/8"],
    ["a leading zero in an inner octet", "10.0.00.0/16"],
    ["a leading zero in the prefix", "10.0.0.0/08"],
    ["text before the block", "x10.0.0.0/8"],
    ["text after the block", "10.0.0.0/8 x"],
    ["no prefix", "10.0.0.0"],
    ["three octets", "10.0.0/8"],
    ["an IPv6 block", "fd00::/8"],
    ["nothing", ""],
  ])("%s (%s) is refused", (_what, text) => {
    // GIVEN text that is not a plain, aligned IPv4 block; WHEN parsed; THEN there is no block
    expect(parseIpv4Cidr(text)).toBeUndefined();
  });
});

describe("hasLeadingZero", () => {
  test.each<[string, boolean]>([
    ["010.0.0.0/8", true],
    ["10.01.0.0/16", true],
    ["10.0.0.0/016", true],
    ["10.0.0.0/16", false],
    ["0.0.0.0/0", false],
    ["100.64.0.0/10", false],
    ["10.100.0.0/16", false],
  ])("%s: %s", (text, expected) => {
    expect(hasLeadingZero(text)).toBe(expected);
  });
});

describe("formatCidr", () => {
  test.each(["10.0.0.0/16", "0.0.0.0/0", "255.255.255.255/32", "172.31.240.0/20", "1.2.3.4/32"])("%s round-trips", (text) => {
    // GIVEN a parsed block; WHEN formatted; THEN the text comes back as written
    expect(formatCidr(block(text))).toBe(text);
  });
});

describe("cidrContains", () => {
  test.each<[string, string, boolean]>([
    ["10.0.0.0/16", "10.0.0.0/16", true],
    ["10.0.0.0/16", "10.0.0.0/24", true],
    ["10.0.0.0/16", "10.0.255.0/24", true],
    ["10.0.0.0/16", "10.0.128.0/17", true],
    ["10.0.0.0/16", "10.0.0.0/8", false],
    ["10.0.0.0/16", "9.255.255.0/24", false],
    ["10.0.0.0/16", "9.0.0.0/24", false],
    ["10.0.0.0/16", "10.1.0.0/24", false],
    ["10.0.0.0/16", "10.1.0.0/16", false],
    ["0.0.0.0/0", "255.255.255.255/32", true],
  ])("%s contains %s: %s", (outer, inner, expected) => {
    // GIVEN two blocks; WHEN containment is asked; THEN only a block wholly inside counts
    expect(cidrContains(block(outer), block(inner))).toBe(expected);
  });
});

describe("cidrsOverlap", () => {
  test.each<[string, string, boolean]>([
    ["10.0.0.0/24", "10.0.0.0/24", true],
    ["10.0.0.128/25", "10.0.0.0/24", true],
    ["10.0.0.0/24", "10.0.0.128/25", true],
    ["10.0.0.0/24", "10.0.1.0/24", false],
    ["10.0.1.0/24", "10.0.0.0/24", false],
    ["10.0.0.0/8", "10.200.0.0/16", true],
    ["10.0.0.255/32", "10.0.1.0/24", false],
  ])("%s and %s overlap: %s", (a, b, expected) => {
    // GIVEN two blocks; WHEN overlap is asked; THEN adjacent blocks do not overlap, nested ones do
    expect(cidrsOverlap(block(a), block(b))).toBe(expected);
  });
});

describe("cidrSubnet", () => {
  test.each<[string, number, number, string]>([
    ["10.0.0.0/16", 8, 0, "10.0.0.0/24"],
    ["10.0.0.0/16", 8, 3, "10.0.3.0/24"],
    ["10.0.0.0/16", 8, 255, "10.0.255.0/24"],
    ["10.0.0.0/24", 8, 5, "10.0.0.5/32"],
    ["10.0.0.0/16", 0, 0, "10.0.0.0/16"],
  ])("cidrsubnet(%s, %d, %d) = %s", (base, newbits, index, expected) => {
    // GIVEN a base block; WHEN subnet #index of newbits more bits is derived; THEN it is Terraform's result
    expect(formatCidr(cidrSubnet(block(base), newbits, index))).toBe(expected);
  });

  test.each<[string, number, number, string]>([
    ["10.0.0.0/16", 8, 256, "cidrSubnet: 10.0.0.0/16 has no subnet #256 of /24"],
    ["10.0.0.0/16", 8, -1, "cidrSubnet: 10.0.0.0/16 has no subnet #-1 of /24"],
    ["10.0.0.0/16", 0, 1, "cidrSubnet: 10.0.0.0/16 has no subnet #1 of /16"],
    ["10.0.0.0/24", 9, 0, "cidrSubnet: 10.0.0.0/24 has no subnet #0 of /33"],
  ])("cidrsubnet(%s, %d, %d) is refused", (base, newbits, index, message) => {
    // GIVEN an index or size the base block cannot hold; WHEN derived; THEN a RangeError names it
    const derive = () => cidrSubnet(block(base), newbits, index);
    expect(derive).toThrow(RangeError);
    expect(derive).toThrow(new RangeError(message));
  });
});
