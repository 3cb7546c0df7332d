import { describe, expect, it } from "vitest";
import { loadDocuments, toDocument } from "../ingest/load.js";
import {
  readAddress,
  routeDestination,
  routeNextHopIp,
  subnetPrefixes,
  vnetAddressSpace,
  vnetDnsServers,
} from "./addresses.js";
import { syntheticSource } from "./source.js";

const HERE = syntheticSource("test");

function template(subnet: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const text = JSON.stringify(
    {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      parameters: { prefix: { type: "string" } },
      resources: [
        {
          type: "Microsoft.Network/virtualNetworks",
          apiVersion: "2023-05-01",
          name: "vnet",
          location: "westeurope",
          properties: {
            addressSpace: { addressPrefixes: ["10.1.0.0/16", "banana"] },
            dhcpOptions: { dnsServers: ["10.1.0.4", "10.1.0.0/24"] },
            subnets: [{ name: "snet", properties: subnet }],
          },
        },
        {
          type: "Microsoft.Network/routeTables",
          apiVersion: "2023-05-01",
          name: "rt",
          location: "westeurope",
          properties: {
            routes: [
              {
                name: "a",
                properties: {
                  addressPrefix: "0.0.0.0/0",
                  nextHopType: "VirtualAppliance",
                  nextHopIpAddress: "10.0.1.4",
                },
              },
              { name: "b", properties: { addressPrefix: "ApiManagement", nextHopType: "Internet" } },
              { name: "c", properties: { addressPrefix: "10.1.1.0/33", nextHopType: "None" } },
            ],
          },
        },
      ],
      ...extra,
    },
    null,
    2,
  );
  const { model } = loadDocuments([toDocument("t.json", text)]);
  return model;
}

describe("address values extraction", () => {
  it("reads a subnet's singular and plural prefixes in order, each located at its value", () => {
    const model = template({ addressPrefixes: ["10.1.1.0/24", "10.1.2.0/24"] });
    const list = subnetPrefixes(model.virtualNetworks[0]!.subnets[0]!);
    expect(list.values.map((v) => v.kind)).toEqual(["prefix", "prefix"]);
    expect(list.complete).toBe(true);
    // Each element is placed on its own line of the file, not on the subnet's.
    const [a, b] = list.values;
    expect(b!.src.line).toBe(a!.src.line + 1);
    expect(a!.src.pointer).toBe("/resources/0/properties/subnets/0/properties/addressPrefixes/0");
  });

  it("keeps an invalid entry instead of dropping it, and says what is wrong", () => {
    const model = template({ addressPrefix: "10.1.1.0/24" });
    const space = vnetAddressSpace(model.virtualNetworks[0]!);
    expect(space.prefixes.map((p) => p.canonical)).toEqual(["10.1.0.0/16"]);
    expect(space.complete).toBe(false);
    expect(space.unreadable).toMatchObject([{ kind: "invalid", text: "banana" }]);
    expect(space.unreadable[0]!.src.pointer).toBe("/resources/0/properties/addressSpace/addressPrefixes/1");
  });

  it("reads a parameter with no value as Unknown with the parameter named", () => {
    const model = template({ addressPrefix: "[parameters('prefix')]" });
    const list = subnetPrefixes(model.virtualNetworks[0]!.subnets[0]!);
    expect(list.values).toMatchObject([{ kind: "unknown", reason: "parameters('prefix')" }]);
    expect(list.values[0]!.src.pointer).toBe("/resources/0/properties/subnets/0/properties/addressPrefix");
  });

  it("says a subnet without any prefix is missing one", () => {
    const model = template({});
    const list = subnetPrefixes(model.virtualNetworks[0]!.subnets[0]!);
    expect(list.missing).toBe("subnet snet has no address prefix");
    expect(list.complete).toBe(false);
  });
});

describe("address values conversion", () => {
  it("DNS servers are single addresses: a prefix there is invalid", () => {
    const model = template({ addressPrefix: "10.1.1.0/24" });
    const dns = vnetDnsServers(model.virtualNetworks[0]!);
    expect(dns.values.map((v) => v.kind)).toEqual(["prefix", "invalid"]);
  });

  it("route destinations are prefixes, tags or invalid; next hops are addresses", () => {
    const model = template({ addressPrefix: "10.1.1.0/24" });
    const [a, b, c] = model.routeTables[0]!.routes;
    expect(routeDestination(a!)).toMatchObject({ kind: "prefix" });
    expect(routeNextHopIp(a!)).toMatchObject({ kind: "prefix", text: "10.0.1.4" });
    expect(routeDestination(b!)).toMatchObject({ kind: "tag", tag: "ApiManagement" });
    expect(routeNextHopIp(b!)).toBeUndefined();
    expect(routeDestination(c!)).toMatchObject({ kind: "invalid", problem: "the prefix length /33 is longer than 32" });
  });
});

describe("address values warns", () => {
  it.each([
    ["10.1.1.0/33", "the prefix length /33 is longer than 32"],
    ["banana", "it is not a CIDR prefix (a.b.c.d/n) or an IP address"],
    ["10.1.1.0/x", "'x' after the slash is not a prefix length"],
    ["  ", "it is empty"],
  ])("%s is invalid: %s", (text, problem) => {
    expect(readAddress(text, HERE)).toMatchObject({ kind: "invalid", problem });
  });

  it("a made-up parent VNet's space is missing, not empty", () => {
    const text = JSON.stringify({
      type: "Microsoft.Network/virtualNetworks/subnets",
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a",
      name: "a",
      properties: { addressPrefix: "10.0.0.0/24" },
    });
    const { model } = loadDocuments([toDocument("s.json", text)]);
    const space = vnetAddressSpace(model.virtualNetworks[0]!);
    expect(space.missing).toBe("virtual network v is not in the inputs");
  });
});
