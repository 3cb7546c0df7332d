/**
 * @module checks/drift/observed-next-hop-differs
 * DRIFT-NEXT-HOP: a Network Watcher next hop answer (`az network watcher show-next-hop`, REST `nextHop`) against
 * the next hop the inputs give from the same subnet to the same destination (engine/routes nextHop, the
 * `next-hop` command's answer). The type is compared case-insensitively, with the documentation's names for
 * peering and VNet-local hops taken as the API's (reference §4.2 marks the wire strings UNCERTAIN); the address
 * where both sides have one; the route table id where the answer has one (`System Route` for system routes).
 */
import { nextHop } from "../../engine/routes/index.js";
import { parseAddress } from "../../model/ip.js";
import type { ObservedNextHop } from "../../model/observed.js";
import { formatSource } from "../../model/source.js";
import { defineCheck, evidenceAt, finding } from "../context.js";
import type { CheckMeta, Evidence, Finding } from "../types.js";
import { notCompared, placeOf, sameResourceId } from "../util/observed.js";
import { hopText, originPhrase, rowSource } from "../util/routing.js";

const meta: CheckMeta = {
  id: "DRIFT-NEXT-HOP",
  name: "observed-next-hop-differs",
  title: "The observed next hop differs from the one the inputs give",
  severity: "warning",
  category: "routing",
  summary: "A next hop answer from Network Watcher must equal the next hop computed from the templates for that path.",
  references: [
    "https://learn.microsoft.com/azure/network-watcher/next-hop-overview",
    "https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview",
  ],
  messages: {
    differs:
      "The next hop observed in {{export}} from {{source}} to {{destination}} is {{observed}}; the inputs give " +
      "{{computed}} ({{decider}}). Network Watcher's answer is what Azure runs: checks that follow the inputs may " +
      "not hold for this path.",
    computedUnknown:
      "The next hop observed in {{export}} from {{source}} to {{destination}} is {{observed}}; the inputs leave it " +
      "Unknown ({{why}}), so the two cannot be compared.",
    unasked:
      "The next hop observed in {{export}} is not compared: it does not hold the source and destination it was " +
      "asked about (give the REST request and response together).",
    unplaced: "The next hop observed in {{export}} is not compared: {{why}}.",
  },
};

/** Documentation names of next hop types (next-hop-overview) read as the API's (reference §4.2, UNCERTAIN). */
const TYPE_ALIASES: Record<string, string> = {
  virtualnetwork: "vnetlocal",
  virtualnetworkpeering: "vnetpeering",
  nonexthop: "none",
};

/** A next hop type in one spelling: lower case, documentation names mapped to the API's. */
export function canonicalHopType(type: string): string {
  const lower = type.trim().toLowerCase();
  return TYPE_ALIASES[lower] ?? lower;
}

function observedText(o: ObservedNextHop): string {
  return [o.nextHopType, o.nextHopIpAddress, o.routeTableId ? `(routeTableId ${o.routeTableId})` : ""]
    .filter(Boolean)
    .join(" ");
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const o of ctx.model.observed.nextHop) {
      const where = formatSource(o.src);
      const cannot = (messageId: string, why: string, data: Record<string, string> = {}) =>
        notCompared(meta, o, `the next hop observed in ${where}`, messageId, why, data);
      if (!o.request || !parseAddress(o.request.destinationIPAddress)) {
        out.push(cannot("unasked", "the answer holds no request"));
        continue;
      }
      const place = placeOf(ctx.topology, { ...o.scope, address: o.scope.address ?? o.request.sourceIPAddress });
      if ("unknown" in place) {
        out.push(cannot("unplaced", place.unknown, { why: place.unknown }));
        continue;
      }
      const { sourceIPAddress: source, destinationIPAddress: destination } = o.request;
      const result = nextHop(ctx.engine.routes(place.subnet), destination);
      const observed = observedText(o);
      const base = { export: where, source, destination, observed };
      if (result.unknowns.length > 0) {
        const why = result.unknowns.join("; ");
        out.push(cannot("computedUnknown", why, { ...base, why }));
        continue;
      }
      const typeDiffers = canonicalHopType(o.nextHopType) !== canonicalHopType(result.nextHopType);
      const ipDiffers =
        !!o.nextHopIpAddress &&
        !!result.nextHopIpAddress &&
        o.nextHopIpAddress.trim().toLowerCase() !== result.nextHopIpAddress.trim().toLowerCase();
      const tableDiffers = !!o.routeTableId && !sameResourceId(o.routeTableId, result.routeTableId);
      if (!typeDiffers && !ipDiffers && !tableDiffers) continue;
      const row = result.row;
      const computed = row ? hopText(row) : result.nextHopType;
      const decider = row ? `${originPhrase(row)}, routeTableId ${result.routeTableId}` : "no route matches";
      const evidence: Evidence[] = [
        evidenceAt("observed", `observed in ${where} (${place.how}): ${observed}`, o.src, undefined, {
          nextHopType: o.nextHopType,
          nextHopIpAddress: o.nextHopIpAddress ?? null,
          routeTableId: o.routeTableId ?? null,
        }),
        evidenceAt(
          "computed-route",
          `computed from the inputs: ${computed} (${decider})`,
          row && rowSource(row),
          undefined,
          {
            nextHopType: result.nextHopType,
            nextHopIpAddress: result.nextHopIpAddress,
            routeTableId: result.routeTableId,
          },
        ),
      ];
      out.push(
        finding(meta, {
          messageId: "differs",
          data: { ...base, computed, decider },
          resource: place.nic?.id ?? place.subnet.id,
          src: o.src,
          evidence,
        }),
      );
    }
    return out;
  },
});
