/**
 * @module engine/routes/gateway
 * Engine layer: the routes a virtual network gateway gives a subnet (source and next hop type
 * VirtualNetworkGateway): a local network gateway's prefixes through an IPsec connection, the remote VNet's
 * ranges through a VNet-to-VNet connection, BGP routes the user declares with `--assume`, and all of these
 * again in spokes that use the hub's gateway through gateway transit. None of them reach a subnet whose route
 * table disables gateway route propagation (reference §2.2, §2.6, §3.2, §2.11 O5).
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#border-gateway-protocol
 */

import { type AddressList, localGatewaySpace, textList, vnetAddressSpace } from "../../model/addresses.js";
import { sameResource } from "../../model/ids.js";
import { parsePrefix } from "../../model/ip.js";
import type { AssumedGatewayRoutes } from "../../model/network.js";
import type { VirtualNetwork, VirtualNetworkGateway, VirtualNetworkGatewayConnection } from "../../model/resources.js";
import { formatSource, type SourceRef } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { unknownValue } from "../../model/unknown.js";
import { gatewaysInVnet, gatewayTransits, vnetIdOfSubnetId } from "../peering/transit.js";
import { assumptionNames } from "./learned-routes.js";
import { routeServerSources } from "./route-server.js";
import { knownPrefixes, named, type RouteSink } from "./system.js";
import type { NamedRef, RouteOrigin } from "./types.js";

/** For a learned-routes export: where each prefix was read, by canonical prefix. */
function exportRows(assumption: AssumedGatewayRoutes): Map<string, SourceRef> {
  const out = new Map<string, SourceRef>();
  const sources = assumption.learnedRoutesExport?.sources ?? [];
  assumption.prefixes.forEach((text, i) => {
    const parsed = parsePrefix(text);
    if (parsed && sources[i]) out.set(parsed.canonical, sources[i]);
  });
  return out;
}

/** Where a stated set of gateway routes comes from, as the answers name it. */
export function statedBy(assumption: AssumedGatewayRoutes): string {
  const where = formatSource(assumption.src);
  return assumption.learnedRoutesExport ? `the learned-routes export ${where}` : `--assume ${where}`;
}

/**
 * The next hop IPs of a gateway's routes, one list per row: an active-standby VPN gateway shows its public IP,
 * an active-active one a row per instance (§2.11 O5): the instance's `defaultBgpIpAddresses[0]` from
 * `bgpSettings.bgpPeeringAddresses` when the input carries it (a GET does; semantics-2 §8.2, rule 2), else the
 * instance's private IP. §8.2 leaves it Unknown whether that still holds with `enablePrivateIpAddress` or custom
 * BGP addresses: then it is assumed, and said. ExpressRoute next hops (the MSEE addresses) are in no template.
 */
export function gatewayNextHops(topology: Topology, gateway: VirtualNetworkGateway, sink: RouteSink): string[][] {
  if (gateway.gatewayType.toLowerCase() === "expressroute") {
    // Semantics-2 §8.3: Azure shows the circuit's Microsoft edge (MSEE) addresses, outside the VNet, typically
    // two rows per prefix; neither the addresses nor the count follow from the gateway or the circuit.
    sink.unknown(
      `the next hop IP of ExpressRoute gateway ${gateway.name}'s routes is Unknown: Azure shows the circuit's Microsoft edge (MSEE) addresses, typically one row per MSEE, and no template, gateway or circuit resource gives them (the next hop type VirtualNetworkGateway is known; state the addresses with nextHopIpAddress in --assume)`,
    );
    return [[unknownValue(`next hop of ExpressRoute gateway ${gateway.name}`)]];
  }
  if (gateway.activeActive) {
    const instances = (gateway.bgpSettings?.bgpPeeringAddresses ?? []).filter((a) => a.defaultBgpIpAddresses[0]);
    if (instances.length > 0) {
      if (gateway.enablePrivateIpAddress || instances.some((a) => a.customBgpIpAddresses.length > 0))
        sink.assume(
          `gateway ${gateway.name}: each instance's next hop is its default BGP address, as observed without private IP or custom BGP addresses (Unknown whether that holds with them)`,
        );
      return instances.map((a) => [a.defaultBgpIpAddresses[0]!]);
    }
    return gateway.ipConfigurations.map((c) => {
      if (c.privateIPAddress) return [c.privateIPAddress];
      sink.unknown(`the private IP of instance ${c.name} of gateway ${gateway.name} is not in the inputs`);
      return [unknownValue(`private IP of ${gateway.name}/${c.name}`)];
    });
  }
  const first = gateway.ipConfigurations[0];
  const ip = first?.publicIPAddress ? topology.publicIps.get(first.publicIPAddress.id)?.ipAddress : undefined;
  if (ip) return [[ip]];
  sink.unknown(`the public IP address of gateway ${gateway.name} is not in the inputs`);
  return [[unknownValue(`public IP address of gateway ${gateway.name}`)]];
}

/** One gateway row as `az` prints it. */
export function gatewayRow(prefix: string, nextHopIpAddress: string[]) {
  return {
    name: null,
    source: "VirtualNetworkGateway",
    state: "Active",
    addressPrefix: [prefix],
    nextHopType: "VirtualNetworkGateway",
    nextHopIpAddress,
  };
}

/** The VNet that holds a gateway (through its GatewaySubnet), when an input declares it. */
function vnetOfGateway(topology: Topology, gateway: VirtualNetworkGateway): VirtualNetwork | undefined {
  const subnetId = gateway.ipConfigurations.find((c) => c.subnet?.id)?.subnet?.id;
  return subnetId ? topology.vnets.get(vnetIdOfSubnetId(subnetId)) : undefined;
}

/** Rows for one connection of a gateway; prefixes Azure learns over BGP are reported as unknown. */
function connectionRows(
  topology: Topology,
  connection: VirtualNetworkGatewayConnection,
  assumed: boolean,
  emit: (prefixes: AddressList, origin: Partial<Extract<RouteOrigin, { kind: "gateway" }>>, what: string) => void,
  sink: RouteSink,
): void {
  const type = connection.connectionType.toLowerCase();
  if (connection.connectionStatus && connection.connectionStatus !== "Connected") {
    sink.assume(
      `connection ${connection.name} reports ${connection.connectionStatus}; its routes are listed anyway (whether Azure withdraws them is not documented)`,
    );
  }
  if ((connection.enableBgp || type === "expressroute") && assumed) {
    sink.assume(
      `connection ${connection.name} learns over BGP only the routes declared with --assume or given by a learned-routes export`,
    );
  } else if (connection.enableBgp || type === "expressroute") {
    // BGP may bring any prefix, 0.0.0.0/0 included, so every destination is in doubt (reference §2.2).
    sink.unknown(
      `connection ${connection.name} learns routes over BGP; they are in no input (declare them with --assume)`,
      "all",
    );
  }
  if (connection.localNetworkGateway2) {
    const lng = topology.localGateways.get(connection.localNetworkGateway2.id);
    if (!lng) {
      sink.unknown(
        `local network gateway ${connection.localNetworkGateway2.id} of connection ${connection.name} is not in the inputs`,
      );
      return;
    }
    emit(
      localGatewaySpace(lng),
      { connection: named(connection), localNetworkGateway: named(lng) },
      `local network gateway ${lng.name}`,
    );
    return;
  }
  if (type === "vnet2vnet" && connection.virtualNetworkGateway2) {
    const other = topology.gateways.get(connection.virtualNetworkGateway2.id);
    const remote = other ? vnetOfGateway(topology, other) : undefined;
    if (!remote) {
      sink.unknown(`the remote virtual network of VNet-to-VNet connection ${connection.name} is not in the inputs`);
      return;
    }
    emit(vnetAddressSpace(remote), { connection: named(connection) }, `virtual network ${remote.name}`);
  }
}

/**
 * Every gateway row of a subnet in `vnet`. `propagationDisabled` is the subnet route table's
 * disableBgpRoutePropagation: it removes all of them, own gateway and remote gateway alike (§2.6).
 */
export function gatewayRows(
  topology: Topology,
  vnet: VirtualNetwork,
  propagationDisabled: boolean,
  sink: RouteSink,
): void {
  const sources: { gateway: VirtualNetworkGateway; transit?: NamedRef }[] = gatewaysInVnet(topology, vnet).map(
    (gateway) => ({
      gateway,
    }),
  );
  for (const transit of gatewayTransits(topology, vnet)) {
    // A hub with a Route Server and no gateway still gives routes through transit: route-server.ts gives them.
    const routeServerHub = routeServerSources(topology, vnet).some((r) => r.transit?.id === transit.peering.id);
    if (transit.reason && !routeServerHub)
      sink.unknown(`gateway transit through peering ${transit.peering.name} gives no routes: ${transit.reason}`);
    for (const gateway of transit.gateways) sources.push({ gateway, transit: named(transit.peering) });
  }
  if (propagationDisabled) return;
  for (const { gateway, transit } of sources) {
    // Asked only when a row needs them, so a gateway that gives no routes raises no unknowns.
    let hopsOnce: string[][] | undefined;
    const hops = () => {
      hopsOnce ??= gatewayNextHops(topology, gateway, sink);
      return hopsOnce;
    };
    const er = gateway.gatewayType.toLowerCase() === "expressroute" ? { expressRoute: true as const } : {};
    const base = { gateway: named(gateway), ...(transit ? { transit } : {}), ...er };
    const emit = (prefixes: AddressList, extra: Partial<Extract<RouteOrigin, { kind: "gateway" }>>, what: string) => {
      for (const prefix of knownPrefixes(prefixes, what, sink)) {
        for (const hop of hops()) {
          sink.add(gatewayRow(prefix.canonical, hop), { kind: "gateway", ...base, ...extra });
        }
      }
    };
    const stated = topology.model.assumptions.gatewayRoutes.filter((a) => assumptionNames(a, gateway, topology));
    for (const connection of topology.model.connections) {
      if (connection.virtualNetworkGateway1 && sameResource(connection.virtualNetworkGateway1.id, gateway.id)) {
        connectionRows(topology, connection, stated.length > 0, emit, sink);
      }
    }
    for (const assumption of stated) {
      // One row per next hop (semantics-2 §8.2, §8.3; part 1 §2.11 O5, O6), as for the gateway's own addresses.
      const ips = assumption.nextHopIpAddress?.length ? assumption.nextHopIpAddress.map((ip) => [ip]) : hops();
      const by = statedBy(assumption);
      // An export may show nothing learned from a peer: that too is a stated fact, and said.
      const learns = assumption.prefixes.length > 0 ? assumption.prefixes.join(", ") : "nothing";
      sink.assume(
        `gateway ${gateway.name} learns ${learns} over BGP${transit ? ` (reaching this VNet through peering ${transit.name})` : ""} — ${by}`,
      );
      const assumed = textList(assumption.prefixes, assumption.src);
      const rowOf = exportRows(assumption);
      for (const prefix of knownPrefixes(assumed, by, sink)) {
        // An export's row points at the line that gave its prefix, so evidence names that line.
        const row = rowOf.get(prefix.canonical);
        for (const hop of ips) {
          sink.add(gatewayRow(prefix.canonical, hop), {
            kind: "assumption",
            gateway: named(gateway),
            assumption: row ? { ...assumption, src: row } : assumption,
            ...(transit ? { transit } : {}),
            ...er,
          });
        }
      }
    }
  }
}
