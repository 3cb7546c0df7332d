/**
 * Generates a large ARM deployment template for the ingest benchmark: VNets with subnets, NSGs with rules
 * and route tables with routes, written as Azure and Bicep write them (pretty-printed, names from
 * parameters and `format()`, references through `resourceId()`). Deterministic for a given size.
 */

function nsg(i, rules) {
  return {
    type: "Microsoft.Network/networkSecurityGroups",
    apiVersion: "2023-05-01",
    name: `[format('nsg-{0}-${i}', parameters('prefix'))]`,
    location: "[parameters('location')]",
    properties: {
      securityRules: Array.from({ length: rules }, (_, r) => ({
        name: `rule-${r}`,
        properties: {
          description: `Allow traffic ${r} for workload ${i}`,
          protocol: r % 3 === 0 ? "Tcp" : r % 3 === 1 ? "Udp" : "*",
          sourcePortRange: "*",
          destinationPortRange: String(1000 + r),
          sourceAddressPrefix: r % 2 === 0 ? "VirtualNetwork" : `10.${i % 250}.${r % 250}.0/24`,
          destinationAddressPrefix: "VirtualNetwork",
          access: r % 5 === 0 ? "Deny" : "Allow",
          priority: 100 + r,
          direction: r % 2 === 0 ? "Inbound" : "Outbound",
        },
      })),
    },
  };
}

function routeTable(i, routes) {
  return {
    type: "Microsoft.Network/routeTables",
    apiVersion: "2023-05-01",
    name: `[format('rt-{0}-${i}', parameters('prefix'))]`,
    location: "[parameters('location')]",
    properties: {
      disableBgpRoutePropagation: i % 2 === 0,
      routes: Array.from({ length: routes }, (_, r) => ({
        name: `route-${r}`,
        properties: {
          addressPrefix: `10.${(i + r) % 250}.${r % 250}.0/24`,
          nextHopType: "VirtualAppliance",
          nextHopIpAddress: "10.0.0.4",
        },
      })),
    },
  };
}

function vnet(i, subnets) {
  return {
    type: "Microsoft.Network/virtualNetworks",
    apiVersion: "2023-05-01",
    name: `[format('vnet-{0}-${i}', parameters('prefix'))]`,
    location: "[parameters('location')]",
    dependsOn: [
      `[resourceId('Microsoft.Network/networkSecurityGroups', format('nsg-{0}-${i}', parameters('prefix')))]`,
    ],
    properties: {
      addressSpace: { addressPrefixes: [`10.${i % 250}.0.0/16`] },
      subnets: Array.from({ length: subnets }, (_, s) => ({
        name: `subnet-${s}`,
        properties: {
          addressPrefix: `10.${i % 250}.${s}.0/24`,
          networkSecurityGroup: {
            id: `[resourceId('Microsoft.Network/networkSecurityGroups', format('nsg-{0}-${i}', parameters('prefix')))]`,
          },
          routeTable: {
            id: `[resourceId('Microsoft.Network/routeTables', format('rt-{0}-${i}', parameters('prefix')))]`,
          },
        },
      })),
    },
  };
}

/** A template of about `targetBytes` bytes, as text. */
export function generateTemplate(targetBytes = 100 * 1024 * 1024) {
  const sample = JSON.stringify([nsg(0, 40), routeTable(0, 20), vnet(0, 8)], null, 2).length;
  const groups = Math.max(1, Math.round(targetBytes / sample));
  const resources = [];
  for (let i = 0; i < groups; i++) resources.push(nsg(i, 40), routeTable(i, 20), vnet(i, 8));
  const template = {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    parameters: {
      prefix: { type: "string", defaultValue: "bench" },
      location: { type: "string", defaultValue: "westeurope" },
    },
    resources,
  };
  return { text: JSON.stringify(template, null, 2), resources: resources.length };
}
