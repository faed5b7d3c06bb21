/**
 * Rules for the names clients call the service by: the service's private DNS name and how it
 * is verified, each consumer's own name, the certificate that must cover them, and the
 * probe that checks them from inside the consumer VPC.
 */
import type { z } from "zod";
import { certificateCovers, hostnameProblem } from "../lib/dns";
import type { AppConfigShape } from "./schema";
import { probeSubnetsOutsideClients, usesPrivateDns } from "./resolve";

/** Where AWS documents private DNS for endpoints to services shared through PrivateLink. */
export const PRIVATE_DNS_SOURCE = "https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html";

/** Adds an issue to `ctx` for every naming rule `cfg` breaks. */
export function dnsRules(cfg: AppConfigShape, ctx: z.RefinementCtx): void {
  const { service } = cfg;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  if (service.privateDnsName) {
    if (!cfg.provider) {
      issue(["service", "privateDnsName"], 'only applies with a "provider": it names the endpoint service this app publishes');
    } else if (!service.privateDnsZoneId) {
      issue(
        ["service", "privateDnsName"],
        `needs service.privateDnsZoneId, the Route 53 public hosted zone of its domain: AWS lets consumers use the name only after verifying the domain with a TXT record there (${PRIVATE_DNS_SOURCE})`,
      );
    }
    // (A wildcard is refused by the field's own check, lib/dns.ts: one message, not two.)
  } else if (service.privateDnsZoneId) {
    issue(["service", "privateDnsZoneId"], "only applies with service.privateDnsName (the name whose domain it verifies)");
  }
  if (service.hostname?.startsWith("*.") && !service.privateDnsName && !cfg.consumers.some((c) => c.dnsName)) {
    issue(
      ["service", "hostname"],
      "is a wildcard, so it names no host clients can call: set service.privateDnsName or a consumer's dnsName to a name it covers, or give the certificate's exact name",
    );
  }

  // Over HTTPS, every name clients call must be one the certificate is valid for.
  const covered = (path: (string | number)[], name: string) => {
    // A name that is not a host name is already refused, once.
    if (!service.certificateArn || hostnameProblem(name) || (service.hostname && hostnameProblem(service.hostname, { wildcard: true })))
      return;
    if (!service.hostname) {
      issue(
        path,
        `is a name clients verify the certificate against: set service.hostname to the certificate's name (such as "${name}" or "*.${name.split(".").slice(1).join(".")}"), so the app can check that it covers ${name}`,
      );
    } else if (!certificateCovers(service.hostname, name)) {
      issue(
        path,
        `is not covered by the certificate's name, service.hostname = "${service.hostname}": clients would refuse the TLS connection (a wildcard covers exactly one label: "*.example.com" covers "api.example.com", not "example.com" nor "a.api.example.com")`,
      );
    }
  };
  if (service.privateDnsName && cfg.provider) covered(["service", "privateDnsName"], service.privateDnsName);

  cfg.consumers.forEach((c, i) => {
    if (c.dnsName) {
      if (!c.network.create) {
        issue(
          ["consumers", i, "dnsName"],
          "needs a VPC this app creates (network.create) to put its private hosted zone in; with an existing VPC, add the record to a zone of yours pointing at the endpoint_dns_name output",
        );
      }
      if (c.dnsName === service.privateDnsName && usesPrivateDns(cfg, c)) {
        issue(
          ["consumers", i, "dnsName"],
          "is service.privateDnsName, which this consumer's endpoint already answers for (AWS refuses a second zone of that name in the VPC); leave dnsName out",
        );
      }
      if (!c.serviceName) covered(["consumers", i, "dnsName"], c.dnsName);
    }
    const outside = probeSubnetsOutsideClients(cfg, c);
    if (c.probe === true && outside.length > 0) {
      issue(
        ["consumers", i, "probe"],
        `runs in the endpoint subnets (${outside.join(", ")}), which clientCidrs does not cover: the provider's NLB would drop its requests. Add those CIDRs to clientCidrs, or set probe to false`,
      );
    }
  });
}
