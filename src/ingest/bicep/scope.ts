/**
 * @module ingest/bicep/scope
 * Ingest layer, Bicep evaluation: deployment scopes. A Bicep file deploys to a resource group, a subscription, a
 * management group or the tenant (`targetScope`); a module may deploy elsewhere (`scope: resourceGroup('rg')`).
 * Offline the subscription and resource group are the placeholders of model/ids.ts (those ARM's `resourceId()`
 * gives, src/ingest/arm/scope.ts), so that ids built here and by `resourceId()` agree, and a module in another
 * resource group still forms one network with its caller (the topology compares ids by type and names).
 * The functions `resourceGroup('x')`, `subscription('id')`, `managementGroup('x')` and `tenant()` give scope
 * values; `scopeOf` reads a scope back from them or from a resource group or subscription resource.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/deploy-to-resource-group
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/modules#set-module-scope
 */
import { isUnknown } from "../../model/unknown.js";
import type { DeploymentScope } from "../arm/functions/types.js";
import { ASSUMED_LOCATION, defaultScope } from "../arm/scope.js";
import { BicepError, isPlainObject, type Json } from "./values.js";

export type ScopeLevel = "resourceGroup" | "subscription" | "managementGroup" | "tenant";

export interface BicepScope extends DeploymentScope {
  level: ScopeLevel;
  managementGroup: string;
}

/** A scope a module or an existing resource is sent to. */
export interface ScopeTarget {
  level: ScopeLevel;
  subscriptionId?: string;
  resourceGroup?: string;
  managementGroup?: string;
}

const PLACEHOLDER_MANAGEMENT_GROUP = "managementGroup";

/** `targetScope = '…'` as a level (an unknown name is reported by the caller and read as resource group). */
export function levelOf(text: unknown): ScopeLevel | undefined {
  if (text === "resourceGroup" || text === "subscription" || text === "managementGroup" || text === "tenant")
    return text;
  return undefined;
}

/** The scope of a root file: the placeholders, the region of `--location` (else the assumed one). */
export function rootScope(file: string, level: ScopeLevel, location: string | undefined): BicepScope {
  const base = defaultScope(file, location);
  return {
    ...base,
    deploymentName: base.deploymentName.replace(/\.bicep$/i, ""),
    level,
    managementGroup: PLACEHOLDER_MANAGEMENT_GROUP,
  };
}

/** The scope a module deploys to: its `scope:` target (or its caller's scope), at its own target level. */
export function moduleScope(
  caller: BicepScope,
  target: ScopeTarget | undefined,
  level: ScopeLevel,
  deploymentName: string,
): BicepScope {
  const out: BicepScope = { ...caller, deploymentName, level };
  if (target) {
    if (target.subscriptionId !== undefined) out.subscriptionId = target.subscriptionId;
    if (target.resourceGroup !== undefined) out.resourceGroup = target.resourceGroup;
    if (target.managementGroup !== undefined) out.managementGroup = target.managementGroup;
    out.level = target.level === "resourceGroup" || target.level === level ? level : target.level;
  }
  return out;
}

/** Scope values made by `resourceGroup('x')` and its kin, with the scope each stands for. */
const scopeValues = new WeakMap<object, ScopeTarget>();

function scopeValue(obj: Json, target: ScopeTarget): Json {
  scopeValues.set(obj, target);
  return obj;
}

/** `resourceGroup(name)` / `resourceGroup(subscriptionId, name)` from a file deploying to `scope`. */
export function resourceGroupValue(scope: BicepScope, args: unknown[]): Json {
  const texts = args.map((a) => {
    if (typeof a !== "string") throw new BicepError("resourceGroup() takes names (strings)");
    return a;
  });
  if (texts.length > 2) throw new BicepError("resourceGroup() takes at most 2 arguments");
  const name = texts.length === 0 ? scope.resourceGroup : texts[texts.length - 1]!;
  const subscriptionId = texts.length === 2 ? texts[0]! : scope.subscriptionId;
  return scopeValue(
    {
      id: `/subscriptions/${subscriptionId}/resourceGroups/${name}`,
      name,
      type: "Microsoft.Resources/resourceGroups",
      location: scope.location,
      tags: {},
      properties: { provisioningState: "Succeeded" },
    },
    { level: "resourceGroup", subscriptionId, resourceGroup: name },
  );
}

/** `subscription()` / `subscription(id)`. */
export function subscriptionValue(scope: BicepScope, args: unknown[]): Json {
  if (args.length > 1 || (args.length === 1 && typeof args[0] !== "string"))
    throw new BicepError("subscription() takes at most one subscription id");
  const subscriptionId = (args[0] as string | undefined) ?? scope.subscriptionId;
  return scopeValue(
    { id: `/subscriptions/${subscriptionId}`, subscriptionId, tenantId: scope.tenantId, displayName: "subscription" },
    { level: "subscription", subscriptionId },
  );
}

/** `managementGroup()` / `managementGroup(name)`. */
export function managementGroupValue(scope: BicepScope, args: unknown[]): Json {
  if (args.length > 1 || (args.length === 1 && typeof args[0] !== "string"))
    throw new BicepError("managementGroup() takes at most one management group name");
  const name = (args[0] as string | undefined) ?? scope.managementGroup;
  return scopeValue(
    {
      id: `/providers/Microsoft.Management/managementGroups/${name}`,
      name,
      type: "Microsoft.Management/managementGroups",
    },
    { level: "managementGroup", managementGroup: name },
  );
}

/** `tenant()`. */
export function tenantValue(scope: BicepScope): Json {
  return scopeValue({ tenantId: scope.tenantId, countryCode: "US", displayName: "tenant" }, { level: "tenant" });
}

/** The scope a value stands for: a scope function's result, or an object with a resource group or subscription id. */
export function scopeOf(value: unknown): ScopeTarget | undefined {
  if (!isPlainObject(value)) return undefined;
  const known = scopeValues.get(value);
  if (known) return known;
  const id = value.id;
  if (typeof id !== "string") return undefined;
  const group = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/?$/i.exec(id);
  if (group) return { level: "resourceGroup", subscriptionId: group[1]!, resourceGroup: group[2]! };
  const sub = /^\/subscriptions\/([^/]+)\/?$/i.exec(id);
  if (sub) return { level: "subscription", subscriptionId: sub[1]! };
  return undefined;
}

/**
 * The id of a resource of `type` named `names` (one per type segment) deployed at `scope`, as ARM gives it:
 * under the resource group for a resource group deployment, under the subscription, management group or tenant
 * otherwise. A resource group itself is `/subscriptions/{id}/resourceGroups/{name}`.
 */
export function resourceIdAt(scope: ScopeTarget & { subscriptionId?: string }, type: string, names: string[]): string {
  const [namespace, ...types] = type.split("/");
  if (/^microsoft\.resources$/i.test(namespace ?? "") && types.length === 1 && /^resourcegroups$/i.test(types[0]!))
    return `/subscriptions/${scope.subscriptionId}/resourceGroups/${names[0] ?? ""}`;
  const path = `/providers/${namespace}${types.map((t, i) => `/${t}/${names[i] ?? ""}`).join("")}`;
  switch (scope.level) {
    case "resourceGroup":
      return `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}${path}`;
    case "subscription":
      return `/subscriptions/${scope.subscriptionId}${path}`;
    case "managementGroup":
      return `/providers/Microsoft.Management/managementGroups/${scope.managementGroup ?? PLACEHOLDER_MANAGEMENT_GROUP}${path}`;
    case "tenant":
      return path;
  }
}

/** Splits a resource name at `/` (a child's `vnet/subnet`), never inside an unknown placeholder. */
export function nameSegments(name: string): string[] {
  if (!isUnknown(name)) return name.split("/");
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < name.length; i++) {
    if (name.startsWith("<unknown:", i)) depth++;
    else if (name[i] === ">" && depth > 0) depth--;
    if (name[i] === "/" && depth === 0) {
      out.push(current);
      current = "";
    } else {
      current += name[i];
    }
  }
  out.push(current);
  return out;
}

export { ASSUMED_LOCATION };
