/**
 * Several inputs, one model: a networking template and an APIM template (ids agree because both use the
 * same placeholder scope), and a spoke template peered to a hub that an export describes (the template
 * names the hub's real subscription and group, so the ids agree exactly).
 */
import { describe, expect, it } from "vitest";
import type { Json } from "../../src/ingest/arm/expression/values.js";
import { loadDocuments, toDocument } from "../../src/ingest/load.js";
import { Topology } from "../../src/model/topology.js";
import { SCHEMA } from "./harness.js";

function template(resources: Json[], parameters: Json = {}): string {
  return JSON.stringify({ $schema: SCHEMA, contentVersion: "1.0.0.0", parameters, resources }, null, 2);
}

const NETWORK = template([
  { type: "Microsoft.Network/networkSecurityGroups", name: "nsg-apim" },
  {
    type: "Microsoft.Network/virtualNetworks",
    name: "vnet-apim",
    properties: {
      addressSpace: { addressPrefixes: ["10.20.0.0/16"] },
      subnets: [
        {
          name: "snet-apim",
          properties: {
            addressPrefix: "10.20.1.0/24",
            networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-apim')]" },
          },
        },
      ],
    },
  },
]);

const APIM = template([
  {
    type: "Microsoft.ApiManagement/service",
    name: "apim",
    sku: { name: "Premium", capacity: 1 },
    properties: {
      virtualNetworkType: "Internal",
      virtualNetworkConfiguration: {
        subnetResourceId: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-apim', 'snet-apim')]",
      },
    },
  },
]);

describe("merge conversion", () => {
  it("a networking template and an APIM template give one topology: the APIM subnet and its NSG are found", () => {
    const { model } = loadDocuments([toDocument("network.json", NETWORK), toDocument("apim.json", APIM)]);
    const topology = new Topology(model);
    const apim = model.apiManagementServices[0]!;
    const subnet = topology.subnets.get(apim.virtualNetworkConfiguration!.subnetResourceId!.toLowerCase());
    expect(subnet?.name).toBe("snet-apim");
    expect(subnet?.src.file).toBe("network.json");
    expect(apim.src.file).toBe("apim.json");
    expect(model.networkSecurityGroups.map((n) => n.id)).toContain(subnet!.networkSecurityGroup!.id);
  });

  it("a spoke template peers with a hub from an export when it names the hub's subscription and group", () => {
    const hubId =
      "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub";
    const hub = JSON.stringify({
      id: hubId,
      name: "hub",
      type: "Microsoft.Network/virtualNetworks",
      properties: { addressSpace: { addressPrefixes: ["10.0.0.0/16"] } },
    });
    const spoke = template(
      [
        {
          type: "Microsoft.Network/virtualNetworks",
          name: "spoke",
          properties: {
            addressSpace: { addressPrefixes: ["10.30.0.0/16"] },
            virtualNetworkPeerings: [
              {
                name: "to-hub",
                properties: {
                  remoteVirtualNetwork: {
                    id: "[resourceId(parameters('hubSubscription'), 'rg-hub', 'Microsoft.Network/virtualNetworks', 'hub')]",
                  },
                  allowForwardedTraffic: true,
                },
              },
            ],
          },
        },
      ],
      { hubSubscription: { type: "string", defaultValue: "11111111-2222-3333-4444-555555555555" } },
    );
    const { model } = loadDocuments([toDocument("hub.json", hub), toDocument("spoke.json", spoke)]);
    expect(model.inputs.map((i) => i.format)).toEqual(["azure-export", "arm-template"]);
    const peering = model.virtualNetworks.find((v) => v.name === "spoke")!.virtualNetworkPeerings[0]!;
    expect(peering.remoteVirtualNetwork?.id).toBe(hubId);
    expect(new Topology(model).vnets.get(hubId.toLowerCase())?.addressSpace.addressPrefixes).toEqual(["10.0.0.0/16"]);
  });
});
