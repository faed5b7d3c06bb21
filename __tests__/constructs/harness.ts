/** A stack to build one construct in, and its synthesized JSON, for the construct tests. */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, Testing, TerraformStack } from "../../lib/cdktf";

/** A fresh app and a stack with an AWS provider, as a construct's scope. */
export function scope(): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
  return { app, stack };
}

/** The stack's Terraform JSON: the text (for cdktf's matchers) and the parsed object. */
export function synth(stack: TerraformStack): { text: string; json: Record<string, any> } {
  const text = Testing.synth(stack, true);
  return { text, json: JSON.parse(text) };
}

/** Arguments of resource `type.name`, or a failure naming what the stack has. */
export function resourceOf(json: Record<string, any>, type: string, name: string): Record<string, any> {
  const found = json.resource?.[type]?.[name];
  if (!found) throw new Error(`no ${type}.${name}; resources: ${Object.keys(json.resource ?? {}).join(", ")}`);
  return found;
}
