/**
 * @module engine/peering/transit
 * Engine layer: what the four peering flags change besides the peering's own state (reference §3.2).
 * Gateway transit (`useRemoteGateways` on the spoke's half, `allowGatewayTransit` on the hub's) decides which
 * gateways give a VNet their routes; `allowForwardedTraffic` decides whether traffic an NVA forwards may enter
 * over the peering. (`allowVirtualNetworkAccess` only narrows the VirtualNetwork tag, which
 * engine/servicetags/virtual computes; routes stay.) Peering is not transitive: only direct peerings count.
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering
 */
import { sameResource } from "../../model/ids.js";
import type { VirtualNetwork, VirtualNetworkGateway, VirtualNetworkPeering } from "../../model/resources.js";
import type { Topology } from "../../model/topology.js";
import { type PeeringStatus, peeringsOf } from "./state.js";

/** The VNet id a subnet id belongs to (`…/virtualNetworks/v/subnets/s` → `…/virtualNetworks/v`). */
export function vnetIdOfSubnetId(subnetId: string): string {
  const at = subnetId.toLowerCase().lastIndexOf("/subnets/");
  return at < 0 ? subnetId : subnetId.slice(0, at);
}

/** The virtual network gateways deployed in `vnet` (their IP configurations sit in its GatewaySubnet). */
export function gatewaysInVnet(topology: Topology, vnet: VirtualNetwork): VirtualNetworkGateway[] {
  return topology.model.virtualNetworkGateways.filter((g) =>
    g.ipConfigurations.some((c) => c.subnet?.id && sameResource(vnetIdOfSubnetId(c.subnet.id), vnet.id)),
  );
}

/** The gateway transit a VNet uses, or why it uses none. */
export interface GatewayTransit {
  /** The local half with useRemoteGateways. */
  peering: VirtualNetworkPeering;
  status: PeeringStatus;
  /** The hub's gateways whose routes the VNet receives; empty when transit does not work. */
  gateways: VirtualNetworkGateway[];
  /** Why no routes arrive through this peering; empty when they do. */
  reason: string;
}

/**
 * The peerings of `vnet` that ask for the remote gateway (useRemoteGateways), each with the gateways it
 * really gives. Transit works only when the peering is Connected, the hub's half allows gateway transit, the
 * hub has a gateway, and the VNet has no gateway of its own (Azure refuses that configuration) [PEER-MANAGE].
 */
export function gatewayTransits(topology: Topology, vnet: VirtualNetwork): GatewayTransit[] {
  const asking = peeringsOf(topology, vnet).filter((s) => s.peering.useRemoteGateways);
  const ownGateways = gatewaysInVnet(topology, vnet);
  return asking.map((status) => {
    const base = { peering: status.peering, status, gateways: [] as VirtualNetworkGateway[] };
    const hubName = status.remote?.name ?? status.peering.remoteVirtualNetwork?.id ?? "the remote virtual network";
    if (status.state !== "Connected") {
      return { ...base, reason: `peering ${status.peering.name} is ${status.state}: ${status.reason}` };
    }
    if (asking.length > 1) {
      return { ...base, reason: `${vnet.name} has ${asking.length} peerings with useRemoteGateways; Azure allows one` };
    }
    if (ownGateways.length > 0) {
      return {
        ...base,
        reason: `${vnet.name} has its own gateway ${ownGateways[0]!.name}; Azure refuses useRemoteGateways then`,
      };
    }
    if (!status.remote) return { ...base, reason: `${hubName} is not in the inputs, so its gateway is unknown` };
    if (!status.remoteHalf?.allowGatewayTransit) {
      return { ...base, reason: `${hubName}'s peering back does not set allowGatewayTransit` };
    }
    const gateways = gatewaysInVnet(topology, status.remote);
    if (gateways.length === 0) return { ...base, reason: `${hubName} has no virtual network gateway in the inputs` };
    return { ...base, gateways, reason: "" };
  });
}

/**
 * Whether traffic that `senderVnet` forwards (it did not originate there) may enter `receiverVnet` over their
 * peering: the receiver's half must be Connected and set allowForwardedTraffic [PEER-MANAGE]. `Unknown` when
 * the receiver's half cannot be evaluated; false (with the reason) when they are not peered at all, since
 * peering is not transitive.
 */
export function acceptsForwardedTraffic(
  topology: Topology,
  receiverVnet: VirtualNetwork,
  senderVnet: VirtualNetwork,
): { allowed: boolean | "Unknown"; reason: string } {
  const half = peeringsOf(topology, receiverVnet).find(
    (s) => s.peering.remoteVirtualNetwork && sameResource(s.peering.remoteVirtualNetwork.id, senderVnet.id),
  );
  if (!half) return { allowed: false, reason: `${receiverVnet.name} is not peered with ${senderVnet.name}` };
  if (half.state === "Unknown") return { allowed: "Unknown", reason: half.reason };
  if (half.state !== "Connected") return { allowed: false, reason: `peering ${half.peering.name} is ${half.state}` };
  if (!half.peering.allowForwardedTraffic) {
    return { allowed: false, reason: `peering ${half.peering.name} does not set allowForwardedTraffic` };
  }
  return { allowed: true, reason: "" };
}
