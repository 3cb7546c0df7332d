import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { writeTemp } from "../../../test/helpers/edit-fixture.js";
import { loadRouteFixture, routeFixture, testCatalog } from "../../../test/helpers/routes.js";
import { loadInputs } from "../../ingest/load.js";
import type { VirtualNetwork } from "../../model/resources.js";
import { syntheticSource } from "../../model/source.js";
import { Topology } from "../../model/topology.js";
import { effectiveRoutes } from "./effective.js";
import { nextHop } from "./next-hop.js";

const catalog = testCatalog();
const src = syntheticSource("test");

function rows(topology: Topology, subnet: string, reservedRoutes = "docs-2023") {
  const table = effectiveRoutes(topology, topology.findSubnet(subnet)!, catalog, { reservedRoutes });
  return {
    table,
    text: table.routes.map((r) =>
      `${r.route.addressPrefix.join(",")} ${r.route.nextHopType} ${r.route.nextHopIpAddress.join(",")}`.trim(),
    ),
  };
}

describe("gateway next hops (§2.11 O5)", () => {
  it("an active-active gateway gives one row per instance with its private IP, all Active", () => {
    const topology = loadRouteFixture("hub-spoke-gateway-transit.json");
    const gateway = topology.model.virtualNetworkGateways[0]!;
    gateway.activeActive = true;
    const subnetId = gateway.ipConfigurations[0]!.subnet;
    gateway.ipConfigurations = [
      { name: "a", subnet: subnetId, privateIPAddress: "10.0.255.4" },
      { name: "b", subnet: subnetId, privateIPAddress: "10.0.255.5" },
    ];
    const { table, text } = rows(topology, "spoke1/apim");
    expect(text.filter((t) => t.includes("VirtualNetworkGateway"))).toEqual([
      "192.168.50.0/24 VirtualNetworkGateway 10.0.255.4",
      "192.168.50.0/24 VirtualNetworkGateway 10.0.255.5",
      "172.30.0.0/16 VirtualNetworkGateway 10.0.255.4",
      "172.30.0.0/16 VirtualNetworkGateway 10.0.255.5",
    ]);
    expect(
      table.routes.filter((r) => r.route.source === "VirtualNetworkGateway").every((r) => r.route.state === "Active"),
    ).toBe(true);
    expect(nextHop(table, "192.168.50.1").nextHopIpAddress).toBe("10.0.255.4");
  });

  it("an active-active gateway read from a GET: one row per instance at its default BGP address (semantics-2 §8.2)", () => {
    // As the 2024-05-01 GET carries it: no privateIPAddress on the IP configurations, bgpPeeringAddresses per instance.
    const text = readFileSync(routeFixture("hub-spoke-gateway-transit.json"), "utf8");
    const body = JSON.parse(text);
    const items: { type: string; id: string; properties: Record<string, unknown> }[] = Array.isArray(body)
      ? body
      : body.value;
    const gw = items.find((x) => x.type.endsWith("virtualNetworkGateways"))!;
    const [config] = gw.properties.ipConfigurations as { name: string; properties: Record<string, unknown> }[];
    gw.properties.activeActive = true;
    gw.properties.ipConfigurations = ["a", "b"].map((name) => ({ ...config, name }));
    gw.properties.bgpSettings = {
      asn: 65515,
      bgpPeeringAddress: "10.0.255.4,10.0.255.5",
      bgpPeeringAddresses: ["a", "b"].map((name, i) => ({
        ipconfigurationId: `${gw.id}/ipConfigurations/${name}`,
        defaultBgpIpAddresses: [`10.0.255.${4 + i}`],
        customBgpIpAddresses: [],
        tunnelIpAddresses: [`52.161.10.${135 + i}`],
      })),
    };
    const file = writeTemp("hub-spoke-active-active.json", body);
    const topology = new Topology(loadInputs([file]).model);
    const { table, text: lines } = rows(topology, "spoke1/apim");
    expect(lines.filter((t) => t.startsWith("192.168.50.0/24"))).toEqual([
      "192.168.50.0/24 VirtualNetworkGateway 10.0.255.4",
      "192.168.50.0/24 VirtualNetworkGateway 10.0.255.5",
    ]);
    expect(table.unknowns.filter((u) => u.includes("private IP"))).toEqual([]);
    expect(table.assumptions.some((a) => a.includes("default BGP address"))).toBe(false);
    // With custom (APIPA) BGP addresses, §8.2 does not know the next hop: the default address is assumed, and said.
    topology.model.virtualNetworkGateways[0]!.bgpSettings!.bgpPeeringAddresses![0]!.customBgpIpAddresses = [
      "169.254.21.10",
    ];
    const custom = rows(new Topology(topology.model), "spoke1/apim").table;
    expect(
      custom.assumptions.some((a) => a.includes("hub-vgw: each instance's next hop is its default BGP address")),
    ).toBe(true);
  });

  it("a gateway whose public IP is not in the inputs prints an unknown placeholder and says so", () => {
    const topology = loadRouteFixture("hub-spoke-gateway-transit.json");
    topology.model.publicIPAddresses.length = 0;
    const { table, text } = rows(new Topology(topology.model), "hub/shared");
    expect(text).toContain("192.168.50.0/24 VirtualNetworkGateway <unknown: public IP address of gateway hub-vgw>");
    expect(table.unknowns).toContain("the public IP address of gateway hub-vgw is not in the inputs");
  });

  it("a VNet-to-VNet connection gives the remote VNet's ranges", () => {
    const topology = loadRouteFixture("hub-spoke-gateway-transit.json");
    const model = topology.model;
    const remote: VirtualNetwork = {
      id: "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/far",
      name: "far",
      type: "Microsoft.Network/virtualNetworks",
      src,
      addressSpace: { addressPrefixes: ["10.40.0.0/16"] },
      subnets: [],
      virtualNetworkPeerings: [],
    };
    model.virtualNetworks.push(remote);
    const farGateway = {
      ...model.virtualNetworkGateways[0]!,
      id: `${remote.id.replace(/virtualNetworks.*/, "")}virtualNetworkGateways/far-vgw`,
      name: "far-vgw",
    };
    farGateway.ipConfigurations = [{ name: "default", subnet: { id: `${remote.id}/subnets/GatewaySubnet` } }];
    model.virtualNetworkGateways.push(farGateway);
    model.connections.push({
      id: "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Network/connections/hub-to-far",
      name: "hub-to-far",
      type: "Microsoft.Network/connections",
      src,
      connectionType: "Vnet2Vnet",
      virtualNetworkGateway1: { id: model.virtualNetworkGateways[0]!.id },
      virtualNetworkGateway2: { id: farGateway.id },
      enableBgp: false,
    });
    const { table, text } = rows(new Topology(model), "hub/shared");
    expect(text).toContain("10.40.0.0/16 VirtualNetworkGateway 20.7.7.7");
    expect(nextHop(table, "10.40.1.1").row?.origin).toMatchObject({
      kind: "gateway",
      connection: { name: "hub-to-far" },
    });
  });
});

describe("service endpoint routes (§2.2, §2.11 O7)", () => {
  it("locations select the regional tag, and only that subnet gets the row", () => {
    const topology = loadRouteFixture("docs-udr-routing-example.json");
    const subnet = topology.findSubnet("Virtual-network-1/Subnet1")!;
    subnet.serviceEndpoints = [
      { service: "Microsoft.Storage", locations: ["westeurope"] },
      { service: "Microsoft.Sql" },
    ];
    const { table, text } = rows(topology, "Virtual-network-1/Subnet1");
    expect(text.filter((t) => t.includes("ServiceEndpoint"))).toEqual([
      "20.60.0.0/16 VirtualNetworkServiceEndpoint",
      "104.40.0.0/17 VirtualNetworkServiceEndpoint",
    ]);
    expect(table.routes.find((r) => r.origin.kind === "serviceEndpoint")?.origin).toMatchObject({
      tags: ["Storage.WestEurope"],
    });
    expect(table.assumptions.some((a) => a.includes("Microsoft.Storage"))).toBe(false);
    expect(rows(topology, "Virtual-network-1/Subnet2").text.some((t) => t.includes("ServiceEndpoint"))).toBe(false);
    expect(rows(topology, "Virtual-network-2/default").text.some((t) => t.includes("ServiceEndpoint"))).toBe(false);
  });

  it("a service with no known tag, or a region the catalog lacks, is reported instead of routed", () => {
    const topology = loadRouteFixture("docs-udr-routing-example.json");
    topology.findSubnet("Virtual-network-1/Subnet1")!.serviceEndpoints = [
      { service: "Microsoft.Unheard" },
      { service: "Microsoft.Storage", locations: ["westus"] },
    ];
    const { table, text } = rows(topology, "Virtual-network-1/Subnet1");
    expect(text.some((t) => t.includes("ServiceEndpoint"))).toBe(false);
    expect(table.unknowns).toEqual([
      "service endpoint Microsoft.Unheard on Subnet1: its service tag is not known, so its route is left out",
      "service endpoint Microsoft.Storage: service tag Storage.westus is not in the service tag catalog",
    ]);
  });
});

describe("other inputs", () => {
  it("a dual-stack VNet gets its IPv6 range and ::/0 to Internet", () => {
    const topology = loadRouteFixture("peering-one-way.json");
    topology.findVnet("vnet-b")!.addressSpace.addressPrefixes.push("fd00:db8::/48");
    const { table, text } = rows(topology, "vnet-b/apps");
    expect(text).toContain("fd00:db8::/48 VnetLocal");
    expect(text).toContain("::/0 Internet");
    expect(nextHop(table, "fd00:db8::5").nextHopType).toBe("VnetLocal");
    expect(nextHop(table, "2001:db8::1").nextHopType).toBe("Internet");
  });

  it("a route table that is not in the inputs makes every next hop uncertain", () => {
    const topology = loadRouteFixture("peering-one-way.json");
    topology.findSubnet("vnet-a/apps")!.routeTable = {
      id: "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Network/routeTables/elsewhere",
    };
    const { table } = rows(topology, "vnet-a/apps");
    expect(nextHop(table, "8.8.8.8").unknowns).toEqual([
      "route table /subscriptions/1/resourceGroups/rg/providers/Microsoft.Network/routeTables/elsewhere of apps is not in the inputs; its routes are unknown",
    ]);
  });

  it("an unresolved template value in a route's prefix is reported, never routed", () => {
    const topology = loadRouteFixture("service-tag-udr.json");
    topology.model.routeTables[0]!.routes[4]!.addressPrefix = "<unknown: parameters('forcedTunnelPrefix')>";
    const { table } = rows(topology, "vnet1/apim");
    expect(table.routes.some((r) => r.route.name === "default-nva")).toBe(false);
    expect(nextHop(table, "8.8.8.8")).toMatchObject({ nextHopType: "Internet" });
    expect(nextHop(table, "8.8.8.8").unknowns[0]).toMatch(
      /default-nva .*the address prefix is Unknown \(parameters\('forcedTunnelPrefix'\)\)/,
    );
  });
});
