/**
 * @module engine/routes/route-server
 * Engine layer: the routes an Azure Route Server programs (reference part 2 §7.4, §7.5). No template holds BGP
 * advertisements, so the prefixes each NVA advertises over a BGP connection come from `--assume`
 * (`routeServerRoutes`); each becomes a row with source and next hop type VirtualNetworkGateway and the BGP next
 * hop (the connection's peerIp unless stated), one row per next hop (ECMP), in every subnet of the Route
 * Server's VNet and of a VNet that uses it through gateway transit, unless the subnet's route table disables
 * gateway route propagation. A prefix inside a VNet range is not programmed (§7.4 rule 5). A BGP connection
 * with nothing declared is an unknown covering every destination: the NVA may advertise anything, 0.0.0.0/0
 * included (§7.7 item 7).
 */

import { vnetAddressSpace } from "../../model/addresses.js";
import { sameResource } from "../../model/ids.js";
import { type ParsedPrefix, parsePrefix } from "../../model/ip.js";
import type { AssumedRouteServerRoutes } from "../../model/network.js";
import type { BgpConnection, RouteServer, VirtualNetwork } from "../../model/resources.js";
import { formatSource } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { peeringsOf } from "../peering/state.js";
import { gatewaysInVnet, vnetIdOfSubnetId } from "../peering/transit.js";
import { gatewayRow } from "./gateway.js";
import { named, type RouteSink } from "./system.js";
import type { NamedRef } from "./types.js";

/** The Route Servers deployed in `vnet` (their ip configuration sits in its RouteServerSubnet). */
export function routeServersInVnet(topology: Topology, vnet: VirtualNetwork): RouteServer[] {
  return topology.model.routeServers.filter(
    (r) => r.subnet?.id !== undefined && sameResource(vnetIdOfSubnetId(r.subnet.id), vnet.id),
  );
}

/** True when the assumption names this Route Server (name, case-insensitive, or id). */
export function namesServer(a: AssumedRouteServerRoutes, server: RouteServer): boolean {
  return a.routeServer.includes("/")
    ? sameResource(a.routeServer, server.id)
    : a.routeServer.toLowerCase() === server.name.toLowerCase();
}

/** True when the assumption names this BGP connection (name, case-insensitive, or peer IP). */
export function namesConnection(a: AssumedRouteServerRoutes, c: BgpConnection): boolean {
  const wanted = a.bgpConnection.toLowerCase();
  return wanted === c.name.toLowerCase() || (c.peerIp !== undefined && wanted === c.peerIp.toLowerCase());
}

/**
 * The Route Servers whose routes reach `vnet`: its own, or the hub's through the one peering with
 * useRemoteGateways when that works for a Route Server as for a gateway (§7.5: Connected, the hub's half
 * allows gateway transit, the VNet has neither gateway nor Route Server of its own).
 */
export function routeServerSources(
  topology: Topology,
  vnet: VirtualNetwork,
): { server: RouteServer; vnet: VirtualNetwork; transit?: NamedRef }[] {
  if (topology.model.routeServers.length === 0) return [];
  const own = routeServersInVnet(topology, vnet);
  if (own.length > 0) return own.map((server) => ({ server, vnet }));
  const asking = peeringsOf(topology, vnet).filter((s) => s.peering.useRemoteGateways);
  const only = asking.length === 1 ? asking[0] : undefined;
  if (only?.state !== "Connected" || !only.remote || !only.remoteHalf?.allowGatewayTransit) return [];
  if (gatewaysInVnet(topology, vnet).length > 0) return [];
  const hub = only.remote;
  return routeServersInVnet(topology, hub).map((server) => ({ server, vnet: hub, transit: named(only.peering) }));
}

const RANGES = new WeakMap<Topology, Map<string, ParsedPrefix[]>>();

/**
 * The VNet ranges a learned prefix must not lie inside to be programmed (§7.4 rule 5, inferred implementation):
 * the hub's and those of every VNet that uses the hub's Route Server through gateway transit, whichever VNet
 * the table is for (Route Server learns the spokes' ranges, so a prefix inside one is dropped everywhere).
 */
function programmedRanges(topology: Topology, server: RouteServer, hub: VirtualNetwork): ParsedPrefix[] {
  // Once per topology and Route Server: every table of every spoke asks the same question.
  const byServer = RANGES.get(topology) ?? new Map<string, ParsedPrefix[]>();
  RANGES.set(topology, byServer);
  const known = byServer.get(server.id);
  if (known) return known;
  const ranges = [...vnetAddressSpace(hub).prefixes];
  byServer.set(server.id, ranges);
  for (const other of topology.vnets.values()) {
    if (other.id === hub.id) continue;
    if (routeServerSources(topology, other).some((s) => s.transit && s.server.id === server.id))
      ranges.push(...vnetAddressSpace(other).prefixes);
  }
  return ranges;
}

/** Every Route Server row of a subnet in `vnet`; none when its route table disables propagation (§7.4 rule 3). */
export function routeServerRows(
  topology: Topology,
  vnet: VirtualNetwork,
  propagationDisabled: boolean,
  sink: RouteSink,
): void {
  const sources = routeServerSources(topology, vnet);
  if (sources.length === 0 || propagationDisabled) return;
  const declared = topology.model.assumptions.routeServerRoutes ?? [];
  for (const { server, vnet: hub, transit } of sources) {
    const ranges = programmedRanges(topology, server, hub);
    const via = transit ? ` (reaching ${vnet.name} through peering ${transit.name}, gateway transit)` : "";
    for (const connection of server.bgpConnections) {
      const facts = declared.filter((a) => namesServer(a, server) && namesConnection(a, connection));
      if (facts.length === 0) {
        sink.unknown(
          `Route Server ${server.name}: BGP connection ${connection.name} (peer ${connection.peerIp ?? "unknown"}, ASN ${connection.peerAsn ?? "unknown"}) advertises routes that are in no input${via} (declare them with --assume routeServerRoutes)`,
          "all",
        );
        continue;
      }
      for (const assumption of facts) {
        sink.assume(
          `Route Server ${server.name} learns ${assumption.prefixes.join(", ")} from BGP connection ${connection.name}${via}, the NVA's session taken to be up with both instances — --assume ${formatSource(assumption.src)}`,
        );
        const hops = assumption.nextHopIpAddress?.length
          ? assumption.nextHopIpAddress
          : connection.peerIp
            ? [connection.peerIp]
            : [];
        if (hops.length === 0) {
          sink.unknown(
            `BGP connection ${connection.name} of Route Server ${server.name} has no peerIp: its next hop is unknown`,
            "all",
          );
          continue;
        }
        for (const text of assumption.prefixes) {
          const prefix = parsePrefix(text);
          if (!prefix) continue;
          const inside = ranges.find(
            (r) => r.version === prefix.version && r.first <= prefix.first && r.last >= prefix.last,
          );
          if (inside) {
            sink.assume(
              `Route Server ${server.name}: ${prefix.canonical} from ${connection.name} lies inside ${inside.canonical}, a VNet range, so it is not programmed (reference part 2 §7.4 rule 5; the exact test is unknown)`,
            );
            continue;
          }
          for (const hop of hops) {
            sink.add(
              gatewayRow(prefix.canonical, [hop]),
              {
                kind: "routeServer",
                routeServer: named(server),
                bgpConnection: named(connection),
                assumption,
                ...(transit ? { transit } : {}),
              },
              [prefix],
            );
          }
        }
      }
    }
  }
}
