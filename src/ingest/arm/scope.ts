/**
 * @module ingest/arm/scope
 * The deployment scope a template is evaluated in. Offline we do not know the subscription, resource group,
 * tenant or region a template will be deployed to, so we use placeholders: the subscription and resource
 * group are those model/ids.ts gives to every id built without one (so that template ids and `resourceId()`
 * results match), and the region is an assumption named in a warning whenever a template reads it.
 */
import { DEFAULT_RESOURCE_GROUP, DEFAULT_SUBSCRIPTION } from "../../model/ids.js";
import type { DeploymentScope } from "./functions/types.js";

/**
 * The region `resourceGroup().location` and `deployment().location` stand for when `--location` is not given.
 * Templates default their `location` parameter to it. Assumption: West Europe.
 */
export const ASSUMED_LOCATION = "westeurope";

export const PLACEHOLDER_TENANT = "00000000-0000-0000-0000-000000000000";

/**
 * The top-level scope for a template file (deployment named after the file, as `az deployment group create`
 * does), in `location` when the user gave one (`--location`), else in the assumed region.
 */
export function defaultScope(file: string, location?: string): DeploymentScope {
  const base = file.split(/[\\/]/).pop() ?? file;
  return {
    subscriptionId: DEFAULT_SUBSCRIPTION,
    resourceGroup: DEFAULT_RESOURCE_GROUP,
    location: location ?? ASSUMED_LOCATION,
    locationAssumed: location === undefined,
    tenantId: PLACEHOLDER_TENANT,
    deploymentName: base.replace(/\.(json|jsonc)$/i, ""),
  };
}
