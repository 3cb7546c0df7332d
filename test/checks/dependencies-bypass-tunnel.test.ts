import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/dependencies-bypass-tunnel.js";
import type { Finding } from "../../src/checks/types.js";
import { writeTemp } from "../helpers/edit-fixture.js";
import {
  applyAllArmFixes,
  applyArmFix,
  checkFixture,
  describeQuickstartsSilent,
  expectMessage,
  runCheck,
} from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
const assume = { assume: fx("gateway-transit-bgp.assume.yaml") };
const tagOf = (f: Finding) => f.data?.dependency;

describe("APIM-DEPENDENCY-TUNNELED", () => {
  it("fires once per tunnelled dependency: required ones as warnings (the appliance's rules are Unknown), Event Hubs (optional) as an info", () => {
    const findings = runCheck(check, [fx("default-to-firewall-no-endpoints.json")]);
    expect(findings.map((f) => [tagOf(f), f.severity])).toEqual([
      ["Storage.WestEurope", "warning"],
      ["Sql.WestEurope", "warning"],
      ["AzureKeyVault.WestEurope", "warning"],
      ["EventHub.WestEurope", "info"],
    ]);
    expect(
      findings[0]!.evidence.some((e) => e.kind === "assumption" && e.text.includes("its rules are not in the inputs")),
    ).toBe(true);
    const f = findings[0]!;
    expectMessage(f, "tunnelledSeveral", {
      hop: "VirtualAppliance 10.0.1.4",
      origin: "user route rt-apim/default-to-firewall",
      serviceEndpoint: "Microsoft.Storage",
      forwarder: "the appliance",
      count: 4,
    });
    expect(f.evidence.find((e) => e.kind === "effective-route")?.data).toMatchObject({
      addressPrefix: ["0.0.0.0/0"],
      nextHopType: "VirtualAppliance",
    });
    expect(f.evidence.find((e) => e.kind === "subnet")?.text).toContain("service endpoints: none");
  });

  it("on stv1 Key Vault is optional, so it is an info", () => {
    const findings = runCheck(check, [fx("default-to-firewall-no-endpoints.json")], { platform: "stv1" });
    expect(findings.find((f) => String(tagOf(f)).startsWith("AzureKeyVault"))?.severity).toBe("info");
  });

  it("a service endpoint takes its service out of the tunnel (its route is longer than 0.0.0.0/0)", () => {
    const findings = runCheck(check, [fx("default-to-firewall-storage-endpoint-only.json")]);
    expect(findings.map((f) => tagOf(f))).toEqual([
      "Sql.WestEurope",
      "AzureKeyVault.WestEurope",
      "EventHub.WestEurope",
    ]);
    const arm = JSON.parse(findings[0]!.fix.find((x) => x.kind === "arm")!.text);
    expect(arm[0].properties.serviceEndpoints.map((e: { service: string }) => e.service)).toEqual([
      "Microsoft.Storage",
      "Microsoft.Sql",
      "Microsoft.KeyVault",
      "Microsoft.EventHub",
    ]);
  });

  it("fires for BGP routes published by gateway transit when declared, and says Unknown (a warning) when not", () => {
    const declared = runCheck(check, [fx("gateway-transit-bgp.json")], assume);
    expect(declared).toHaveLength(4);
    expectMessage(declared[0], "tunnelledSeveral", { forwarder: "the network behind the gateway" });
    expect(declared[0]!.evidence.some((e) => e.kind === "peering" && e.text.includes("useRemoteGateways true"))).toBe(
      true,
    );
    const [unknown, ...rest] = runCheck(check, [fx("gateway-transit-bgp.json")]);
    expect(rest).toEqual([]);
    expect(unknown!.severity).toBe("warning");
    expectMessage(unknown, "unknown", {
      why: expect.stringContaining("connection cn-hub-onprem learns routes over BGP"),
    });
  });

  it("stays silent with the four service endpoints, or without forced tunnelling", () => {
    expect(runCheck(check, [fx("default-to-firewall-with-endpoints.json")])).toEqual([]);
    expect(runCheck(check, [fx("no-route-table.json")])).toEqual([]);
  });

  for (const name of ["default-to-firewall-no-endpoints.json", "default-to-firewall-storage-endpoint-only.json"]) {
    it(`one finding's ARM fix (the subnet restated with the endpoints) removes every finding (${name})`, () => {
      const findings = runCheck(check, [fx(name)]);
      expect(runCheck(check, [applyArmFix(fx(name), findings[0]!)])).toEqual([]);
      expect(runCheck(check, [applyAllArmFixes(fx(name), findings)])).toEqual([]);
    });
  }

  it("the gateway-transit ARM fix works too, and keeps the subnet's NSG", () => {
    const [f] = runCheck(check, [fx("gateway-transit-bgp.json")], assume);
    const [subnet] = JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text);
    expect(subnet.properties.networkSecurityGroup).toEqual({
      id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-apim')]",
    });
    expect(runCheck(check, [applyArmFix(fx("gateway-transit-bgp.json"), f!)], assume)).toEqual([]);
  });
});

it("through a Route Server, the forwarder is the NVA that advertised the route, not a gateway", () => {
  const rs = checkFixture(check, "../control-plane-returns-to-internet/route-server-transit.json");
  const assumeRs = { assume: checkFixture(check, "../control-plane-returns-to-internet/route-server.assume.yaml") };
  const findings = runCheck(check, [rs], assumeRs);
  expect(findings).toHaveLength(4);
  expectMessage(findings[0], "tunnelledSeveral", { forwarder: "the NVA", hop: "VirtualNetworkGateway 10.0.2.4" });
});

describe("APIM-DEPENDENCY-TUNNELED with private endpoints (reference part 2 §9.5)", () => {
  const name = "default-to-firewall-private-endpoints.json";
  const template = () => JSON.parse(readFileSync(fx(name), "utf8"));
  const endpoint = (t: { resources: { name: string; properties: Record<string, unknown> }[] }, n: string) =>
    t.resources.find((r) => r.name === n)!;

  it("Key Vault and Storage behind private endpoints are not tunnelled: an info naming the endpoint, no service endpoint in the fix", () => {
    const findings = runCheck(check, [fx(name)]);
    expect(findings.map((f) => [tagOf(f), f.severity, f.messageId])).toEqual([
      ["Sql.WestEurope", "warning", "tunnelledSeveral"],
      ["EventHub.WestEurope", "info", "tunnelledSeveral"],
      ["AzureKeyVault.WestEurope", "info", "privateEndpoint"],
      ["Storage.WestEurope", "info", "privateEndpoint"],
    ]);
    const kv = findings.find((f) => f.messageId === "privateEndpoint" && String(tagOf(f)).startsWith("AzureKeyVault"))!;
    expectMessage(kv, "privateEndpoint", {
      endpoint: "pe-kv",
      address: "10.0.2.4/32",
      serviceEndpoint: "Microsoft.KeyVault",
    });
    expect(kv.evidence.find((e) => e.kind === "private-endpoint")?.text).toContain("pe-kv");
    expect(kv.evidence.find((e) => e.kind === "effective-route")?.data).toMatchObject({
      addressPrefix: ["10.0.2.4/32"],
      nextHopType: "InterfaceEndpoint",
    });
    const storage = findings.find((f) => f.messageId === "privateEndpoint" && f !== kv)!;
    expect(storage.evidence.some((e) => e.kind === "assumption" && e.text.includes("platform Storage"))).toBe(true);
    const arm = JSON.parse(findings[0]!.fix.find((x) => x.kind === "arm")!.text);
    expect(arm[0].properties.serviceEndpoints.map((e: { service: string }) => e.service)).toEqual([
      "Microsoft.Sql",
      "Microsoft.EventHub",
    ]);
  });

  it("route-table policies on the endpoint subnet and a user route for the hub's range put Key Vault back in the tunnel (§9.3 rule B)", () => {
    const t = template();
    const hub = t.resources.find((r: { name: string }) => r.name === "vnet-hub");
    hub.properties.subnets[1].properties.privateEndpointNetworkPolicies = "RouteTableEnabled";
    t.resources
      .find((r: { name: string }) => r.name === "rt-apim")
      .properties.routes.push({
        name: "hub-to-firewall",
        properties: { addressPrefix: "10.0.0.0/16", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" },
      });
    const findings = runCheck(check, [writeTemp(name, t)]);
    // Storage and Key Vault still have their own service tag traffic tunnelled by 0.0.0.0/0; their endpoints no
    // longer serve them from this subnet, so the warnings come back.
    expect(findings.filter((f) => f.messageId === "privateEndpoint")).toEqual([]);
    expect(findings.map((f) => tagOf(f))).toContain("AzureKeyVault.WestEurope");
  });

  it("an endpoint whose target is not resolved and whose sub-resource is ambiguous gives Unknown, never a pass", () => {
    const t = template();
    const pe = endpoint(t, "pe-kv");
    (pe.properties.privateLinkServiceConnections as { properties: Record<string, unknown> }[])[0]!.properties = {
      privateLinkServiceId: "[parameters('target')]",
      groupIds: ["namespace"],
    };
    t.parameters = { target: { type: "string" } };
    const findings = runCheck(check, [writeTemp(name, t)]);
    const unknown = findings.find((f) => f.messageId === "unknown");
    expect(unknown?.data?.why).toContain("pe-kv");
    expect(findings.some((f) => f.messageId === "tunnelledSeveral" && String(tagOf(f)).startsWith("EventHub"))).toBe(
      false,
    );
  });
});

describeQuickstartsSilent(check);
