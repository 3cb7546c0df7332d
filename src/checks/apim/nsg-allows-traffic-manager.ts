/**
 * @module checks/apim/nsg-allows-traffic-manager
 * APIM-INBOUND-TRAFFICMANAGER: an External instance with more than one region is fronted by Azure Traffic
 * Manager, whose probes reach each region's gateway on TCP 443 from the AzureTrafficManager tag (apim-requirements
 * §1.1 row 4; in the minimum rule set for both platforms, §1.2 note, §1.3). When a region's NSG denies them,
 * Traffic Manager marks that region unhealthy and stops sending it clients.
 */
import { defineCheck, evidenceAt } from "../context.js";
import { requirementsFor } from "../requirements.js";
import type { CheckMeta, Finding } from "../types.js";
import { evaluateRequirement } from "../util/nsg-flows.js";
import { ROW_MESSAGES, rowFinding } from "../util/requirement-findings.js";

const meta: CheckMeta = {
  id: "APIM-INBOUND-TRAFFICMANAGER",
  name: "nsg-allows-traffic-manager",
  title: "Traffic Manager probes to a multi-region External instance are blocked",
  severity: "error",
  category: "nsg",
  summary:
    "A multi-region External instance needs TCP 443 from the AzureTrafficManager service tag allowed in every region's subnet.",
  references: [
    "https://learn.microsoft.com/azure/api-management/virtual-network-reference",
    "https://learn.microsoft.com/azure/api-management/api-management-howto-deploy-multi-region",
  ],
  messages: { ...ROW_MESSAGES },
};

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    const rows = requirementsFor(meta.id);
    for (const p of ctx.placements) {
      if (p.kind !== "classic-injection" || p.mode !== "External" || !p.multiRegion) continue;
      for (const row of rows.filter((r) => r.need[p.platform] !== undefined)) {
        const outcome = evaluateRequirement(ctx, p, row);
        if (!outcome) continue;
        const f = rowFinding(meta, ctx, p, outcome, {
          severity: "error",
          unknownSeverity: "warning",
          consequence:
            `Traffic Manager cannot probe the gateway in ${p.location}, so it marks that region unhealthy and ` +
            "sends its clients elsewhere (or nowhere, when every region is blocked).",
          evidence: [
            evidenceAt(
              "resource",
              `${p.service.name} has ${ctx.placements.filter((x) => x.service === p.service).length} regions, so Traffic Manager routes between them`,
              p.service.src,
              p.service.id,
            ),
          ],
        });
        if (f) out.push(f);
      }
    }
    return out;
  },
});
