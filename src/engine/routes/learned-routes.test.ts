/**
 * A gateway's learned routes given as an `az network vnet-gateway list-learned-routes` export (issue 14 item 2):
 * read as the fact `--assume gatewayRoutes` states, the gateway found by the rows' localAddress, the prefixes
 * programmed with the gateway's own next hops (semantics-2 §8.2: an active-standby VPN gateway shows its public
 * IP, not the BGP next hop), not into a subnet that disables propagation, and never applied to a guessed gateway.
 */
import { describe, expect, it } from "vitest";
import { writeTemp } from "../../../test/helpers/edit-fixture.js";
import { routeFixture, testCatalog } from "../../../test/helpers/routes.js";
import { loadInputs } from "../../ingest/load.js";
import { loadServiceTagCatalog } from "../../ingest/servicetags/load.js";
import { Topology } from "../../model/topology.js";
import { explainMembership, virtualTagsForSubnet } from "../servicetags/virtual.js";
import { effectiveRoutes } from "./effective.js";

const catalog = testCatalog();

/** A list-learned-routes body as az prints it: both instances' tables, one after the other. */
function learned(local: string[], rows: { network: string; origin: string; nextHop?: string }[]) {
  return {
    value: local.flatMap((localAddress) =>
      rows.map((r) => ({
        asPath: r.origin === "Network" ? "" : "65010",
        localAddress,
        network: r.network,
        nextHop: r.nextHop ?? "",
        origin: r.origin,
        sourcePeer: r.nextHop ?? localAddress,
        weight: 32768,
      })),
    ),
  };
}

function load(exportBody: unknown) {
  const file = writeTemp("learned-routes.json", exportBody);
  const { model } = loadInputs([routeFixture("hub-spoke-gateway-transit.json"), file]);
  return { model, topology: new Topology(model), file };
}

function gatewayRows(topology: Topology, subnet: string) {
  const table = effectiveRoutes(topology, topology.findSubnet(subnet)!, catalog, { reservedRoutes: "docs-2023" });
  const rows = table.routes
    .filter((r) => r.origin.kind === "assumption")
    .map((r) => `${r.route.state} ${r.route.addressPrefix.join(",")} ${r.route.nextHopIpAddress.join(",")}`);
  return { table, rows };
}

describe("list-learned-routes export", () => {
  const body = learned(
    ["10.0.255.30"],
    [
      { network: "10.0.0.0/16", origin: "Network" },
      { network: "0.0.0.0/0", origin: "EBgp", nextHop: "192.168.255.1" },
      { network: "10.60.0.0/16", origin: "IBgp", nextHop: "192.168.255.1" },
    ],
  );

  it("is read as the gateway's learned prefixes: peer-learned rows once each, Network rows left to the templates", () => {
    const { model } = load(learned(["10.0.255.30", "10.0.255.31"], body.value));
    const [fact, ...rest] = model.assumptions.gatewayRoutes;
    expect(rest).toEqual([]);
    expect(fact).toMatchObject({
      gateway: "",
      prefixes: ["0.0.0.0/0", "10.60.0.0/16"],
      learnedRoutesExport: { localAddresses: ["10.0.255.30", "10.0.255.31"] },
    });
    expect(model.inputs.find((i) => i.file.endsWith("learned-routes.json"))?.format).toBe("gateway-learned-routes");
    expect(model.diagnostics.find((d) => d.code === "input/learned-routes")?.message).toMatch(
      /2 prefixes learned from BGP peers.* 2 rows of origin Network .* not used/,
    );
  });

  it("programs them with the gateway's next hop (its public IP), in its VNet and in a spoke by gateway transit", () => {
    const { topology } = load(body);
    for (const subnet of ["hub/shared", "spoke1/apim"]) {
      const { table, rows } = gatewayRows(topology, subnet);
      // The BGP next hop 192.168.255.1 is the on-premises router; Azure shows the gateway's address (§8.2).
      expect(rows).toEqual(["Active 0.0.0.0/0 20.7.7.7", "Active 10.60.0.0/16 20.7.7.7"]);
      expect(table.assumptions.join("\n")).toMatch(
        /gateway hub-vgw learns 0.0.0.0\/0, 10.60.0.0\/16 over BGP.*learned-routes export/,
      );
    }
  });

  it("gives nothing to a subnet whose route table disables gateway route propagation (§8.4)", () => {
    const { topology } = load(body);
    expect(gatewayRows(topology, "spoke1/isolated").rows).toEqual([]);
  });

  it("finds the gateway by its BGP address first, by its GatewaySubnet otherwise", () => {
    const { topology } = load(learned(["10.9.9.9"], body.value.slice(0, 3)));
    const gateway = topology.model.virtualNetworkGateways[0]!;
    gateway.bgpSettings = { asn: 65515, bgpPeeringAddress: "10.9.9.9" };
    expect(gatewayRows(topology, "hub/shared").rows).toHaveLength(2);
  });

  it("is not applied, and says why over the prefixes it holds, when no gateway has that instance address", () => {
    const { topology } = load(learned(["172.16.0.4"], body.value.slice(0, 3)));
    const { table, rows } = gatewayRows(topology, "hub/shared");
    expect(rows).toEqual([]);
    const reason = table.unknowns.find((u) => u.includes("learned-routes export"));
    expect(reason).toMatch(/no virtual network gateway in the inputs has instance address 172\.16\.0\.4.*not applied/);
    expect(table.uncertain.find((u) => u.reason === reason)?.covers).toHaveLength(2);
  });

  it("is not applied when two gateways share the GatewaySubnet that holds the address", () => {
    const { topology } = load(body);
    const [vpn] = topology.model.virtualNetworkGateways;
    topology.model.virtualNetworkGateways.push({
      ...vpn!,
      id: `${vpn!.id}-er`,
      name: "hub-ergw",
      gatewayType: "ExpressRoute",
    });
    const { table, rows } = gatewayRows(new Topology(topology.model), "hub/shared");
    expect(rows).toEqual([]);
    expect(table.unknowns.join("\n")).toMatch(
      /fits gateways hub-vgw and hub-ergw .*which learned these routes is unknown/,
    );
  });

  it("a network that is not a prefix is warned about and makes the gateway's answers Unknown", () => {
    const { model, topology } = load(learned(["10.0.255.30"], [{ network: "10.1.0.0", origin: "EBgp" }]));
    expect(model.diagnostics.find((d) => d.code === "input/invalid-learned-route")?.severity).toBe("warning");
    const { table } = gatewayRows(topology, "hub/shared");
    expect(table.uncertain.some((u) => u.covers === "all" && u.reason.includes("10.1.0.0"))).toBe(true);
  });

  it("its prefixes are on-premises ranges in the VirtualNetwork tag, as --assume's are (reference §1.4)", () => {
    const onPrem = learned(["10.0.255.30"], [{ network: "10.60.0.0/16", origin: "EBgp", nextHop: "192.168.255.1" }]);
    const { topology } = load(onPrem);
    const tag = virtualTagsForSubnet(
      topology,
      topology.findSubnet("hub/shared")!,
      loadServiceTagCatalog(),
    ).virtualNetwork;
    expect(tag.set.has("10.60.1.1")).toBe(true);
    expect(explainMembership(tag, "10.60.1.1").parts[0]!.kind).toBe("assumed-gateway-routes");
  });

  it("reads Get-AzVirtualNetworkGatewayLearnedRoute's documented example: static and own rows (Network) left out", () => {
    // The example of the cmdlet's page: two static routes (origin Network) and one learned over BGP.
    const documented = {
      value: [
        {
          asPath: "",
          localAddress: "10.0.255.30",
          network: "10.1.0.0/16",
          nextHop: "",
          origin: "Network",
          sourcePeer: "10.0.255.30",
          weight: 32768,
        },
        {
          asPath: "",
          localAddress: "10.0.255.30",
          network: "10.0.0.254/32",
          nextHop: "",
          origin: "Network",
          sourcePeer: "10.0.255.30",
          weight: 32768,
        },
        {
          asPath: "65515",
          localAddress: "10.0.255.30",
          network: "10.70.0.0/16",
          nextHop: "10.0.0.254",
          origin: "EBgp",
          sourcePeer: "10.0.0.254",
          weight: 32768,
        },
      ],
    };
    const { model, topology } = load(documented);
    expect(model.assumptions.gatewayRoutes[0]?.prefixes).toEqual(["10.70.0.0/16"]);
    expect(gatewayRows(topology, "hub/shared").rows).toEqual(["Active 10.70.0.0/16 20.7.7.7"]);
  });

  it("an export with nothing learned from a peer says the gateway learns nothing over BGP", () => {
    const { topology } = load(learned(["10.0.255.30"], [{ network: "10.0.0.0/16", origin: "Network" }]));
    const { table, rows } = gatewayRows(topology, "hub/shared");
    expect(rows).toEqual([]);
    expect(table.assumptions.join("\n")).toMatch(/gateway hub-vgw learns nothing over BGP — the learned-routes export/);
  });
});
