import type { Rule } from "../engine";

/** CKV_AWS_2: HTTP listeners only redirect; traffic is served over HTTPS. */
export const listenerHttps: Rule = {
  id: "CKV_AWS_2",
  title: "HTTP listeners redirect to HTTPS (TCP/TLS/HTTPS listeners pass)",
  scanners: { trivy: ["AVD-AWS-0054"] },
  appliesTo: ["aws_lb_listener", "aws_alb_listener"],
  check: (r) => {
    if (r.attrs.protocol !== "HTTP") return undefined;
    const actions = (r.attrs.default_action ?? []) as Record<string, any>[];
    return actions.every((a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS") ? undefined : "serves plain HTTP";
  },
};
