/**
 * The names of a function's resources. They depend on the app's name and the function's own
 * name only, so adding or removing another function renames nothing. The function `main`
 * keeps the names the app gave its one function before functions could be listed.
 */
import { nameProblem } from "../lib/aws/names";

/** The function whose resources are named after the app alone. */
export const MAIN_FUNCTION = "main";

/** The AWS names of one function's resources. */
export interface FunctionNames {
  /** The Lambda function's name; its role, security group and log group are named after it. */
  readonly functionName: string;
  /** Its ALB target group's name. */
  readonly targetGroupName: string;
  /** Why AWS would refuse one of the names (none when all pass). */
  readonly problems: readonly string[];
}

/** `<app>` and `<app>-lambda-tg` for `main`; `<app>-<name>` and `<app>-<name>-tg` for the others. */
export function functionNames(app: string, name: string): FunctionNames {
  const main = name === MAIN_FUNCTION;
  const functionName = main ? app : `${app}-${name}`;
  const targetGroupName = main ? `${app}-lambda-tg` : `${functionName}-tg`;
  const role = `${functionName}-lambda`;
  const checks: [string, string | undefined][] = [
    [`the function name "${functionName}"`, nameProblem("lambdaFunction", functionName)],
    [`the target group name "${targetGroupName}"`, nameProblem("targetGroup", targetGroupName)],
    [`the execution role name "${role}"`, nameProblem("iamRole", role)],
  ];
  const problems = checks.filter(([, p]) => p !== undefined).map(([what, p]) => `makes ${what}, which ${p}; shorten it or the app's name`);
  return { functionName, targetGroupName, problems };
}
