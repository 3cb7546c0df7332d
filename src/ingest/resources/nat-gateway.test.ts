/**
 * NAT gateways read into the model (reference part 2 §11.1): from an `az network nat gateway show` / REST GET
 * (sku, zones, idle timeout, public IPs and prefixes, the read-only subnets list) and from a subnet GET's
 * `natGateway` and `defaultOutboundAccess`; a template's api-version kept on its subnets; a NAT gateway repeated
 * identically in one input is read once.
 */
import { describe, expect, it } from "vitest";
import { writeTemp } from "../../../test/helpers/edit-fixture.js";
import { loadInputs } from "../load.js";

const SUB = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-net/providers/Microsoft.Network";

const natGet = {
  name: "natgw-1",
  id: `${SUB}/natGateways/natgw-1`,
  type: "Microsoft.Network/natGateways",
  location: "westeurope",
  sku: { name: "Standard", tier: "Regional" },
  zones: ["1"],
  properties: {
    provisioningState: "Succeeded",
    idleTimeoutInMinutes: 4,
    publicIpAddresses: [{ id: `${SUB}/publicIPAddresses/pip-nat-1` }],
    publicIpPrefixes: [{ id: `${SUB}/publicIPPrefixes/pfx-nat` }],
    subnets: [{ id: `${SUB}/virtualNetworks/vnet-apim/subnets/snet-apim` }],
  },
};

const subnetGet = {
  name: "snet-apim",
  id: `${SUB}/virtualNetworks/vnet-apim/subnets/snet-apim`,
  type: "Microsoft.Network/virtualNetworks/subnets",
  properties: {
    addressPrefix: "10.1.1.0/27",
    natGateway: { id: `${SUB}/natGateways/natgw-1` },
    defaultOutboundAccess: false,
  },
};

describe("NAT gateways in the model", () => {
  it("reads a NAT gateway GET and a subnet GET that names it", () => {
    const model = loadInputs([writeTemp("nat.json", natGet), writeTemp("subnet.json", subnetGet)]).model;
    expect(model.unmodeled.map((u) => u.type)).toEqual([]);
    expect(model.natGateways).toHaveLength(1);
    const nat = model.natGateways[0]!;
    expect(nat).toMatchObject({
      name: "natgw-1",
      sku: { name: "Standard" },
      zones: ["1"],
      idleTimeoutInMinutes: 4,
      publicIpAddresses: [{ id: `${SUB}/publicIPAddresses/pip-nat-1` }],
      publicIpPrefixes: [{ id: `${SUB}/publicIPPrefixes/pfx-nat` }],
      subnets: [{ id: subnetGet.id }],
    });
    expect(nat.src.line).toBeGreaterThan(0);
    const subnet = model.virtualNetworks[0]!.subnets[0]!;
    expect(subnet.natGateway?.id).toBe(natGet.id);
    expect(subnet.defaultOutboundAccess).toBe(false);
    // An export carries no api-version: what Azure did with an unset defaultOutboundAccess stays Unknown.
    expect(subnet.declaredApiVersion).toBeUndefined();
  });

  it("keeps the template's api-version on inline and standalone subnets", () => {
    const template = {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      resources: [
        {
          type: "Microsoft.Network/virtualNetworks",
          apiVersion: "2025-07-01",
          name: "vnet-a",
          location: "westeurope",
          properties: {
            addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
            subnets: [{ name: "inline", properties: { addressPrefix: "10.0.1.0/24" } }],
          },
        },
        {
          type: "Microsoft.Network/virtualNetworks/subnets",
          apiVersion: "2023-05-01",
          name: "vnet-a/standalone",
          dependsOn: ["[resourceId('Microsoft.Network/virtualNetworks', 'vnet-a')]"],
          properties: { addressPrefix: "10.0.2.0/24" },
        },
      ],
    };
    const model = loadInputs([writeTemp("t.json", template)]).model;
    expect(model.virtualNetworks[0]!.subnets.map((s) => [s.name, s.declaredApiVersion])).toEqual([
      ["inline", "2025-07-01"],
      ["standalone", "2023-05-01"],
    ]);
  });

  it("reads the same NAT gateway listed twice in one export once", () => {
    const model = loadInputs([writeTemp("a.json", [natGet, natGet])]).model;
    expect(model.natGateways).toHaveLength(1);
  });
});

describe("the declaring api-version is not part of a subnet's definition", () => {
  it("reads a VNet written identically against two api-versions once, without a conflict", () => {
    const vnet = (apiVersion: string) => ({
      type: "Microsoft.Network/virtualNetworks",
      apiVersion,
      name: "vnet-a",
      location: "westeurope",
      properties: {
        addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
        subnets: [{ name: "s", properties: { addressPrefix: "10.0.1.0/24", defaultOutboundAccess: false } }],
      },
    });
    const template = {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      resources: [vnet("2023-05-01"), vnet("2024-05-01")],
    };
    const { model } = loadInputs([writeTemp("twice.json", template)]);
    expect(model.virtualNetworks).toHaveLength(1);
    expect(model.diagnostics.filter((d) => d.code === "input/conflicting-definition")).toEqual([]);
  });
});
