/**
 * @module checks/drift/observed-routes-differ
 * DRIFT-ROUTES: an effective route table Azure printed (`az network nic show-effective-route-table`) against the
 * table the inputs give for the same subnet, compared as multisets (engine/routes/observed; reference §2.11 O6,
 * O8). A difference means the templates are not what runs, or the model misses something Azure does: either way
 * the verdicts computed from the inputs may not hold, so the rows on each side are listed. APIM-FORCED-TUNNEL
 * decides from the observed table where there is one; the message says so. An export the checks cannot place
 * on a subnet of the inputs is said not compared.
 */
import { compareObservedTable, effectiveRouteText, toEffectiveRouteJson } from "../../engine/routes/index.js";
import type { EffectiveRoute } from "../../model/observed.js";
import type { SourceRef } from "../../model/source.js";
import { formatSource } from "../../model/source.js";
import { defineCheck, evidenceAt, finding } from "../context.js";
import type { CheckMeta, Evidence, Finding } from "../types.js";
import { notCompared, placeOf } from "../util/observed.js";
import { rowSource } from "../util/routing.js";

const meta: CheckMeta = {
  id: "DRIFT-ROUTES",
  name: "observed-routes-differ",
  title: "The observed effective routes differ from those the inputs give",
  severity: "warning",
  category: "routing",
  summary:
    "An effective route table exported from Azure must equal the one computed from the templates for its subnet.",
  references: [
    "https://learn.microsoft.com/azure/virtual-network/diagnose-network-routing-problem",
    "https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview",
  ],
  messages: {
    differs:
      "The effective routes observed in {{export}} for subnet {{subnet}} ({{how}}) differ from those the inputs give: " +
      "{{onlyComputed}} rows only computed, {{onlyObserved}} only observed{{hint}}. The observed table is what Azure " +
      "runs: APIM-FORCED-TUNNEL decides from it for this subnet, while the other checks follow the inputs and may " +
      "not hold for what is deployed.",
    unplaced: "The effective routes observed in {{export}} are not compared with computed ones: {{why}}.",
  },
};

/** Evidence for each row only one side has, located where that row comes from. */
export function rowEvidence(side: "computed" | "observed", row: EffectiveRoute, src: SourceRef | undefined): Evidence {
  const text = `only ${side === "computed" ? "computed" : "observed"}: ${effectiveRouteText(row)}`;
  return evidenceAt(`${side}-route`, text, src, undefined, row);
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const observed of ctx.model.observed.effectiveRoutes) {
      const where = formatSource(observed.src);
      const place = placeOf(ctx.topology, observed.scope);
      if ("unknown" in place) {
        out.push(
          notCompared(meta, observed, `the effective routes observed in ${where}`, "unplaced", place.unknown, {
            why: place.unknown,
          }),
        );
        continue;
      }
      const table = ctx.engine.routes(place.subnet);
      const c = compareObservedTable(ctx.topology, place.subnet, ctx.catalog, table, observed);
      if (c.equal) continue;
      // The comparison's computed rows are Azure-shaped copies: each is traced back to where its route is written
      // by its content (equal rows come from equal routes, so any of them is the right place).
      const computedRows = toEffectiveRouteJson(table).value;
      const srcOfComputed = new Map(
        table.routes.map((r, i) => [JSON.stringify(computedRows[i]), rowSource(r)] as const),
      );
      const srcOfObserved = new Map(observed.routes.map((r, i) => [r, observed.rowSrc[i]] as const));
      const hint =
        c.equalWithReservedRoutes.length > 0
          ? `; it equals the table with --reserved-routes ${c.equalWithReservedRoutes.join(" or ")}`
          : "";
      out.push(
        finding(meta, {
          messageId: "differs",
          data: {
            export: where,
            subnet: place.subnet.name,
            how: place.how,
            onlyComputed: c.onlyComputed.length,
            onlyObserved: c.onlyObserved.length,
            hint,
          },
          resource: place.subnet.id,
          src: observed.src,
          evidence: [
            evidenceAt("observed", `effective routes observed in ${where} (${place.how})`, observed.src),
            ...c.onlyComputed.map((r) => rowEvidence("computed", r, srcOfComputed.get(JSON.stringify(r)))),
            ...c.onlyObserved.map((r) => rowEvidence("observed", r, srcOfObserved.get(r))),
          ],
        }),
      );
    }
    return out;
  },
});
