import type { Rule } from "../evaluate";

/** CKV_AWS_272: only signed code can be deployed. */
export const lambdaCodeSigning: Rule = {
  id: "CKV_AWS_272",
  title: "Lambda functions validate code signing",
  appliesTo: ["aws_lambda_function"],
  check: (r) => (r.attrs.code_signing_config_arn ? undefined : "has no code_signing_config_arn"),
};
