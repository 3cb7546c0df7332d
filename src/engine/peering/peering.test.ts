import { describe, expect, it } from "vitest";
import { loadRouteFixture, testCatalog } from "../../../test/helpers/routes.js";
import { effectiveRoutes, nextHop } from "../routes/index.js";
import { virtualTagsForSubnet } from "../servicetags/virtual.js";
import { peeringsOf } from "./state.js";
import { acceptsForwardedTraffic, gatewayTransits } from "./transit.js";

const catalog = testCatalog();

function routesOf(fixture: string, subnet: string) {
  const topology = loadRouteFixture(fixture);
  const table = effectiveRoutes(topology, topology.findSubnet(subnet)!, catalog, { reservedRoutes: "docs-2023" });
  const peeringRows = table.routes
    .filter((r) => r.origin.kind === "peering")
    .map((r) => `${r.route.addressPrefix[0]} ${r.route.nextHopType} ${r.route.state}`);
  return { topology, table, peeringRows };
}

describe("peering state and routes (reference §3.2)", () => {
  it("one-way: the half alone is Initiated, says why, and routes nothing", () => {
    const { topology, table, peeringRows } = routesOf("peering-one-way.json", "vnet-a/apps");
    const [status] = peeringsOf(topology, topology.findVnet("vnet-a")!);
    expect(status).toMatchObject({ state: "Initiated" });
    expect(status!.reason).toBe(
      "vnet-b has no peering back to vnet-a; a peering carries traffic only when both halves exist",
    );
    expect(peeringRows).toEqual([]);
    expect(nextHop(table, "10.2.0.5")).toMatchObject({ nextHopType: "None", source: "Default" }); // 10.0.0.0/8 None
    const { peeringRows: fromB } = routesOf("peering-one-way.json", "vnet-b/apps");
    expect(fromB).toEqual([]);
  });

  it("overlapping address spaces: refused (Initiated) with the overlap named, no routes on either side", () => {
    const { topology, peeringRows } = routesOf("peering-overlap.json", "vnet-a/apps");
    const [status] = peeringsOf(topology, topology.findVnet("vnet-a")!);
    expect(status!.state).toBe("Initiated");
    expect(status!.reason).toContain("overlap (10.1.128.0/17)");
    expect(peeringRows).toEqual([]);
    expect(routesOf("peering-overlap.json", "vnet-b/apps").peeringRows).toEqual([]);
  });

  it("access disabled: routes stay on both sides, but the peer leaves that side's VirtualNetwork tag", () => {
    const { topology, peeringRows } = routesOf("peering-access-disabled.json", "vnet-a/apps");
    expect(peeringRows).toEqual(["10.2.0.0/16 VNetPeering Active"]);
    expect(routesOf("peering-access-disabled.json", "vnet-b/apps").peeringRows).toEqual([
      "10.1.0.0/16 VNetPeering Active",
    ]);
    const [status] = peeringsOf(topology, topology.findVnet("vnet-a")!);
    expect(status!.state).toBe("Connected");
    expect(status!.notes).toEqual(["allowVirtualNetworkAccess is false: vnet-b is not in vnet-a's VirtualNetwork tag"]);
    const tagA = virtualTagsForSubnet(topology, topology.findSubnet("vnet-a/apps")!, catalog).virtualNetwork;
    const tagB = virtualTagsForSubnet(topology, topology.findSubnet("vnet-b/apps")!, catalog).virtualNetwork;
    expect(tagA.set.has("10.2.0.5")).toBe(false);
    expect(tagB.set.has("10.1.0.5")).toBe(true);
  });

  it("global peering: VNets in two regions get VNetGlobalPeering rows, printed after the reserved rows", () => {
    const { table, peeringRows } = routesOf("peering-global.json", "vnet-we/apps");
    expect(peeringRows).toEqual(["10.2.0.0/16 VNetGlobalPeering Active"]);
    const types = table.routes.map((r) => r.route.nextHopType);
    expect(types.indexOf("VNetGlobalPeering")).toBeGreaterThan(types.lastIndexOf("None"));
    expect(nextHop(table, "10.2.3.4")).toMatchObject({
      nextHopType: "VNetGlobalPeering",
      routeTableId: "System Route",
    });
  });
});

describe("gateway transit (reference §2.6, §3.2)", () => {
  const topology = loadRouteFixture("hub-spoke-gateway-transit.json");
  const table = (subnet: string) =>
    effectiveRoutes(topology, topology.findSubnet(subnet)!, catalog, { reservedRoutes: "docs-2023" });
  const gatewayRows = (subnet: string) =>
    table(subnet)
      .routes.filter((r) => r.route.source === "VirtualNetworkGateway")
      .map((r) => `${r.route.addressPrefix[0]} ${r.route.nextHopIpAddress.join(",")} ${r.route.state}`);

  it("the hub's own subnets get the local network gateway's prefixes from the hub gateway", () => {
    expect(gatewayRows("hub/shared")).toEqual(["192.168.50.0/24 20.7.7.7 Active", "172.30.0.0/16 20.7.7.7 Active"]);
  });

  it("a spoke with useRemoteGateways gets them too, through the peering", () => {
    expect(gatewayRows("spoke1/apim")).toEqual(["192.168.50.0/24 20.7.7.7 Active", "172.30.0.0/16 20.7.7.7 Active"]);
    const hop = nextHop(table("spoke1/apim"), "192.168.50.10");
    expect(hop).toMatchObject({
      nextHopType: "VirtualNetworkGateway",
      nextHopIpAddress: "20.7.7.7",
      source: "VirtualNetworkGateway",
    });
    expect(hop.row?.origin).toMatchObject({
      kind: "gateway",
      transit: { name: "spoke1-to-hub" },
      localNetworkGateway: { name: "branch" },
    });
    const [transit] = gatewayTransits(topology, topology.findVnet("spoke1")!);
    expect(transit).toMatchObject({ reason: "", gateways: [{ name: "hub-vgw" }] });
  });

  it("the same spoke subnet with propagation disabled gets none, and every row says so", () => {
    const isolated = table("spoke1/isolated");
    expect(gatewayRows("spoke1/isolated")).toEqual([]);
    expect(isolated.routes.every((r) => r.route.disableBgpRoutePropagation === true)).toBe(true);
    expect(nextHop(isolated, "192.168.50.10").nextHopType).toBe("None");
    expect(nextHop(isolated, "172.30.0.1").nextHopType).toBe("None");
  });

  it("a spoke without useRemoteGateways gets no gateway routes, and spokes never see each other", () => {
    expect(gatewayRows("spoke2/apps")).toEqual([]);
    const spoke1 = table("spoke1/apim");
    expect(spoke1.routes.filter((r) => r.origin.kind === "peering").map((r) => r.route.addressPrefix[0])).toEqual([
      "10.0.0.0/16",
    ]);
    expect(nextHop(spoke1, "10.12.1.4").nextHopType).toBe("None");
  });

  it("useRemoteGateways without allowGatewayTransit on the hub half gives nothing, and says why", () => {
    const hub = topology.findVnet("hub")!;
    const half = hub.virtualNetworkPeerings.find((p) => p.name === "hub-to-spoke1")!;
    half.allowGatewayTransit = false;
    try {
      const [transit] = gatewayTransits(topology, topology.findVnet("spoke1")!);
      expect(transit!.reason).toBe("hub's peering back does not set allowGatewayTransit");
      expect(gatewayRows("spoke1/apim")).toEqual([]);
      expect(table("spoke1/apim").unknowns).toContain(
        "gateway transit through peering spoke1-to-hub gives no routes: hub's peering back does not set allowGatewayTransit",
      );
    } finally {
      half.allowGatewayTransit = true;
    }
  });

  it("forwarded traffic enters only where the receiving half allows it; peering is not transitive", () => {
    const hub = topology.findVnet("hub")!;
    const spoke1 = topology.findVnet("spoke1")!;
    const spoke2 = topology.findVnet("spoke2")!;
    expect(acceptsForwardedTraffic(topology, hub, spoke1).allowed).toBe(true);
    expect(acceptsForwardedTraffic(topology, hub, spoke2)).toEqual({
      allowed: false,
      reason: "peering hub-to-spoke2 does not set allowForwardedTraffic",
    });
    expect(acceptsForwardedTraffic(topology, spoke2, spoke1)).toEqual({
      allowed: false,
      reason: "spoke2 is not peered with spoke1",
    });
  });
});
