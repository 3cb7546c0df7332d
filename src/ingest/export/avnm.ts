/**
 * @module ingest/export/avnm
 * Ingest layer: Virtual Network Manager deployment status (`POST …/networkManagers/{nm}/listDeploymentStatus`,
 * `az network manager list-deploy-status`; reference part 2 §10.1, §10.5): one row per region and configuration
 * kind, with the configurations deployed there and the status. The rows are the evidence of a commit that the
 * admin layer needs (nothing takes effect before one); they are observed facts, not resources.
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
