import { describe, expect, it } from "vitest";
import { loadDocuments, toDocument } from "../../ingest/load.js";
import { isMadeUpParent } from "../../ingest/resources/to-model.js";
import type { NetworkModel } from "../../model/network.js";
import { overlay } from "./overlay.js";
import { findTargets, withoutResource } from "./without.js";

const rule = (name: string, priority: number, port: string) => ({
  name,
  properties: {
    protocol: "Tcp",
    sourcePortRange: "*",
    destinationPortRange: port,
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "*",
    access: "Allow",
    priority,
    direction: "Inbound",
  },
});

function model(resources: unknown[]): NetworkModel {
  const json = {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    resources,
  };
  return loadDocuments([toDocument("t.json", JSON.stringify(json))]).model;
}

const nsgRef = (name: string) => ({ id: `[resourceId('Microsoft.Network/networkSecurityGroups', '${name}')]` });
const BASE = model([
  {
    type: "Microsoft.Network/networkSecurityGroups",
    apiVersion: "2023-05-01",
    name: "nsg-a",
    properties: { securityRules: [rule("r1", 100, "443"), rule("r2", 200, "80")] },
  },
  {
    type: "Microsoft.Network/routeTables",
    apiVersion: "2023-05-01",
    name: "rt-a",
    properties: {
      routes: [
        {
          name: "default",
          properties: { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.0.4" },
        },
      ],
    },
  },
  {
    type: "Microsoft.Network/virtualNetworks",
    apiVersion: "2023-05-01",
    name: "vnet-a",
    properties: {
      addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
      subnets: [
        {
          name: "default",
          properties: {
            addressPrefix: "10.1.0.0/24",
            networkSecurityGroup: nsgRef("nsg-a"),
            routeTable: { id: "[resourceId('Microsoft.Network/routeTables', 'rt-a')]" },
          },
        },
        { name: "apps", properties: { addressPrefix: "10.1.1.0/24", networkSecurityGroup: nsgRef("nsg-a") } },
      ],
    },
  },
  {
    type: "Microsoft.Network/virtualNetworks",
    apiVersion: "2023-05-01",
    name: "vnet-b",
    properties: {
      addressSpace: { addressPrefixes: ["10.2.0.0/16"] },
      subnets: [{ name: "default", properties: { addressPrefix: "10.2.0.0/24" } }],
    },
  },
]);

describe("what-if: --without", () => {
  it("finds a resource by name, parent/name or id, and reports an ambiguous name as several targets", () => {
    expect(findTargets(BASE, "nsg-a").map((t) => t.display)).toEqual(["nsg-a"]);
    expect(
      findTargets(BASE, "default")
        .map((t) => t.display)
        .sort(),
    ).toEqual(["rt-a/default", "vnet-a/default", "vnet-b/default"]);
    expect(findTargets(BASE, "vnet-b/default").map((t) => t.type)).toEqual([
      "Microsoft.Network/virtualNetworks/subnets",
    ]);
    const id = BASE.networkSecurityGroups[0]!.id;
    expect(findTargets(BASE, id.toUpperCase()).map((t) => t.display)).toEqual(["nsg-a"]);
    expect(
      findTargets(
        BASE,
        "/subscriptions/x/resourceGroups/other/providers/Microsoft.Network/networkSecurityGroups/nsg-a",
      ),
    ).toHaveLength(1);
    expect(findTargets(BASE, "nope")).toEqual([]);
  });

  it("removing an NSG also removes its subnet associations, and leaves the input model untouched", () => {
    const [target] = findTargets(BASE, "nsg-a");
    const { model: m, notes } = withoutResource(BASE, target!);
    expect(m.networkSecurityGroups).toEqual([]);
    expect(m.virtualNetworks[0]!.subnets.map((s) => s.networkSecurityGroup)).toEqual([undefined, undefined]);
    expect(notes).toHaveLength(3);
    expect(notes[1]).toContain("subnet vnet-a/default has no NSG");
    expect(BASE.networkSecurityGroups).toHaveLength(1);
    expect(BASE.virtualNetworks[0]!.subnets[0]!.networkSecurityGroup).toBeDefined();
  });

  it("removing a route table drops its associations; removing a rule or a route touches only that child", () => {
    const noTable = withoutResource(BASE, findTargets(BASE, "rt-a")[0]!).model;
    expect(noTable.virtualNetworks[0]!.subnets[0]!.routeTable).toBeUndefined();
    const noRule = withoutResource(BASE, findTargets(BASE, "nsg-a/r2")[0]!).model;
    expect(noRule.networkSecurityGroups[0]!.securityRules.map((r) => r.name)).toEqual(["r1"]);
    const noRoute = withoutResource(BASE, findTargets(BASE, "rt-a/default")[0]!).model;
    expect(noRoute.routeTables[0]!.routes).toEqual([]);
    expect(noRoute.virtualNetworks[0]!.subnets[0]!.routeTable).toBeDefined();
  });
});

describe("what-if: --with", () => {
  it("a standalone rule goes into the inputs' NSG (its made-up parent does not replace it)", () => {
    const extra = model([
      {
        type: "Microsoft.Network/networkSecurityGroups/securityRules",
        apiVersion: "2023-05-01",
        name: "nsg-a/r3",
        properties: rule("r3", 150, "3443").properties,
      },
    ]);
    expect(isMadeUpParent(extra.networkSecurityGroups[0]!)).toBe(true);
    const { model: m, notes } = overlay(BASE, extra, isMadeUpParent, "extra.json");
    expect(m.networkSecurityGroups).toHaveLength(1);
    expect(m.networkSecurityGroups[0]!.securityRules.map((r) => r.name)).toEqual(["r1", "r2", "r3"]);
    expect(notes).toEqual(["what-if: security rule nsg-a/r3 added (--with extra.json)"]);
  });

  it("a whole NSG replaces the one of the same name; a new resource is added; a standalone subnet replaces its namesake", () => {
    const extra = model([
      {
        type: "Microsoft.Network/networkSecurityGroups",
        apiVersion: "2023-05-01",
        name: "nsg-a",
        properties: { securityRules: [rule("only", 100, "22")] },
      },
      {
        type: "Microsoft.Network/networkSecurityGroups",
        apiVersion: "2023-05-01",
        name: "nsg-new",
        properties: { securityRules: [] },
      },
      {
        type: "Microsoft.Network/virtualNetworks/subnets",
        apiVersion: "2023-05-01",
        name: "vnet-a/apps",
        properties: { addressPrefix: "10.1.2.0/24" },
      },
    ]);
    const { model: m, notes } = overlay(BASE, extra, isMadeUpParent, "x.json");
    expect(m.networkSecurityGroups.map((n) => [n.name, n.securityRules.map((r) => r.name)])).toEqual([
      ["nsg-a", ["only"]],
      ["nsg-new", []],
    ]);
    const vnet = m.virtualNetworks.find((v) => v.name === "vnet-a")!;
    expect(vnet.addressSpace.addressPrefixes).toEqual(["10.1.0.0/16"]);
    expect(vnet.subnets.map((s) => [s.name, s.addressPrefix])).toEqual([
      ["default", "10.1.0.0/24"],
      ["apps", "10.1.2.0/24"],
    ]);
    expect(notes.some((n) => n.includes("subnet vnet-a/apps replaced"))).toBe(true);
    expect(BASE.networkSecurityGroups[0]!.securityRules).toHaveLength(2);
  });
});
