/**
 * @module checks/apim/control-plane-returns-to-internet
 * APIM-FORCED-TUNNEL: the control plane reaches an injected instance on 3443 from the ApiManagement addresses of
 * its region, and the replies must go straight back to Internet. A 0.0.0.0/0 (or any prefix covering those
 * addresses) to an appliance or a gateway — a user route, a BGP route, or the hub's routes published into the
 * VNet by gateway transit — makes the path asymmetric and the management endpoint unreachable
 * (apim-requirements §2.1, §2.2; FAQ "UDR 3" and "VNet peering 3").
 */

import type { AddressSet } from "../../engine/ip/address-set.js";
import { effectiveRouteText } from "../../engine/routes/index.js";
import type { Change } from "../../model/change.js";
import type { ObservedEffectiveRoutes } from "../../model/observed.js";
import { formatSource } from "../../model/source.js";
import { defineCheck, evidenceAt, finding } from "../context.js";
import type { ApimPlacement } from "../placements.js";
import type { CheckMeta, Evidence, Finding } from "../types.js";
import { routeChange } from "../util/fixes.js";
import { newRouteTableChanges } from "../util/network-fixes.js";
import { observedRoutesOf, observedRouting } from "../util/observed.js";
import {
  hopText,
  isCertain,
  originPhrase,
  routedParts,
  routeEvidence,
  rowSource,
  tagAddresses,
} from "../util/routing.js";

const EXTERNAL_NOTE =
  " External mode: clients on the Internet also reach the gateway's public address, and their replies take the same route; add a route with next hop Internet for each client range that must reach the gateway (the inputs do not say which).";
const LEGACY_NOTE =
  " (The docs of the stv1 era routed the control-plane IP addresses instead, data/apim/control-plane-ips.tsv; the service tag covers them.)";

const MISROUTED =
  "Replies to the API Management control plane ({{tag}}) do not leave subnet {{subnet}} to Internet: the route " +
  "{{prefixes}} ({{origin}}) {{what}}. The path becomes asymmetric and the management endpoint on 3443 unreachable " +
  "(APIs load forever in the portal, ManagementApiRequestFailed ... :3443). Add a route for ApiManagement with next " +
  `hop Internet to the subnet's route table{{table}}.${LEGACY_NOTE}`;

const MISROUTED_OBSERVED =
  "Replies to the API Management control plane ({{tag}}) do not leave subnet {{subnet}} to Internet: the route " +
  "{{prefixes}} observed in {{export}} ({{source}}) sends them to {{hop}}. This is Azure's effective route table " +
  "of the subnet ({{how}}), so it decides here whatever the inputs say. The path becomes asymmetric and the " +
  "management endpoint on 3443 unreachable (APIs load forever in the portal, ManagementApiRequestFailed ... " +
  `:3443). Add a route for ApiManagement with next hop Internet to the subnet's route table{{table}}.${LEGACY_NOTE}`;

const meta: CheckMeta = {
  id: "APIM-FORCED-TUNNEL",
  name: "control-plane-returns-to-internet",
  title: "Replies to the API Management control plane do not go to Internet",
  severity: "error",
  category: "routing",
  summary: "Routes of an injected API Management subnet must send the ApiManagement addresses to Internet.",
  references: [
    "https://learn.microsoft.com/azure/api-management/api-management-using-with-vnet#force-tunnel-traffic-to-on-premises-firewall-using-expressroute-or-network-virtual-appliance",
    "https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview",
    "https://learn.microsoft.com/azure/api-management/virtual-network-reference",
  ],
  // {{table}}: " <name>" of the subnet's route table, or " (the subnet has none: create one)".
  messages: {
    tagUnknown:
      "Cannot tell whether replies to the control plane leave subnet {{subnet}} to Internet: {{why}} (give a Service " +
      "Tags file that has it with --service-tags).",
    routeUnknown:
      "Cannot tell whether replies to the control plane ({{tag}}) leave subnet {{subnet}} to Internet: {{why}}. If a " +
      `gateway learns 0.0.0.0/0 (forced tunnelling), add a route for ApiManagement with next hop Internet.${LEGACY_NOTE}`,
    misrouted: MISROUTED,
    misroutedExternal: MISROUTED + EXTERNAL_NOTE,
    misroutedObserved: MISROUTED_OBSERVED,
    misroutedObservedExternal: MISROUTED_OBSERVED + EXTERNAL_NOTE,
    observedUnknown:
      "Cannot tell whether replies to the control plane ({{tag}}) leave subnet {{subnet}} to Internet: the effective " +
      "routes observed in {{export}} hold prefixes that are not addresses ({{why}}).",
  },
};

const ROUTE_NAME = "ApiManagement-to-Internet";

/** The route that fixes it, in the subnet's route table or in a new one associated with the subnet. */
function fixFor(p: ApimPlacement): Change[] {
  const route = { name: ROUTE_NAME, addressPrefix: "ApiManagement", nextHopType: "Internet" };
  if (p.routeTable) return [routeChange({ routeTable: p.routeTable, ...route })];
  if (p.subnet?.routeTable || !p.vnet || !p.subnet) return [];
  const name = `rt-${p.subnet.name}`;
  return newRouteTableChanges(p.vnet, p.subnet, { name, location: p.vnet.location ?? p.location, routes: [route] });
}

/**
 * The findings from the effective route tables observed for the subnet: they decide in place of the computed
 * table (reference §4.3: Azure's own answer), and say so; a difference between the two is DRIFT-ROUTES.
 */
function fromObserved(
  p: ApimPlacement,
  tag: { set: AddressSet; label: string },
  observed: { export: ObservedEffectiveRoutes; how: string }[],
): Finding[] {
  const subnet = p.subnet!;
  return observed.flatMap(({ export: o, how }): Finding[] => {
    const where = formatSource(o.src);
    const { parts, unreadable } = observedRouting(o, tag.set);
    const wrong = parts.filter((part) => part.row.nextHopType.toLowerCase() !== "internet");
    const decided = evidenceAt(
      "observed",
      `decided from the effective routes observed in ${where} (${how}), not from the routes the inputs give`,
      o.src,
    );
    // A prefix that is not an address may be longer than the rows that decide: nothing is certain then.
    if (unreadable.length > 0)
      return [
        finding(meta, {
          cannotTell: `whether replies to the control plane leave subnet ${subnet.name} to Internet`,
          messageId: "observedUnknown",
          data: { tag: tag.label, subnet: subnet.name, export: where, why: unreadable.join(", ") },
          resource: subnet.id,
          src: o.src,
          evidence: [decided],
          instance: p.label,
        }),
      ];
    if (wrong.length === 0) return [];
    const main = wrong.reduce((a, b) => (b.set.sizeV4() > a.set.sizeV4() ? b : a));
    const evidence: Evidence[] = [
      decided,
      ...wrong.map((part) =>
        evidenceAt(
          "observed-route",
          `observed in ${formatSource(part.src)}: ${effectiveRouteText(part.row)} decides ${part.set.equals(tag.set) ? `all of ${tag.label}` : part.set.toString()}`,
          part.src,
          undefined,
          part.row,
        ),
      ),
    ];
    const hops = main.row.nextHopIpAddress.join(", ");
    return [
      finding(meta, {
        messageId: p.mode === "External" ? "misroutedObservedExternal" : "misroutedObserved",
        data: {
          tag: tag.label,
          subnet: subnet.name,
          prefixes: main.row.addressPrefix.slice(0, 3).join(", "),
          export: formatSource(main.src),
          source: `source ${main.row.source}`,
          hop: hops ? `${main.row.nextHopType} ${hops}` : main.row.nextHopType,
          how,
          table: p.routeTable ? ` ${p.routeTable.name}` : " (the subnet has none: create one)",
        },
        resource: subnet.id,
        src: main.src,
        evidence,
        changes: fixFor(p),
        instance: p.label,
      }),
    ];
  });
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.placements) {
      if (p.kind !== "classic-injection" || !p.subnet) continue;
      const tag = tagAddresses(ctx, p, "ApiManagement");
      if ("unknown" in tag) {
        // Unknown, never a pass: without the tag's addresses the replies' route cannot be followed.
        out.push(
          finding(meta, {
            cannotTell: `whether replies to the control plane leave subnet ${p.subnet.name} to Internet`,
            messageId: "tagUnknown",
            data: { subnet: p.subnet.name, why: tag.unknown },
            resource: p.subnet.id,
            src: p.subnet.src,
            evidence: [evidenceAt("unknown", tag.unknown, undefined)],
            instance: p.label,
          }),
        );
        continue;
      }
      const observed = observedRoutesOf(ctx.topology, p.subnet, ctx.model.observed.effectiveRoutes);
      if (observed.length > 0) {
        out.push(...fromObserved(p, tag, observed));
        continue;
      }
      const parts = routedParts(ctx, p, tag.set) ?? [];
      const table = ctx.engine.routes(p.subnet);
      const wrong = parts.filter((part) => part.row && part.hop.nextHopType !== "Internet" && isCertain(part));
      const unsure = parts.filter((part) => !isCertain(part));
      if (wrong.length === 0 && unsure.length === 0) continue;
      const evidence: Evidence[] = [];
      for (const part of wrong) {
        evidence.push(...routeEvidence(ctx, table, part.row!));
        if (!part.set.equals(tag.set))
          evidence.push(evidenceAt("addresses", `decided by this route: ${part.set.toString()}`, undefined));
      }
      if (tag.note) evidence.push(evidenceAt("assumption", tag.note, undefined));
      if (wrong.length === 0) {
        const reasons = [...new Set(unsure.flatMap((u) => u.hop.unknowns))];
        for (const r of reasons) evidence.push(evidenceAt("unknown", r, undefined));
        out.push(
          finding(meta, {
            cannotTell: `whether replies to the control plane leave subnet ${p.subnet.name} to Internet`,
            messageId: "routeUnknown",
            data: { tag: tag.label, subnet: p.subnet.name, why: reasons.join("; ") },
            resource: p.subnet.id,
            src: p.subnet.src,
            evidence,
            changes: fixFor(p),
            instance: p.label,
          }),
        );
        continue;
      }
      const main = wrong.reduce((a, b) => (b.set.sizeV4() > a.set.sizeV4() ? b : a));
      const row = main.row!;
      const what = row.route.nextHopType === "None" ? "drops them" : `sends them to ${hopText(row)}`;
      out.push(
        finding(meta, {
          messageId: p.mode === "External" ? "misroutedExternal" : "misrouted",
          data: {
            tag: tag.label,
            subnet: p.subnet.name,
            prefixes: row.route.addressPrefix.slice(0, 3).join(", "),
            origin: originPhrase(row),
            what,
            table: p.routeTable ? ` ${p.routeTable.name}` : " (the subnet has none: create one)",
          },
          resource: row.origin.kind === "user" ? row.origin.route.id : p.subnet.id,
          src: rowSource(row) ?? p.subnet.src,
          evidence,
          changes: fixFor(p),
          instance: p.label,
        }),
      );
    }
    return out;
  },
});
