import { runtimeProblem } from "../../aws/runtimes";
import type { Rule } from "../evaluate";
import { text } from "./util";

/** CKV_AWS_363 (AwsSolutions-L1): a current runtime, one the pinned provider accepts. */
export const lambdaRuntime: Rule = {
  id: "CKV_AWS_363",
  title: "Lambda functions use a current runtime",
  appliesTo: ["aws_lambda_function"],
  // A deprecated runtime stops taking updates, and one the provider refuses fails the plan.
  suppressible: false,
  check: (r) => {
    const runtime = text(r.attrs.runtime) ?? "(none)";
    const problem = runtimeProblem(runtime);
    return problem ? `has runtime ${runtime}, which ${problem}` : undefined;
  },
};
