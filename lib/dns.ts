/**
 * DNS names as AWS and TLS clients read them: which strings are host names, which names a
 * certificate's name covers, and what a Route 53 hosted zone ID looks like. Parts of the
 * value a message repeats are shown escaped (an invisible character in a label shows).
 */
import { showString } from "./display";

/** Why `name` is not a host name clients can resolve and verify, or undefined when it is. */
export function hostnameProblem(name: string, options: { wildcard?: boolean } = {}): string | undefined {
  const example = options.wildcard ? '"api.example.com" or "*.example.com"' : '"api.example.com"';
  if (name !== name.trim()) return `must be a DNS name such as ${example}, without spaces`;
  if (name.endsWith(".")) return `must be a DNS name such as ${example}, without the trailing dot`;
  if (/^[a-z]+:\/\//i.test(name) || name.includes("/")) return `must be a DNS name such as ${example}, not a URL`;
  if (name.includes(":")) return `must be a DNS name such as ${example}, without a port`;
  if (name !== name.toLowerCase()) return `must be a DNS name in lowercase, such as ${example}`;
  if (name.length > 253) return `must be a DNS name of at most 253 characters (it has ${name.length})`;
  const labels = name.split(".");
  if (labels.length < 2) return `must be a fully qualified DNS name such as ${example}, with a domain`;
  const [first, ...rest] = labels;
  if (first === "*" && !options.wildcard) return `must be one DNS name such as ${example}, not a wildcard`;
  if (rest.includes("*") || (first.includes("*") && first !== "*")) {
    return `may only have "*" as its whole first label, such as "*.example.com"`;
  }
  for (const label of first === "*" ? rest : labels) {
    if (label.length === 0) return `must be a DNS name such as ${example}, without empty labels (".." or a leading dot)`;
    if (label.length > 63)
      return `has a label of ${label.length} characters (${showString(`${label.slice(0, 20)}…`)}); DNS allows at most 63`;
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label)) {
      return `has the label ${showString(label)}: DNS labels are letters, digits and inner hyphens (internationalized names in their xn-- form)`;
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return `must be a DNS name such as ${example}, not an IP address`;
  return undefined;
}

/**
 * Whether a certificate for `certName` is valid for `host`, as TLS clients check it: the same
 * name, or a wildcard `*.<domain>` and a host exactly one label below `<domain>` (RFC 6125
 * section 6.4.3; ACM wildcards cover one level: `*.example.com` covers `api.example.com`,
 * not `example.com` nor `a.api.example.com`).
 */
export function certificateCovers(certName: string, host: string): boolean {
  const cert = certName.toLowerCase();
  const name = host.toLowerCase();
  if (!cert.startsWith("*.")) return cert === name;
  const dot = name.indexOf(".");
  return dot > 0 && name.slice(0, dot) !== "*" && name.slice(dot + 1) === cert.slice(2);
}

/**
 * A Route 53 hosted zone ID: "Z" and up to 31 more uppercase letters and digits
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHostedZone.html, Id: at
 * most 32 characters).
 */
export function hostedZoneIdProblem(id: string): string | undefined {
  if (/^\/?hostedzone\//.test(id))
    return `must be the hosted zone ID alone, without "/hostedzone/": ${showString(id.replace(/^\/?hostedzone\//, ""))}`;
  if (!/^Z[A-Z0-9]{1,31}$/.test(id))
    return 'must be a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ" (Z and up to 31 uppercase letters and digits)';
  return undefined;
}
