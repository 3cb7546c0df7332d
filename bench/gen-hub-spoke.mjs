/**
 * Generates hub-and-spoke estates for the diagram benchmark and the diagram tests: one hub peered both ways
 * with every spoke, literal names and `resourceId()` references, deterministic for a given size. Small on
 * purpose (2 rules, 1 route per VNet): it measures drawing the estate, not evaluating it.
 */

/**
 * The ARM template of a hub (`vnet-0`) and `vnets - 1` spokes peered with it both ways, each VNet with `subnets`
 * subnets (`snet-<n>`), an NSG of 2 rules and a route table of 1 route, as compact text.
 */
export function hubAndSpoke(vnets, subnets = 8) {
  const vnetId = (i) => `[resourceId('Microsoft.Network/virtualNetworks', 'vnet-${i}')]`;
  const peering = (from, to) => ({
    name: `vnet-${from}-to-vnet-${to}`,
    properties: {
      remoteVirtualNetwork: { id: vnetId(to) },
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: true,
      ...(from === 0 ? { allowGatewayTransit: true } : {}),
    },
  });
  const octets = (i) => `${10 + Math.floor(i / 256)}.${i % 256}`;
  const resources = [];
  for (let i = 0; i < vnets; i++) {
    resources.push({
      type: "Microsoft.Network/networkSecurityGroups",
      apiVersion: "2023-05-01",
      name: `nsg-${i}`,
      location: "westeurope",
      properties: {
        securityRules: [
          {
            name: "allow-https",
            properties: {
              priority: 100,
              direction: "Inbound",
              access: "Allow",
              protocol: "Tcp",
              sourceAddressPrefix: "VirtualNetwork",
              sourcePortRange: "*",
              destinationAddressPrefix: "*",
              destinationPortRange: "443",
            },
          },
          {
            name: "deny-rdp",
            properties: {
              priority: 200,
              direction: "Inbound",
              access: "Deny",
              protocol: "Tcp",
              sourceAddressPrefix: "Internet",
              sourcePortRange: "*",
              destinationAddressPrefix: "*",
              destinationPortRange: "3389",
            },
          },
        ],
      },
    });
    resources.push({
      type: "Microsoft.Network/routeTables",
      apiVersion: "2023-05-01",
      name: `rt-${i}`,
      location: "westeurope",
      properties: {
        routes: [
          {
            name: "default",
            properties: { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.0.4" },
          },
        ],
      },
    });
    resources.push({
      type: "Microsoft.Network/virtualNetworks",
      apiVersion: "2023-05-01",
      name: `vnet-${i}`,
      location: "westeurope",
      properties: {
        addressSpace: { addressPrefixes: [`${octets(i)}.0.0/16`] },
        subnets: Array.from({ length: subnets }, (_, s) => ({
          name: `snet-${s}`,
          properties: {
            addressPrefix: `${octets(i)}.${s}.0/24`,
            networkSecurityGroup: { id: `[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-${i}')]` },
            routeTable: { id: `[resourceId('Microsoft.Network/routeTables', 'rt-${i}')]` },
          },
        })),
        virtualNetworkPeerings:
          i === 0 ? Array.from({ length: vnets - 1 }, (_, k) => peering(0, k + 1)) : [peering(i, 0)],
      },
    });
  }
  return JSON.stringify({
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    resources,
  });
}
