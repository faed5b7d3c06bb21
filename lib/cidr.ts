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

/**
 * Parses `a.b.c.d/n`. Returns undefined when the text is not an IPv4 CIDR or when host bits
 * are set (`10.0.0.1/16`): AWS would silently use a different block than the one written.
 */
export function parseIpv4Cidr(text: string): Ipv4Block | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text) || !ipaddr.IPv4.isValidCIDR(text)) {
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
