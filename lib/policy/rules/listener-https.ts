import type { Rule } from "../evaluate";
import { block, blocks, LISTENERS } from "./util";

/** CKV_AWS_2: HTTP listeners only redirect; traffic is served over HTTPS. */
export const listenerHttps: Rule = {
  id: "CKV_AWS_2",
  title: "HTTP listeners redirect to HTTPS (TCP/TLS/HTTPS listeners pass)",
  scanners: { trivy: ["AVD-AWS-0054"] },
  appliesTo: LISTENERS,
  check: (r) => {
    if (r.attrs.protocol !== "HTTP") return undefined;
    const actions = blocks(r.attrs.default_action);
    return actions.every((a) => a.type === "redirect" && block(a.redirect).protocol === "HTTPS") ? undefined : "serves plain HTTP";
  },
};
