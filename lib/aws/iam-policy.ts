/**
 * The inline policy of a function's role, and IAM's limit on its size.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */

/** Extra permissions of the function's role: always `Allow`. */
export interface IamStatement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Why it holds a wildcard; recorded as the policy finding's suppression. */
  readonly reason?: string;
}

/**
 * The characters IAM allows in all inline policies of one role together, white space not
 * counted ("Role policy size"; not adjustable).
 */
export const ROLE_POLICY_MAX_CHARS = 10240;
export const IAM_QUOTAS_SOURCE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";

/**
 * What IAM matches a Secrets Manager secret's ARN with. AWS ends every secret's ARN with a
 * hyphen and six random characters (`…:secret:prod/db-AbCdEf`), and IAM compares the whole
 * ARN: an ARN given without them (the name alone, as people copy it) would never match, and
 * every read of the secret would be denied. Such an ARN gets the six characters as `??????`,
 * the pattern AWS documents for naming a secret by its name; an ARN that ends in a hyphen and
 * six letters or digits is taken as whole.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html
 */
export function secretResource(arn: string): string {
  const name = arn.slice(arn.indexOf(":secret:") + ":secret:".length);
  return /-[A-Za-z0-9]{6}$/.test(name) ? arn : `${arn}-??????`;
}

/**
 * The function's own policy: read access to exactly the parameters and secrets it is given,
 * and its extra statements. Undefined when there is nothing to allow.
 */
export function accessPolicy(secretArns: readonly string[], statements: readonly IamStatement[]): string | undefined {
  const sorted = (arns: string[]) => [...new Set(arns)].sort();
  const parameters = sorted(secretArns.filter((a) => a.split(":")[2] === "ssm"));
  const secrets = sorted(secretArns.filter((a) => a.split(":")[2] === "secretsmanager").map(secretResource));
  const statement = [
    ...(parameters.length ? [{ Sid: "ReadParameters", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: parameters }] : []),
    ...(secrets.length ? [{ Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secrets }] : []),
    ...statements.map((s, i) => ({ Sid: `Statement${i}`, Effect: "Allow", Action: [...s.actions], Resource: [...s.resources] })),
  ];
  return statement.length ? JSON.stringify({ Version: "2012-10-17", Statement: statement }) : undefined;
}

/** The size IAM counts of a policy document: its characters but white space. */
export function policySize(policy: string): number {
  return policy.replace(/\s/g, "").length;
}
