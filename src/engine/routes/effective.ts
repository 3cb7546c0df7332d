/**
 * @module engine/routes/effective
 * Engine layer: the effective route table of a subnet, as `az network nic show-effective-route-table` prints it
 * for any NIC in that subnet (IP forwarding does not change it): system routes, peering routes, gateway routes,
 * service endpoint routes and user routes, then selection (reference §2). Pure: the model in, rows out, each
 * with its provenance, plus what was assumed and what stayed unknown.
 */

import { vnetAddressSpace } from "../../model/addresses.js";
import { parsePrefix } from "../../model/ip.js";
import type { EffectiveRoute } from "../../model/network.js";
import type { NetworkInterface, Subnet } from "../../model/resources.js";
import { formatSource } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { isUnknown } from "../../model/unknown.js";
import { findReservedProfile, reservedProfileNames } from "./data.js";
import { gatewayRows } from "./gateway.js";
import { assumptionNames, learnedRoutesGateway } from "./learned-routes.js";
import { applyEndpointPolicies, privateEndpointRows } from "./private-endpoints.js";
import { routeServerRows } from "./route-server.js";
import { dropReplacedRows, selectRoutes } from "./select.js";
import {
  named,
  peeringRows,
  type RouteSink,
  type RouteTagCatalog,
  serviceEndpointRows,
  vnetAndReservedRows,
} from "./system.js";
import type { ComputedRoute, EffectiveRouteOptions, EffectiveRouteTable, RouteOrigin } from "./types.js";
import { userRows } from "./user.js";

/**
 * Where a row usually appears in Azure's output (§2.1, §2.11 O8): VnetLocal, regional peering, gateway,
 * Internet, reserved None, then global peering, service endpoints and user routes. Azure does not promise it.
 */
function orderOf(origin: RouteOrigin): number {
  switch (origin.kind) {
    case "vnet":
      return 0;
    case "peering":
      return origin.global ? 5 : 1;
    case "gateway":
    case "assumption":
    case "routeServer":
      return 2;
    case "internet":
      return 3;
    case "reserved":
      return 4;
    case "serviceEndpoint":
    case "privateEndpoint":
      return 6;
    default:
      return 7;
  }
}

/**
 * Says what decides a prefix that an ExpressRoute gateway and a VPN gateway or Route Server both give (selection
 * prefers ExpressRoute: §2.5 rule 5, part 2 §7.4 rule 6): Azure's display of the others is not documented, and
 * with branch-to-branch on, the Route Server's hubRoutingPreference (not read) may pick the NVA instead.
 */
function expressRouteTies(topology: Topology, rows: ComputedRoute[], sink: RouteSink): void {
  const byPrefix = new Map<string, ComputedRoute[]>();
  for (const row of rows) {
    const o = row.origin;
    if (o.kind !== "gateway" && o.kind !== "assumption" && o.kind !== "routeServer") continue;
    for (const p of row.prefixes) byPrefix.set(p.canonical, [...(byPrefix.get(p.canonical) ?? []), row]);
  }
  for (const [prefix, group] of byPrefix) {
    const er = group.filter((r) => "expressRoute" in r.origin && r.origin.expressRoute);
    const others = group.filter((r) => !er.includes(r));
    if (er.length === 0 || others.length === 0) continue;
    const name = (r: ComputedRoute) =>
      r.origin.kind === "routeServer"
        ? `Route Server ${r.origin.routeServer.name}`
        : `gateway ${"gateway" in r.origin ? r.origin.gateway.name : "?"}`;
    const losers = [...new Set(others.map(name))].join(", ");
    sink.assume(
      `at ${prefix} the routes of ExpressRoute ${[...new Set(er.map(name))].join(", ")} are preferred over those of ${losers} (reference §2.5 rule 5); whether Azure shows the others as Invalid or leaves them out is not documented: they are shown Invalid`,
    );
    for (const r of others) {
      if (r.origin.kind !== "routeServer") continue;
      const id = r.origin.routeServer.id;
      if (!topology.model.routeServers.some((s) => s.id === id && s.allowBranchToBranchTraffic)) continue;
      sink.unknown(
        `at ${prefix}, with branch-to-branch on, Route Server ${r.origin.routeServer.name}'s hubRoutingPreference decides between the ExpressRoute and the NVA route (ExpressRoute unless set otherwise; not read from the inputs)`,
        [r.prefixes.find((p) => p.canonical === prefix)!],
      );
    }
  }
}

/** Thrown for a `reservedRoutes` option that names no profile; the CLI turns it into a usage error. */
export class UnknownReservedProfileError extends RangeError {
  constructor(readonly profile: string) {
    super(`unknown reserved-routes profile ${profile} (known: ${reservedProfileNames().join(", ")})`);
  }
}

/**
 * The effective routes of `subnet`. Reads the model's assumptions (`--assume`) for BGP routes. Throws
 * UnknownReservedProfileError when `options.reservedRoutes` names no profile.
 */
export function effectiveRoutes(
  topology: Topology,
  subnet: Subnet,
  catalog: RouteTagCatalog,
  options: EffectiveRouteOptions = {},
): EffectiveRouteTable {
  const profile = findReservedProfile(options.reservedRoutes);
  if (!profile) throw new UnknownReservedProfileError(options.reservedRoutes ?? "");
  const vnet = topology.vnetOf(subnet) ?? {
    id: subnet.virtualNetworkId,
    name: subnet.virtualNetworkId,
    type: "Microsoft.Network/virtualNetworks",
    src: subnet.src,
    addressSpace: { addressPrefixes: [] },
    subnets: [subnet],
    virtualNetworkPeerings: [],
  };
  let rows: ComputedRoute[] = [];
  const assumptions: string[] = [`reserved None routes: profile ${profile.id} (${profile.date})`];
  const uncertain: EffectiveRouteTable["uncertain"] = [];
  const unknowns: string[] = [];
  const sink: RouteSink = {
    add(route, origin, parsed) {
      const prefixes =
        parsed ??
        route.addressPrefix.map((p) => (isUnknown(p) ? undefined : parsePrefix(p))).filter((p) => p !== undefined);
      rows.push({ route: { ...route, disableBgpRoutePropagation: false }, origin, prefixes });
    },
    assume(sentence) {
      if (!assumptions.includes(sentence)) assumptions.push(sentence);
    },
    unknown(sentence, covers) {
      if (unknowns.includes(sentence)) return;
      unknowns.push(sentence);
      if (covers) uncertain.push({ reason: sentence, covers });
    },
  };

  vnetAndReservedRows(vnet, profile, sink);
  peeringRows(topology, vnet, sink);
  const table = subnet.routeTable ? topology.routeTables.get(subnet.routeTable.id) : undefined;
  if (subnet.routeTable && !table) {
    sink.unknown(
      `route table ${subnet.routeTable.id} of ${subnet.name} is not in the inputs; its routes are unknown`,
      "all",
    );
  }
  const propagationDisabled = table?.disableBgpRoutePropagation ?? false;
  gatewayRows(topology, vnet, propagationDisabled, sink);
  routeServerRows(topology, vnet, propagationDisabled, sink);
  serviceEndpointRows(subnet, vnet, catalog, sink);
  privateEndpointRows(topology, vnet, sink);
  if (table) {
    const ipv6 = vnetAddressSpace(vnet).prefixes.some((p) => p.version === 6);
    userRows(table, catalog, ipv6, sink);
  }
  applyEndpointPolicies(topology, rows, sink);
  for (const assumption of topology.model.assumptions.routeServerRoutes ?? []) {
    const server = topology.model.routeServers.find((r) =>
      assumption.routeServer.includes("/")
        ? r.id.toLowerCase() === assumption.routeServer.toLowerCase()
        : r.name.toLowerCase() === assumption.routeServer.toLowerCase(),
    );
    const wanted = assumption.bgpConnection.toLowerCase();
    if (!server?.bgpConnections.some((c) => c.name.toLowerCase() === wanted || c.peerIp?.toLowerCase() === wanted)) {
      sink.unknown(
        `--assume ${formatSource(assumption.src)} names ${server ? `BGP connection ${assumption.bgpConnection} of ` : ""}Route Server ${assumption.routeServer}, which is not in the inputs; not applied`,
      );
    }
  }
  for (const assumption of topology.model.assumptions.gatewayRoutes) {
    if (assumption.learnedRoutesExport) {
      const found = learnedRoutesGateway(topology, assumption.learnedRoutesExport);
      if ("reason" in found)
        sink.unknown(
          `the learned-routes export ${formatSource(assumption.src)}: ${found.reason}; its routes (${assumption.prefixes.join(", ")}) are not applied`,
          assumption.prefixes.map((p) => parsePrefix(p)).filter((p) => p !== undefined),
        );
      continue;
    }
    if (!topology.model.virtualNetworkGateways.some((g) => assumptionNames(assumption, g, topology))) {
      sink.unknown(
        `--assume ${formatSource(assumption.src)} names gateway ${assumption.gateway}, which is not in the inputs; not applied`,
      );
    }
  }

  expressRouteTies(topology, rows, sink);
  const dropped = dropReplacedRows(rows);
  rows = dropped.rows;
  if (dropped.assumption) sink.assume(dropped.assumption);
  rows = rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => orderOf(a.row.origin) - orderOf(b.row.origin) || a.index - b.index)
    .map(({ row }) => row);
  for (const row of rows) row.route.disableBgpRoutePropagation = propagationDisabled;
  selectRoutes(rows);
  return {
    subnet: named(subnet),
    vnet: named(vnet),
    routeTable: table ? named(table) : undefined,
    routes: rows,
    reservedProfile: { id: profile.id, date: profile.date },
    assumptions,
    unknowns,
    uncertain,
  };
}

/**
 * The effective routes of a NIC: those of the subnet of its primary IP configuration (reference §2; IP
 * forwarding only lets the NIC forward, it does not change its routes). Undefined when the NIC's subnet is
 * not in the inputs.
 */
export function effectiveRoutesForNic(
  topology: Topology,
  nic: NetworkInterface,
  catalog: RouteTagCatalog,
  options: EffectiveRouteOptions = {},
): EffectiveRouteTable | undefined {
  const config = nic.ipConfigurations.find((c) => c.primary) ?? nic.ipConfigurations[0];
  const subnet = config?.subnet ? topology.subnets.get(config.subnet.id) : undefined;
  return subnet ? effectiveRoutes(topology, subnet, catalog, options) : undefined;
}

/** The table as `az network nic show-effective-route-table` prints it: `{ "value": [...] }`, fields in Azure's order. */
export function toEffectiveRouteJson(table: EffectiveRouteTable): { value: EffectiveRoute[] } {
  return {
    value: table.routes.map(({ route }) => ({
      name: route.name,
      source: route.source,
      state: route.state,
      addressPrefix: [...route.addressPrefix],
      nextHopType: route.nextHopType,
      nextHopIpAddress: [...route.nextHopIpAddress],
      disableBgpRoutePropagation: route.disableBgpRoutePropagation ?? false,
    })),
  };
}
