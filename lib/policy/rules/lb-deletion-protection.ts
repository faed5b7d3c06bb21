import type { Rule } from "../evaluate";
import { LOAD_BALANCERS } from "./util";

/** CKV_AWS_150: a load balancer cannot be deleted by accident. */
export const lbDeletionProtection: Rule = {
  id: "CKV_AWS_150",
  title: "Load balancers have deletion protection",
  appliesTo: LOAD_BALANCERS,
  check: (r) => (r.attrs.enable_deletion_protection === true ? undefined : "does not set enable_deletion_protection = true"),
};
