import { describe, expect, it } from "vitest";
import { loadRouteFixture, routeFixture, testCatalog } from "../../../test/helpers/routes.js";
import { readAssumptions } from "../../ingest/assume/read.js";
import type { Topology } from "../../model/topology.js";
import { effectiveRoutes, toEffectiveRouteJson } from "./effective.js";
import { nextHop } from "./next-hop.js";

const catalog = testCatalog();

function summary(topology: Topology, subnet: string, reservedRoutes = "docs-2023") {
  const table = effectiveRoutes(topology, topology.findSubnet(subnet)!, catalog, { reservedRoutes });
  const rows = toEffectiveRouteJson(table).value.map(
    (r) =>
      `${r.source} ${r.state} ${r.addressPrefix.join(",")} ${r.nextHopType}${r.nextHopIpAddress.length ? ` ${r.nextHopIpAddress.join(",")}` : ""}`,
  );
  return { table, rows };
}

describe("forced tunnelling and the rows Azure drops (§2.11 O3, O4)", () => {
  const withAssumption = () => {
    const topology = loadRouteFixture("forced-tunnel-expressroute.json");
    topology.model.assumptions = readAssumptions(routeFixture("assume-bgp-default-route.yaml"));
    return topology;
  };

  it("a BGP 0.0.0.0/0 removes the Internet row and the reserved None rows", () => {
    const { table, rows } = summary(withAssumption(), "vnet1/plain");
    expect(rows).toEqual([
      "Default Active 10.0.0.0/16 VnetLocal",
      // One row per next hop, as Azure prints an ExpressRoute prefix (semantics-2 §8.3).
      "VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.255.0.4",
      "VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.255.0.5",
      "VirtualNetworkGateway Active 10.50.0.0/16 VirtualNetworkGateway 10.255.0.4",
      "VirtualNetworkGateway Active 10.50.0.0/16 VirtualNetworkGateway 10.255.0.5",
    ]);
    expect(nextHop(table, "192.168.1.1")).toMatchObject({
      nextHopType: "VirtualNetworkGateway",
      nextHopIpAddress: "10.255.0.4",
    });
    expect(nextHop(table, "8.8.8.8").row?.origin).toMatchObject({ kind: "assumption", gateway: { name: "er-gw" } });
    expect(table.assumptions).toContain(
      `gateway er-gw learns 0.0.0.0/0, 10.50.0.0/16 over BGP — --assume ${routeFixture("assume-bgp-default-route.yaml")}:3:5`,
    );
    expect(table.uncertain).toEqual([]);
  });

  it("a user 0.0.0.0/0 to an appliance wins over BGP, which stays Invalid; Internet and None rows go", () => {
    const { table, rows } = summary(withAssumption(), "vnet1/apim");
    expect(rows).toEqual([
      "Default Active 10.0.0.0/16 VnetLocal",
      "VirtualNetworkGateway Invalid 0.0.0.0/0 VirtualNetworkGateway 10.255.0.4",
      "VirtualNetworkGateway Invalid 0.0.0.0/0 VirtualNetworkGateway 10.255.0.5",
      "VirtualNetworkGateway Active 10.50.0.0/16 VirtualNetworkGateway 10.255.0.4",
      "VirtualNetworkGateway Active 10.50.0.0/16 VirtualNetworkGateway 10.255.0.5",
      "User Active 0.0.0.0/0 VirtualAppliance 10.0.9.4",
    ]);
    expect(nextHop(table, "10.99.0.1")).toMatchObject({ nextHopType: "VirtualAppliance", routeName: "to-nva" });
  });

  it("a user 0.0.0.0/0 to None keeps the reserved None rows", () => {
    const { rows } = summary(withAssumption(), "vnet1/drop");
    expect(rows.filter((r) => r.startsWith("Default Active") && r.endsWith(" None"))).toHaveLength(4);
    expect(rows.some((r) => r.includes("Internet"))).toBe(false);
    expect(rows).toContain("User Active 0.0.0.0/0 None");
  });

  it("a user 0.0.0.0/0 without BGP leaves the Internet row Invalid (O4)", () => {
    const { rows } = summary(loadRouteFixture("forced-tunnel-expressroute.json"), "vnet1/apim");
    expect(rows).toContain("Default Invalid 0.0.0.0/0 Internet");
    expect(rows.filter((r) => r.endsWith(" None"))).toEqual([]);
  });

  it("propagation disabled: no BGP rows, so Internet and the None rows stay Active", () => {
    const { table, rows } = summary(withAssumption(), "vnet1/isolated");
    expect(rows.filter((r) => r.startsWith("VirtualNetworkGateway"))).toEqual([]);
    expect(rows).toContain("Default Active 0.0.0.0/0 Internet");
    expect(nextHop(table, "8.8.8.8").nextHopType).toBe("Internet");
  });

  it("without --assume, the BGP routes of the ExpressRoute connection make every next hop Unknown-prone", () => {
    const { table } = summary(loadRouteFixture("forced-tunnel-expressroute.json"), "vnet1/plain");
    const hop = nextHop(table, "8.8.8.8");
    expect(hop.nextHopType).toBe("Internet");
    expect(hop.unknowns).toEqual([
      "connection er-gw-to-circuit learns routes over BGP; they are in no input (declare them with --assume)",
    ]);
  });
});

describe("BGP never overrides VNet, peering or service endpoint routes (§2.5 rule 3)", () => {
  it("a BGP prefix inside the VNet, or equal to its range, is Invalid and never decides", () => {
    const topology = loadRouteFixture("forced-tunnel-expressroute.json");
    const src = { file: "assume.yaml", pointer: "", line: 1, column: 1 };
    topology.model.assumptions = {
      gatewayRoutes: [{ gateway: "er-gw", prefixes: ["10.0.5.0/24", "10.0.0.0/16", "10.0.0.0/8"], src }],
    };
    const { table, rows } = summary(topology, "vnet1/plain");
    expect(rows.filter((r) => r.startsWith("VirtualNetworkGateway"))).toEqual([
      "VirtualNetworkGateway Invalid 10.0.5.0/24 VirtualNetworkGateway <unknown: next hop of ExpressRoute gateway er-gw>",
      "VirtualNetworkGateway Invalid 10.0.0.0/16 VirtualNetworkGateway <unknown: next hop of ExpressRoute gateway er-gw>",
      "VirtualNetworkGateway Active 10.0.0.0/8 VirtualNetworkGateway <unknown: next hop of ExpressRoute gateway er-gw>",
    ]);
    expect(rows).toContain("Default Invalid 10.0.0.0/8 None"); // BGP beats the other Default routes at one prefix
    expect(nextHop(table, "10.0.5.9").nextHopType).toBe("VnetLocal");
    expect(nextHop(table, "10.7.0.1").nextHopType).toBe("VirtualNetworkGateway");
    expect(table.unknowns.find((u) => u.includes("ExpressRoute gateway er-gw's routes"))).toMatch(
      /next hop IP .* is Unknown: Azure shows the circuit's Microsoft edge \(MSEE\) addresses/,
    );
  });
});

describe("service tags as user route prefixes (§2.4)", () => {
  it("tag routes expand to the tag's prefixes; CIDR beats tags, regional beats top-level beats AzureCloud", () => {
    const { table, rows } = summary(loadRouteFixture("service-tag-udr.json"), "vnet1/apim");
    expect(rows.filter((r) => r.startsWith("User"))).toEqual([
      "User Invalid 20.60.0.0/16 Internet",
      "User Active 20.60.0.0/16,52.239.0.0/16 VirtualAppliance 10.0.9.4",
      "User Active 20.60.0.0/16,40.0.0.0/8,52.239.0.0/16,104.40.0.0/17 None",
      "User Active 20.60.0.0/16 VirtualAppliance 10.0.9.5",
      "User Active 0.0.0.0/0 VirtualAppliance 10.0.9.4",
    ]);
    expect(nextHop(table, "20.60.1.1")).toMatchObject({ routeName: "exact-cidr", nextHopIpAddress: "10.0.9.5" });
    expect(nextHop(table, "52.239.1.1")).toMatchObject({ routeName: "storage-all", nextHopType: "VirtualAppliance" });
    expect(nextHop(table, "40.1.1.1")).toMatchObject({ routeName: "cloud-all", nextHopType: "None" });
    expect(nextHop(table, "104.40.1.1")).toMatchObject({ routeName: "cloud-all" });
    expect(nextHop(table, "8.8.8.8")).toMatchObject({ routeName: "default-nva" });
    const origin = nextHop(table, "52.239.1.1").row?.origin;
    expect(origin).toMatchObject({ kind: "user", serviceTag: "Storage", route: { name: "storage-all" } });
  });

  it("without the CIDR route, the regional tag wins the shared prefix", () => {
    const topology = loadRouteFixture("service-tag-udr.json");
    const routes = topology.model.routeTables[0]!.routes;
    routes.splice(
      routes.findIndex((r) => r.name === "exact-cidr"),
      1,
    );
    const { table } = summary(topology, "vnet1/apim");
    expect(nextHop(table, "20.60.1.1")).toMatchObject({ routeName: "storage-regional", nextHopType: "Internet" });
  });

  it("an unknown tag is reported and makes next hops uncertain, never an empty set", () => {
    const topology = loadRouteFixture("service-tag-udr.json");
    topology.model.routeTables[0]!.routes[0]!.addressPrefix = "NotATag";
    const { table } = summary(topology, "vnet1/apim");
    expect(table.routes.some((r) => r.route.name === "storage-regional")).toBe(false);
    expect(nextHop(table, "8.8.8.8").unknowns[0]).toMatch(
      /storage-regional .*NotATag is neither a CIDR nor a service tag/,
    );
  });
});
