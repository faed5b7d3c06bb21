/** IPv4 CIDR helpers: parsing and validation by ipaddr.js, plus the small arithmetic on top. */
import * as ipaddr from "ipaddr.js";

/** A parsed IPv4 block: the network address as an integer and the prefix length. */
export interface Ipv4Block {
  readonly network: number;
  readonly prefix: number;
}

const toInt = (addr: ipaddr.IPv4): number => addr.toByteArray().reduce((acc, byte) => acc * 256 + byte, 0);

const fromInt = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");

const size = (prefix: number): number => 2 ** (32 - prefix);

/** Four decimal octets and a prefix, none with a leading zero. */
const DECIMAL_CIDR = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}\/(0|[1-9]\d?)$/;

/**
 * True when a number in `text` has a leading zero (`010.0.0.0/16`). ipaddr.js would read it
 * as octal (8), Terraform refuses it, and AWS reads it as decimal: three meanings, so it is
 * never accepted. https://pkg.go.dev/net#ParseCIDR (Go, and so Terraform, rejects them)
 */
export function hasLeadingZero(text: string): boolean {
  return /(^|[./])0\d/.test(text);
}

/**
 * Parses `a.b.c.d/n`, decimal numbers without leading zeros only. Returns undefined when the text is not an IPv4 CIDR or when host bits
 * are set (`10.0.0.1/16`): AWS would silently use a different block than the one written.
 */
export function parseIpv4Cidr(text: string): Ipv4Block | undefined {
  if (!DECIMAL_CIDR.test(text) || !ipaddr.IPv4.isValidCIDR(text)) {
    return undefined;
  }
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(text);
  const network = toInt(addr);
  return network % size(prefix) === 0 ? { network, prefix } : undefined;
}

/** Formats a block back to `a.b.c.d/n`. */
export function formatCidr(block: Ipv4Block): string {
  return `${fromInt(block.network)}/${block.prefix}`;
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return (
    inner.prefix >= outer.prefix &&
    inner.network >= outer.network &&
    inner.network + size(inner.prefix) <= outer.network + size(outer.prefix)
  );
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.network < b.network + size(b.prefix) && b.network < a.network + size(a.prefix);
}

/** Terraform's `cidrsubnet(base, newbits, index)`, computed at synth so the plan shows literals. */
export function cidrSubnet(base: Ipv4Block, newbits: number, index: number): Ipv4Block {
  const prefix = base.prefix + newbits;
  if (prefix > 32 || index < 0 || index >= 2 ** newbits) {
    throw new RangeError(`cidrSubnet: ${formatCidr(base)} has no subnet #${index} of /${prefix}`);
  }
  return { network: base.network + index * size(prefix), prefix };
}
