/**
 * The resolver reads address text as an NSG rule or a route would (reference §1.1 addresses, §1.4 tags).
 */
import { describe, expect, it } from "vitest";
import { loadDocuments, toDocument } from "../../ingest/load.js";
import { loadServiceTagCatalog } from "../../ingest/servicetags/load.js";
import { Topology } from "../../model/topology.js";
import { unknownValue } from "../../model/unknown.js";
import { AddressSet } from "../ip/address-set.js";
import { resolverFor, type TagLookup } from "./resolver.js";
import { virtualTagsForSubnet } from "./virtual.js";

const catalog = loadServiceTagCatalog();
const RG = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network";

function spoke(peeringRemoteSpace?: string[]) {
  const vnet = {
    type: "Microsoft.Network/virtualNetworks",
    name: "spoke",
    id: `${RG}/virtualNetworks/spoke`,
    properties: {
      addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
      subnets: [{ name: "apim", properties: { addressPrefix: "10.1.0.0/24" } }],
      virtualNetworkPeerings: peeringRemoteSpace
        ? [
            {
              name: "to-hub",
              properties: {
                remoteVirtualNetwork: { id: `${RG}/virtualNetworks/hub` },
                remoteAddressSpace: { addressPrefixes: peeringRemoteSpace },
              },
            },
          ]
        : [],
    },
  };
  const { model } = loadDocuments([toDocument("spoke.json", JSON.stringify(vnet))]);
  const topology = new Topology(model);
  return virtualTagsForSubnet(topology, topology.findSubnet("spoke/apim")!, catalog);
}

function set(lookup: TagLookup): AddressSet {
  if (lookup.kind !== "set") throw new Error(`expected a set, got: ${lookup.reason}`);
  return lookup.set;
}

describe("resolverFor", () => {
  const resolver = resolverFor(catalog, spoke());

  it("reads * as every IPv4 and IPv6 address (reference §1.1)", () => {
    expect(resolver.resolve("*")).toEqual({ kind: "set", set: AddressSet.ALL, as: "any" });
  });

  it("reads 0.0.0.0/0 like * (the docs write the default `*` rules as 0.0.0.0/0, §1.1, §4.4), ::/0 as IPv6 only", () => {
    expect(resolver.resolve("0.0.0.0/0")).toEqual({ kind: "set", set: AddressSet.ALL, as: "any" });
    const v6 = set(resolver.resolve("::/0"));
    expect(v6.has("2001:db8::1")).toBe(true);
    expect(v6.has("1.2.3.4")).toBe(false);
  });

  it("reads a CIDR or a single IP as its set", () => {
    expect(resolver.resolve("10.0.0.0/24")).toMatchObject({ kind: "set", as: "cidr" });
    expect(set(resolver.resolve("10.0.0.0/24")).toCidrs()).toEqual(["10.0.0.0/24"]);
    expect(set(resolver.resolve(" 20.37.52.67 ")).toCidrs()).toEqual(["20.37.52.67/32"]);
    expect(set(resolver.resolve("2603:1020:206:402::140/124")).has("2603:1020:206:402::14f")).toBe(true);
  });

  it("reads the virtual tags, case-insensitively, as this subnet's values (§1.4)", () => {
    const vn = resolver.resolve("virtualnetwork");
    expect(vn).toMatchObject({ kind: "set", as: "virtual-tag", name: "VirtualNetwork" });
    expect(set(vn).has("10.1.200.1")).toBe(true);
    expect(set(vn).has("168.63.129.16")).toBe(true);
    expect(set(resolver.resolve("AZURELOADBALANCER")).toCidrs()).toEqual(["168.63.129.16/32"]);
    const internet = set(resolver.resolve("Internet"));
    expect(internet.has("8.8.8.8")).toBe(true);
    expect(internet.has("10.1.0.4")).toBe(false);
  });

  it("passes undecided addresses of a virtual tag on as `maybe`, with the reason", () => {
    const r = resolverFor(catalog, spoke(["10.0.0.0/16"]));
    const vn = r.resolve("VirtualNetwork");
    if (vn.kind !== "set") throw new Error("expected a set");
    expect(vn.set.has("10.0.0.1")).toBe(false);
    expect(vn.maybe?.has("10.0.0.1")).toBe(true);
    expect(vn.maybeReason).toMatch(/\(peering to-hub\): state unknown/);
    expect(resolver.resolve("VirtualNetwork")).not.toHaveProperty("maybe");
  });

  it("without a subnet, the virtual tags are Unknown", () => {
    const bare = resolverFor(catalog);
    expect(bare.resolve("VirtualNetwork")).toMatchObject({
      kind: "unknown",
      reason: expect.stringMatching(/depends on the subnet/),
    });
    expect(set(bare.resolve("Storage"))).toBe(catalog.get("Storage"));
  });

  it("reads catalog tags, global and regional, case-insensitively, with their canonical name", () => {
    for (const [text, name] of [
      ["Storage", "Storage"],
      ["storage.westeurope", "Storage.WestEurope"],
      ["ApiManagement", "ApiManagement"],
      ["AzureCloud", "AzureCloud"],
      ["AzureCloud.westeurope", "AzureCloud.westeurope"],
    ]) {
      const lookup = resolver.resolve(text!);
      expect(lookup).toMatchObject({ kind: "set", as: "service-tag", name });
      expect(set(lookup)).toBe(catalog.get(name!));
    }
  });

  it("says a name that is not a tag is Unknown, naming the catalog (AzurePlatformDNS is not in this file)", () => {
    expect(resolver.resolve("AzurePlatformDNS")).toEqual({
      kind: "unknown",
      reason: '"AzurePlatformDNS" is not a service tag in bundled:ServiceTags_Public_20251028.json',
    });
    expect(resolver.resolve("Storage.Atlantis")).toMatchObject({ kind: "unknown" });
    expect(resolver.resolve("10.0.0.0/33")).toMatchObject({ kind: "unknown" });
  });

  it("says an unresolved template value is Unknown, with its expression", () => {
    expect(resolver.resolve(unknownValue("parameters('sourcePrefix')"))).toEqual({
      kind: "unknown",
      reason: "the address is an unresolved value (parameters('sourcePrefix'))",
    });
    expect(resolver.resolve("")).toMatchObject({ kind: "unknown" });
  });

  it("takes extra named sets before the catalog", () => {
    const r = resolverFor(catalog, undefined, { tags: { OnPrem: AddressSet.parse("192.168.0.0/16") } });
    expect(r.resolve("onprem")).toMatchObject({ kind: "set", as: "extra", name: "OnPrem" });
  });

  it("caches answers", () => {
    expect(resolver.resolve("Storage")).toBe(resolver.resolve(" Storage"));
  });
});
