/**
 * @module checks/apim/dependencies-bypass-tunnel
 * APIM-DEPENDENCY-TUNNELED: with forced tunnelling, the instance's PaaS dependencies (Storage, SQL, Key Vault,
 * Event Hubs) follow the default route to an appliance or an on-premises gateway, unless the subnet has their
 * service endpoints: a service endpoint route holds the service's own prefixes, longer than 0.0.0.0/0, so it wins
 * (reference §2.5 rule 6; apim-requirements §2.2). What the appliance does with the traffic is not in the inputs.
 * A dependency served by a private endpoint whose /32 is in the subnet's routes bypasses the tunnel and needs no
 * service endpoint (part 2 §9.5): an info naming the endpoint and what was assumed, instead of the warning. A NAT
 * gateway on the subnet is named as bypassed (part 2 §11.2).
 */
import type { RoutedPart } from "../../engine/reach/route-set.js";
import { defineCheck, evidenceAt, finding } from "../context.js";
import { type ApimPlacement, platformNote } from "../placements.js";
import { type NsgRequirement, REQUIREMENTS } from "../requirements.js";
import type { CheckMeta, Finding } from "../types.js";
import { natOf, natText } from "../util/egress.js";
import { serviceEndpointChanges, withEndpoints } from "../util/network-fixes.js";
import { endpointsServing, type ServingEndpoint } from "../util/private-endpoint-dependencies.js";
import {
  hopText,
  isCertain,
  originPhrase,
  routedParts,
  routeEvidence,
  rowSource,
  TUNNEL_HOPS,
  tagAddresses,
} from "../util/routing.js";

const TUNNELLED =
  "{{dependency}} ({{purpose}}; TCP {{ports}}, {{need}}) leaves subnet {{subnet}} to {{hop}} by {{origin}}, and the " +
  "subnet has no {{serviceEndpoint}} service endpoint for {{location}} that would send it straight to the service. " +
  "Unknown whether {{forwarder}} forwards it (its rules are not modelled); Microsoft's guidance is the service endpoint.";

const meta: CheckMeta = {
  id: "APIM-DEPENDENCY-TUNNELED",
  name: "dependencies-bypass-tunnel",
  title: "A dependency of API Management is forced through an appliance or a gateway",
  // A warning, not an error: whether the appliance (or the network behind a gateway) forwards the traffic is not
  // in the inputs; behind an Azure Firewall that allows those tags it works. The route itself is certain.
  severity: "warning",
  category: "routing",
  summary:
    "With forced tunnelling, the API Management subnet needs service endpoints for Storage, SQL, Key Vault and Event Hubs.",
  references: [
    "https://learn.microsoft.com/azure/api-management/api-management-using-with-vnet#force-tunnel-traffic-to-on-premises-firewall-using-expressroute-or-network-virtual-appliance",
    "https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview",
    "https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview",
  ],
  messages: {
    tunnelled: TUNNELLED,
    tunnelledSeveral: `${TUNNELLED} The fix enables all {{count}} missing endpoints at once (the subnet's list is replaced whole).`,
    unknown: "Cannot tell whether {{dependencies}} are forced through a gateway from subnet {{subnet}}: {{why}}.",
    privateEndpoint:
      "{{dependency}} ({{purpose}}) is reached from subnet {{subnet}} through private endpoint {{endpoint}} " +
      "({{address}}, InterfaceEndpoint, to {{target}}): that route is longer than the forced tunnel's, so this " +
      "traffic bypasses {{hop}} and needs no {{serviceEndpoint}} service endpoint. Assumed: the instance uses " +
      "that resource and its name resolves to the endpoint's address in the VNet.",
  },
};

/** The dependency rows that a service endpoint can take out of the tunnel, for this placement. */
function rowsFor(p: ApimPlacement): NsgRequirement[] {
  return REQUIREMENTS.nsgRules.filter((r) => {
    const need = r.need[p.platform];
    if (!r.serviceEndpoint || !need || need === "absent" || !r.modes.includes(p.mode as "External" | "Internal"))
      return false;
    // SQL is reached in the primary region only, so only the primary region's subnet needs its endpoint (S4, S5).
    return p.isPrimary || r.destination !== "Sql";
  });
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.placements) {
      if (p.kind !== "classic-injection" || !p.subnet || !p.vnet) continue;
      const table = ctx.engine.routes(p.subnet);
      const tunnelled: { row: NsgRequirement; part: RoutedPart; label: string }[] = [];
      const private_: { row: NsgRequirement; part: RoutedPart; label: string; via: ServingEndpoint }[] = [];
      const unsure: string[] = [];
      const reasons = new Set<string>();
      for (const row of rowsFor(p)) {
        const tag = tagAddresses(ctx, p, row.destination);
        if ("unknown" in tag) {
          // Unknown, never a pass: the dependency's route cannot be followed without its addresses.
          unsure.push(row.destination);
          reasons.add(tag.unknown);
          continue;
        }
        const parts = routedParts(ctx, p, tag.set) ?? [];
        const part = parts.find((x) => x.row && TUNNEL_HOPS.has(x.hop.nextHopType) && isCertain(x));
        const served = part ? endpointsServing(ctx.model.privateEndpoints, table, row.destination) : undefined;
        for (const u of served?.unknowns ?? []) reasons.add(u);
        if (part && served?.serving[0]) private_.push({ row, part, label: tag.label, via: served.serving[0] });
        else if (part && served && served.unknowns.length > 0) unsure.push(tag.label);
        else if (part) tunnelled.push({ row, part, label: tag.label });
        else if (parts.some((x) => !isCertain(x))) {
          unsure.push(tag.label);
          for (const x of parts) for (const u of x.hop.unknowns) reasons.add(u);
        }
      }
      const services = tunnelled.map((t) => t.row.serviceEndpoint!);
      const fix = services.length
        ? serviceEndpointChanges(p.vnet, p.subnet, withEndpoints(p.subnet.serviceEndpoints, services, p.location))
        : [];
      const present =
        p.subnet.serviceEndpoints
          .map((e) => `${e.service}${e.locations ? ` (${e.locations.join(", ")})` : ""}`)
          .join(", ") || "none";
      // A NAT gateway on the subnet does not carry what a route sends elsewhere (reference part 2 §11.2).
      const nat = natOf(ctx.topology, p.subnet);
      const natBypassEvidence =
        nat.kind === "nat" || nat.kind === "outside"
          ? [
              evidenceAt(
                "nat-gateway",
                `NAT gateway ${natText(nat)} on subnet ${p.subnet.name} does not carry this traffic: a route whose next hop is not Internet takes precedence over a NAT gateway (reference part 2 §11.2)`,
                nat.kind === "nat" ? nat.nat.src : p.subnet.src,
                nat.kind === "nat" ? nat.nat.id : nat.id,
              ),
            ]
          : [];
      for (const { row, part, label } of tunnelled) {
        const r = part.row!;
        const need = row.need[p.platform];
        // A Route Server route's next hop is the NVA that advertised it, not a gateway (part 2 §7.4 rule 1).
        const hop =
          r.origin.kind === "routeServer"
            ? "the NVA"
            : r.route.nextHopType === "VirtualNetworkGateway"
              ? "the network behind the gateway"
              : "the appliance";
        out.push(
          finding(meta, {
            severity: need === "required" ? "warning" : "info",
            messageId: services.length > 1 ? "tunnelledSeveral" : "tunnelled",
            data: {
              dependency: label,
              purpose: row.purpose,
              ports: row.ports.join(", "),
              need: String(need),
              subnet: p.subnet.name,
              hop: hopText(r),
              origin: originPhrase(r),
              serviceEndpoint: row.serviceEndpoint ?? "",
              location: p.location,
              forwarder: hop,
              ...(services.length > 1 ? { count: services.length } : {}),
            },
            resource: p.subnet.id,
            src: rowSource(r) ?? p.subnet.src,
            evidence: [
              ...routeEvidence(ctx, table, r),
              evidenceAt("subnet", `subnet ${p.subnet.name} service endpoints: ${present}`, p.subnet.src, p.subnet.id, {
                serviceEndpoints: p.subnet.serviceEndpoints,
              }),
              evidenceAt(
                "assumption",
                `Unknown whether ${hop} (${hopText(r)}) forwards ${label}: its rules are not in the inputs`,
                undefined,
              ),
              evidenceAt("assumption", platformNote(p), undefined),
              ...natBypassEvidence,
            ],
            changes: fix,
            instance: p.label,
          }),
        );
      }
      for (const { row, part, label, via } of private_) {
        out.push(
          finding(meta, {
            severity: "info",
            messageId: "privateEndpoint",
            data: {
              dependency: label,
              purpose: row.purpose,
              subnet: p.subnet.name,
              endpoint: via.endpoint.name,
              address: via.row.route.addressPrefix.join(", "),
              target: via.target,
              hop: hopText(part.row!),
              serviceEndpoint: row.serviceEndpoint ?? "",
            },
            resource: via.endpoint.id,
            src: via.endpoint.src,
            evidence: [
              ...routeEvidence(ctx, table, via.row),
              evidenceAt(
                "private-endpoint",
                `private endpoint ${via.endpoint.name} serves ${label} (${via.target})`,
                via.endpoint.src,
                via.endpoint.id,
                { privateLinkServiceConnections: via.endpoint.privateLinkServiceConnections },
              ),
              ...routeEvidence(ctx, table, part.row!),
              ...via.assumptions.map((a) => evidenceAt("assumption", a, undefined)),
              evidenceAt(
                "assumption",
                `assumed: the instance reaches ${label} at ${via.target} and that name resolves to ${via.row.route.addressPrefix.join(", ")} from ${p.vnet.name} (DNS is not verified offline; reference part 2 §9.5)`,
                undefined,
              ),
              ...(row.destination === "Storage" || row.destination === "Sql"
                ? [
                    evidenceAt(
                      "assumption",
                      `API Management's own platform ${row.destination} is Microsoft-owned and takes no private endpoint (reference part 2 §9.5, inferred): if the traffic is to the platform's, it follows ${hopText(part.row!)} and needs the ${row.serviceEndpoint} service endpoint`,
                      undefined,
                    ),
                  ]
                : []),
            ],
            instance: p.label,
          }),
        );
      }
      if (unsure.length > 0) {
        // Unknown, never a pass: a warning, as for every verdict an input leaves open.
        out.push(
          finding(meta, {
            cannotTell: `whether ${unsure.join(", ")} are forced through a gateway from subnet ${p.subnet.name}`,
            messageId: "unknown",
            data: { dependencies: unsure.join(", "), subnet: p.subnet.name, why: [...reasons].join("; ") },
            resource: p.subnet.id,
            src: p.subnet.src,
            evidence: [...reasons].map((u) => evidenceAt("unknown", u, undefined)),
            instance: p.label,
          }),
        );
      }
    }
    return out;
  },
});
