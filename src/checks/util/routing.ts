/**
 * @module checks/util/routing
 * Checks layer, shared by the routing checks (forced tunnelling, tunnelled dependencies, backends, DNS): the
 * addresses of a service tag as an instance sees them (the regional form for its region), where those addresses
 * go from the instance's subnet, and evidence for an effective route row that says where the row came from: the
 * route table and route, the gateway with its connection and local network gateway, the peering that carries a
 * remote gateway's routes (gateway transit), or the `--assume` line that declared a BGP route (reference §2).
 */
import { AddressSet } from "../../engine/ip/address-set.js";
import { gatewayTransits } from "../../engine/peering/transit.js";
import { type RoutedPart, routesForSet } from "../../engine/reach/route-set.js";
import type { ComputedRoute, EffectiveRouteTable, NamedRef } from "../../engine/routes/index.js";
import { formatSource, type SourceRef } from "../../model/source.js";
import { isUnknown } from "../../model/unknown.js";
import { type CheckContext, evidenceAt } from "../context.js";
import type { ApimPlacement } from "../placements.js";
import type { Evidence } from "../types.js";

/** Next hop types that take traffic away from Azure's own path: an appliance or a gateway (reference §2.3). */
export const TUNNEL_HOPS: ReadonlySet<string> = new Set([
  "VirtualAppliance",
  "VirtualApplianceEcmp",
  "VirtualNetworkGateway",
]);

const MAX_PREFIXES = 12;

/**
 * The IPv4 addresses of `tag` as the instance uses it: the regional tags for `locations` (default the
 * instance's region) when the catalog has them, the whole tag otherwise (with a note saying so).
 */
export function tagAddresses(
  ctx: CheckContext,
  p: ApimPlacement,
  tag: string,
  locations: string[] = [p.location],
): { set: AddressSet; label: string; note?: string } | { unknown: string } {
  const regional = [...new Set(locations.map((l) => ctx.catalog.regionalName(tag, l)).filter((n) => !!n))] as string[];
  const names = regional.length > 0 ? regional : [tag];
  let set = AddressSet.EMPTY;
  for (const name of names) {
    const found = ctx.catalog.get(name);
    if (!found) return { unknown: `service tag ${name} is not in the service tag catalog` };
    set = set.union(found);
  }
  const note =
    regional.length === 0
      ? `the catalog has no regional ${tag} tag for ${locations.join(", ") || "an unknown region"}; all of ${tag} was used`
      : undefined;
  return { set: set.intersect(AddressSet.ALL_V4), label: names.join(" + "), ...(note ? { note } : {}) };
}

/** Where each part of `set` goes from the placement's subnet; undefined without a subnet. */
export function routedParts(ctx: CheckContext, p: ApimPlacement, set: AddressSet): RoutedPart[] | undefined {
  return p.subnet ? routesForSet(ctx.engine.routes(p.subnet), set) : undefined;
}

/**
 * True when the part's answer is certain. A part decided by a user route is certain even when BGP routes are
 * unknown: a user route beats a BGP route of the same prefix (reference §2.5 rule 2), and only an advertised
 * prefix longer than the user route's could win, which we do not assume.
 */
export function isCertain(part: RoutedPart): boolean {
  return part.hop.unknowns.length === 0 || part.row?.origin.kind === "user";
}

/** The row in `az network nic show-effective-route-table`'s shape (long prefix lists shortened). */
export function routeRowData(row: ComputedRoute): Record<string, unknown> {
  const r = row.route;
  const shown = r.addressPrefix.slice(0, MAX_PREFIXES);
  return {
    name: r.name,
    source: r.source,
    state: r.state,
    addressPrefix: shown,
    ...(r.addressPrefix.length > shown.length ? { addressPrefixCount: r.addressPrefix.length } : {}),
    nextHopType: r.nextHopType,
    nextHopIpAddress: r.nextHopIpAddress,
  };
}

function prefixText(row: ComputedRoute): string {
  const p = row.route.addressPrefix;
  return p.length > 3 ? `${p.slice(0, 3).join(", ")} … (${p.length} prefixes)` : p.join(", ");
}

/** `VirtualAppliance 10.0.1.4`, `VirtualNetworkGateway`, ... */
export function hopText(row: ComputedRoute): string {
  const ip = row.route.nextHopIpAddress.filter((x) => x && !isUnknown(x)).join(", ");
  if (ip) return `${row.route.nextHopType} ${ip}`;
  // A user route to an appliance whose address no input gives: the type decides, the address is said Unknown.
  return row.route.nextHopType === "VirtualAppliance" && row.origin.kind === "user"
    ? "VirtualAppliance (its IP address Unknown)"
    : row.route.nextHopType;
}

/** A short phrase naming where the row came from, for messages. */
export function originPhrase(row: ComputedRoute): string {
  const o = row.origin;
  switch (o.kind) {
    case "user":
      return `user route ${o.routeTable.name}/${o.route.name}`;
    case "gateway": {
      const via = o.connection ? ` through connection ${o.connection.name}` : "";
      const lng = o.localNetworkGateway ? ` (local network gateway ${o.localNetworkGateway.name})` : "";
      const transit = o.transit ? `, published into this VNet by peering ${o.transit.name} (gateway transit)` : "";
      return `gateway ${o.gateway.name}${via}${lng}${transit}`;
    }
    case "assumption":
      return `a BGP route of gateway ${o.gateway.name} ${o.assumption.learnedRoutesExport ? "given by the learned-routes export" : "declared with --assume"} (${formatSource(o.assumption.src)})${o.transit ? `, published into this VNet by peering ${o.transit.name} (gateway transit)` : ""}`;
    case "peering":
      return `peering ${o.peering.name} to ${o.remoteVnet.name}`;
    case "vnet":
      return `the address space of ${o.vnet.name}`;
    case "serviceEndpoint":
      return `service endpoint ${o.service} of ${o.subnet.name}`;
    case "routeServer":
      return `Route Server ${o.routeServer.name}, learnt from BGP connection ${o.bgpConnection.name} (declared with --assume ${formatSource(o.assumption.src)})${o.transit ? `, published into this VNet by peering ${o.transit.name} (gateway transit)` : ""}`;
    case "privateEndpoint":
      return `private endpoint ${o.endpoint.name} in ${o.vnet.name}/${o.subnet.name}${o.peering ? `, over peering ${o.peering.name}` : ""}`;
    case "reserved":
      return `a reserved system route (profile ${o.profile})`;
    default:
      return "the default system route";
  }
}

function refEvidence(kind: string, what: string, ref: NamedRef | undefined, text: string): Evidence[] {
  return ref ? [evidenceAt(kind, `${what} ${ref.name}: ${text}`, ref.src, ref.id)] : [];
}

/** Where the row was declared: the route, the connection or gateway, the --assume line, the peering, the VNet. */
export function rowSource(row: ComputedRoute): SourceRef | undefined {
  const o = row.origin;
  if (o.kind === "user") return o.route.src;
  if (o.kind === "gateway") return o.connection?.src ?? o.gateway.src;
  if (o.kind === "assumption") return o.assumption.src;
  if (o.kind === "peering") return o.peering.src;
  if (o.kind === "vnet") return o.vnet.src;
  if (o.kind === "privateEndpoint") return o.endpoint.src;
  if (o.kind === "routeServer") return o.assumption.src;
  return undefined;
}

/**
 * Evidence for an effective route row: the row itself (Azure's shape) at the declaration that made it, then
 * every object behind it (route, gateway, connection, local network gateway, peering halves, assumption).
 */
export function routeEvidence(ctx: CheckContext, table: EffectiveRouteTable, row: ComputedRoute): Evidence[] {
  const o = row.origin;
  const rowText = `effective route of ${table.vnet.name}/${table.subnet.name}: ${row.route.source} ${prefixText(row)} → ${hopText(row)} (${row.route.state}), from ${originPhrase(row)}`;
  const src = rowSource(row);
  const out: Evidence[] = [evidenceAt("effective-route", rowText, src, undefined, routeRowData(row))];
  if (o.kind === "user") {
    out.push(...refEvidence("route-table", "route table", o.routeTable, `holds route ${o.route.name}`));
  }
  if (o.kind === "gateway" || o.kind === "assumption") {
    out.push(...refEvidence("gateway", "virtual network gateway", o.gateway, "gives the subnet its routes"));
    if (o.kind === "gateway") {
      out.push(...refEvidence("connection", "connection", o.connection, "brings these prefixes"));
      out.push(
        ...refEvidence("local-network-gateway", "local network gateway", o.localNetworkGateway, "its address space"),
      );
    }
    if (o.transit) out.push(...transitEvidence(ctx, table, o.transit));
  }
  if (o.kind === "routeServer") {
    out.push(
      ...refEvidence("route-server", "Route Server", o.routeServer, "programs the routes its BGP peers advertise"),
    );
    out.push(
      ...refEvidence(
        "bgp-connection",
        "BGP connection",
        o.bgpConnection,
        `the NVA advertises ${o.assumption.prefixes.join(", ")} (--assume ${formatSource(o.assumption.src)})`,
      ),
    );
    if (o.transit) out.push(...transitEvidence(ctx, table, o.transit));
  }
  return out;
}

/** The two halves of a gateway-transit peering, with the flags that make the hub's routes arrive. */
function transitEvidence(ctx: CheckContext, table: EffectiveRouteTable, peering: NamedRef): Evidence[] {
  const vnet = ctx.topology.vnets.get(table.vnet.id);
  const transit = vnet ? gatewayTransits(ctx.topology, vnet).find((t) => t.peering.id === peering.id) : undefined;
  const out = [
    evidenceAt(
      "peering",
      `peering ${peering.name} of ${table.vnet.name}: useRemoteGateways true (the hub's gateway or Route Server routes are published into this VNet)`,
      peering.src,
      peering.id,
      { useRemoteGateways: true },
    ),
  ];
  const hub = transit?.status.remoteHalf;
  if (hub) {
    out.push(
      evidenceAt(
        "peering",
        `peering ${hub.name} of ${transit.status.remote?.name ?? "the hub"}: allowGatewayTransit ${hub.allowGatewayTransit}`,
        hub.src,
        hub.id,
        { allowGatewayTransit: hub.allowGatewayTransit },
      ),
    );
  }
  return out;
}
