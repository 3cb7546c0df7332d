/**
 * @module engine/servicetags/on-premises
 * Engine layer: the address spaces a VNet reaches through a virtual network gateway, which the
 * `VirtualNetwork` tag includes ("all connected on-premises address spaces" and "VNets connected to a
 * virtual network gateway", reference §1.4). The gateway is the VNet's own (in its GatewaySubnet) or a hub's,
 * reached over a Connected peering with useRemoteGateways on this side and allowGatewayTransit on the hub's
 * (reference §3.2). Its connections bring local network gateway prefixes (IPsec), the other VNet's space
 * (Vnet2Vnet), and routes learned over BGP, which no template shows: those come from `--assume`
 * (model.assumptions.gatewayRoutes) or stay undecided.
 */
import { localGatewaySpace, textList, vnetAddressSpace } from "../../model/addresses.js";
import { sameResource, shortName } from "../../model/ids.js";
import type { VirtualNetwork, VirtualNetworkGateway, VirtualNetworkGatewayConnection } from "../../model/resources.js";
import type { Topology } from "../../model/topology.js";
import { peeringsOf } from "../peering/state.js";
import { assumptionNames } from "../routes/learned-routes.js";
import type { TagBuilder } from "./parts.js";

interface ReachedGateway {
  gateway: VirtualNetworkGateway;
  /** How the subnet's VNet uses it, for the descriptions. */
  via: string;
}

/** Adds to `tag` what the gateways that `vnet` uses bring to its VirtualNetwork tag. */
export function addGatewayContributions(tag: TagBuilder, topology: Topology, vnet: VirtualNetwork): void {
  for (const reached of gatewaysUsedBy(tag, topology, vnet)) {
    addConnections(tag, topology, reached);
    addBgpRoutes(tag, topology, reached);
  }
}

/** The VNet's own gateways, then the hub gateways it uses through gateway transit. */
function gatewaysUsedBy(tag: TagBuilder, topology: Topology, vnet: VirtualNetwork): ReachedGateway[] {
  const out: ReachedGateway[] = gatewaysIn(topology, vnet).map((gateway) => ({
    gateway,
    via: `gateway ${gateway.name} of ${vnet.name}`,
  }));
  for (const status of peeringsOf(topology, vnet)) {
    const { peering, remote, remoteHalf } = status;
    if (!peering.useRemoteGateways) continue;
    const remoteName = remote?.name ?? shortName(peering.remoteVirtualNetwork?.id ?? "the remote network");
    if (status.state === "Unknown") {
      tag.undecided.push({
        kind: "on-premises",
        description: `on-premises prefixes of the gateway in ${remoteName}, used through peering ${peering.name} (useRemoteGateways): ${status.reason}`,
        resourceId: peering.id,
        src: peering.src,
        effect: "may-add",
      });
    } else if (status.state !== "Connected") {
      tag.leftOut.push({
        description: `peering ${peering.name} uses the gateway of ${remoteName} but is ${status.state} (${status.reason})`,
        resourceId: peering.id,
        src: peering.src,
      });
    } else if (!remoteHalf?.allowGatewayTransit) {
      tag.leftOut.push({
        description: `peering ${peering.name} sets useRemoteGateways, but ${remoteName}'s half does not allow gateway transit`,
        resourceId: peering.id,
        src: peering.src,
      });
    } else if (remote) {
      for (const gateway of gatewaysIn(topology, remote)) {
        out.push({ gateway, via: `gateway ${gateway.name} of ${remote.name}, through peering ${peering.name}` });
      }
    }
  }
  return out;
}

/** Gateways whose IP configuration sits in a subnet of `vnet` (the GatewaySubnet). */
function gatewaysIn(topology: Topology, vnet: VirtualNetwork): VirtualNetworkGateway[] {
  return topology.model.virtualNetworkGateways.filter((g) => {
    const vnetOfGateway = gatewayVnet(topology, g);
    return vnetOfGateway !== undefined && sameResource(vnetOfGateway, vnet.id);
  });
}

/** The id of the VNet holding a gateway, from its subnet (declared or read from the subnet id). */
function gatewayVnet(topology: Topology, gateway: VirtualNetworkGateway): string | undefined {
  for (const config of gateway.ipConfigurations) {
    const subnetId = config.subnet?.id;
    if (!subnetId) continue;
    const subnet = topology.subnets.get(subnetId);
    if (subnet) return subnet.virtualNetworkId;
    const at = subnetId.toLowerCase().lastIndexOf("/subnets/");
    if (at > 0) return subnetId.slice(0, at);
  }
  return undefined;
}

function addConnections(tag: TagBuilder, topology: Topology, { gateway, via }: ReachedGateway): void {
  for (const c of topology.model.connections) {
    const first = c.virtualNetworkGateway1 && sameResource(c.virtualNetworkGateway1.id, gateway.id);
    const second = c.virtualNetworkGateway2 && sameResource(c.virtualNetworkGateway2.id, gateway.id);
    if (!first && !second) continue;
    const status = c.connectionStatus ? `, status ${c.connectionStatus}` : "";
    const what = `connection ${c.name} of ${via}${status}`;
    if (first && c.localNetworkGateway2) {
      const local = topology.localGateways.get(c.localNetworkGateway2.id);
      if (!local) {
        tag.undecided.push({
          kind: "on-premises",
          description: `${what}: the local network gateway ${shortName(c.localNetworkGateway2.id)} is not in the inputs`,
          resourceId: c.id,
          src: c.src,
          effect: "may-add",
        });
        continue;
      }
      tag.addPrefixes(
        "on-premises",
        localGatewaySpace(local),
        `on-premises address space of local network gateway ${local.name} (${what})`,
        local.src,
        local.id,
      );
      continue;
    }
    const otherId = first ? c.virtualNetworkGateway2?.id : c.virtualNetworkGateway1?.id;
    if (!otherId || c.connectionType.toLowerCase() !== "vnet2vnet") continue;
    addVnetToVnet(tag, topology, c, otherId, what);
  }
}

function addVnetToVnet(
  tag: TagBuilder,
  topology: Topology,
  connection: VirtualNetworkGatewayConnection,
  otherGatewayId: string,
  what: string,
): void {
  const other = topology.gateways.get(otherGatewayId);
  const vnetId = other && gatewayVnet(topology, other);
  const vnet = vnetId ? topology.vnets.get(vnetId) : undefined;
  if (!vnet) {
    tag.undecided.push({
      kind: "vnet-to-vnet",
      description: `${what}: the virtual network behind gateway ${shortName(otherGatewayId)} is not in the inputs`,
      resourceId: connection.id,
      src: connection.src,
      effect: "may-add",
    });
    return;
  }
  tag.addPrefixes(
    "vnet-to-vnet",
    vnetAddressSpace(vnet),
    `address space of ${vnet.name}, connected by VNet-to-VNet ${what}`,
    connection.src,
    vnet.id,
  );
}

/**
 * Routes the gateway learns over BGP (ExpressRoute always, VPN when BGP is on) are on-premises prefixes too,
 * but only `--assume` can tell them; without it they stay undecided.
 */
function addBgpRoutes(tag: TagBuilder, topology: Topology, { gateway, via }: ReachedGateway): void {
  // By name or id for --assume, by instance address for a learned-routes export.
  const assumed = topology.model.assumptions.gatewayRoutes.filter((a) => assumptionNames(a, gateway, topology));
  for (const a of assumed) {
    tag.addPrefixes(
      "assumed-gateway-routes",
      textList(a.prefixes, a.src),
      `routes assumed learned by ${via} (--assume)`,
      a.src,
      gateway.id,
    );
  }
  const connections = topology.model.connections.filter(
    (c) =>
      (c.virtualNetworkGateway1 && sameResource(c.virtualNetworkGateway1.id, gateway.id)) ||
      (c.virtualNetworkGateway2 && sameResource(c.virtualNetworkGateway2.id, gateway.id)),
  );
  const learnsOverBgp =
    gateway.gatewayType.toLowerCase() === "expressroute" ||
    gateway.enableBgp ||
    connections.some((c) => c.enableBgp || c.connectionType.toLowerCase() === "expressroute");
  if (learnsOverBgp && assumed.length === 0) {
    tag.undecided.push({
      kind: "on-premises",
      description: `routes learned over BGP by ${via} are not in the inputs (declare them with --assume)`,
      resourceId: gateway.id,
      src: gateway.src,
      effect: "may-add",
    });
  }
}
