import { describe, expect, it } from "vitest";
import { corpusPath, describeCorpus } from "../../../test/helpers/corpus.js";
import { writeTemp } from "../../../test/helpers/edit-fixture.js";
import { loadRouteFixture, multiset, routeFixture, testCatalog } from "../../../test/helpers/routes.js";
import { loadInputs } from "../../ingest/load.js";
import type { EffectiveRoute } from "../../model/network.js";
import { Topology } from "../../model/topology.js";
import { compareEffectiveRoutes } from "./compare.js";
import { effectiveRoutes, effectiveRoutesForNic, toEffectiveRouteJson } from "./effective.js";
import { nextHop } from "./next-hop.js";

const catalog = testCatalog();

/** A doc row in the reference's §2.10 notation. */
function row(
  source: string,
  state: string,
  prefix: string[],
  nextHopType: string,
  ips: string[] = [],
  name: string | null = null,
): EffectiveRoute {
  return {
    name,
    source,
    state,
    addressPrefix: prefix,
    nextHopType,
    nextHopIpAddress: ips,
    disableBgpRoutePropagation: false,
  };
}

// §2.10 writes the gateway's public IP and the Storage prefixes as the placeholder [X.X.X.X]; the fixture
// gives the public IP 20.5.5.5 and the test catalog gives Storage's IPv4 prefixes.
const GATEWAY_IP = "20.5.5.5";
const STORAGE = ["20.60.0.0/16", "52.239.0.0/16"];
const NVA = "10.0.100.4";

describe("reference §2.10: the routing example of the UDR overview", () => {
  const topology = loadRouteFixture("docs-udr-routing-example.json");
  const subnet = (name: string) => topology.findSubnet(`Virtual-network-1/${name}`)!;
  const options = { reservedRoutes: "docs-2023-example" };
  const subnet1 = effectiveRoutes(topology, subnet("Subnet1"), catalog, options);
  const subnet2 = effectiveRoutes(topology, subnet("Subnet2"), catalog, options);

  it("Subnet1's table is the doc's IDs 1-12 (the reserved None rows are gone, §2.11 O3)", () => {
    const expected = [
      row("Default", "Invalid", ["10.0.0.0/16"], "VnetLocal"),
      row("User", "Active", ["10.0.0.0/16"], "VirtualAppliance", [NVA], "Within-VNet1"),
      row("User", "Active", ["10.0.0.0/24"], "VnetLocal", [], "Within-Subnet1"),
      row("Default", "Invalid", ["10.1.0.0/16"], "VNetPeering"),
      row("Default", "Invalid", ["10.2.0.0/16"], "VNetPeering"),
      row("User", "Active", ["10.1.0.0/16"], "None", [], "ToVNet2-1-Drop"),
      row("User", "Active", ["10.2.0.0/16"], "None", [], "ToVNet2-2-Drop"),
      row("VirtualNetworkGateway", "Invalid", ["10.10.0.0/16"], "VirtualNetworkGateway", [GATEWAY_IP]),
      row("User", "Active", ["10.10.0.0/16"], "VirtualAppliance", [NVA], "To-On-Prem"),
      row("Default", "Active", STORAGE, "VirtualNetworkServiceEndpoint"),
      row("Default", "Invalid", ["0.0.0.0/0"], "Internet"),
      row("User", "Active", ["0.0.0.0/0"], "VirtualAppliance", [NVA], "Default-NVA"),
    ];
    expect(multiset(toEffectiveRouteJson(subnet1).value)).toEqual(multiset(expected));
  });

  it("Subnet2's table is the doc's table (no route table: defaults, peering, gateway)", () => {
    const expected = [
      row("Default", "Active", ["10.0.0.0/16"], "VnetLocal"),
      row("Default", "Active", ["10.1.0.0/16"], "VNetPeering"),
      row("Default", "Active", ["10.2.0.0/16"], "VNetPeering"),
      row("VirtualNetworkGateway", "Active", ["10.10.0.0/16"], "VirtualNetworkGateway", [GATEWAY_IP]),
      row("Default", "Active", ["0.0.0.0/0"], "Internet"),
      row("Default", "Active", ["10.0.0.0/8"], "None"),
      row("Default", "Active", ["100.64.0.0/10"], "None"),
      row("Default", "Active", ["192.168.0.0/16"], "None"),
    ];
    expect(multiset(toEffectiveRouteJson(subnet2).value)).toEqual(multiset(expected));
  });

  it.each([
    ["Subnet1", "10.0.0.20", "VnetLocal", ""], // ID3 beats ID2 (longer prefix)
    ["Subnet1", "10.0.1.5", "VirtualAppliance", NVA], // ID2
    ["Subnet1", "10.1.0.5", "None", ""], // ID6
    ["Subnet1", "10.2.3.4", "None", ""], // ID7
    ["Subnet1", "10.10.5.5", "VirtualAppliance", NVA], // ID9
    ["Subnet1", "8.8.8.8", "VirtualAppliance", NVA], // ID12
    ["Subnet1", "20.60.7.7", "VirtualNetworkServiceEndpoint", ""], // ID10
    ["Subnet1", "192.168.1.1", "VirtualAppliance", NVA], // the None rows are gone (§2.10 notes)
    ["Subnet2", "10.1.0.5", "VNetPeering", ""],
    ["Subnet2", "10.10.5.5", "VirtualNetworkGateway", GATEWAY_IP],
    ["Subnet2", "8.8.8.8", "Internet", ""],
    ["Subnet2", "192.168.1.1", "None", ""],
  ])("next hop from %s to %s is %s %s", (from, to, type, ip) => {
    const result = nextHop(from === "Subnet1" ? subnet1 : subnet2, to);
    expect([result.nextHopType, result.nextHopIpAddress]).toEqual([type, ip]);
    expect(result.unknowns).toEqual([]);
  });

  it("names the deciding route the way Network Watcher does, with its declaration", () => {
    const user = nextHop(subnet1, "10.0.0.20");
    expect(user.routeTableId).toMatch(/\/routeTables\/Subnet1-RouteTable$/);
    expect(user).toMatchObject({ routeName: "Within-Subnet1", source: "User" });
    expect(user.row?.origin).toMatchObject({ kind: "user", route: { name: "Within-Subnet1" } });
    expect(user.row?.origin.kind === "user" && user.row.origin.route.src?.line).toBeGreaterThan(1);
    const system = nextHop(subnet2, "8.8.8.8");
    expect(system).toMatchObject({ routeTableId: "System Route", routeName: null, source: "Default" });
    const gateway = nextHop(subnet2, "10.10.5.5").row?.origin;
    expect(gateway).toMatchObject({
      kind: "gateway",
      gateway: { name: "vgw1" },
      connection: { name: "vgw1-to-on-premises" },
    });
  });

  it("lists the reserved profile and the service endpoint's missing locations as assumptions", () => {
    expect(subnet1.assumptions[0]).toBe("reserved None routes: profile docs-2023-example (2023-05-27)");
    expect(subnet1.assumptions.some((a) => a.includes("Microsoft.Storage") && a.includes("no locations"))).toBe(true);
    expect(subnet2.unknowns).toEqual([]);
  });

  it("a NIC has its subnet's routes, IP forwarding or not", () => {
    const nic = topology.model.networkInterfaces.find((n) => n.name === "nva-nic")!;
    expect(nic.enableIPForwarding).toBe(true);
    const viaNic = effectiveRoutesForNic(topology, nic, catalog, options)!;
    const viaSubnet = effectiveRoutes(topology, subnet("NVA-subnet"), catalog, options);
    expect(toEffectiveRouteJson(viaNic)).toEqual(toEffectiveRouteJson(viaSubnet));
  });
});

describe("reserved None profiles (§2.11 O1)", () => {
  const topology = loadRouteFixture("rest-spec-effective-routes.json");
  const subnet = topology.findSubnet("vnet1/default")!;

  it("uses the newest observed set by default", () => {
    const table = effectiveRoutes(topology, subnet, catalog);
    const none = table.routes.filter((r) => r.route.nextHopType === "None");
    expect(none).toHaveLength(21);
    expect(table.reservedProfile.id).toBe("observed-2025");
  });

  it("refuses a profile name it does not know", () => {
    expect(() => effectiveRoutes(topology, subnet, catalog, { reservedRoutes: "1999" })).toThrow(
      /unknown reserved-routes profile 1999/,
    );
  });

  it("a VNet range equal to a reserved prefix turns it into VnetLocal; one containing it removes it", () => {
    const model = topology.model;
    const vnet = model.virtualNetworks[0]!;
    const saved = vnet.addressSpace.addressPrefixes;
    vnet.addressSpace.addressPrefixes = ["192.168.0.0/16", "25.0.0.0/8"];
    try {
      const table = effectiveRoutes(new Topology(model), subnet, catalog, { reservedRoutes: "observed-2021" });
      expect(table.routes.map((r) => `${r.route.addressPrefix[0]} ${r.route.nextHopType}`)).toEqual([
        "192.168.0.0/16 VnetLocal",
        "25.0.0.0/8 VnetLocal",
        "0.0.0.0/0 Internet",
        "10.0.0.0/8 None",
        "100.64.0.0/10 None",
      ]);
    } finally {
      vnet.addressSpace.addressPrefixes = saved;
    }
  });
});

describeCorpus("REST spec example NetworkInterfaceEffectiveRouteTableList.json", () => {
  it("is reproduced from a VNet 172.20.2.0/24 with the doc's reserved set", () => {
    const { model } = loadInputs([
      corpusPath("azure-rest-api-specs/network-2023-05-01/NetworkInterfaceEffectiveRouteTableList.json"),
      routeFixture("rest-spec-effective-routes.json"),
    ]);
    const topology = new Topology(model);
    const nic = model.networkInterfaces.find((n) => n.name === "nic1")!;
    const table = effectiveRoutesForNic(topology, nic, catalog, { reservedRoutes: "classic" })!;
    const observed = model.observed.effectiveRoutes[0]!.routes;
    const comparison = compareEffectiveRoutes(toEffectiveRouteJson(table).value, observed);
    expect(comparison.onlyComputed).toEqual([]);
    expect(comparison.onlyObserved).toEqual([]);
    expect(comparison.matched).toHaveLength(6);
    // O2: the VNet lies inside 172.16.0.0/12, and both rows stay Active; LPM decides.
    expect(nextHop(table, "172.20.2.9").nextHopType).toBe("VnetLocal");
    expect(nextHop(table, "172.20.3.9").nextHopType).toBe("None");
  });

  it("differs from the newest reserved set, and the comparison says by which rows", () => {
    const { model } = loadInputs([
      corpusPath("azure-rest-api-specs/network-2023-05-01/NetworkInterfaceEffectiveRouteTableList.json"),
      routeFixture("rest-spec-effective-routes.json"),
    ]);
    const table = effectiveRoutes(new Topology(model), model.virtualNetworks[0]!.subnets[0]!, catalog);
    const comparison = compareEffectiveRoutes(
      toEffectiveRouteJson(table).value,
      model.observed.effectiveRoutes[0]!.routes,
    );
    expect(comparison.equal).toBe(false);
    expect(comparison.onlyObserved).toEqual([]);
    expect(comparison.onlyComputed).toHaveLength(17);
    expect(comparison.onlyComputed.every((r) => r.nextHopType === "None")).toBe(true);
  });
});

describe("a user route whose next hop IP is Unknown", () => {
  it("is a row: the next hop type decides, and the table lists the address as Unknown", () => {
    const file = writeTemp("unknown-hop.json", {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      parameters: { firewallIp: { type: "string" } },
      resources: [
        {
          type: "Microsoft.Network/routeTables",
          apiVersion: "2023-05-01",
          name: "rt",
          location: "westeurope",
          properties: {
            routes: [
              {
                name: "default",
                properties: {
                  addressPrefix: "0.0.0.0/0",
                  nextHopType: "VirtualAppliance",
                  nextHopIpAddress: "[parameters('firewallIp')]",
                },
              },
            ],
          },
        },
        {
          type: "Microsoft.Network/virtualNetworks",
          apiVersion: "2023-05-01",
          name: "v",
          location: "westeurope",
          properties: {
            addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
            subnets: [
              {
                name: "s",
                properties: {
                  addressPrefix: "10.1.1.0/24",
                  routeTable: { id: "[resourceId('Microsoft.Network/routeTables', 'rt')]" },
                },
              },
            ],
          },
        },
      ],
    });
    const { model } = loadInputs([file]);
    const table = effectiveRoutes(new Topology(model), model.virtualNetworks[0]!.subnets[0]!, catalog);
    const hop = nextHop(table, "8.8.8.8");
    expect(hop.nextHopType).toBe("VirtualAppliance");
    expect(hop.unknowns).toEqual([]);
    expect(table.unknowns).toEqual([
      expect.stringMatching(/the next hop IP address is Unknown \(parameters\('firewallIp'\)\)/),
    ]);
    // Within the VNet the VNet's own route is longer and decides, as always.
    expect(nextHop(table, "10.1.2.3").nextHopType).toBe("VnetLocal");
  });
});
