import type { Rule } from "../evaluate";

/** CKV_AWS_130: nothing in the subnets gets a public IP. */
export const subnetNoPublicIp: Rule = {
  id: "CKV_AWS_130",
  title: "Subnets do not map public IPs on launch",
  appliesTo: ["aws_subnet"],
  check: (r) => (r.attrs.map_public_ip_on_launch === true ? "maps public IPs on launch" : undefined),
};
