/**
 * @module checks/apim/nsg-allows-load-balancer
 * APIM-INBOUND-LOADBALANCER: the Azure infrastructure load balancer probes an injected instance on TCP 6390 from
 * the AzureLoadBalancer tag (168.63.129.16); on stv1 it probes on any port (apim-requirements §1.1 row 3, §1.2,
 * §1.3). A failing probe takes the units out of rotation: on Premium that blocks all inbound control-plane and
 * data-plane traffic; on Developer (one unit) the docs call the rule not strictly required (§1.4). Port 6391
 * (per-machine health monitoring) is optional (§1.1 row 5).
 */
import { defineCheck, evidenceAt } from "../context.js";
import type { ApimPlacement } from "../placements.js";
import { requirementsFor } from "../requirements.js";
import type { CheckMeta, Finding, Severity } from "../types.js";
import { evaluateRequirement } from "../util/nsg-flows.js";
import { ROW_MESSAGES, rowFinding } from "../util/requirement-findings.js";

const meta: CheckMeta = {
  id: "APIM-INBOUND-LOADBALANCER",
  name: "nsg-allows-load-balancer",
  title: "Health probes from the Azure load balancer are blocked",
  severity: "error",
  category: "nsg",
  summary:
    "The NSG of the API Management subnet must allow TCP 6390 (stv1: any port) from the AzureLoadBalancer service tag.",
  references: [
    "https://learn.microsoft.com/azure/api-management/virtual-network-reference",
    "https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16",
  ],
  messages: { ...ROW_MESSAGES },
};

/** Severity of a denied row at a placement, with the reason (reference §1.2-§1.4). */
function severityOf(p: ApimPlacement, rowId: string): { severity: Severity; why: string } {
  if (rowId === "health-monitoring") {
    return { severity: "info", why: "port 6391 (per-machine health monitoring) is optional in the docs" };
  }
  if (p.tier.toLowerCase() === "premium") {
    return {
      severity: "error",
      why: "Premium: a failing probe blocks all inbound control-plane and data-plane access (apim-requirements §1.4)",
    };
  }
  if (p.platform === "stv1") {
    return { severity: "info", why: `stv1: the rule is required for Premium only, optional for ${p.tier}` };
  }
  return {
    severity: "warning",
    why: `${p.tier}: the docs call the rule not strictly required for a single-unit Developer instance (apim-requirements §1.4)`,
  };
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    const rows = requirementsFor(meta.id);
    for (const p of ctx.placements) {
      if (p.kind !== "classic-injection") continue;
      for (const row of rows.filter((r) => r.need[p.platform] !== undefined)) {
        const outcome = evaluateRequirement(ctx, p, row);
        if (!outcome) continue;
        const { severity, why } = severityOf(p, row.id);
        const f = rowFinding(meta, ctx, p, outcome, {
          severity,
          unknownSeverity: severity === "error" ? "warning" : "info",
          consequence:
            row.id === "health-monitoring"
              ? "Per-machine health monitoring of the units does not work (an optional feature)."
              : "The load balancer's health probe cannot reach the units, so it takes them out of rotation" +
                `${severity === "error" ? ": the gateway, the portals and the management endpoint stop answering" : ""}.`,
          evidence: [evidenceAt("requirement", `${severity} when blocked: ${why}`, undefined)],
        });
        if (f) out.push(f);
      }
    }
    return out;
  },
});
