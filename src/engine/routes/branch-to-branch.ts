/**
 * @module engine/routes/branch-to-branch
 * Engine layer: what a Route Server passes between its NVAs and the VPN or ExpressRoute gateways of its VNet
 * (reference part 2 §7.6). With `allowBranchToBranchTraffic` false (the default) nothing passes, either way.
 * With it true, every gateway learns each NVA prefix (and so does on-premises, except a 0.0.0.0/0 through a
 * VPN gateway, which never re-advertises it), and every NVA learns the gateways' on-premises prefixes. A VPN
 * gateway takes part only active-active with ASN 65515; otherwise whether routes pass is Unknown. No input
 * states BGP communities, so no route is taken to carry NO_ADVERTISE (which would stop it), and that is said.
 *
 * None of this changes a subnet's effective routes: the NVA routes are programmed by the Route Server and the
 * on-premises ones by the gateway, whatever the flag (§7.4 rules 3 and 7). It answers "does on-premises learn
 * the NVA's prefix, does the NVA learn on-premises", and is printed beside the routes.
 */

import { localGatewaySpace } from "../../model/addresses.js";
import { sameResource } from "../../model/ids.js";
import type { RouteServer, VirtualNetwork, VirtualNetworkGateway } from "../../model/resources.js";
import { formatSource } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { gatewaysInVnet } from "../peering/transit.js";
import { statedBy } from "./gateway.js";
import { assumptionNames } from "./learned-routes.js";
import { namesConnection, namesServer, routeServersInVnet } from "./route-server.js";
import { named } from "./system.js";
import type { NamedRef } from "./types.js";

/** One prefix passed from one side to the other, with where it was stated. */
export interface PassedRoute {
  prefix: string;
  /** The BGP connection (NVA) or gateway it came from. */
  from: NamedRef;
  /** The gateway or BGP connection that learns it. */
  to: NamedRef;
  /** Where the prefix was stated: an --assume line, a learned-routes export, a local network gateway. */
  stated: string;
  /** For an NVA prefix learned by a gateway: whether the gateway advertises it on-premises. */
  advertisedOnPremises?: boolean;
}

/** The exchange of one Route Server with the gateways of its VNet. */
export interface BranchExchange {
  routeServer: NamedRef;
  allowBranchToBranchTraffic: boolean;
  gateways: NamedRef[];
  /** NVA prefixes the gateways learn. */
  toGateways: PassedRoute[];
  /** Gateway-learned prefixes the NVAs learn. */
  toNvas: PassedRoute[];
  /** What the answer rests on that no input states. */
  assumptions: string[];
  /** What could not be decided. */
  unknowns: string[];
}

/** The prefixes a gateway learns from on-premises that the inputs state, with where; unknowns for the rest. */
function gatewayPrefixes(
  topology: Topology,
  gateway: VirtualNetworkGateway,
  unknowns: string[],
): { prefix: string; stated: string }[] {
  const out: { prefix: string; stated: string }[] = [];
  const stated = topology.model.assumptions.gatewayRoutes.filter((a) => assumptionNames(a, gateway, topology));
  for (const a of stated) for (const prefix of a.prefixes) out.push({ prefix, stated: statedBy(a) });
  for (const c of topology.model.connections) {
    if (!c.virtualNetworkGateway1 || !sameResource(c.virtualNetworkGateway1.id, gateway.id)) continue;
    const lng = c.localNetworkGateway2 ? topology.localGateways.get(c.localNetworkGateway2.id) : undefined;
    // Static local network gateway prefixes pass too (§7.6: BGP on the VPN gateway is not required).
    if (lng)
      for (const p of localGatewaySpace(lng).prefixes)
        out.push({ prefix: p.canonical, stated: `local network gateway ${lng.name} (${formatSource(lng.src)})` });
    if ((c.enableBgp || c.connectionType.toLowerCase() === "expressroute") && stated.length === 0)
      unknowns.push(
        `connection ${c.name} of gateway ${gateway.name} learns routes over BGP that no input states, so what the NVAs learn from it is unknown`,
      );
  }
  return out;
}

/** Why a gateway cannot exchange routes with a Route Server (§7.6), or undefined when it can. */
function ineligible(gateway: VirtualNetworkGateway): string | undefined {
  if (gateway.gatewayType.toLowerCase() !== "vpn") return undefined;
  if (!gateway.activeActive) return "a VPN gateway exchanges routes with Route Server only when active-active";
  const asn = gateway.bgpSettings?.asn;
  if (asn !== undefined && asn !== 65515)
    return `a VPN gateway exchanges routes with Route Server only with ASN 65515, not ${asn}`;
  return undefined;
}

function exchangeOf(topology: Topology, server: RouteServer, gateways: VirtualNetworkGateway[]): BranchExchange {
  const result: BranchExchange = {
    routeServer: named(server),
    allowBranchToBranchTraffic: server.allowBranchToBranchTraffic,
    gateways: gateways.map(named),
    toGateways: [],
    toNvas: [],
    assumptions: [],
    unknowns: [],
  };
  if (!server.allowBranchToBranchTraffic) {
    result.assumptions.push(
      `Route Server ${server.name} has allowBranchToBranchTraffic false: it passes no route between its NVAs and gateway ${gateways.map((g) => g.name).join(", ")}, either way (semantics-2 §7.6)`,
    );
    return result;
  }
  result.assumptions.push(
    "no route is taken to carry the NO_ADVERTISE community (65535:65282), which would stop Route Server passing it on; no input states communities",
  );
  const declared = topology.model.assumptions.routeServerRoutes ?? [];
  for (const gateway of gateways) {
    const why = ineligible(gateway);
    if (why) {
      result.unknowns.push(
        `gateway ${gateway.name} and Route Server ${server.name}: ${why}; whether routes pass is unknown`,
      );
      continue;
    }
    const vpn = gateway.gatewayType.toLowerCase() === "vpn";
    for (const connection of server.bgpConnections) {
      const facts = declared.filter((a) => namesServer(a, server) && namesConnection(a, connection));
      if (facts.length === 0)
        result.unknowns.push(
          `BGP connection ${connection.name} of Route Server ${server.name} advertises routes that no input states, so what gateway ${gateway.name} learns from it is unknown`,
        );
      for (const a of facts)
        for (const prefix of a.prefixes)
          result.toGateways.push({
            prefix,
            from: named(connection),
            to: named(gateway),
            stated: `--assume ${formatSource(a.src)}`,
            // A VPN gateway never re-advertises a default route learned from Route Server (§7.6).
            advertisedOnPremises: !(vpn && (prefix === "0.0.0.0/0" || prefix === "::/0")),
          });
    }
    for (const { prefix, stated } of gatewayPrefixes(topology, gateway, result.unknowns))
      for (const connection of server.bgpConnections)
        result.toNvas.push({ prefix, from: named(gateway), to: named(connection), stated });
  }
  return result;
}

/**
 * The branch-to-branch exchange of every Route Server in `vnet` that shares it with a VPN or ExpressRoute
 * gateway; empty when there is none (nothing to exchange).
 */
export function branchToBranch(topology: Topology, vnet: VirtualNetwork): BranchExchange[] {
  if (topology.model.routeServers.length === 0) return [];
  const gateways = gatewaysInVnet(topology, vnet).filter((g) => {
    const type = g.gatewayType.toLowerCase();
    return type === "vpn" || type === "expressroute";
  });
  if (gateways.length === 0) return [];
  return routeServersInVnet(topology, vnet).map((server) => exchangeOf(topology, server, gateways));
}

/** The exchange as lines for a reader: one per direction and pair, then assumptions and unknowns. */
export function branchToBranchLines(exchange: BranchExchange): string[] {
  const rs = `Route Server ${exchange.routeServer.name}`;
  const lines: string[] = [];
  const group = (routes: PassedRoute[], say: (from: string, to: string, prefixes: string) => string) => {
    const pairs = new Map<string, PassedRoute[]>();
    for (const r of routes) {
      const key = `${r.from.name}\u0000${r.to.name}`;
      pairs.set(key, [...(pairs.get(key) ?? []), r]);
    }
    for (const list of pairs.values())
      lines.push(say(list[0]!.from.name, list[0]!.to.name, list.map((r) => `${r.prefix} (${r.stated})`).join(", ")));
  };
  group(exchange.toGateways, (from, to, prefixes) => {
    const held = exchange.toGateways.filter((r) => r.from.name === from && r.to.name === to && !r.advertisedOnPremises);
    const not =
      held.length > 0
        ? `; it does not advertise ${held.map((r) => r.prefix).join(", ")} on-premises (a VPN gateway never re-advertises a default route from Route Server)`
        : "";
    return `${rs}: gateway ${to} learns from BGP connection ${from} ${prefixes}, and advertises it on-premises${not}`;
  });
  group(exchange.toNvas, (from, to, prefixes) => `${rs}: BGP connection ${to} learns from gateway ${from} ${prefixes}`);
  if (exchange.allowBranchToBranchTraffic && lines.length === 0)
    lines.push(`${rs}: no stated route passes between its NVAs and gateways`);
  return [
    ...lines,
    ...exchange.assumptions.map((a) => `assumed: ${a}`),
    ...exchange.unknowns.map((u) => `Unknown: ${u}`),
  ];
}
