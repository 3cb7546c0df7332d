/**
 * APIM-FORCED-TUNNEL through an ExpressRoute gateway (issue 14 item 2): the circuit advertises 0.0.0.0/0 to the
 * hub's ExpressRoute gateway, APIM sits in a spoke that uses the hub's gateway by gateway transit. The learned
 * routes are stated two ways, `--assume gatewayRoutes` and an `az network vnet-gateway list-learned-routes`
 * export; both give the finding with the gateway, where the learned route was stated and both peering halves,
 * and the fix (a user route ApiManagement → Internet), applied to the template, makes it go away.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/control-plane-returns-to-internet.js";
import type { Finding } from "../../src/checks/types.js";
import { writeTemp } from "../helpers/edit-fixture.js";
import { applyArmFix, checkFixture, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
const TEMPLATE = fx("expressroute-transit.json");
const EXPORT = fx("expressroute-learned-routes.json");
const assume = { assume: fx("expressroute-transit.assume.yaml") };

function expectEvidence(f: Finding | undefined, stated: RegExp): void {
  expect(f!.severity).toBe("error");
  expectMessage(f, "misrouted", { origin: expect.stringMatching(stated) });
  const row = f!.evidence.find((e) => e.kind === "effective-route")!;
  expect(row.data).toMatchObject({
    source: "VirtualNetworkGateway",
    addressPrefix: ["0.0.0.0/0"],
    nextHopType: "VirtualNetworkGateway",
    // Semantics-2 §8.3: the MSEE addresses are in no input, so the address is Unknown and said so.
    nextHopIpAddress: [expect.stringMatching(/^<unknown: next hop of ExpressRoute gateway ergw-hub>$/)],
  });
  const gateway = f!.evidence.find((e) => e.kind === "gateway")!;
  expect(gateway.text).toContain("virtual network gateway ergw-hub");
  expect(gateway.location?.file).toMatch(/expressroute-transit\.json$/);
  const peerings = f!.evidence.filter((e) => e.kind === "peering").map((e) => e.text);
  expect(peerings.join("\n")).toMatch(
    /apim-to-hub of vnet-apim: useRemoteGateways true[\s\S]*hub-to-apim of vnet-hub: allowGatewayTransit true/,
  );
}

describe("APIM-FORCED-TUNNEL through an ExpressRoute gateway", () => {
  it("fires on 0.0.0.0/0 declared with --assume, the row located at the --assume line", () => {
    const [f, ...rest] = runCheck(check, [TEMPLATE], assume);
    expect(rest).toEqual([]);
    expectEvidence(
      f,
      /gateway ergw-hub declared with --assume .*expressroute-transit\.assume\.yaml:3:5.*peering apim-to-hub \(gateway transit\)/,
    );
    expect(f!.evidence.find((e) => e.kind === "effective-route")?.location).toMatchObject({ line: 3, column: 5 });
  });

  it("fires on 0.0.0.0/0 in a list-learned-routes export, the row located in the export", () => {
    const [f, ...rest] = runCheck(check, [TEMPLATE, EXPORT]);
    expect(rest).toEqual([]);
    expectEvidence(
      f,
      /gateway ergw-hub given by the learned-routes export .*expressroute-learned-routes\.json:\d+:\d+/,
    );
    // The row that gave 0.0.0.0/0 (line 12), not the export's first row.
    expect(f!.evidence.find((e) => e.kind === "effective-route")?.location?.line).toBe(12);
    expect(f!.evidence.find((e) => e.kind === "effective-route")?.location?.file).toMatch(
      /expressroute-learned-routes\.json$/,
    );
  });

  it("without either, the ExpressRoute connection's BGP routes leave it Unknown (a warning), never a pass", () => {
    const [f] = runCheck(check, [TEMPLATE]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "routeUnknown", { why: expect.stringContaining("connection cn-hub-er learns routes over BGP") });
  });

  it("stays silent when the APIM subnet's route table disables gateway route propagation (semantics-2 §8.4)", () => {
    const template = JSON.parse(readFileSync(TEMPLATE, "utf8"));
    template.resources.push({
      type: "Microsoft.Network/routeTables",
      apiVersion: "2023-05-01",
      name: "rt-apim",
      location: "westeurope",
      properties: { disableBgpRoutePropagation: true, routes: [] },
    });
    const vnet = template.resources.find((r: { name: string }) => r.name === "vnet-apim");
    vnet.properties.subnets[0].properties.routeTable = {
      id: "[resourceId('Microsoft.Network/routeTables', 'rt-apim')]",
    };
    const isolated = writeTemp("expressroute-no-propagation.json", template);
    expect(runCheck(check, [isolated, EXPORT])).toEqual([]);
    expect(runCheck(check, [isolated], assume)).toEqual([]);
  });

  it("its fix, applied to the template, makes the finding go away (with --assume, with the export, and with neither)", () => {
    const [f] = runCheck(check, [TEMPLATE], assume);
    const fixed = applyArmFix(TEMPLATE, f!);
    expect(runCheck(check, [fixed], assume)).toEqual([]);
    expect(runCheck(check, [fixed, EXPORT])).toEqual([]);
    expect(runCheck(check, [fixed])).toEqual([]);
  });
});
