/**
 * @module engine/routes/learned-routes
 * Engine layer: which virtual network gateway a `list-learned-routes` export belongs to. The export names no
 * gateway; every row carries `localAddress`, the address of the gateway instance that learned it (reference
 * part 2 §8.2 item 4, §7.7 item 6). The gateway is the one whose BGP or private addresses include it; failing
 * that (a template carries no instance addresses), the one whose GatewaySubnet holds it. Two candidates, or
 * none, leave the routes unapplied, and the answer says why: guessing a gateway would put routes into VNets
 * they never reach.
 */

import { subnetPrefixes } from "../../model/addresses.js";
import { sameResource } from "../../model/ids.js";
import { parseAddress } from "../../model/ip.js";
import type { AssumedGatewayRoutes } from "../../model/network.js";
import type { VirtualNetworkGateway } from "../../model/resources.js";
import type { Topology } from "../../model/topology.js";

/** The addresses a gateway's own resource gives its instances: BGP peering addresses and private IPs. */
function instanceAddresses(gateway: VirtualNetworkGateway): string[] {
  const bgp = gateway.bgpSettings;
  return [
    ...(bgp?.bgpPeeringAddress ?? "").split(","),
    ...(bgp?.bgpPeeringAddresses ?? []).flatMap((a) => [...a.defaultBgpIpAddresses, ...a.customBgpIpAddresses]),
    ...gateway.ipConfigurations.map((c) => c.privateIPAddress ?? ""),
  ]
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
}

/** True when one of the gateway's GatewaySubnet prefixes holds `address`. */
function subnetHolds(topology: Topology, gateway: VirtualNetworkGateway, address: string): boolean {
  const a = parseAddress(address);
  if (!a) return false;
  return gateway.ipConfigurations.some((c) => {
    const subnet = c.subnet ? topology.subnets.get(c.subnet.id) : undefined;
    return (
      subnet !== undefined &&
      subnetPrefixes(subnet).prefixes.some((p) => p.version === a.version && p.first <= a.value && a.value <= p.last)
    );
  });
}

/** The gateway a learned-routes export belongs to, or why none could be chosen. */
export function learnedRoutesGateway(
  topology: Topology,
  export_: NonNullable<AssumedGatewayRoutes["learnedRoutesExport"]>,
): { gateway: VirtualNetworkGateway; by: "address" | "subnet" } | { reason: string } {
  const local = export_.localAddresses.map((a) => a.toLowerCase());
  const gateways = topology.model.virtualNetworkGateways;
  const byAddress = gateways.filter((g) => instanceAddresses(g).some((a) => local.includes(a)));
  if (byAddress.length === 1) return { gateway: byAddress[0]!, by: "address" };
  const candidates =
    byAddress.length > 1 ? byAddress : gateways.filter((g) => local.some((a) => subnetHolds(topology, g, a)));
  if (candidates.length === 1 && byAddress.length === 0) return { gateway: candidates[0]!, by: "subnet" };
  const where = `instance address ${export_.localAddresses.join(", ")}`;
  return {
    reason:
      candidates.length > 1
        ? `${where} fits gateways ${candidates.map((g) => g.name).join(" and ")} (they share a GatewaySubnet); which learned these routes is unknown`
        : `no virtual network gateway in the inputs has ${where}, nor a GatewaySubnet that holds it`,
  };
}

/** True when an assumption, or a learned-routes export, is about this gateway (name, case-insensitive, or id). */
export function assumptionNames(
  assumption: AssumedGatewayRoutes,
  gateway: VirtualNetworkGateway,
  topology: Topology,
): boolean {
  if (assumption.learnedRoutesExport) {
    const found = learnedRoutesGateway(topology, assumption.learnedRoutesExport);
    return "gateway" in found && sameResource(found.gateway.id, gateway.id);
  }
  const wanted = assumption.gateway.trim();
  return wanted.includes("/") ? sameResource(wanted, gateway.id) : wanted.toLowerCase() === gateway.name.toLowerCase();
}
