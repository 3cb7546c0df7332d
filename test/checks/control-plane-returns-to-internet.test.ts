import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/control-plane-returns-to-internet.js";
import { applyArmFix, checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
const assume = { assume: fx("gateway-transit-bgp.assume.yaml") };

describe("APIM-FORCED-TUNNEL", () => {
  it("fires on a user 0.0.0.0/0 to the firewall, naming the route, its table and the portal symptom", () => {
    const [f, ...rest] = runCheck(check, [fx("udr-default-to-firewall.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    // The symptom (ManagementApiRequestFailed) and the legacy note are in the template (test/golden/messages.txt).
    expectMessage(f, "misrouted", {
      prefixes: "0.0.0.0/0",
      origin: "user route rt-apim/default-to-firewall",
      what: "sends them to VirtualAppliance 10.0.1.4",
    });
    const row = f!.evidence.find((e) => e.kind === "effective-route")!;
    expect(row.data).toMatchObject({
      source: "User",
      addressPrefix: ["0.0.0.0/0"],
      nextHopType: "VirtualAppliance",
      nextHopIpAddress: ["10.0.1.4"],
    });
    expect(row.location?.line).toBe(f!.location.line);
    expect(f!.instance).toBe("apim-test (westeurope)");
  });

  it("in External mode also asks for routes for the client ranges", () => {
    const [f] = runCheck(check, [fx("external-mode-default-to-firewall.json")]);
    expectMessage(f, "misroutedExternal");
  });

  it("fires on the WhatTheHack spoke (0/0 to the firewall, gateway routes not propagated)", () => {
    const [f] = runCheck(check, [fx("spoke-firewall-no-propagation.json")]);
    expectMessage(f, "misrouted", { origin: expect.stringContaining("rt-spoke1/default-to-azfw") });
  });

  it("fires on a BGP 0.0.0.0/0 published into the spoke by gateway transit, naming gateway and both peering halves", () => {
    const [f] = runCheck(check, [fx("gateway-transit-bgp.json")], assume);
    expect(f!.severity).toBe("error");
    expectMessage(f, "misrouted", {
      origin: expect.stringMatching(/gateway vgw-hub declared with --assume.*peering apim-to-hub \(gateway transit\)/),
      table: " (the subnet has none: create one)",
    });
    expect(f!.message).not.toContain("<unknown");
    const peerings = f!.evidence.filter((e) => e.kind === "peering").map((e) => e.text);
    expect(peerings.join("\n")).toMatch(
      /apim-to-hub of vnet-apim: useRemoteGateways true[\s\S]*hub-to-apim of vnet-hub: allowGatewayTransit true/,
    );
    expect(f!.evidence.find((e) => e.kind === "gateway")?.location?.line).toBeGreaterThan(1);
    expect(f!.evidence.find((e) => e.kind === "effective-route")?.data).toMatchObject({
      source: "VirtualNetworkGateway",
      addressPrefix: ["0.0.0.0/0"],
    });
  });

  it("warns (Unknown) when the hub's connection learns routes over BGP that no input declares", () => {
    const [f] = runCheck(check, [fx("gateway-transit-bgp.json")]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "routeUnknown", {
      why: expect.stringContaining("connection cn-hub-onprem learns routes over BGP"),
    });
  });

  it("stays silent with an ApiManagement → Internet route, or when gateway routes are not propagated", () => {
    expect(runCheck(check, [fx("udr-apimanagement-to-internet.json")])).toEqual([]);
    expect(runCheck(check, [fx("gateway-transit-propagation-disabled.json")], assume)).toEqual([]);
  });

  for (const name of [
    "udr-default-to-firewall.json",
    "spoke-firewall-no-propagation.json",
    "external-mode-default-to-firewall.json",
  ]) {
    it(`its ARM fix (a route in the subnet's table) makes the finding go away (${name})`, () => {
      const [f] = runCheck(check, [fx(name)]);
      const [route] = JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text);
      expect(route.properties).toEqual({ addressPrefix: "ApiManagement", nextHopType: "Internet" });
      expect(runCheck(check, [applyArmFix(fx(name), f!)])).toEqual([]);
    });
  }

  it("when routes come from gateway transit, its ARM fix creates a route table and associates it, keeping the subnet's NSG", () => {
    const [f] = runCheck(check, [fx("gateway-transit-bgp.json")], assume);
    const resources = JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text);
    expect(resources.map((r: { type: string }) => r.type)).toEqual([
      "Microsoft.Network/routeTables",
      "Microsoft.Network/virtualNetworks/subnets",
    ]);
    expect(resources[1].properties).toMatchObject({
      addressPrefix: "10.1.1.0/27",
      networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-apim')]" },
      routeTable: { id: "[resourceId('Microsoft.Network/routeTables', 'rt-snet-apim')]" },
    });
    expect(f!.fix.find((x) => x.kind === "az-cli")!.text).toContain("--route-table rt-snet-apim");
    const fixed = applyArmFix(fx("gateway-transit-bgp.json"), f!);
    expect(runCheck(check, [fixed], assume)).toEqual([]);
    // The Unknown case is settled by the same route: a user route beats any BGP route of the same prefix.
    expect(runCheck(check, [fixed])).toEqual([]);
  });
});

describeQuickstartsSilent(check, "no route table, no gateway");
