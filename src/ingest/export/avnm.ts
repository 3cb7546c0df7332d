/**
 * @module ingest/export/avnm
 * Ingest layer: Virtual Network Manager deployment status (`POST …/networkManagers/{nm}/listDeploymentStatus`,
 * `az network manager list-deploy-status`; reference part 2 §10.1, §10.5): one row per region and configuration
 * kind, with the configurations deployed there and the status. The rows are the evidence of a commit that the
 * admin layer needs (nothing takes effect before one); they are observed facts, not resources. Also the lists of
 * admin rules Azure reports as applied: `listActiveSecurityAdminRules` (per manager; each rule with its region,
 * so the configurations it lists are committed there) and `listNetworkManagerEffectiveSecurityAdminRules` (per
 * VNet, which the body does not name: recognised and said not to be used).
 */
import type { NetworkManagerCommit } from "../../model/avnm.js";
import { field, isObject, type Json } from "../resources/fields.js";
import type { Ingester, InputDocument } from "../types.js";
import { listItems, unwrapRestExample } from "./shapes.js";

function rows(input: InputDocument): unknown[] | undefined {
  return input.json ? listItems(unwrapRestExample(input.json.value)) : undefined;
}

/** A deployment-status row: a region, a deployment type and a list of configuration ids. */
function isStatusRow(value: unknown): value is Json {
  return (
    isObject(value) &&
    typeof field(value, "region") === "string" &&
    typeof field(value, "deploymentType") === "string" &&
    Array.isArray(field(value, "configurationIds"))
  );
}

/** The network manager a configuration id names (`…/networkManagers/{nm}/…`), when it does. */
function managerOf(ids: string[]): string | undefined {
  const at = ids[0]?.toLowerCase().indexOf("/securityadminconfigurations/") ?? -1;
  return at > 0 ? ids[0]!.slice(0, at) : undefined;
}

export const deploymentStatusExport: Ingester = {
  format: "avnm-deployment-status",
  detect(input) {
    const items = rows(input);
    return !!items && items.length > 0 && items.every(isStatusRow);
  },
  load(input, ctx) {
    const fallback = { file: input.file, pointer: "", line: 1, column: 1 };
    const commits: NetworkManagerCommit[] = (rows(input) ?? []).filter(isStatusRow).map((row) => {
      const configurationIds = (field(row, "configurationIds") as unknown[]).map(String);
      const manager = managerOf(configurationIds);
      const status = field(row, "deploymentStatus");
      return {
        ...(manager ? { networkManager: manager } : {}),
        commitType: String(field(row, "deploymentType")),
        configurationIds,
        targetLocations: [String(field(row, "region"))],
        ...(typeof status === "string" ? { status } : {}),
        origin: "export" as const,
        src: ctx.sources.lazy(row, fallback),
      };
    });
    ctx.model.observed.networkManagerCommits = [...(ctx.model.observed.networkManagerCommits ?? []), ...commits];
    return 0;
  },
};

/** An item of an active or effective admin rules list: a rule id under a configuration, with the list's fields. */
function isAppliedRule(value: unknown): value is Json {
  if (!isObject(value)) return false;
  const id = field(value, "id");
  return (
    typeof id === "string" &&
    /\/securityAdminConfigurations\/[^/]+\/ruleCollections\//i.test(id) &&
    (Array.isArray(field(value, "ruleCollectionAppliesToGroups")) ||
      field(value, "configurationDescription") !== undefined)
  );
}

export const appliedAdminRulesExport: Ingester = {
  format: "avnm-applied-admin-rules",
  detect(input) {
    const items = rows(input);
    return !!items && items.length > 0 && items.every(isAppliedRule);
  },
  load(input, ctx) {
    const fallback = { file: input.file, pointer: "", line: 1, column: 1 };
    const items = (rows(input) ?? []).filter(isAppliedRule);
    const active = items.filter((i) => typeof field(i, "region") === "string");
    if (active.length < items.length) {
      ctx.diags.info(
        "input/observed-not-compared",
        "a list of effective security admin rules (listNetworkManagerEffectiveSecurityAdminRules): it does not name the VNet it was taken for, so it is listed but not used",
        fallback,
      );
    }
    // Active rules (listActiveSecurityAdminRules): their configurations are committed to their regions.
    const commits: NetworkManagerCommit[] = active.map((item) => {
      const id = String(field(item, "id"));
      const configuration = id.slice(0, id.toLowerCase().indexOf("/rulecollections/"));
      return {
        ...(managerOf([configuration]) ? { networkManager: managerOf([configuration])! } : {}),
        commitType: "SecurityAdmin",
        configurationIds: [configuration],
        targetLocations: [String(field(item, "region"))],
        status: "Deployed",
        origin: "active-rules" as const,
        src: ctx.sources.lazy(item, fallback),
      };
    });
    ctx.model.observed.networkManagerCommits = [...(ctx.model.observed.networkManagerCommits ?? []), ...commits];
    return 0;
  },
};
