import type { Rule } from "../evaluate";
import { block, LOAD_BALANCERS } from "./util";

/** CKV_AWS_91: requests are logged to S3. */
export const lbAccessLogs: Rule = {
  id: "CKV_AWS_91",
  title: "Load balancers write access logs",
  appliesTo: LOAD_BALANCERS,
  check: (r) => {
    const logs = block(r.attrs.access_logs);
    return logs.enabled === true && logs.bucket ? undefined : "writes no access logs";
  },
};
