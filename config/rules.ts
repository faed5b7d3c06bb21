/**
 * Rules across sections: consumer names, AZ alignment between provider and consumers,
 * acceptance and principals, one HCP Terraform workspace per stack. Each message names the
 * exact field path.
 */
import type { z } from "zod";
import { unique } from "./fields";
import type { AppConfigShape } from "./schema";
import { consumerStackName, stackNames } from "./stack-names";

/** Adds an issue to `ctx` for every cross-section rule `cfg` breaks. */
export function crossSectionRules(cfg: AppConfigShape, ctx: z.RefinementCtx): void {
  const names = new Set<string>();
  cfg.consumers.forEach((c, i) => {
    if (names.has(c.name)) {
      ctx.addIssue({ code: "custom", path: ["consumers", i, "name"], message: "is used by another consumer; names must be unique" });
    }
    names.add(c.name);
    if (!c.serviceName && !cfg.provider) {
      ctx.addIssue({
        code: "custom",
        path: ["consumers", i, "serviceName"],
        message: 'is required when the config has no "provider": name the endpoint service this consumer connects to',
      });
    }
    // An interface endpoint can only use subnets in AZs where the service's NLB has one.
    // AZ IDs are the same place in every account; AZ names are not.
    const providerAzIds = cfg.provider?.network.create?.azIds;
    const consumerAzIds = c.network.create?.azIds;
    if (!c.serviceName && cfg.provider && c.region === cfg.provider.region && providerAzIds && consumerAzIds) {
      consumerAzIds.forEach((id, j) => {
        if (!providerAzIds.includes(id)) {
          ctx.addIssue({
            code: "custom",
            path: ["consumers", i, "network", "create", "azIds", j],
            message: `is not one of the provider's AZ IDs (${providerAzIds.join(", ")}); the endpoint service only supports AZs where its NLB has a subnet`,
          });
        }
      });
    }
  });
  // A stack's name is where its state lives: two consumers can't share one.
  const consumerStacks = cfg.consumers.map(consumerStackName);
  consumerStacks.forEach((stack, i) => {
    const first = consumerStacks.indexOf(stack);
    // Two consumers of one name are refused by that name already ("names must be unique").
    const sameName = cfg.consumers[i].stackName === undefined && cfg.consumers[first].name === cfg.consumers[i].name;
    if (first < i && !sameName) {
      ctx.addIssue({
        code: "custom",
        path: ["consumers", i, cfg.consumers[i].stackName === undefined ? "name" : "stackName"],
        message: `gives stack "${stack}", which consumer "${cfg.consumers[first].name}" has too; give each consumer a stackName of its own`,
      });
    }
  });
  // Each consumer has a VPC of its own: two endpoints of one service in one VPC would also
  // create two security groups of the same name there.
  cfg.consumers.forEach((c, i) => {
    const vpcId = c.network.existing?.vpcId;
    const first = vpcId
      ? cfg.consumers.findIndex((o) => o.network.existing?.vpcId === vpcId && o.accountId === c.accountId && o.region === c.region)
      : i;
    if (first < i) {
      ctx.addIssue({
        code: "custom",
        path: ["consumers", i, "network", "existing", "vpcId"],
        message: `is consumer "${cfg.consumers[first].name}"'s VPC too; give each consumer its own VPC (one endpoint per VPC serves all of its clients)`,
      });
    }
  });
  if (cfg.service.acceptEndpointIds.length > 0 && !cfg.service.acceptanceRequired) {
    ctx.addIssue({
      code: "custom",
      path: ["service", "acceptEndpointIds"],
      message: "only applies with service.acceptanceRequired: true (with auto-accept there is nothing to accept)",
    });
  }
  unique(ctx, ["service", "acceptEndpointIds"], cfg.service.acceptEndpointIds, "endpoint ID");
  if (cfg.service.hostname && !cfg.service.certificateArn) {
    ctx.addIssue({
      code: "custom",
      path: ["service", "hostname"],
      message: "only applies with service.certificateArn (the name clients verify in the certificate)",
    });
  }
  unique(
    ctx,
    ["lambda", "egress"],
    cfg.lambda.egress.map((e) => `${e.cidr} port ${e.port}`),
    "destination and port",
  );
  const entries = cfg.service.allowedPrincipals;
  entries.forEach(({ principal: p, clientCidrs }, i) => {
    if (entries.findIndex((e) => e.principal === p) < i) {
      ctx.addIssue({
        code: "custom",
        path: ["service", "allowedPrincipals", i, "principal"],
        message: "is listed twice; each principal may appear once",
      });
    }
    if (p === "*" && !cfg.service.acceptanceRequired) {
      ctx.addIssue({
        code: "custom",
        path: ["service", "allowedPrincipals", i, "principal"],
        message:
          'is only allowed with service.acceptanceRequired: true; with auto-accept, "*" makes the NLB reachable from every AWS account',
      });
    }
    const covered = cfg.consumers.find((c) => !c.serviceName && p.endsWith(`::${c.accountId}:root`));
    if (covered) {
      ctx.addIssue({
        code: "custom",
        path: ["service", "allowedPrincipals", i, "principal"],
        message: `is already allowed as consumer "${covered.name}"'s account; list it once`,
      });
    }
    if (!clientCidrs && cfg.service.privateLinkInboundRules === "on") {
      ctx.addIssue({
        code: "custom",
        path: ["service", "allowedPrincipals", i, "clientCidrs"],
        message:
          'is required while service.privateLinkInboundRules is "on": the NLB drops PrivateLink traffic from any CIDR its security group does not list, so this principal could connect but never be answered',
      });
    }
  });
  const cloud = cfg.backend.cloud;
  const stacks = stackNames(cfg);
  // Stacks that share a name are named above, once: their workspaces would repeat it.
  if (cloud && new Set(stacks).size === stacks.length) {
    const without = stacks.filter((stack) => !(stack in cloud.workspaces));
    if (without.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["backend", "cloud", "workspaces"],
        message: `has no workspace for ${without.length === 1 ? "stack" : "stacks"} ${without.map((s) => `"${s}"`).join(", ")} (stacks: ${stacks.join(", ")})`,
      });
    }
    for (const key of Object.keys(cloud.workspaces)) {
      if (!stacks.includes(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["backend", "cloud", "workspaces", key],
          message: `names no stack of this app (stacks: ${stacks.join(", ")})`,
        });
      }
    }
    // Two stacks in one workspace would overwrite each other's state.
    const stackOf = new Map<string, string>();
    for (const [stack, workspace] of Object.entries(cloud.workspaces)) {
      const other = stackOf.get(workspace);
      if (other !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["backend", "cloud", "workspaces", stack],
          message: `is stack "${other}"'s workspace too: each stack needs a workspace of its own, or the two overwrite each other's state`,
        });
      }
      stackOf.set(workspace, stack);
    }
  }
}
