import { describe, expect, it } from "vitest";
import { writeTemp } from "../../../test/helpers/edit-fixture.js";
import { multiset, testCatalog } from "../../../test/helpers/routes.js";
import { loadInputs } from "../../ingest/load.js";
import type { AssumedRouteServerRoutes, EffectiveRoute } from "../../model/network.js";
import { Topology } from "../../model/topology.js";
import { effectiveRoutes, toEffectiveRouteJson } from "./effective.js";

const catalog = testCatalog();
const SUB = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network";
const src = { file: "assume.yaml", pointer: "", line: 1, column: 1 };

/** hub 10.0.0.0/16 with Route Server rs and two NVAs; spoke uses it by gateway transit when `transit`. */
function topology(
  routes: Omit<AssumedRouteServerRoutes, "src" | "routeServer">[],
  opts: { transit?: boolean; disablePropagation?: boolean } = {},
) {
  const subnet = (v: string, n: string, p: string, extra: object = {}) => ({
    name: n,
    id: `${SUB}/virtualNetworks/${v}/subnets/${n}`,
    properties: { addressPrefix: p, ...extra },
  });
  const peer = (from: string, to: string, flags: object) => ({
    name: `${from}-to-${to}`,
    properties: {
      remoteVirtualNetwork: { id: `${SUB}/virtualNetworks/${to}` },
      allowVirtualNetworkAccess: true,
      ...flags,
    },
  });
  const nodes = [
    {
      type: "Microsoft.Network/routeTables",
      name: "rt",
      id: `${SUB}/routeTables/rt`,
      properties: { disableBgpRoutePropagation: opts.disablePropagation ?? false, routes: [] },
    },
    {
      type: "Microsoft.Network/virtualNetworks",
      name: "hub",
      id: `${SUB}/virtualNetworks/hub`,
      properties: {
        addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
        subnets: [subnet("hub", "RouteServerSubnet", "10.0.3.0/26"), subnet("hub", "nva", "10.0.2.0/24")],
        virtualNetworkPeerings: [peer("hub", "spoke", { allowGatewayTransit: true })],
      },
    },
    {
      type: "Microsoft.Network/virtualNetworks",
      name: "spoke",
      id: `${SUB}/virtualNetworks/spoke`,
      properties: {
        addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
        subnets: [subnet("spoke", "apps", "10.1.0.0/24", { routeTable: { id: `${SUB}/routeTables/rt` } })],
        virtualNetworkPeerings: [peer("spoke", "hub", { useRemoteGateways: opts.transit ?? true })],
      },
    },
    { type: "Microsoft.Network/virtualHubs", name: "rs", id: `${SUB}/virtualHubs/rs`, properties: { sku: "Standard" } },
    {
      type: "Microsoft.Network/virtualHubs/ipConfigurations",
      name: "rs/ipconfig1",
      id: `${SUB}/virtualHubs/rs/ipConfigurations/ipconfig1`,
      properties: { subnet: { id: `${SUB}/virtualNetworks/hub/subnets/RouteServerSubnet` } },
    },
    ...["nva1", "nva2"].map((n, i) => ({
      type: "Microsoft.Network/virtualHubs/bgpConnections",
      name: `rs/${n}`,
      id: `${SUB}/virtualHubs/rs/bgpConnections/${n}`,
      properties: { peerIp: `10.0.2.${4 + i}`, peerAsn: 65001 },
    })),
  ];
  const t = new Topology(loadInputs([writeTemp("route-server.json", nodes)]).model);
  t.model.assumptions.routeServerRoutes = routes.map((r) => ({ ...r, routeServer: "rs", src }));
  return t;
}

const bgp = (prefix: string, hop: string): EffectiveRoute => ({
  name: null,
  source: "VirtualNetworkGateway",
  state: "Active",
  addressPrefix: [prefix],
  nextHopType: "VirtualNetworkGateway",
  nextHopIpAddress: [hop],
  disableBgpRoutePropagation: false,
});

function bgpRows(t: Topology, path: string) {
  const table = effectiveRoutes(t, t.findSubnet(path)!, catalog);
  return { table, rows: toEffectiveRouteJson(table).value.filter((r) => r.source === "VirtualNetworkGateway") };
}

describe("Route Server routes (reference part 2 §7.4)", () => {
  it("ECMP: the same prefix from two NVAs gives one Active row per next hop, in the hub and in a transit spoke", () => {
    const t = topology([
      { bgpConnection: "nva1", prefixes: ["10.50.0.0/16"] },
      { bgpConnection: "10.0.2.5", prefixes: ["10.50.0.0/16"] },
    ]);
    const expected = multiset([bgp("10.50.0.0/16", "10.0.2.4"), bgp("10.50.0.0/16", "10.0.2.5")]);
    expect(multiset(bgpRows(t, "hub/nva").rows)).toEqual(expected);
    expect(multiset(bgpRows(t, "spoke/apps").rows)).toEqual(expected);
  });

  it("a learnt 0.0.0.0/0 removes the Default Internet row; an explicit next hop is printed", () => {
    const t = topology([
      { bgpConnection: "nva1", prefixes: ["0.0.0.0/0"], nextHopIpAddress: ["10.0.2.10"] },
      { bgpConnection: "nva2", prefixes: ["10.60.0.0/16"] },
    ]);
    const { table, rows } = bgpRows(t, "spoke/apps");
    expect(multiset(rows)).toEqual(multiset([bgp("0.0.0.0/0", "10.0.2.10"), bgp("10.60.0.0/16", "10.0.2.5")]));
    expect(table.routes.some((r) => r.route.nextHopType === "Internet")).toBe(false);
  });

  it("gives nothing with propagation disabled or without useRemoteGateways; a prefix inside a VNet range is not programmed", () => {
    const routes = [{ bgpConnection: "nva1", prefixes: ["10.50.0.0/16", "10.0.5.0/24"] }];
    expect(bgpRows(topology(routes, { disablePropagation: true }), "spoke/apps").rows).toEqual([]);
    expect(bgpRows(topology(routes, { transit: false }), "spoke/apps").rows).toEqual([]);
    const { table, rows } = bgpRows(topology(routes), "hub/nva");
    expect(rows.map((r) => r.addressPrefix[0])).toEqual(["10.50.0.0/16"]);
    expect(table.assumptions.some((a) => a.includes("10.0.5.0/24") && a.includes("not programmed"))).toBe(true);
  });

  it("a BGP connection with nothing declared is an unknown over every destination, and transit says no 'no gateway'", () => {
    const { table, rows } = bgpRows(topology([{ bgpConnection: "nva1", prefixes: ["10.50.0.0/16"] }]), "spoke/apps");
    expect(rows).toHaveLength(1);
    expect(table.uncertain.find((u) => u.reason.includes("nva2"))?.covers).toBe("all");
    expect(table.unknowns.some((u) => u.includes("no virtual network gateway"))).toBe(false);
  });
});
