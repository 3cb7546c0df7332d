/**
 * Test helper: generated API Management networks as ARM templates, for the property tests of the check pack. A
 * network is a VNet with an APIM subnet and others (apart, inside the space: a network Azure accepts), an NSG of
 * rules with distinct priorities drawn from the APIM requirement ports and tags, a route table, and an instance.
 * The spec is data, so a test can write the same network in other ways: reordered, split into files, in other
 * letter case, or with a value turned into a parameter with no default.
 */
import fc from "fast-check";

export interface RuleSpec {
  name: string;
  priority: number;
  direction: "Inbound" | "Outbound";
  access: "Allow" | "Deny";
  protocol: "Tcp" | "Udp" | "*";
  source: string;
  destination: string;
  port: string;
}

export interface RouteSpec {
  name: string;
  prefix: string;
  nextHopType: "VirtualAppliance" | "Internet" | "None" | "VnetLocal";
}

export interface NetworkSpec {
  mode: "Internal" | "External";
  sku: "Developer" | "Premium";
  rules: RuleSpec[];
  routes: RouteSpec[];
  /** Further subnets beside snet-apim (10.1.0.0/27), each a /24 of 10.1.0.0/16. */
  others: number;
}

const TAGS = [
  "*",
  "ApiManagement",
  "AzureLoadBalancer",
  "Internet",
  "VirtualNetwork",
  "Storage",
  "Sql",
  "AzureKeyVault",
  "AzureMonitor",
];
const PORTS = ["*", "443", "3443", "6390", "1433", "80", "1886", "443-3443"];

const rule = fc.record({
  direction: fc.constantFrom("Inbound" as const, "Outbound" as const),
  access: fc.constantFrom("Allow" as const, "Deny" as const),
  protocol: fc.constantFrom("Tcp" as const, "Udp" as const, "*" as const),
  source: fc.constantFrom(...TAGS),
  destination: fc.constantFrom(...TAGS),
  port: fc.constantFrom(...PORTS),
});

const route = fc.record({
  prefix: fc.constantFrom("0.0.0.0/0", "ApiManagement", "Storage", "10.2.0.0/16", "13.0.0.0/8"),
  nextHopType: fc.constantFrom("VirtualAppliance" as const, "Internet" as const, "None" as const, "VnetLocal" as const),
});

export const networkSpec: fc.Arbitrary<NetworkSpec> = fc
  .record({
    mode: fc.constantFrom("Internal" as const, "External" as const),
    sku: fc.constantFrom("Developer" as const, "Premium" as const),
    rules: fc.array(rule, { maxLength: 6 }),
    priorities: fc.uniqueArray(fc.integer({ min: 100, max: 4096 }), { minLength: 6, maxLength: 6 }),
    routes: fc.uniqueArray(route, { maxLength: 3, selector: (r) => r.prefix }),
    others: fc.integer({ min: 0, max: 2 }),
  })
  .map(({ rules, priorities, routes, ...rest }) => ({
    ...rest,
    rules: rules.map((r, i) => ({ ...r, name: `rule-${i}`, priority: priorities[i]! })),
    routes: routes.map((r, i) => ({ ...r, name: `route-${i}` })),
  }));

const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/** How a network is written: the order of things, the letter case of enum values, the APIM subnet's prefix. */
export interface Writing {
  /** A permutation seed per list (rules, routes, subnets, resources); 0 keeps the order. */
  shuffle?: number;
  /** Enum values in lower case (`internal`, `allow`, `inbound`, `tcp`, `virtualappliance`, `premium`). */
  lowerCase?: boolean;
  /** The APIM subnet's prefix as a parameter with no default. */
  unknownApimPrefix?: boolean;
}

function shuffled<T>(items: T[], seed: number): T[] {
  if (!seed) return items;
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The network's resources (ARM template resource declarations), written as `w` says. */
export function resourcesOf(n: NetworkSpec, w: Writing = {}): Record<string, unknown>[] {
  const c = (v: string) => (w.lowerCase ? v.toLowerCase() : v);
  const seed = w.shuffle ?? 0;
  const nsg = {
    type: "Microsoft.Network/networkSecurityGroups",
    apiVersion: "2023-05-01",
    name: "nsg-apim",
    location: "westeurope",
    properties: {
      securityRules: shuffled(n.rules, seed).map((r) => ({
        name: r.name,
        properties: {
          priority: r.priority,
          direction: c(r.direction),
          access: c(r.access),
          protocol: c(r.protocol),
          sourceAddressPrefix: r.source,
          sourcePortRange: "*",
          destinationAddressPrefix: r.destination,
          destinationPortRange: r.port,
        },
      })),
    },
  };
  const table = {
    type: "Microsoft.Network/routeTables",
    apiVersion: "2023-05-01",
    name: "rt-apim",
    location: "westeurope",
    properties: {
      routes: shuffled(n.routes, seed + 1).map((r) => ({
        name: r.name,
        properties: {
          addressPrefix: r.prefix,
          nextHopType: c(r.nextHopType),
          ...(r.nextHopType === "VirtualAppliance" ? { nextHopIpAddress: "10.0.1.4" } : {}),
        },
      })),
    },
  };
  const apimSubnet = {
    name: "snet-apim",
    properties: {
      addressPrefix: w.unknownApimPrefix ? "[parameters('apimPrefix')]" : "10.1.0.0/27",
      networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-apim')]" },
      routeTable: { id: "[resourceId('Microsoft.Network/routeTables', 'rt-apim')]" },
    },
  };
  const others = Array.from({ length: n.others }, (_, i) => ({
    name: `snet-${i + 1}`,
    properties: { addressPrefix: `10.1.${i + 1}.0/24` },
  }));
  const vnet = {
    type: "Microsoft.Network/virtualNetworks",
    apiVersion: "2023-05-01",
    name: "vnet-apim",
    location: "westeurope",
    properties: {
      addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
      subnets: shuffled([apimSubnet, ...others], seed + 2),
    },
  };
  const apim = {
    type: "Microsoft.ApiManagement/service",
    apiVersion: "2023-05-01-preview",
    name: "apim-gen",
    location: "westeurope",
    sku: { name: c(n.sku), capacity: 1 },
    properties: {
      publisherEmail: "a@example.com",
      publisherName: "Test",
      virtualNetworkType: c(n.mode),
      virtualNetworkConfiguration: {
        subnetResourceId: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-apim', 'snet-apim')]",
      },
    },
  };
  return shuffled([nsg, table, vnet, apim], seed + 3);
}

/** A template of `resources`, declaring the APIM prefix parameter (with no default) when it is used. */
export function templateOf(resources: Record<string, unknown>[], w: Writing = {}): Record<string, unknown> {
  return {
    $schema: SCHEMA,
    contentVersion: "1.0.0.0",
    ...(w.unknownApimPrefix ? { parameters: { apimPrefix: { type: "string" } } } : {}),
    resources,
  };
}
