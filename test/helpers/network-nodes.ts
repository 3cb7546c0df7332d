/**
 * Test helper: REST-shaped resources (as `az ... show` prints them) for hand-built networks in routing tests:
 * subnets, peering halves, a VNet, a Route Server with its ip configuration and BGP connections. One place, so
 * the tests that build hubs, spokes and Route Servers say only what differs.
 */

/** The resource group all nodes live in. */
export const SUB = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network";

/** A subnet of VNet `vnet`. */
export function subnetNode(vnet: string, name: string, prefix: string, extra: object = {}) {
  return {
    name,
    id: `${SUB}/virtualNetworks/${vnet}/subnets/${name}`,
    properties: { addressPrefix: prefix, ...extra },
  };
}

/** The half of a peering in `from` toward `to`, with access allowed and the given flags. */
export function peeringNode(from: string, to: string, flags: object) {
  return {
    name: `${from}-to-${to}`,
    properties: {
      remoteVirtualNetwork: { id: `${SUB}/virtualNetworks/${to}` },
      allowVirtualNetworkAccess: true,
      ...flags,
    },
  };
}

/** A VNet with one address range, its subnets and peering halves. */
export function vnetNode(name: string, range: string, subnets: object[], peerings: object[] = []) {
  return {
    type: "Microsoft.Network/virtualNetworks",
    name,
    id: `${SUB}/virtualNetworks/${name}`,
    properties: { addressSpace: { addressPrefixes: [range] }, subnets, virtualNetworkPeerings: peerings },
  };
}

/** Route Server `rs` in `vnet`'s RouteServerSubnet, with one BGP connection per peer (ASN 65001). */
export function routeServerNodes(vnet: string, peers: { name: string; peerIp: string }[], properties: object = {}) {
  return [
    {
      type: "Microsoft.Network/virtualHubs",
      name: "rs",
      id: `${SUB}/virtualHubs/rs`,
      properties: { sku: "Standard", ...properties },
    },
    {
      type: "Microsoft.Network/virtualHubs/ipConfigurations",
      name: "rs/ipconfig1",
      id: `${SUB}/virtualHubs/rs/ipConfigurations/ipconfig1`,
      properties: { subnet: { id: `${SUB}/virtualNetworks/${vnet}/subnets/RouteServerSubnet` } },
    },
    ...peers.map((p) => ({
      type: "Microsoft.Network/virtualHubs/bgpConnections",
      name: `rs/${p.name}`,
      id: `${SUB}/virtualHubs/rs/bgpConnections/${p.name}`,
      properties: { peerIp: p.peerIp, peerAsn: 65001 },
    })),
  ];
}
