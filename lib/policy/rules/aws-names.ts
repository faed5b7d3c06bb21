import { NAMED } from "../../aws/name-checks";
import { nameProblem } from "../../aws/names";
import type { Rule } from "../evaluate";
import { text } from "./util";

/**
 * PLK_AWS_NAMES: the names of alarms, dashboards, topics, key aliases, functions, roles, log
 * groups, load balancers and target groups follow AWS's rules (lib/aws/names.ts): a name AWS
 * refuses fails the apply halfway. Names computed at plan are not checked.
 */
export const awsNames: Rule = {
  id: "PLK_AWS_NAMES",
  title: "Resource names follow AWS's length and character rules",
  appliesTo: NAMED.map((n) => n.type),
  suppressible: false,
  check: (r) => {
    const problems = NAMED.filter((n) => n.type === r.type).flatMap(({ attribute, kind }) => {
      const name = text(r.attrs[attribute]);
      if (name === undefined || name.includes("${")) return [];
      const problem = nameProblem(kind, name);
      return problem ? [`has ${attribute} "${name}", which ${problem}`] : [];
    });
    return problems.length > 0 ? problems.join("; ") : undefined;
  },
};
