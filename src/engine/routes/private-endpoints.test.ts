import { describe, expect, it } from "vitest";
import { writeTemp } from "../../../test/helpers/edit-fixture.js";
import { testCatalog } from "../../../test/helpers/routes.js";
import { loadInputs } from "../../ingest/load.js";
import { Topology } from "../../model/topology.js";
import { effectiveRoutes, toEffectiveRouteJson } from "./effective.js";
import { nextHop } from "./next-hop.js";
import { endpointPolicies } from "./private-endpoints.js";

const catalog = testCatalog();
const SUB = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network";

function vnet(name: string, range: string, subnets: object[], peers: string[]) {
  return {
    type: "Microsoft.Network/virtualNetworks",
    name,
    id: `${SUB}/virtualNetworks/${name}`,
    location: "westeurope",
    properties: {
      addressSpace: { addressPrefixes: [range] },
      subnets,
      virtualNetworkPeerings: peers.map((p) => ({
        name: `${name}-to-${p}`,
        properties: {
          remoteVirtualNetwork: { id: `${SUB}/virtualNetworks/${p}` },
          allowVirtualNetworkAccess: true,
        },
      })),
    },
  };
}

const subnet = (vnetName: string, name: string, prefix: string, extra: object = {}) => ({
  name,
  id: `${SUB}/virtualNetworks/${vnetName}/subnets/${name}`,
  properties: { addressPrefix: prefix, ...extra },
});

/** hub (10.0.0.0/16) holds the endpoint; spoke peers with hub; far peers with spoke only (two hops away). */
function topologyWith(
  policies: string | undefined,
  userPrefix?: string,
  ips = ["10.0.2.4"],
  exported = false,
): Topology {
  const rt = userPrefix
    ? [
        {
          type: "Microsoft.Network/routeTables",
          name: "rt",
          id: `${SUB}/routeTables/rt`,
          properties: {
            routes: [
              {
                name: "to-fw",
                properties: {
                  addressPrefix: userPrefix,
                  nextHopType: "VirtualAppliance",
                  nextHopIpAddress: "10.0.1.4",
                },
              },
            ],
          },
        },
      ]
    : [];
  const spokeSubnet = subnet(
    "spoke",
    "apps",
    "10.1.0.0/24",
    userPrefix ? { routeTable: { id: `${SUB}/routeTables/rt` } } : {},
  );
  const nodes = [
    ...rt,
    vnet(
      "hub",
      "10.0.0.0/16",
      [subnet("hub", "pe", "10.0.2.0/24", policies ? { privateEndpointNetworkPolicies: policies } : {})],
      ["spoke"],
    ),
    vnet("spoke", "10.1.0.0/16", [spokeSubnet], ["hub", "far"]),
    vnet("far", "10.2.0.0/16", [subnet("far", "apps", "10.2.0.0/24")], ["spoke"]),
    {
      type: "Microsoft.Network/privateEndpoints",
      name: "pe-kv",
      id: `${SUB}/privateEndpoints/pe-kv`,
      properties: {
        subnet: { id: `${SUB}/virtualNetworks/hub/subnets/pe` },
        privateLinkServiceConnections: [
          {
            name: "c",
            properties: {
              privateLinkServiceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
              groupIds: ["vault"],
            },
          },
        ],
        // An export (az network private-endpoint show) carries the address in customDnsConfigs.
        ...(exported
          ? { customDnsConfigs: [{ fqdn: "kv.vault.azure.net", ipAddresses: ips }] }
          : { ipConfigurations: ips.map((ip) => ({ name: "ip", properties: { privateIPAddress: ip } })) }),
      },
    },
  ];
  return new Topology(loadInputs([writeTemp("private-endpoints.json", nodes)]).model);
}

const peRow = {
  name: null,
  source: "Default",
  state: "Active",
  addressPrefix: ["10.0.2.4/32"],
  nextHopType: "InterfaceEndpoint",
  nextHopIpAddress: [],
  disableBgpRoutePropagation: false,
};

function rowsOf(t: Topology, path: string) {
  return toEffectiveRouteJson(effectiveRoutes(t, t.findSubnet(path)!, catalog)).value;
}

describe("private endpoint /32 rows (reference part 2 §9.1)", () => {
  it("appear in the endpoint's VNet and in a directly peered VNet, not two peerings away", () => {
    const t = topologyWith(undefined);
    expect(rowsOf(t, "hub/pe")).toContainEqual(peRow);
    expect(rowsOf(t, "spoke/apps")).toContainEqual(peRow);
    expect(rowsOf(t, "far/apps").filter((r) => r.nextHopType === "InterfaceEndpoint")).toEqual([]);
  });

  it("an export's customDnsConfigs give the address as well", () => {
    expect(rowsOf(topologyWith(undefined, undefined, ["10.0.2.4"], true), "spoke/apps")).toContainEqual(peRow);
  });

  it("an endpoint without an address leaves its subnet's range uncertain instead of a row", () => {
    const t = topologyWith(undefined, undefined, []);
    const table = effectiveRoutes(t, t.findSubnet("spoke/apps")!, catalog);
    expect(table.routes.some((r) => r.route.nextHopType === "InterfaceEndpoint")).toBe(false);
    expect(table.uncertain.some((u) => u.reason.includes("pe-kv") && u.covers !== "all")).toBe(true);
  });

  it("a 0.0.0.0/0 user route never takes the endpoint's traffic, whatever the policies", () => {
    for (const p of ["Disabled", "Enabled", "RouteTableEnabled"]) {
      const t = topologyWith(p, "0.0.0.0/0");
      const hop = nextHop(effectiveRoutes(t, t.findSubnet("spoke/apps")!, catalog), "10.0.2.4");
      expect(hop.nextHopType).toBe("InterfaceEndpoint");
    }
  });

  it("a user route as specific as the endpoint VNet's range takes it only with route-table policies (§9.3 rule B)", () => {
    const expected: Record<string, string> = {
      Disabled: "InterfaceEndpoint",
      NetworkSecurityGroupEnabled: "InterfaceEndpoint",
      RouteTableEnabled: "VirtualAppliance",
      Enabled: "VirtualAppliance",
    };
    for (const [p, hopType] of Object.entries(expected)) {
      const t = topologyWith(p, "10.0.0.0/16");
      const table = effectiveRoutes(t, t.findSubnet("spoke/apps")!, catalog);
      expect(nextHop(table, "10.0.2.4").nextHopType, p).toBe(hopType);
      const state = table.routes.find((r) => r.route.nextHopType === "InterfaceEndpoint")!.route.state;
      expect(state, p).toBe(hopType === "InterfaceEndpoint" ? "Active" : "Invalid");
    }
    // Shorter than the VNet's range: never overrides.
    const t = topologyWith("Enabled", "10.0.0.0/8");
    expect(nextHop(effectiveRoutes(t, t.findSubnet("spoke/apps")!, catalog), "10.0.2.4").nextHopType).toBe(
      "InterfaceEndpoint",
    );
  });

  it("an exact /32 user route wins by selection even with policies disabled (rule A)", () => {
    const t = topologyWith("Disabled", "10.0.2.4/32");
    expect(nextHop(effectiveRoutes(t, t.findSubnet("spoke/apps")!, catalog), "10.0.2.4").nextHopType).toBe(
      "VirtualAppliance",
    );
  });

  it("reads the four policy values of §9.2 and says Unknown for another", () => {
    expect(endpointPolicies(undefined)).toMatchObject({ nsg: false, routeTable: false });
    expect(endpointPolicies("NetworkSecurityGroupEnabled")).toMatchObject({ nsg: true, routeTable: false });
    expect(endpointPolicies("Sometimes").unknown).toContain("Sometimes");
  });
});
