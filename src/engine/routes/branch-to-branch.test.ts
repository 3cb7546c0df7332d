/**
 * Route Server branch-to-branch (semantics-2 §7.6): with allowBranchToBranchTraffic true the gateway learns the
 * NVA's prefixes (and on-premises with it, except a default route through a VPN gateway) and the NVAs learn the
 * gateway's on-premises prefixes; false: nothing passes. A VPN gateway that is not active-active makes it Unknown.
 * The subnets' effective routes are the same either way (§7.4 rules 3 and 7).
 */
import { describe, expect, it } from "vitest";
import { writeTemp } from "../../../test/helpers/edit-fixture.js";
import { routeServerNodes, SUB, subnetNode, vnetNode } from "../../../test/helpers/network-nodes.js";
import { multiset, TEST_SERVICE_TAGS, testCatalog } from "../../../test/helpers/routes.js";
import { main } from "../../cli/main.js";
import { loadInputs } from "../../ingest/load.js";
import type { Assumptions } from "../../model/network.js";
import { Topology } from "../../model/topology.js";
import { branchToBranch, branchToBranchLines } from "./branch-to-branch.js";
import { effectiveRoutes, toEffectiveRouteJson } from "./effective.js";

const src = { file: "assume.yaml", pointer: "", line: 2, column: 5 };

/** A hub with Route Server rs (BGP connection nva1), a gateway of `kind`, and a local network gateway 192.168.0.0/16. */
function hub(opts: { b2b: boolean; kind: "vpn-aa" | "vpn-as" | "er" }): Topology {
  const t = new Topology(loadInputs([hubFile(opts)]).model);
  const vpn = opts.kind !== "er";
  const assumptions: Assumptions = {
    gatewayRoutes: vpn ? [] : [{ gateway: "gw", prefixes: ["172.16.0.0/12"], src }],
    routeServerRoutes: [{ routeServer: "rs", bgpConnection: "nva1", prefixes: ["10.50.0.0/16", "0.0.0.0/0"], src }],
  };
  t.model.assumptions = assumptions;
  return t;
}

/** The hub's resources as an export file. */
function hubFile(opts: { b2b: boolean; kind: "vpn-aa" | "vpn-as" | "er" }): string {
  const vpn = opts.kind !== "er";
  const nodes = [
    vnetNode("hub", "10.0.0.0/16", [
      subnetNode("hub", "RouteServerSubnet", "10.0.3.0/26"),
      subnetNode("hub", "GatewaySubnet", "10.0.255.0/27"),
      subnetNode("hub", "nva", "10.0.2.0/24"),
    ]),
    ...routeServerNodes("hub", [{ name: "nva1", peerIp: "10.0.2.4" }], { allowBranchToBranchTraffic: opts.b2b }),
    {
      type: "Microsoft.Network/virtualNetworkGateways",
      name: "gw",
      id: `${SUB}/virtualNetworkGateways/gw`,
      properties: {
        gatewayType: vpn ? "Vpn" : "ExpressRoute",
        activeActive: opts.kind === "vpn-aa",
        enableBgp: false,
        bgpSettings: { asn: 65515 },
        ipConfigurations: ["a", "b"].map((n, i) => ({
          name: n,
          properties: {
            privateIPAddress: `10.0.255.${4 + i}`,
            subnet: { id: `${SUB}/virtualNetworks/hub/subnets/GatewaySubnet` },
          },
        })),
      },
    },
    {
      type: "Microsoft.Network/localNetworkGateways",
      name: "branch",
      id: `${SUB}/localNetworkGateways/branch`,
      properties: {
        gatewayIpAddress: "203.0.113.1",
        localNetworkAddressSpace: { addressPrefixes: ["192.168.0.0/16"] },
      },
    },
    {
      type: "Microsoft.Network/connections",
      name: "to-branch",
      id: `${SUB}/connections/to-branch`,
      properties: {
        connectionType: vpn ? "IPsec" : "ExpressRoute",
        enableBgp: false,
        virtualNetworkGateway1: { id: `${SUB}/virtualNetworkGateways/gw` },
        ...(vpn ? { localNetworkGateway2: { id: `${SUB}/localNetworkGateways/branch` } } : {}),
      },
    },
  ];
  return writeTemp("b2b.json", nodes);
}

const exchange = (t: Topology) => branchToBranch(t, t.vnets.get(`${SUB}/virtualNetworks/hub`)!);
const passed = (
  routes: { prefix: string; from: { name: string }; to: { name: string }; advertisedOnPremises?: boolean }[],
) =>
  routes.map(
    (r) => `${r.from.name} > ${r.to.name} ${r.prefix}${r.advertisedOnPremises === false ? " (not on-premises)" : ""}`,
  );

describe("Route Server branch-to-branch (§7.6)", () => {
  it("false: nothing passes either way, and the answer says so", () => {
    const [x, ...rest] = exchange(hub({ b2b: false, kind: "vpn-aa" }));
    expect(rest).toEqual([]);
    expect(x!.toGateways).toEqual([]);
    expect(x!.toNvas).toEqual([]);
    expect(branchToBranchLines(x!).join("\n")).toMatch(
      /allowBranchToBranchTraffic false: it passes no route between its NVAs and gateway gw/,
    );
  });

  it("true, active-active VPN gateway: NVA prefixes reach the gateway (a default route not on-premises), its prefixes reach the NVA", () => {
    const [x] = exchange(hub({ b2b: true, kind: "vpn-aa" }));
    expect(passed(x!.toGateways)).toEqual(["nva1 > gw 10.50.0.0/16", "nva1 > gw 0.0.0.0/0 (not on-premises)"]);
    expect(passed(x!.toNvas)).toEqual(["gw > nva1 192.168.0.0/16"]);
    expect(x!.unknowns).toEqual([]);
    expect(x!.assumptions.join("\n")).toContain("NO_ADVERTISE");
    const lines = branchToBranchLines(x!).join("\n");
    expect(lines).toMatch(/gateway gw learns from BGP connection nva1 10\.50\.0\.0\/16 \(--assume assume\.yaml:2:5\)/);
    expect(lines).toMatch(
      /BGP connection nva1 learns from gateway gw 192\.168\.0\.0\/16 \(local network gateway branch/,
    );
  });

  it("true, ExpressRoute gateway: the circuit's stated prefixes reach the NVA, and the NVA's default route reaches on-premises", () => {
    const [x] = exchange(hub({ b2b: true, kind: "er" }));
    expect(passed(x!.toGateways)).toEqual(["nva1 > gw 10.50.0.0/16", "nva1 > gw 0.0.0.0/0"]);
    expect(passed(x!.toNvas)).toEqual(["gw > nva1 172.16.0.0/12"]);
  });

  it("true, active-standby VPN gateway: Azure requires active-active, so whether routes pass is Unknown", () => {
    const [x] = exchange(hub({ b2b: true, kind: "vpn-as" }));
    expect(x!.toGateways).toEqual([]);
    expect(x!.unknowns.join("\n")).toMatch(/only when active-active; whether routes pass is unknown/);
  });

  it("an NVA whose advertisements no input states leaves what the gateway learns Unknown", () => {
    const t = hub({ b2b: true, kind: "vpn-aa" });
    t.model.assumptions.routeServerRoutes = [];
    const [x] = exchange(t);
    expect(x!.unknowns.join("\n")).toMatch(
      /BGP connection nva1 .* no input states, so what gateway gw learns from it is unknown/,
    );
  });

  it("does not change any subnet's effective routes", () => {
    const catalog = testCatalog();
    for (const kind of ["vpn-aa", "er"] as const) {
      const table = (b2b: boolean) => {
        const t = hub({ b2b, kind });
        return multiset(toEffectiveRouteJson(effectiveRoutes(t, t.findSubnet("hub/nva")!, catalog)).value);
      };
      expect(table(true)).toEqual(table(false));
    }
  });

  it("an ExpressRoute prefix an NVA also advertises: ExpressRoute is preferred; with branch-to-branch on, Unknown", () => {
    const catalog = testCatalog();
    for (const b2b of [false, true]) {
      const t = hub({ b2b, kind: "er" });
      t.model.assumptions.gatewayRoutes[0]!.prefixes.push("10.50.0.0/16");
      const table = effectiveRoutes(t, t.findSubnet("hub/nva")!, catalog);
      const at = table.routes
        .filter((r) => r.route.addressPrefix[0] === "10.50.0.0/16")
        .map((r) => `${r.origin.kind} ${r.route.state}`);
      expect(at).toEqual(["assumption Active", "routeServer Invalid"]);
      expect(table.assumptions.join("\n")).toMatch(
        /at 10\.50\.0\.0\/16 the routes of ExpressRoute gateway gw are preferred over those of Route Server rs/,
      );
      const unknown = table.uncertain.find((u) => u.reason.includes("hubRoutingPreference"));
      expect(unknown?.covers !== undefined).toBe(b2b);
    }
  });

  it("routes prints the exchange beside the table, and JSON carries it beside value", async () => {
    const file = hubFile({ b2b: true, kind: "vpn-aa" });
    const assume = writeTemp(
      "b2b.assume.yaml",
      "routeServerRoutes:\n  - routeServer: rs\n    bgpConnection: nva1\n    prefixes: [10.50.0.0/16]\n",
    );
    let out = "";
    const io = { out: (x: string) => (out += x), err: () => {}, isTty: false, env: {} };
    await main(["routes", file, "--assume", assume, "--subnet", "hub/nva", "--service-tags", TEST_SERVICE_TAGS], io);
    expect(out).toMatch(
      /^Branch-to-branch: Route Server rs: gateway gw learns from BGP connection nva1 10\.50\.0\.0\/16/m,
    );
    out = "";
    await main(
      [
        "routes",
        file,
        "--assume",
        assume,
        "--subnet",
        "hub/nva",
        "--format",
        "json",
        "--service-tags",
        TEST_SERVICE_TAGS,
      ],
      io,
    );
    const json = JSON.parse(out);
    expect(json.branchToBranch[0]).toMatchObject({
      routeServer: { name: "rs" },
      allowBranchToBranchTraffic: true,
      toGateways: [{ prefix: "10.50.0.0/16", from: { name: "nva1" }, to: { name: "gw" }, advertisedOnPremises: true }],
      toNvas: [{ prefix: "192.168.0.0/16", from: { name: "gw" }, to: { name: "nva1" } }],
    });
  });
});
