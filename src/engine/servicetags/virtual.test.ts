/**
 * The virtual tags per subnet (reference §1.4, §1.5, §3.2), on small topologies loaded the way the CLI loads
 * them (REST-shaped resources through loadDocuments).
 */
import { describe, expect, it } from "vitest";
import { loadDocuments, toDocument } from "../../ingest/load.js";
import { loadServiceTagCatalog } from "../../ingest/servicetags/load.js";
import { syntheticSource } from "../../model/source.js";
import { Topology } from "../../model/topology.js";
import { unknownValue } from "../../model/unknown.js";
import { AddressSet } from "../ip/address-set.js";
import { explainMembership, virtualTagsForNic, virtualTagsForSubnet } from "./virtual.js";

const RG = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network";
const vnetId = (name: string) => `${RG}/virtualNetworks/${name}`;

interface PeeringSpec {
  name: string;
  remote: string;
  access?: boolean;
  useRemoteGateways?: boolean;
  allowGatewayTransit?: boolean;
  remoteSpace?: string[];
}

function vnet(name: string, prefixes: string[], subnets: [string, string, string?][], peerings: PeeringSpec[] = []) {
  return {
    type: "Microsoft.Network/virtualNetworks",
    name,
    id: vnetId(name),
    location: "westeurope",
    properties: {
      addressSpace: { addressPrefixes: prefixes },
      subnets: subnets.map(([subnet, prefix, table]) => ({
        name: subnet,
        id: `${vnetId(name)}/subnets/${subnet}`,
        properties: { addressPrefix: prefix, ...(table ? { routeTable: { id: `${RG}/routeTables/${table}` } } : {}) },
      })),
      virtualNetworkPeerings: peerings.map((p) => ({
        name: p.name,
        properties: {
          remoteVirtualNetwork: { id: vnetId(p.remote) },
          allowVirtualNetworkAccess: p.access ?? true,
          useRemoteGateways: p.useRemoteGateways ?? false,
          allowGatewayTransit: p.allowGatewayTransit ?? false,
          ...(p.remoteSpace ? { remoteAddressSpace: { addressPrefixes: p.remoteSpace } } : {}),
        },
      })),
    },
  };
}

function routeTable(name: string, routes: [string, string][]) {
  return {
    type: "Microsoft.Network/routeTables",
    name,
    id: `${RG}/routeTables/${name}`,
    properties: {
      routes: routes.map(([route, prefix]) => ({
        name: route,
        properties: { addressPrefix: prefix, nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.0.4" },
      })),
    },
  };
}

function gateway(name: string, inVnet: string, gatewayType = "Vpn", enableBgp = false) {
  return {
    type: "Microsoft.Network/virtualNetworkGateways",
    name,
    id: `${RG}/virtualNetworkGateways/${name}`,
    properties: {
      gatewayType,
      enableBgp,
      ipConfigurations: [{ name: "ip", properties: { subnet: { id: `${vnetId(inVnet)}/subnets/GatewaySubnet` } } }],
    },
  };
}

function localGateway(name: string, prefixes: string[]) {
  return {
    type: "Microsoft.Network/localNetworkGateways",
    name,
    id: `${RG}/localNetworkGateways/${name}`,
    properties: { localNetworkAddressSpace: { addressPrefixes: prefixes }, gatewayIpAddress: "203.0.113.1" },
  };
}

function connection(name: string, gatewayName: string, local: string, connectionType = "IPsec") {
  return {
    type: "Microsoft.Network/connections",
    name,
    id: `${RG}/connections/${name}`,
    properties: {
      connectionType,
      virtualNetworkGateway1: { id: `${RG}/virtualNetworkGateways/${gatewayName}` },
      localNetworkGateway2: { id: `${RG}/localNetworkGateways/${local}` },
    },
  };
}

function topologyOf(resources: unknown[], edit?: (t: Topology) => void): Topology {
  const { model } = loadDocuments([toDocument("topology.json", JSON.stringify({ value: resources }, null, 2))]);
  const topology = new Topology(model);
  edit?.(topology);
  return topology;
}

function tagsOf(topology: Topology, subnet: string, catalog = loadServiceTagCatalog()) {
  const s = topology.findSubnet(subnet);
  if (!s) throw new Error(`no subnet ${subnet}`);
  return virtualTagsForSubnet(topology, s, catalog);
}

const SPOKE = (peerings: PeeringSpec[] = [], table?: string) =>
  vnet(
    "spoke",
    ["10.1.0.0/16", "10.2.0.0/24"],
    [
      ["apim", "10.1.0.0/24", table],
      ["other", "10.1.1.0/24"],
    ],
    peerings,
  );
const HUB = (peerings: PeeringSpec[] = []) =>
  vnet(
    "hub",
    ["10.0.0.0/16"],
    [
      ["GatewaySubnet", "10.0.255.0/27"],
      ["fw", "10.0.1.0/24"],
    ],
    peerings,
  );
const toHub: PeeringSpec = { name: "spoke-to-hub", remote: "hub" };
const toSpoke: PeeringSpec = { name: "hub-to-spoke", remote: "spoke" };

describe("VirtualNetwork: the VNet's own space and the host IP (reference §1.4, §1.5)", () => {
  const tags = tagsOf(topologyOf([SPOKE()]), "spoke/apim");
  const vn = tags.virtualNetwork;

  it("covers every range of the VNet's address space, not only its subnets (§2.11 O10)", () => {
    expect(vn.set.covers(AddressSet.parse("10.1.0.0/16", "10.2.0.0/24"))).toBe(true);
    expect(vn.set.has("10.3.0.1")).toBe(false);
    expect(vn.maybe.isEmpty()).toBe(true);
  });

  it("includes 168.63.129.16/32 and nothing else outside the VNet", () => {
    expect(vn.set.toCidrs()).toEqual(["10.1.0.0/16", "10.2.0.0/24", "168.63.129.16/32"]);
  });

  it("says which part an address comes from, with the declaration's location", () => {
    const why = explainMembership(vn, "10.2.0.9");
    expect(why.membership).toBe("in");
    expect(why.parts.map((p) => p.kind)).toEqual(["vnet-address-space"]);
    expect(why.parts[0]!.resourceId).toBe(vnetId("spoke"));
    expect(why.parts[0]!.src.file).toBe("topology.json");
    expect(why.parts[0]!.src.line).toBeGreaterThan(0);
    expect(explainMembership(vn, "168.63.129.16").parts.map((p) => p.kind)).toEqual(["host-virtual-ip"]);
    expect(explainMembership(vn, "8.8.8.8")).toMatchObject({ membership: "out", parts: [] });
  });

  it("is the same value for a NIC in that subnet", () => {
    const topology = topologyOf([
      SPOKE(),
      {
        type: "Microsoft.Network/networkInterfaces",
        name: "nic1",
        properties: {
          ipConfigurations: [{ name: "ip", properties: { subnet: { id: `${vnetId("spoke")}/subnets/apim` } } }],
        },
      },
    ]);
    const nic = topology.model.networkInterfaces[0]!;
    const catalog = loadServiceTagCatalog();
    expect(virtualTagsForNic(topology, nic, catalog)).toBe(
      virtualTagsForSubnet(topology, topology.findSubnet("spoke/apim")!, catalog),
    );
  });
});

describe("VirtualNetwork and peering (reference §3.2)", () => {
  it("includes a peered VNet when the peering is Connected (both halves) and access is allowed", () => {
    const topology = topologyOf([SPOKE([toHub]), HUB([toSpoke])]);
    const vn = tagsOf(topology, "spoke/apim").virtualNetwork;
    expect(vn.set.covers(AddressSet.parse("10.0.0.0/16"))).toBe(true);
    const part = explainMembership(vn, "10.0.1.5").parts[0]!;
    expect(part).toMatchObject({
      kind: "peered-vnet",
      resourceId: `${vnetId("spoke")}/virtualNetworkPeerings/spoke-to-hub`,
    });
    // And symmetrically on the hub's side.
    expect(tagsOf(topology, "hub/fw").virtualNetwork.set.has("10.2.0.1")).toBe(true);
  });

  it("leaves out a one-way peering (Initiated: the hub has no half back)", () => {
    const vn = tagsOf(topologyOf([SPOKE([toHub]), HUB()]), "spoke/apim").virtualNetwork;
    expect(vn.set.has("10.0.1.5")).toBe(false);
    expect(vn.maybe.has("10.0.1.5")).toBe(false);
    expect(vn.leftOut.map((l) => l.description).join()).toMatch(/Initiated .*no peering back/);
  });

  it("leaves the peer out on the side whose half disables virtual network access, only there", () => {
    const topology = topologyOf([SPOKE([{ ...toHub, access: false }]), HUB([toSpoke])]);
    const spoke = tagsOf(topology, "spoke/apim").virtualNetwork;
    expect(spoke.set.has("10.0.1.5")).toBe(false);
    expect(spoke.leftOut[0]!.description).toMatch(/allowVirtualNetworkAccess is false/);
    expect(tagsOf(topology, "hub/fw").virtualNetwork.set.has("10.1.0.4")).toBe(true);
  });

  it("leaves a peer whose VNet is not in the inputs undecided (Unknown), using remoteAddressSpace", () => {
    const vn = tagsOf(topologyOf([SPOKE([{ ...toHub, remoteSpace: ["10.0.0.0/16"] }])]), "spoke/apim").virtualNetwork;
    expect(vn.set.has("10.0.1.5")).toBe(false);
    expect(vn.maybe.covers(AddressSet.parse("10.0.0.0/16"))).toBe(true);
    expect(vn.maybe.has("10.9.0.1")).toBe(false);
    expect(explainMembership(vn, "10.0.1.5").membership).toBe("unknown");
    expect(vn.undecided[0]!.description).toMatch(/state unknown/);
  });
});

describe("VirtualNetwork and on-premises prefixes through a gateway (reference §1.4)", () => {
  const onPrem = [
    localGateway("branch", ["192.168.10.0/24", "172.20.0.0/16"]),
    connection("to-branch", "vpn", "branch"),
  ];

  it("includes local network gateway prefixes connected to the VNet's own gateway", () => {
    const hub = tagsOf(topologyOf([HUB(), gateway("vpn", "hub"), ...onPrem]), "hub/fw").virtualNetwork;
    expect(hub.set.covers(AddressSet.parse("192.168.10.0/24", "172.20.0.0/16"))).toBe(true);
    const part = explainMembership(hub, "172.20.3.4").parts[0]!;
    expect(part.kind).toBe("on-premises");
    expect(part.resourceId).toBe(`${RG}/localNetworkGateways/branch`);
    expect(part.description).toMatch(/connection to-branch of gateway vpn of hub/);
  });

  it("includes them in a spoke that uses the hub's gateway (useRemoteGateways + allowGatewayTransit, Connected)", () => {
    const topology = topologyOf([
      SPOKE([{ ...toHub, useRemoteGateways: true }]),
      HUB([{ ...toSpoke, allowGatewayTransit: true }]),
      gateway("vpn", "hub"),
      ...onPrem,
    ]);
    expect(tagsOf(topology, "spoke/apim").virtualNetwork.set.has("192.168.10.7")).toBe(true);
  });

  it("does not include them when the hub's half does not allow gateway transit", () => {
    const topology = topologyOf([
      SPOKE([{ ...toHub, useRemoteGateways: true }]),
      HUB([toSpoke]),
      gateway("vpn", "hub"),
      ...onPrem,
    ]);
    const vn = tagsOf(topology, "spoke/apim").virtualNetwork;
    expect(vn.set.has("192.168.10.7")).toBe(false);
    expect(vn.set.has("10.0.1.1")).toBe(true);
    expect(vn.leftOut.map((l) => l.description).join()).toMatch(/does not allow gateway transit/);
  });

  it("leaves a connection to a local network gateway that is not in the inputs undecided", () => {
    const vn = tagsOf(
      topologyOf([HUB(), gateway("vpn", "hub"), connection("c", "vpn", "elsewhere")]),
      "hub/fw",
    ).virtualNetwork;
    expect(vn.maybe.has("192.168.10.7")).toBe(true);
    expect(vn.undecided[0]!.description).toMatch(/elsewhere is not in the inputs/);
  });

  it("leaves BGP-learned routes (ExpressRoute) undecided, unless --assume declares them", () => {
    const resources = [HUB(), gateway("er", "hub", "ExpressRoute")];
    const without = tagsOf(topologyOf(resources), "hub/fw").virtualNetwork;
    expect(without.maybe.has("172.31.0.1")).toBe(true);
    expect(without.set.has("172.31.0.1")).toBe(false);
    const assumed = topologyOf(resources, (t) =>
      t.model.assumptions.gatewayRoutes.push({
        gateway: "er",
        prefixes: ["172.31.0.0/16"],
        src: syntheticSource("assume.yaml"),
      }),
    );
    const withRoutes = tagsOf(assumed, "hub/fw").virtualNetwork;
    expect(withRoutes.set.has("172.31.0.1")).toBe(true);
    expect(withRoutes.maybe.isEmpty()).toBe(true);
    expect(explainMembership(withRoutes, "172.31.0.1").parts[0]!.kind).toBe("assumed-gateway-routes");
  });
});

describe("VirtualNetwork and the subnet's route table (reference §1.4, §2.4)", () => {
  it("a 0.0.0.0/0 route makes the tag cover all IPv4, on that subnet only", () => {
    const topology = topologyOf([SPOKE([], "forced"), routeTable("forced", [["default", "0.0.0.0/0"]])]);
    const apim = tagsOf(topology, "spoke/apim").virtualNetwork;
    expect(apim.set.covers(AddressSet.ALL_V4)).toBe(true);
    expect(apim.set.has("2001:db8::1")).toBe(false);
    expect(explainMembership(apim, "8.8.8.8").parts[0]).toMatchObject({
      kind: "udr-prefix",
      resourceId: `${RG}/routeTables/forced/routes/default`,
    });
    expect(tagsOf(topology, "spoke/other").virtualNetwork.set.has("8.8.8.8")).toBe(false);
  });

  it("a route whose prefix is a service tag brings the tag's prefixes (inferred)", () => {
    const topology = topologyOf([SPOKE([], "rt"), routeTable("rt", [["apim-cp", "ApiManagement.WestEurope"]])]);
    const vn = tagsOf(topology, "spoke/apim").virtualNetwork;
    expect(vn.set.has("51.145.179.78")).toBe(true);
    expect(explainMembership(vn, "51.145.179.78").parts[0]!.description).toMatch(
      /service tag ApiManagement.WestEurope/,
    );
    // Without a catalog the route's addresses are undecided, not empty.
    const s = topology.findSubnet("spoke/apim")!;
    const bare = virtualTagsForSubnet(topology, s).virtualNetwork;
    expect(bare.set.has("51.145.179.78")).toBe(false);
    expect(bare.maybe.has("51.145.179.78")).toBe(true);
  });

  it("an unresolved route prefix or a missing route table leaves the tag undecided outside what is known", () => {
    const unresolved = topologyOf([SPOKE([], "rt"), routeTable("rt", [["r", unknownValue("parameters('onPrem')")]])]);
    const vn = tagsOf(unresolved, "spoke/apim").virtualNetwork;
    expect(vn.set.has("10.1.0.4")).toBe(true);
    expect(vn.maybe.has("8.8.8.8")).toBe(true);
    const missing = tagsOf(topologyOf([SPOKE([], "absent")]), "spoke/apim").virtualNetwork;
    expect(missing.maybe.has("8.8.8.8")).toBe(true);
    expect(missing.undecided[0]!.description).toMatch(/route table absent .* not in the inputs/);
  });
});

describe("AzureLoadBalancer (reference §1.4, §1.5)", () => {
  it("is 168.63.129.16/32; its IPv6 probe address is not modelled, so IPv6 is undecided", () => {
    const lb = tagsOf(topologyOf([SPOKE()]), "spoke/apim").azureLoadBalancer;
    expect(lb.set.toCidrs()).toEqual(["168.63.129.16/32"]);
    expect(lb.maybe.has("fe80::1234:5678:9abc")).toBe(true);
    expect(lb.maybe.has("10.1.0.4")).toBe(false);
  });
});

describe("Internet (reference §1.4: our stated approximation of a curated list)", () => {
  const internet = tagsOf(
    topologyOf([vnet("pub", ["10.1.0.0/16", "20.50.0.0/24"], [["a", "10.1.0.0/24"]])]),
    "pub/a",
  ).internet;

  it("holds public addresses, IPv4 and IPv6", () => {
    for (const a of ["8.8.8.8", "51.145.179.78", "168.63.129.16", "2001:4860:4860::8888"])
      expect(internet.set.has(a), a).toBe(true);
  });

  it("excludes RFC 1918, shared, loopback, link-local, multicast and reserved ranges", () => {
    for (const a of [
      "10.9.9.9",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "100.64.0.1",
      "127.0.0.1",
      "169.254.169.254",
      "224.0.0.5",
      "255.255.255.255",
      "0.1.2.3",
      "fc00::1",
      "fe80::1",
      "::1",
      "ff02::1",
      "::",
    ]) {
      expect(internet.set.has(a), a).toBe(false);
    }
    expect(internet.set.has("172.32.0.1")).toBe(true);
  });

  it("excludes the VNet's own address space, even a public range, and says why", () => {
    expect(internet.set.has("20.50.0.9")).toBe(false);
    expect(internet.set.has("20.50.1.9")).toBe(true);
    const why = explainMembership(internet, "20.50.0.9");
    expect(why.membership).toBe("out");
    expect(why.excluded.map((p) => p.kind)).toEqual(["vnet-address-space"]);
    expect(explainMembership(internet, "192.168.0.1").excluded[0]!.description).toMatch(/RFC 1918/);
  });

  it("is undecided for public addresses when the VNet's space is unresolved", () => {
    const t = topologyOf([vnet("v", ["10.1.0.0/16", unknownValue("parameters('extra')")], [["a", "10.1.0.0/24"]])]);
    const tags = tagsOf(t, "v/a");
    expect(tags.internet.set.has("8.8.8.8")).toBe(false);
    expect(tags.internet.maybe.has("8.8.8.8")).toBe(true);
    expect(tags.internet.maybe.has("10.0.0.1")).toBe(false);
    expect(tags.virtualNetwork.set.has("10.1.0.1")).toBe(true);
    expect(tags.virtualNetwork.maybe.has("8.8.8.8")).toBe(true);
  });
});

describe("a subnet whose VNet is not in the inputs", () => {
  it("leaves VirtualNetwork and Internet undecided beyond the host IP", () => {
    const topology = topologyOf([SPOKE()]);
    const orphan = { ...topology.findSubnet("spoke/apim")!, virtualNetworkId: vnetId("gone") };
    const tags = virtualTagsForSubnet(topology, orphan);
    expect(tags.vnetId).toBeUndefined();
    expect(tags.virtualNetwork.set.toCidrs()).toEqual(["168.63.129.16/32"]);
    expect(tags.virtualNetwork.maybe.has("10.1.0.4")).toBe(true);
    expect(tags.internet.maybe.has("8.8.8.8")).toBe(true);
  });
});
