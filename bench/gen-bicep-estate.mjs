/**
 * Generates one hub-and-spoke estate twice, for the Bicep ingest benchmark: as Bicep (a `main.bicep` with the hub
 * VNet and a loop of `spoke.bicep` modules, each spoke an NSG whose rules, a route table whose routes and a VNet
 * whose subnets are built by loops, peered to the hub) and as the ARM template `bicep build` makes of it (the
 * loop of modules a copy of nested deployments in inner scope, the loops property copies, the references
 * `resourceId()`). Both give the same resources; the per-spoke variation (protocols, prefixes, accesses,
 * directions) is drawn once from the shared deterministic generator (random.mjs), so every run measures the
 * same estate.
 */
import { prng } from "./random.mjs";

const API = "2023-09-01";

/** A table of `count` rule shapes, shared by both forms (each is an index into literal arrays). */
function ruleTable(count) {
  const rand = prng(7);
  return Array.from({ length: count }, () => ({
    protocol: Math.floor(rand() * 3),
    access: rand() < 0.2 ? 1 : 0,
    direction: rand() < 0.5 ? 0 : 1,
    source: rand() < 0.5 ? 0 : 1,
  }));
}

function bicep({ spokes, rules, routes, subnets }) {
  const table = ruleTable(rules);
  const shapes = table
    .map((r) => `  { protocol: ${r.protocol}, access: ${r.access}, direction: ${r.direction}, source: ${r.source} }`)
    .join("\n");
  const spoke = `param index int
param prefix string
param location string
param hubId string
param routeCount int
param subnetCount int

var protocols = ['Tcp', 'Udp', '*']
var shapes = [
${shapes}
]
var rules = [for (shape, r) in shapes: {
  name: 'rule-\${r}'
  properties: {
    description: 'Allow traffic \${r} for spoke \${index}'
    protocol: protocols[shape.protocol]
    sourcePortRange: '*'
    destinationPortRange: string(1000 + r)
    sourceAddressPrefix: shape.source == 0 ? 'VirtualNetwork' : '10.\${index % 250}.\${r % 250}.0/24'
    destinationAddressPrefix: 'VirtualNetwork'
    access: shape.access == 1 ? 'Deny' : 'Allow'
    priority: 100 + r
    direction: shape.direction == 0 ? 'Inbound' : 'Outbound'
  }
}]

resource nsg 'Microsoft.Network/networkSecurityGroups@${API}' = {
  name: 'nsg-\${prefix}-\${index}'
  location: location
  properties: {
    securityRules: rules
  }
}

resource rt 'Microsoft.Network/routeTables@${API}' = {
  name: 'rt-\${prefix}-\${index}'
  location: location
  properties: {
    disableBgpRoutePropagation: index % 2 == 0
    routes: [for r in range(0, routeCount): {
      name: 'route-\${r}'
      properties: {
        addressPrefix: '10.\${(index + r) % 250}.\${r % 250}.0/24'
        nextHopType: 'VirtualAppliance'
        nextHopIpAddress: '10.0.0.4'
      }
    }]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@${API}' = {
  name: 'vnet-\${prefix}-\${index}'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: ['10.\${index % 250}.0.0/16']
    }
    subnets: [for s in range(0, subnetCount): {
      name: 'subnet-\${s}'
      properties: {
        addressPrefix: '10.\${index % 250}.\${s}.0/24'
        networkSecurityGroup: { id: nsg.id }
        routeTable: { id: rt.id }
      }
    }]
  }
}

resource toHub 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings@${API}' = {
  parent: vnet
  name: 'to-hub'
  properties: {
    allowForwardedTraffic: true
    remoteVirtualNetwork: { id: hubId }
  }
}

output vnetId string = vnet.id
`;
  const main = `param prefix string = 'bench'
param location string = 'westeurope'
param spokeCount int = ${spokes}

resource hub 'Microsoft.Network/virtualNetworks@${API}' = {
  name: 'vnet-hub-\${prefix}'
  location: location
  properties: {
    addressSpace: { addressPrefixes: ['10.255.0.0/16'] }
    subnets: [{ name: 'AzureFirewallSubnet', properties: { addressPrefix: '10.255.0.0/26' } }]
  }
}

module spoke './spoke.bicep' = [for i in range(0, spokeCount): {
  name: 'spoke-\${i}'
  params: {
    index: i
    prefix: prefix
    location: location
    hubId: hub.id
    routeCount: ${routes}
    subnetCount: ${subnets}
  }
}]
`;
  return { main, spoke };
}

function arm({ spokes, rules, routes, subnets }) {
  const table = ruleTable(rules);
  const p = (name) => `[parameters('${name}')]`;
  const spokeTemplate = {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    parameters: Object.fromEntries(
      [
        ["index", "int"],
        ["prefix", "string"],
        ["location", "string"],
        ["hubId", "string"],
        ["routeCount", "int"],
        ["subnetCount", "int"],
      ].map(([n, t]) => [n, { type: t }]),
    ),
    variables: {
      protocols: ["Tcp", "Udp", "*"],
      shapes: table,
      copy: [
        {
          name: "rules",
          count: "[length(variables('shapes'))]",
          input: {
            name: "[format('rule-{0}', copyIndex('rules'))]",
            properties: {
              description: "[format('Allow traffic {0} for spoke {1}', copyIndex('rules'), parameters('index'))]",
              protocol: "[variables('protocols')[variables('shapes')[copyIndex('rules')].protocol]]",
              sourcePortRange: "*",
              destinationPortRange: "[string(add(1000, copyIndex('rules')))]",
              sourceAddressPrefix:
                "[if(equals(variables('shapes')[copyIndex('rules')].source, 0), 'VirtualNetwork', format('10.{0}.{1}.0/24', mod(parameters('index'), 250), mod(copyIndex('rules'), 250)))]",
              destinationAddressPrefix: "VirtualNetwork",
              access: "[if(equals(variables('shapes')[copyIndex('rules')].access, 1), 'Deny', 'Allow')]",
              priority: "[add(100, copyIndex('rules'))]",
              direction: "[if(equals(variables('shapes')[copyIndex('rules')].direction, 0), 'Inbound', 'Outbound')]",
            },
          },
        },
      ],
    },
    resources: [
      {
        type: "Microsoft.Network/networkSecurityGroups",
        apiVersion: API,
        name: "[format('nsg-{0}-{1}', parameters('prefix'), parameters('index'))]",
        location: p("location"),
        properties: { securityRules: "[variables('rules')]" },
      },
      {
        type: "Microsoft.Network/routeTables",
        apiVersion: API,
        name: "[format('rt-{0}-{1}', parameters('prefix'), parameters('index'))]",
        location: p("location"),
        properties: {
          disableBgpRoutePropagation: "[equals(mod(parameters('index'), 2), 0)]",
          copy: [
            {
              name: "routes",
              count: p("routeCount"),
              input: {
                name: "[format('route-{0}', copyIndex('routes'))]",
                properties: {
                  addressPrefix:
                    "[format('10.{0}.{1}.0/24', mod(add(parameters('index'), copyIndex('routes')), 250), mod(copyIndex('routes'), 250))]",
                  nextHopType: "VirtualAppliance",
                  nextHopIpAddress: "10.0.0.4",
                },
              },
            },
          ],
        },
      },
      {
        type: "Microsoft.Network/virtualNetworks",
        apiVersion: API,
        name: "[format('vnet-{0}-{1}', parameters('prefix'), parameters('index'))]",
        location: p("location"),
        properties: {
          addressSpace: { addressPrefixes: ["[format('10.{0}.0.0/16', mod(parameters('index'), 250))]"] },
          copy: [
            {
              name: "subnets",
              count: p("subnetCount"),
              input: {
                name: "[format('subnet-{0}', copyIndex('subnets'))]",
                properties: {
                  addressPrefix: "[format('10.{0}.{1}.0/24', mod(parameters('index'), 250), copyIndex('subnets'))]",
                  networkSecurityGroup: {
                    id: "[resourceId('Microsoft.Network/networkSecurityGroups', format('nsg-{0}-{1}', parameters('prefix'), parameters('index')))]",
                  },
                  routeTable: {
                    id: "[resourceId('Microsoft.Network/routeTables', format('rt-{0}-{1}', parameters('prefix'), parameters('index')))]",
                  },
                },
              },
            },
          ],
        },
      },
      {
        type: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        apiVersion: API,
        name: "[format('{0}/{1}', format('vnet-{0}-{1}', parameters('prefix'), parameters('index')), 'to-hub')]",
        properties: { allowForwardedTraffic: true, remoteVirtualNetwork: { id: p("hubId") } },
      },
    ],
    outputs: {
      vnetId: {
        type: "string",
        value:
          "[resourceId('Microsoft.Network/virtualNetworks', format('vnet-{0}-{1}', parameters('prefix'), parameters('index')))]",
      },
    },
  };
  const template = {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    metadata: { _generator: { name: "bicep", version: "bench" } },
    parameters: {
      prefix: { type: "string", defaultValue: "bench" },
      location: { type: "string", defaultValue: "westeurope" },
      spokeCount: { type: "int", defaultValue: spokes },
    },
    resources: [
      {
        type: "Microsoft.Network/virtualNetworks",
        apiVersion: API,
        name: "[format('vnet-hub-{0}', parameters('prefix'))]",
        location: p("location"),
        properties: {
          addressSpace: { addressPrefixes: ["10.255.0.0/16"] },
          subnets: [{ name: "AzureFirewallSubnet", properties: { addressPrefix: "10.255.0.0/26" } }],
        },
      },
      {
        type: "Microsoft.Resources/deployments",
        apiVersion: "2022-09-01",
        name: "[format('spoke-{0}', copyIndex())]",
        copy: { name: "spoke", count: p("spokeCount") },
        properties: {
          expressionEvaluationOptions: { scope: "inner" },
          mode: "Incremental",
          parameters: {
            index: { value: "[copyIndex()]" },
            prefix: { value: p("prefix") },
            location: { value: p("location") },
            hubId: {
              value: "[resourceId('Microsoft.Network/virtualNetworks', format('vnet-hub-{0}', parameters('prefix')))]",
            },
            routeCount: { value: routes },
            subnetCount: { value: subnets },
          },
          template: spokeTemplate,
        },
        dependsOn: ["[resourceId('Microsoft.Network/virtualNetworks', format('vnet-hub-{0}', parameters('prefix')))]"],
      },
    ],
  };
  return JSON.stringify(template, null, 2);
}

/** The estate as Bicep (`main`, `spoke`) and as ARM (`arm`, the template's text). */
export function generateEstate(options = { spokes: 200, rules: 60, routes: 20, subnets: 8 }) {
  return { bicep: bicep(options), arm: arm(options), ...options };
}
