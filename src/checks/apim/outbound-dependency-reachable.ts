/**
 * @module checks/apim/outbound-dependency-reachable
 * APIM-OUTBOUND-DEPENDENCY: an injected instance calls its dependencies from its subnet (apim-requirements §1.1
 * rows 6-16, §1.2 for stv1, §1.5 for the v2 tiers). A dependency is blocked when the subnet's NSG denies its
 * flows or when a route sends some of its addresses to next hop None. Routing to an appliance or a gateway is
 * APIM-DEPENDENCY-TUNNELED's business, not this check's. One finding per blocked dependency, naming it and what
 * it is for, with every deciding rule and route as evidence.
 *
 * Severity per row: util/dependency-rows. Unknown verdicts are one step lower (error → warning).
 */

import type { Change } from "../../model/change.js";
import { type CheckContext, defineCheck, evidenceAt, finding } from "../context.js";
import type { CheckMeta, Finding, Severity } from "../types.js";
import { dependencyRows, dependencySeverity } from "../util/dependency-rows.js";
import { mergeChanges } from "../util/fixes.js";
import { evaluateRequirement, type RequirementOutcome } from "../util/nsg-flows.js";
import { servingEvidence } from "../util/private-endpoint-dependencies.js";
import {
  denialClause,
  deniedFlows,
  farAddresses,
  fixAheadOfDenials,
  flowPhrase,
  nsgEvidence,
  subnetLabel,
  unknownClause,
} from "../util/requirement-findings.js";
import { dropEvidence, type RouteDrop, routeDrops, routeLabel, tagRouteFix } from "../util/route-drops.js";

const meta: CheckMeta = {
  id: "APIM-OUTBOUND-DEPENDENCY",
  name: "outbound-dependency-reachable",
  title: "An outbound dependency of API Management is blocked",
  severity: "error",
  category: "nsg",
  summary:
    "The API Management subnet must reach its dependencies (Storage, SQL, Key Vault, Azure Monitor, certificate validation on Internet 80, ...): no NSG deny, no route to None.",
  references: [
    "https://learn.microsoft.com/azure/api-management/virtual-network-reference",
    "https://learn.microsoft.com/azure/api-management/integrate-vnet-outbound",
    "https://learn.microsoft.com/azure/api-management/api-management-using-with-vnet",
  ],
  messages: {
    blocked: "{{purpose}}: {{flow}} is {{blocked}}.",
    unknown: "{{purpose}}: cannot tell whether {{flow}} gets through: {{why}}.",
  },
};

/** The NSG fix and the route fix together; none when one of the causes has no fix (a half fix fixes nothing). */
function fixFor(ctx: CheckContext, outcome: RequirementOutcome, drops: RouteDrop[], tag: string): Change[] {
  const nsg = outcome.verdict === "Deny" ? fixAheadOfDenials(ctx, outcome) : [];
  const route = drops.length > 0 ? tagRouteFix(ctx, drops, tag) : [];
  if ((outcome.verdict === "Deny" && nsg.length === 0) || (drops.length > 0 && route.length === 0)) return [];
  return mergeChanges([nsg, route]);
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.placements) {
      for (const r of dependencyRows(p)) {
        const outcome = evaluateRequirement(ctx, p, r);
        if (!outcome) continue;
        const { severity, why } = dependencySeverity(r, p);
        const routes = routeDrops(ctx, p.subnet!, farAddresses(outcome));
        const denied = outcome.verdict === "Deny";
        const unknown = outcome.verdict === "Unknown" || routes.unknowns.length > 0;
        if (!denied && routes.drops.length === 0 && !unknown) continue;
        const all = farAddresses(outcome).subtract(routes.reserved);
        const what = denied
          ? deniedFlows(outcome, subnetLabel(p)).phrase
          : flowPhrase(r, outcome.tagLabel, subnetLabel(p));
        const blocked = [
          ...(denied ? [`denied by ${denialClause(outcome)}`] : []),
          ...routes.drops.map(
            (d) => `dropped${d.set.equals(all) ? "" : ` for ${d.set.toString()}`} by ${routeLabel(d.row)}`,
          ),
        ];
        const purpose = r.purpose.charAt(0).toUpperCase() + r.purpose.slice(1);
        const evidence = [
          ...nsgEvidence(outcome, p),
          ...routes.drops.map(dropEvidence),
          ...routes.unknowns.map((u) => evidenceAt("unknown", u, undefined)),
          evidenceAt("requirement", `${severity} when blocked: ${why}`, undefined, undefined, { sources: r.sources }),
          // A private endpoint serving this dependency is reached at a VNet address (reference part 2 §9.5).
          ...servingEvidence(ctx.model.privateEndpoints, ctx.engine.routes(p.subnet!), r.destination),
        ];
        const firstDrop = routes.drops[0]?.row.origin;
        const where = denied
          ? { resource: outcome.layer?.nsg?.id ?? p.subnet!.id, src: outcome.layer?.src }
          : firstDrop?.kind === "user"
            ? { resource: firstDrop.route.id, src: firstDrop.route.src }
            : { resource: p.nsg?.id ?? p.subnet!.id, src: p.nsg?.src ?? p.subnet!.src };
        const lower: Severity = severity === "error" ? "warning" : "info";
        out.push(
          finding(meta, {
            severity: blocked.length > 0 ? severity : lower,
            ...(blocked.length > 0 ? {} : { cannotTell: `whether ${what} gets through` }),
            ...(blocked.length > 0
              ? { messageId: "blocked", data: { purpose, flow: what, blocked: blocked.join("; and ") } }
              : {
                  messageId: "unknown",
                  data: {
                    purpose,
                    flow: what,
                    why: [...(outcome.verdict === "Unknown" ? [unknownClause(outcome)] : []), ...routes.unknowns].join(
                      "; ",
                    ),
                  },
                }),
            ...where,
            evidence,
            changes: fixFor(ctx, outcome, routes.drops, r.destination),
            instance: p.label,
          }),
        );
      }
    }
    return out;
  },
});
