/**
 * @module checks/apim/network-status-explained
 * APIM-NETWORK-STATUS: the instance's own report of its dependencies (the networkstatus API, given as an input
 * or with `check --network-status`) tied to the configuration that explains it. Each entry with status `failure`,
 * or whose lastUpdated lags the newest entry by more than the 15-minute refresh (apim-requirements §3.4, §6.7),
 * becomes a finding: error for a required dependency, warning for an optional one or a stale entry. The finding
 * names what explains it (util/network-status: another check's finding, a denying rule, a route), with that
 * evidence and fix, or says that no configuration in the inputs explains it.
 */
import { defineCheck, evidenceAt, finding } from "../context.js";
import type { ApimPlacement } from "../placements.js";
import type { CheckMeta, Evidence, Finding, Severity } from "../types.js";
import { explainEntry, lagMinutes, NETWORK_STATUS_MAP, placementsForStatus } from "../util/network-status.js";

const meta: CheckMeta = {
  id: "APIM-NETWORK-STATUS",
  name: "network-status-explained",
  title: "API Management reports a dependency it cannot reach",
  severity: "error",
  category: "config",
  summary: "Each failed or stale dependency in the instance's network status, with the configuration that explains it.",
  references: [
    "https://learn.microsoft.com/azure/api-management/api-management-using-with-vnet",
    "https://learn.microsoft.com/rest/api/apimanagement/network-status",
    "https://learn.microsoft.com/rest/api/apimanagement/api-management-service/apply-network-configuration-updates",
  ],
  // {{where}}: " of <instance>" or " (<region>)"; {{because}}: what explains it (util/network-status), or that
  // nothing in the inputs does.
  messages: { entry: "Network status{{where}}: {{dependency}} {{state}}. {{because}}" },
};

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const status of ctx.model.observed.networkStatus) {
      const lag = lagMinutes(status);
      const places: (ApimPlacement | undefined)[] = placementsForStatus(ctx, status);
      if (places.length === 0) places.push(undefined);
      for (const entry of status.connectivityStatus) {
        const late = lag.get(entry) ?? 0;
        const failed = entry.status.toLowerCase() === "failure";
        if (!failed && late <= NETWORK_STATUS_MAP.staleAfterMinutes) continue;
        const severity: Severity = failed && !entry.isOptional ? "error" : "warning";
        const what = `${entry.resourceType} ${entry.name} (${entry.isOptional ? "optional" : "required"})`;
        const state = failed
          ? `is failing${entry.error ? `: ${entry.error}` : ""}`
          : `was last updated ${Math.round(late)} minutes before the newest entry (refreshed every ${NETWORK_STATUS_MAP.staleAfterMinutes}): it has stopped reporting`;
        const observed = evidenceAt(
          "observed",
          `network status${status.location ? ` (${status.location})` : ""}: ${entry.resourceType} ${entry.name}: status ${entry.status}, lastUpdated ${entry.lastUpdated ?? "not given"}${entry.error ? `, error ${entry.error}` : ""}`,
          status.src,
        );
        for (const p of places) {
          const where = p ? ` of ${p.label}` : status.location ? ` (${status.location})` : "";
          const nowhere = `No instance in the inputs is in ${status.location ?? "the region of this status"}, so no configuration here explains it.`;
          const { because, evidence, changes } = p
            ? explainEntry(ctx, p, status, entry, meta.id)
            : { because: nowhere, evidence: [] as Evidence[], changes: [] };
          evidence.unshift(observed);
          out.push(
            finding(meta, {
              severity,
              messageId: "entry",
              data: { where, dependency: what, state, because },
              resource: p?.service.id ?? status.src.file,
              src: status.src,
              evidence,
              changes,
              ...(p ? { instance: p.label } : {}),
            }),
          );
        }
      }
    }
    return out;
  },
});
