/** The function role's inline policy, as IAM reads it, and the size IAM counts. */
import { accessPolicy, policySize, secretResource } from "../../lib/aws/iam-policy";

const SSM = "arn:aws:ssm:ap-northeast-1:111111111111:parameter/db";
const SECRET = "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:key-AbCdEf";

describe("accessPolicy", () => {
  test("read access to exactly the parameters and secrets given, sorted and once each, then the extra statements", () => {
    const policy = accessPolicy(
      [SECRET, SSM, SSM],
      [{ actions: ["dynamodb:GetItem"], resources: ["arn:aws:dynamodb:ap-northeast-1:111111111111:table/t"] }],
    );
    expect(JSON.parse(policy!)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadParameters", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: [SSM] },
        { Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET] },
        {
          Sid: "Statement0",
          Effect: "Allow",
          Action: ["dynamodb:GetItem"],
          Resource: ["arn:aws:dynamodb:ap-northeast-1:111111111111:table/t"],
        },
      ],
    });
  });

  test("a kind with nothing given gets no statement; nothing at all, no policy", () => {
    expect(JSON.parse(accessPolicy([SSM], [])!).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["ReadParameters"]);
    expect(JSON.parse(accessPolicy([SECRET], [])!).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["ReadSecrets"]);
    expect(accessPolicy([], [])).toBeUndefined();
  });

  test.each([
    ["a whole ARN, as it is", SECRET, SECRET],
    [
      "an ARN without its six random characters, with them as ??????",
      "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:prod/db",
      "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:prod/db-??????",
    ],
    [
      "a name ending in a short word after a hyphen",
      "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:db-key",
      "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:db-key-??????",
    ],
    [
      "a name ending in a hyphen and seven characters",
      "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:a-AbCdEfG",
      "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:a-AbCdEfG-??????",
    ],
  ])("a secret's read access matches its whole ARN: %s", (_, arn, resource) => {
    expect(secretResource(arn)).toBe(resource);
    expect(JSON.parse(accessPolicy([arn], [])!).Statement[0].Resource).toEqual([resource]);
  });

  test("IAM's size counts characters but white space (the 10,240 limit itself: __tests__/stacks/functions.test.ts)", () => {
    expect(policySize('{ "a" :\n\t"b c" }')).toBe(10);
  });
});
