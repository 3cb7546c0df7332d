import { describe, expect, it } from "vitest";
import { corpusPath, describeCorpus } from "../../../test/helpers/corpus.js";
import { loadDocuments, loadInputs, toDocument } from "../load.js";

function load(json: unknown, file = "test.json") {
  return loadDocuments([toDocument(file, JSON.stringify(json, null, 2))]).model;
}

describeCorpus("REST examples from azure-rest-api-specs", () => {
  it("VirtualNetworkGet.json extraction: the VNet, its range and its subnet", () => {
    const { model } = loadInputs([corpusPath("azure-rest-api-specs/network-2023-05-01/VirtualNetworkGet.json")]);
    expect(model.inputs[0]).toMatchObject({ format: "azure-export", status: "parsed", resources: 1 });
    const [vnet] = model.virtualNetworks;
    expect(vnet).toMatchObject({
      name: "test-vnet",
      location: "westus",
      addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
    });
    expect(vnet!.subnets.map((s) => [s.name, s.addressPrefix])).toEqual([["subnet1", "10.0.1.0/24"]]);
    expect(vnet!.src.line).toBe(10); // the response body object
  });

  it("NetworkSecurityGroupCreateWithRule.json extraction: one rule and the six default rules, located", () => {
    const { model } = loadInputs([
      corpusPath("azure-rest-api-specs/network-2023-05-01/NetworkSecurityGroupCreateWithRule.json"),
    ]);
    const [nsg] = model.networkSecurityGroups;
    expect(nsg!.securityRules.map((r) => [r.name, r.priority, r.direction, r.destinationPortRange])).toEqual([
      ["rule1", 130, "Inbound", "80"],
    ]);
    expect(nsg!.securityRules[0]!.src.line).toBe(38); // the rule object in the 200 response body
    expect(nsg!.defaultSecurityRules.map((r) => `${r.name}:${r.priority}`)).toEqual([
      "AllowVnetInBound:65000",
      "AllowAzureLoadBalancerInBound:65001",
      "DenyAllInBound:65500",
      "AllowVnetOutBound:65000",
      "AllowInternetOutBound:65001",
      "DenyAllOutBound:65500",
    ]);
    expect(nsg!.defaultSecurityRules.every((r) => r.isDefault)).toBe(true);
  });

  it("effective routes and network status are kept as observed facts", () => {
    const { model } = loadInputs([
      corpusPath("azure-rest-api-specs/network-2023-05-01/NetworkInterfaceEffectiveRouteTableList.json"),
      corpusPath("azure-rest-api-specs/apimanagement-2022-08-01/ApiManagementServiceGetNetworkStatus.json"),
    ]);
    expect(model.inputs.map((i) => i.format)).toEqual(["effective-routes", "apim-network-status"]);
    expect(model.observed.effectiveRoutes[0]!.routes).toHaveLength(6);
    expect(model.observed.networkStatus[0]!.connectivityStatus.length).toBeGreaterThan(5);
  });
});

describe("resource conversion", () => {
  it("az's flattened form gives the same model as the REST form (conversion)", () => {
    const rest = load({
      type: "Microsoft.Network/routeTables",
      name: "rt",
      properties: {
        disableBgpRoutePropagation: true,
        routes: [
          {
            name: "r1",
            properties: { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.0.4" },
          },
        ],
      },
    });
    const az = load({
      type: "Microsoft.Network/routeTables",
      name: "rt",
      disableBgpRoutePropagation: true,
      routes: [
        { name: "r1", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.0.4" },
      ],
    });
    const strip = (m: typeof rest) =>
      m.routeTables.map(({ src: _s, routes, ...t }) => ({ ...t, routes: routes.map(({ src: _r, ...r }) => r) }));
    expect(strip(az)).toEqual(strip(rest));
    expect(rest.routeTables[0]!.disableBgpRoutePropagation).toBe(true);
  });

  it("standalone child resources merge into their parents, in any order (conversion)", () => {
    const model = load([
      {
        type: "Microsoft.Network/virtualNetworks/subnets",
        name: "v/apim",
        properties: { addressPrefix: "10.0.1.0/24" },
      },
      {
        type: "Microsoft.Network/networkSecurityGroups/securityRules",
        name: "n/allow",
        properties: { priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp" },
      },
      {
        type: "Microsoft.Network/virtualNetworks",
        name: "v",
        properties: { addressSpace: { addressPrefixes: ["10.0.0.0/16"] } },
      },
      { type: "Microsoft.Network/networkSecurityGroups", name: "n", properties: { securityRules: [] } },
    ]);
    expect(model.virtualNetworks).toHaveLength(1);
    expect(model.virtualNetworks[0]!.subnets.map((s) => s.name)).toEqual(["apim"]);
    expect(model.networkSecurityGroups).toHaveLength(1);
    expect(model.networkSecurityGroups[0]!.securityRules.map((r) => r.name)).toEqual(["allow"]);
  });

  it("resources we do not model are listed, not dropped (warns)", () => {
    const model = load({
      value: [
        {
          type: "Microsoft.Compute/virtualMachines",
          name: "vm1",
          id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm1",
        },
      ],
    });
    expect(model.unmodeled).toEqual([
      expect.objectContaining({ type: "Microsoft.Compute/virtualMachines", name: "vm1" }),
    ]);
  });

  it("a field of the wrong type is an error with its location (warns)", () => {
    const model = load({
      type: "Microsoft.Network/networkSecurityGroups",
      name: "n",
      properties: {
        securityRules: [
          { name: "r", properties: { priority: "high", direction: "Inbound", access: "Allow", protocol: "*" } },
        ],
      },
    });
    const error = model.diagnostics.find((d) => d.code === "input/wrong-type");
    expect(error?.message).toContain("priority must be a number");
    expect(error?.src?.line).toBe(6);
  });

  it("Resource Graph rows (lower-case types, { data: [...] }) load", () => {
    const model = load({
      count: 1,
      data: [
        {
          type: "microsoft.network/virtualnetworks",
          name: "v",
          id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v",
          properties: { addressSpace: { addressPrefixes: ["10.1.0.0/16"] } },
        },
      ],
    });
    expect(model.virtualNetworks[0]!.addressSpace.addressPrefixes).toEqual(["10.1.0.0/16"]);
  });
});
