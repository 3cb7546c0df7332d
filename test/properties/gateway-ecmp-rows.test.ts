/**
 * Property (issue 14, Done when): the rows gateways and Route Servers give a subnet (active-standby and
 * active-active VPN instances, stated next hops, ECMP across NVAs) equal, as multisets, those of a naive
 * programme of the same routes written plainly below from the reference: one row per prefix per next hop
 * (semantics-2 §7.4 rules 1-3 and 5, §8.2; part 1 §2.11 O5, O6), none where the route table disables
 * propagation (§8.4), none for a Route Server prefix inside the hub's or a transit spoke's range. Networks are
 * generated: a hub with a VPN gateway and a Route Server with 0-3 BGP connections, optionally a spoke using
 * the hub by gateway transit, random advertised prefixes and next hops.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { effectiveRoutes, toEffectiveRouteJson } from "../../src/engine/routes/index.js";
import { loadInputs } from "../../src/ingest/load.js";
import { parsePrefix } from "../../src/model/ip.js";
import type { Assumptions } from "../../src/model/network.js";
import { Topology } from "../../src/model/topology.js";
import { writeTemp } from "../helpers/edit-fixture.js";
import { peeringNode, routeServerNodes, SUB, subnetNode, vnetNode } from "../helpers/network-nodes.js";
import { testCatalog } from "../helpers/routes.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);
const src = { file: "assume.yaml", pointer: "", line: 1, column: 1 };
const catalog = testCatalog();

// Disjoint pools: which of a gateway and an NVA wins one prefix depends on AS paths no input holds (§7.4 rule 6).
const GATEWAY_POOL = [
  "0.0.0.0/0",
  "192.168.0.0/16",
  "192.168.10.0/24",
  "172.16.0.0/12",
  "10.0.0.0/8",
  "203.0.113.0/24",
];
const NVA_POOL = ["10.50.0.0/16", "10.60.0.0/16", "172.20.0.0/16", "100.64.0.0/10", "10.0.128.0/20", "10.1.5.0/24"];
const HOP = fc.integer({ min: 10, max: 30 }).map((n) => `10.0.2.${n}`);

const scenario = fc.record({
  activeActive: fc.boolean(),
  gatewayPrefixes: fc.uniqueArray(fc.constantFrom(...GATEWAY_POOL), { maxLength: 4 }),
  gatewayHops: fc.option(fc.uniqueArray(HOP, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  connections: fc.array(
    fc.record({
      prefixes: fc.uniqueArray(fc.constantFrom(...NVA_POOL), { minLength: 1, maxLength: 4 }),
      hops: fc.option(fc.uniqueArray(HOP, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    }),
    { maxLength: 3 },
  ),
  spoke: fc.boolean(),
  disabled: fc.boolean(),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const INSTANCES = ["10.0.255.4", "10.0.255.5"];
const PUBLIC_IP = "20.7.7.7";
const peerIp = (i: number) => `10.0.2.${4 + i}`;

/** The scenario as ARM resources and --assume facts. */
function build(s: Scenario): Topology {
  const table = { routeTable: { id: `${SUB}/routeTables/rt` } };
  const hubSubnets = [
    subnetNode("hub", "GatewaySubnet", "10.0.255.0/27"),
    subnetNode("hub", "RouteServerSubnet", "10.0.3.0/26"),
    subnetNode("hub", "apps", "10.0.1.0/24", table),
  ];
  const nodes: object[] = [
    {
      type: "Microsoft.Network/routeTables",
      name: "rt",
      id: `${SUB}/routeTables/rt`,
      properties: { disableBgpRoutePropagation: s.disabled, routes: [] },
    },
    vnetNode(
      "hub",
      "10.0.0.0/16",
      hubSubnets,
      s.spoke ? [peeringNode("hub", "spoke", { allowGatewayTransit: true })] : [],
    ),
    {
      type: "Microsoft.Network/publicIPAddresses",
      name: "pip",
      id: `${SUB}/publicIPAddresses/pip`,
      properties: { ipAddress: PUBLIC_IP },
    },
    {
      type: "Microsoft.Network/virtualNetworkGateways",
      name: "gw",
      id: `${SUB}/virtualNetworkGateways/gw`,
      properties: {
        gatewayType: "Vpn",
        activeActive: s.activeActive,
        enableBgp: true,
        bgpSettings: {
          asn: 65515,
          bgpPeeringAddresses: (s.activeActive ? INSTANCES : INSTANCES.slice(0, 1)).map((ip) => ({
            defaultBgpIpAddresses: [ip],
            customBgpIpAddresses: [],
            tunnelIpAddresses: [],
          })),
        },
        ipConfigurations: (s.activeActive ? ["a", "b"] : ["a"]).map((n) => ({
          name: n,
          properties: {
            subnet: { id: `${SUB}/virtualNetworks/hub/subnets/GatewaySubnet` },
            publicIPAddress: { id: `${SUB}/publicIPAddresses/pip` },
          },
        })),
      },
    },
    ...routeServerNodes(
      "hub",
      s.connections.map((_, i) => ({ name: `nva${i}`, peerIp: peerIp(i) })),
    ),
  ];
  if (s.spoke)
    nodes.push(
      vnetNode(
        "spoke",
        "10.1.0.0/16",
        [subnetNode("spoke", "apps", "10.1.0.0/24", table)],
        [peeringNode("spoke", "hub", { useRemoteGateways: true })],
      ),
    );
  const topology = new Topology(loadInputs([writeTemp("gateway-ecmp.json", nodes)]).model);
  const assumptions: Assumptions = {
    gatewayRoutes:
      s.gatewayPrefixes.length > 0
        ? [{ gateway: "gw", prefixes: s.gatewayPrefixes, nextHopIpAddress: s.gatewayHops, src }]
        : [],
    routeServerRoutes: s.connections.map((c, i) => ({
      routeServer: "rs",
      bgpConnection: `nva${i}`,
      prefixes: c.prefixes,
      nextHopIpAddress: c.hops,
      src,
    })),
  };
  topology.model.assumptions = assumptions;
  return topology;
}

/** True when `prefix` lies inside `range` (both IPv4 CIDR). */
function inside(prefix: string, range: string): boolean {
  const p = parsePrefix(prefix)!;
  const r = parsePrefix(range)!;
  return r.first <= p.first && p.last <= r.last;
}

/** The naive programme: every stated route, one row per next hop, as the reference describes it. */
function naive(s: Scenario): string[] {
  if (s.disabled) return [];
  const rows: string[] = [];
  const row = (prefix: string, hop: string) => `VirtualNetworkGateway Active ${prefix} VirtualNetworkGateway ${hop}`;
  const gatewayHops = s.gatewayHops ?? (s.activeActive ? INSTANCES : [PUBLIC_IP]);
  for (const prefix of s.gatewayPrefixes) for (const hop of gatewayHops) rows.push(row(prefix, hop));
  const vnetRanges = s.spoke ? ["10.0.0.0/16", "10.1.0.0/16"] : ["10.0.0.0/16"];
  s.connections.forEach((c, i) => {
    for (const prefix of c.prefixes) {
      if (vnetRanges.some((r) => inside(prefix, r))) continue;
      for (const hop of c.hops ?? [peerIp(i)]) rows.push(row(prefix, hop));
    }
  });
  return rows.sort();
}

/** The engine's gateway-sourced rows of a subnet, as the same lines. */
function computed(topology: Topology, subnet: string): string[] {
  const table = effectiveRoutes(topology, topology.findSubnet(subnet)!, catalog);
  return toEffectiveRouteJson(table)
    .value.filter((r) => r.source === "VirtualNetworkGateway")
    .map((r) => `${r.source} ${r.state} ${r.addressPrefix.join(",")} ${r.nextHopType} ${r.nextHopIpAddress.join(",")}`)
    .sort();
}

describe("gateway and Route Server rows against a naive programme (multisets)", () => {
  it("the hub's subnet and a transit spoke's get exactly the naive rows", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const topology = build(s);
        const expected = naive(s);
        expect(computed(topology, "hub/apps")).toEqual(expected);
        if (s.spoke) expect(computed(topology, "spoke/apps")).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });
});
