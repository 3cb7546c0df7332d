/**
 * @module ingest/arm/functions/deployment
 * The functions that ask about the deployment rather than compute: `parameters`, `variables`, `copyIndex`,
 * the resource id builders, `reference`, and the scope objects (`resourceGroup()`, `subscription()`,
 * `deployment()`, `tenant()`, `environment()`). Offline the scope is a placeholder (see ../scope.ts), the same
 * one that evaluated resources get their ids from, so that `resourceId(...)` links match. Functions that
 * read live state (`list*`, `pickZones`) give Unknown with a warning.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-resource
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-deployment
 */
import { isUnknown } from "../../../model/unknown.js";
import { ArmEvalError, expectArgs, expectString, type Json, typeName } from "../expression/values.js";
import type { DeploymentScope, FunctionContext, FunctionTable } from "./types.js";

/** `/providers/{namespace}/{type}/{name}[/{type}/{name}...]` from a full type and its names. */
export function providerPath(fn: string, type: string, names: string[]): string {
  const [namespace, ...types] = type.split("/");
  const flatNames = names.flatMap((n) => (isUnknown(n) ? [n] : n.split("/")));
  if (!namespace || types.length === 0)
    throw new ArmEvalError(`${fn}(): '${type}' is not a resource type (Namespace/type)`);
  if (flatNames.length !== types.length) {
    throw new ArmEvalError(
      `${fn}(): type '${type}' needs ${types.length} name${types.length === 1 ? "" : "s"}, found ${flatNames.length}`,
    );
  }
  return `/providers/${namespace}${types.map((t, i) => `/${t}/${flatNames[i]}`).join("")}`;
}

/** Splits `[sub], [rg], type, names...` at the type (the first argument with a `/`). */
function splitIdArgs(
  fn: string,
  args: unknown[],
  maxScopes: number,
): { scopes: string[]; type: string; names: string[] } {
  const texts = args.map((a, i) => expectString(fn, a, i + 1));
  const at = texts.findIndex((t) => !isUnknown(t) && t.includes("/"));
  if (at < 0) throw new ArmEvalError(`${fn}(): no resource type (Namespace/type) among the arguments`);
  if (at > maxScopes) throw new ArmEvalError(`${fn}(): too many arguments before the resource type`);
  return { scopes: texts.slice(0, at), type: texts[at]!, names: texts.slice(at + 1) };
}

export function resourceGroupId(
  scope: DeploymentScope,
  subscriptionId = scope.subscriptionId,
  group = scope.resourceGroup,
) {
  return `/subscriptions/${subscriptionId}/resourceGroups/${group}`;
}

function subscriptionObject(scope: DeploymentScope): Json {
  return {
    id: `/subscriptions/${scope.subscriptionId}`,
    subscriptionId: scope.subscriptionId,
    tenantId: scope.tenantId,
    displayName: "subscription",
  };
}

function live(what: string) {
  return {
    unknownAware: true,
    fn: (_a: unknown[], ctx: FunctionContext) => ctx.unsupported(what, "it reads the live resource"),
  };
}

export const DEPLOYMENT_FUNCTIONS: FunctionTable = {
  parameters: {
    fn: (args, ctx) => {
      expectArgs("parameters", args, 1);
      return ctx.parameter(expectString("parameters", args[0]));
    },
  },
  variables: {
    fn: (args, ctx) => {
      expectArgs("variables", args, 1);
      return ctx.variable(expectString("variables", args[0]));
    },
  },
  copyindex: {
    fn: (args, ctx) => {
      expectArgs("copyIndex", args, 0, 2);
      let loop: string | undefined;
      let offset = 0;
      for (const a of args) {
        if (typeof a === "string") loop = a;
        else if (typeof a === "number" && Number.isInteger(a)) offset = a;
        else throw new ArmEvalError(`copyIndex() expects a loop name or an integer offset, found ${typeName(a)}`);
      }
      return ctx.copyIndex(loop) + offset;
    },
  },
  resourceid: {
    unknownAware: true,
    fn: (args, ctx) => {
      const { scopes, type, names } = splitIdArgs("resourceId", args, 2);
      const sub = scopes.length === 2 ? scopes[0]! : ctx.scope.subscriptionId;
      const group = scopes.length >= 1 ? scopes[scopes.length - 1]! : ctx.scope.resourceGroup;
      return `${resourceGroupId(ctx.scope, sub, group)}${providerPath("resourceId", type, names)}`;
    },
  },
  subscriptionresourceid: {
    unknownAware: true,
    fn: (args, ctx) => {
      const { scopes, type, names } = splitIdArgs("subscriptionResourceId", args, 1);
      return `/subscriptions/${scopes[0] ?? ctx.scope.subscriptionId}${providerPath("subscriptionResourceId", type, names)}`;
    },
  },
  tenantresourceid: {
    unknownAware: true,
    fn: (args) => {
      const { type, names } = splitIdArgs("tenantResourceId", args, 0);
      return providerPath("tenantResourceId", type, names);
    },
  },
  managementgroupresourceid: {
    unknownAware: true,
    fn: (args) => {
      const { scopes, type, names } = splitIdArgs("managementGroupResourceId", args, 1);
      const group = scopes[0] ?? "managementGroup";
      return `/providers/Microsoft.Management/managementGroups/${group}${providerPath("managementGroupResourceId", type, names)}`;
    },
  },
  extensionresourceid: {
    unknownAware: true,
    fn: (args) => {
      expectArgs("extensionResourceId", args, 3, Number.POSITIVE_INFINITY);
      const [base, type, ...names] = args.map((a, i) => expectString("extensionResourceId", a, i + 1));
      return `${base}${providerPath("extensionResourceId", type!, names)}`;
    },
  },
  reference: {
    fn: (args, ctx) => {
      expectArgs("reference", args, 1, 3);
      const target = expectString("reference", args[0]);
      const full = args.length === 3 && typeof args[2] === "string" && args[2].toLowerCase() === "full";
      return ctx.reference(target, full);
    },
  },
  resourcegroup: {
    fn: (args, ctx) => {
      expectArgs("resourceGroup", args, 0);
      return ctx.resourceGroup();
    },
  },
  subscription: {
    fn: (args, ctx) => {
      expectArgs("subscription", args, 0, 1);
      return subscriptionObject(ctx.scope);
    },
  },
  tenant: {
    fn: (_args, ctx) => ({ tenantId: ctx.scope.tenantId, countryCode: "US", displayName: "tenant" }),
  },
  managementgroup: {
    fn: () => ({ id: "/providers/Microsoft.Management/managementGroups/managementGroup", name: "managementGroup" }),
  },
  deployment: {
    fn: (args, ctx) => {
      expectArgs("deployment", args, 0);
      return ctx.deployment();
    },
  },
  environment: {
    // The public cloud's endpoints (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-deployment#environment).
    fn: () => ({
      name: "AzureCloud",
      gallery: "https://gallery.azure.com/",
      graph: "https://graph.windows.net/",
      portal: "https://portal.azure.com",
      resourceManager: "https://management.azure.com/",
      authentication: {
        loginEndpoint: "https://login.microsoftonline.com/",
        audiences: ["https://management.core.windows.net/"],
      },
      suffixes: {
        acrLoginServer: ".azurecr.io",
        azureDatalakeAnalyticsCatalogAndJob: "azuredatalakeanalytics.net",
        azureDatalakeStoreFileSystem: "azuredatalakestore.net",
        keyvaultDns: ".vault.azure.net",
        sqlServerHostname: ".database.windows.net",
        storage: "core.windows.net",
      },
    }),
  },
  pickzones: live("pickZones()"),
  providers: live("providers()"),
  listkeys: live("listKeys()"),
  listsecrets: live("listSecrets()"),
  listaccountsas: live("listAccountSas()"),
  listservicesas: live("listServiceSas()"),
  listcallbackurl: live("listCallbackUrl()"),
  resourceinfo: live("resourceInfo()"),
};

/** `list*` functions not in the table all read live state; the evaluator asks this for unknown names. */
export function isListFunction(name: string): boolean {
  return /^list[a-z]*$/i.test(name);
}
