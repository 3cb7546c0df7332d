/**
 * APIM-OUTBOUND-EGRESS (reference part 2 §11): a NAT gateway on the APIM subnet is named as its egress; a private
 * subnet with no NAT gateway, no route to a firewall and no public IP that carries the traffic is the finding, and
 * its fix (default outbound access again) is applied and makes it go; a 0.0.0.0/0 to a firewall leaves nothing
 * for this check; an unstated defaultOutboundAccess is decided by the api-version or said Unknown.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import tunnel from "../../src/checks/apim/dependencies-bypass-tunnel.js";
import check from "../../src/checks/apim/outbound-egress.js";
import { writeTemp } from "../helpers/edit-fixture.js";
import { applyArmFix, checkFixture, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);

describe("APIM-OUTBOUND-EGRESS", () => {
  it("a NAT gateway on a private APIM subnet is the egress: an info that names it, its public IP and the route", () => {
    const findings = runCheck(check, [fx("nat-gateway.json")]);
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([["natEgress", "info"]]);
    const f = findings[0]!;
    expect(f.title).toBe(
      "Cannot be checked: whether apim-test (westeurope) (stv2) works with NAT gateway natgw-apim on subnet snet-apim",
    );
    expectMessage(f, "natEgress", {
      nat: "natgw-apim (public IP pip-natgw 20.50.1.10)",
      subnet: "vnet-apim/snet-apim",
    });
    expect(f.data?.dependencies).toContain("Internet");
    const nat = f.evidence.find((e) => e.kind === "nat-gateway");
    expect(nat?.location?.file).toMatch(/nat-gateway\.json$/);
    expect(nat?.location?.line).toBeGreaterThan(0);
    expect(nat?.data).toMatchObject({ idleTimeoutInMinutes: 10, sku: { name: "Standard" } });
    expect(f.evidence.find((e) => e.kind === "effective-route")?.data).toMatchObject({
      addressPrefix: ["0.0.0.0/0"],
      nextHopType: "Internet",
    });
    expect(f.evidence.some((e) => e.kind === "assumption" && e.text.includes("UNKNOWN whether stv2"))).toBe(true);
    expect(f.changes).toBeUndefined();
  });

  it("on stv1 a NAT gateway on the subnet is an error", () => {
    const findings = runCheck(check, [fx("nat-gateway.json")], { platform: "stv1" });
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([["natStv1", "error"]]);
  });

  it("a private subnet with no NAT gateway, no firewall route and no public IP has no way out: a warning at defaultOutboundAccess, fixed by applying its change", () => {
    const findings = runCheck(check, [fx("private-no-nat.json")]);
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([["noPath", "warning"]]);
    const f = findings[0]!;
    expectMessage(f, "noPath", { why: "subnet snet-apim is private (defaultOutboundAccess false)" });
    for (const tag of ["Storage.WestEurope", "Sql.WestEurope", "AzureKeyVault", "AzureMonitor", "Internet"])
      expect(String(f.data?.dependencies)).toContain(tag);
    expect(f.location.line).toBeGreaterThan(0);
    const subnet = f.evidence.find((e) => e.kind === "subnet");
    expect(subnet?.location?.line).toBe(f.location.line);
    expect(f.changes?.[0]).toMatchObject({ op: "restate", changed: ["defaultOutboundAccess"] });
    expect(f.fix.find((x) => x.kind === "az-cli")?.text).toContain("--default-outbound true");
    expect(f.fix.find((x) => x.kind === "terraform")?.text).toContain("default_outbound_access_enabled = true");
    const fixed = applyArmFix(fx("private-no-nat.json"), f);
    expect(runCheck(check, [fixed])).toEqual([]);
  });

  it("a service endpoint takes its dependency off the list (taken as reachable, and said so)", () => {
    const [f, ...rest] = runCheck(check, [fx("private-storage-endpoint.json")]);
    expect(rest).toEqual([]);
    expectMessage(f, "noPath");
    expect(String(f!.data?.dependencies)).not.toContain("Storage");
    expect(String(f!.data?.dependencies)).toContain("Sql.WestEurope");
    const note = f!.evidence.find((e) => e.kind === "assumption" && e.text.includes("service endpoint's"));
    expect(note?.text).toMatch(/^the Microsoft\.Storage service endpoint's addresses \(of [^)]*Storage\.WestEurope/);
  });

  it("with 0.0.0.0/0 to a firewall the traffic leaves through the firewall: nothing from this check", () => {
    expect(runCheck(check, [fx("private-firewall.json")])).toEqual([]);
  });

  it("External mode: the public VIP carries calls out, so a private subnet still has a way out", () => {
    expect(runCheck(check, [fx("private-external.json")])).toEqual([]);
  });

  it("defaultOutboundAccess unstated: decided by an api-version before 2025-07-01, Unknown from it on", () => {
    expect(runCheck(check, [fx("not-private.json")])).toEqual([]);
    const findings = runCheck(check, [fx("unstated-new-api.json")]);
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([["defaultUnknown", "info"]]);
    expect(findings[0]!.title).toMatch(/^Cannot be checked/);
    expect(String(findings[0]!.data?.why)).toContain("api-version 2025-07-01");
  });

  it("a NAT gateway that a 0.0.0.0/0 route to a firewall bypasses: nothing here, APIM-DEPENDENCY-TUNNELED names it", () => {
    expect(runCheck(check, [fx("nat-gateway-firewall.json")])).toEqual([]);
    const tunnelled = runCheck(tunnel, [fx("nat-gateway-firewall.json")]);
    expect(tunnelled.length).toBeGreaterThan(0);
    for (const f of tunnelled)
      expect(f.evidence.find((e) => e.kind === "nat-gateway")?.text).toMatch(
        /^NAT gateway natgw-apim \(public IP pip-natgw 20\.50\.1\.10\) on subnet snet-apim does not carry this traffic/,
      );
  });

  it("v2 integration with a NAT gateway: Unknown whether it sets the egress address (not documented for APIM)", () => {
    const findings = runCheck(check, [fx("v2-integration-nat.json")]);
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([["v2Nat", "info"]]);
    expect(findings[0]!.title).toMatch(/^Cannot be checked/);
  });

  it("a NAT gateway named but not in the inputs is still the egress, its addresses unknown", () => {
    const template = JSON.parse(readFileSync(fx("nat-gateway.json"), "utf8"));
    template.resources = template.resources.filter((r: { type: string }) => !r.type.endsWith("natGateways"));
    const [f, ...rest] = runCheck(check, [writeTemp("outside.json", template)]);
    expect(rest).toEqual([]);
    expectMessage(f, "natEgress", { nat: "natgw-apim (not in the inputs: its public IPs are not known)" });
  });

  it("a subnet with sharingScope (allowed only when private) gets no fix, and says to attach a NAT gateway", () => {
    const template = JSON.parse(readFileSync(fx("private-no-nat.json"), "utf8"));
    const vnet = template.resources.find((r: { type: string }) => r.type === "Microsoft.Network/virtualNetworks");
    vnet.properties.subnets[0].properties.sharingScope = "DelegatedServices";
    const [f] = runCheck(check, [writeTemp("shared.json", template)]);
    expectMessage(f, "noPath");
    expect(f!.changes).toBeUndefined();
    expect(f!.evidence.some((e) => e.text.includes("sharingScope DelegatedServices"))).toBe(true);
  });

  it("v2 integration in a private subnet without a NAT gateway: Unknown (private subnets are not documented for v2)", () => {
    const template = JSON.parse(readFileSync(fx("v2-integration-nat.json"), "utf8"));
    template.resources = template.resources.filter((r: { type: string }) => !r.type.endsWith("natGateways"));
    const vnet = template.resources.find((r: { type: string }) => r.type === "Microsoft.Network/virtualNetworks");
    delete vnet.properties.subnets[0].properties.natGateway;
    const findings = runCheck(check, [writeTemp("v2-private.json", template)]);
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([["v2Private", "info"]]);
    expectMessage(findings[0], "v2Private", { tier: "StandardV2" });
  });
});
