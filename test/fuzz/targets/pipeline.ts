/**
 * Fuzz target for the whole analysis behind `check`: networks that hang together (a VNet whose subnets name
 * an NSG and a route table, an API Management instance in one of them, a peering) but whose every value is
 * drawn from near-valid and invalid ones. Loading, Azure's NSG validation, the topology, the route and NSG
 * engines and every registered check must answer or raise an InputError: nothing else may escape.
 */
import fc from "fast-check";
import { runChecks } from "../../../src/checks/run.js";
import { validateNsg } from "../../../src/engine/nsg/index.js";
import { EngineContext } from "../../../src/engine/reach/context.js";
import { loadDocuments, toDocument } from "../../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../../src/ingest/servicetags/load.js";
import { InputError } from "../../../src/model/diagnostics.js";
import { Topology } from "../../../src/model/topology.js";
import { allowOnly } from "./mutate.js";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers";
const VNET = `${SUB}/Microsoft.Network/virtualNetworks/vnet`;
const NSG = `${SUB}/Microsoft.Network/networkSecurityGroups/nsg`;
const RT = `${SUB}/Microsoft.Network/routeTables/rt`;

const prefix = fc.oneof(
  fc.constantFrom("10.0.0.0/16", "10.0.1.0/24", "10.0.1.0/29", "10.0.1.0/32", "0.0.0.0/0", "10.0.0.0/8", "fd00::/64"),
  fc.constantFrom("10.0.1.0/33", "10.0.1.1/24", "banana", "", "<unknown:parameter p>"),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(33)).map(([a, b, len]) => `10.${a}.${b}.0/${len}`),
);
const address = fc.oneof(
  prefix,
  fc.constantFrom(
    "*",
    "VirtualNetwork",
    "Internet",
    "AzureLoadBalancer",
    "ApiManagement",
    "ApiManagement.WestEurope",
    "Storage",
    "NotATag",
  ),
);
const port = fc.oneof(
  fc.constantFrom("*", "443", "3443", "6390", "1-65535", "80-443", "65536", "0", "3443-3442", "a-b"),
  fc.nat(70000).map(String),
);
const weird = fc.constantFrom(null, 42, true, [], {}, "");

const rule = fc.record({
  name: fc.oneof(fc.constantFrom("r1", "r2", "deny-all", "allow-mgmt", "__proto__"), fc.string({ maxLength: 5 })),
  properties: fc.record(
    {
      priority: fc.oneof(fc.integer({ min: 90, max: 4200 }), weird),
      direction: fc.oneof(fc.constantFrom("Inbound", "Outbound", "inbound", "Sideways"), weird),
      access: fc.oneof(fc.constantFrom("Allow", "Deny", "deny", "Maybe"), weird),
      protocol: fc.oneof(fc.constantFrom("Tcp", "Udp", "Icmp", "*", "Esp", "Ah", "Gre"), weird),
      sourceAddressPrefix: fc.oneof(address, weird),
      sourceAddressPrefixes: fc.oneof(fc.array(address, { maxLength: 3 }), weird),
      sourcePortRange: fc.oneof(port, weird),
      destinationAddressPrefix: fc.oneof(address, weird),
      destinationPortRange: fc.oneof(port, weird),
      destinationPortRanges: fc.oneof(fc.array(port, { maxLength: 3 }), weird),
    },
    { requiredKeys: [] },
  ),
});

const route = fc.record({
  name: fc.constantFrom("default", "to-nva", "internet", "x"),
  properties: fc.record(
    {
      addressPrefix: fc.oneof(prefix, fc.constantFrom("ApiManagement", "Storage", "AzureCloud.westeurope"), weird),
      nextHopType: fc.oneof(
        fc.constantFrom("VirtualAppliance", "Internet", "None", "VnetLocal", "VirtualNetworkGateway", "Bogus"),
        weird,
      ),
      nextHopIpAddress: fc.oneof(fc.constantFrom("10.0.2.4", "10.0.2.300", ""), weird),
    },
    { requiredKeys: [] },
  ),
});

const network = fc
  .record({
    vnetPrefixes: fc.array(prefix, { maxLength: 3 }),
    subnets: fc.array(
      fc.tuple(fc.constantFrom("snet-apim", "snet-b", "GatewaySubnet"), prefix, fc.boolean(), fc.boolean()),
      { minLength: 1, maxLength: 3 },
    ),
    rules: fc.array(rule, { maxLength: 6 }),
    routes: fc.array(route, { maxLength: 4 }),
    disableBgp: fc.oneof(fc.boolean(), weird),
    sku: fc.constantFrom("Developer", "Premium", "Basic", "StandardV2", "PremiumV2", "Consumption", ""),
    vnetType: fc.constantFrom("Internal", "External", "None", "Bogus"),
    apimSubnet: fc.constantFrom(`${VNET}/subnets/snet-apim`, `${VNET}/subnets/missing`, "not-an-id", ""),
    peering: fc.option(
      fc.record({
        state: fc.constantFrom("Connected", "Initiated", "Disconnected", "Weird"),
        remote: fc.constantFrom(`${SUB}/Microsoft.Network/virtualNetworks/hub`, VNET, "x"),
      }),
    ),
  })
  .map((n) => [
    {
      type: "Microsoft.Network/virtualNetworks",
      name: "vnet",
      id: VNET,
      location: "westeurope",
      properties: {
        addressSpace: { addressPrefixes: n.vnetPrefixes },
        subnets: n.subnets.map(([name, addressPrefix, withNsg, withRt]) => ({
          name,
          id: `${VNET}/subnets/${name}`,
          properties: {
            addressPrefix,
            ...(withNsg ? { networkSecurityGroup: { id: NSG } } : {}),
            ...(withRt ? { routeTable: { id: RT } } : {}),
          },
        })),
        virtualNetworkPeerings: n.peering
          ? [
              {
                name: "p",
                properties: { peeringState: n.peering.state, remoteVirtualNetwork: { id: n.peering.remote } },
              },
            ]
          : [],
      },
    },
    {
      type: "Microsoft.Network/networkSecurityGroups",
      name: "nsg",
      id: NSG,
      location: "westeurope",
      properties: { securityRules: n.rules },
    },
    {
      type: "Microsoft.Network/routeTables",
      name: "rt",
      id: RT,
      location: "westeurope",
      properties: { disableBgpRoutePropagation: n.disableBgp, routes: n.routes },
    },
    {
      type: "Microsoft.ApiManagement/service",
      name: "apim",
      id: `${SUB}/Microsoft.ApiManagement/service/apim`,
      location: "westeurope",
      sku: { name: n.sku, capacity: 1 },
      properties: { virtualNetworkType: n.vnetType, virtualNetworkConfiguration: { subnetResourceId: n.apimSubnet } },
    },
  ]);

function checkAnalysis(resources: unknown[]): void {
  try {
    const { model } = loadDocuments([toDocument("fuzz.json", JSON.stringify(resources))]);
    for (const nsg of model.networkSecurityGroups) validateNsg(nsg);
    const engine = new EngineContext(new Topology(model), loadServiceTagCatalog());
    runChecks(engine, {});
  } catch (error) {
    allowOnly(error, InputError);
  }
}

export const targets = {
  "network analysed by every check": { arbitrary: network, check: checkAnalysis },
};
