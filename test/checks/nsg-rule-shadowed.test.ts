import { describe, expect, it } from "vitest";
import check from "../../src/checks/nsg/nsg-rule-shadowed.js";
import { runChecks } from "../../src/checks/run.js";
import type { Finding } from "../../src/checks/types.js";
import { EngineContext } from "../../src/engine/reach/context.js";
import { loadInputs } from "../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import { Topology } from "../../src/model/topology.js";
import { corpusPath, describeCorpus } from "../helpers/corpus.js";
import { openedFlows, withRuleChanges } from "../helpers/rule-changes.js";
import { afterFix } from "./fix-helpers.js";
import { azCommands, checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
const about = (rule: string) => (f: { resource: string }) => f.resource.endsWith(`/securityRules/${rule}`);
const deleteOf = (rule: string) => ({
  op: "delete",
  target: expect.objectContaining({ names: [expect.any(String), rule] }),
});

/** The check's findings once `finding`'s changes are applied to the model of `file` (deletes included). */
function afterChanges(file: string, finding: Finding): Finding[] {
  const { model } = loadInputs([file]);
  const engine = new EngineContext(
    new Topology(withRuleChanges(model, finding.changes ?? [])),
    loadServiceTagCatalog(),
  );
  return runChecks(engine, {}, [check]);
}

describe("NSG-RULE-SHADOWED", () => {
  it("an allow behind a deny-all never matches: a warning naming the covering rule and the opposite access", () => {
    const [f, ...rest] = runCheck(check, [fx("allow-after-deny-all.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "neverMatches", {
      rule: "securityRules/Allow-Mgmt-3443 (priority 300, Allow)",
      covering: "securityRules/Deny-All-In (priority 200, Deny)",
      decide: "decides",
      opposite: expect.stringContaining("opposite access: the traffic this rule allows is denied"),
    });
    expect(f!.location.line).toBeGreaterThan(1);
    const covering = f!.evidence.find((e) => e.text.startsWith("decides first"));
    expect(covering?.location?.line).toBeLessThan(f!.location.line);
  });

  it("names every rule that covers a part: a deny of the low ports and an allow of the high ones", () => {
    const [f, ...rest] = runCheck(check, [fx("covered-by-two-rules.json")]);
    expect(rest).toEqual([]);
    expectMessage(f, "neverMatches", {
      covering: expect.stringContaining("Deny-Internet-Low (priority 200, Deny) and securityRules/Allow-Internet-High"),
      decide: "decide",
      opposite: expect.stringContaining("securityRules/Deny-Internet-Low has the opposite access"),
    });
  });

  it("a redundant rule of the same access: warning, and the fix deletes it (az CLI only)", () => {
    const [f] = runCheck(check, [fx("redundant-allow.json")]);
    expectMessage(f, "neverMatches", { rule: "securityRules/Allow-VNet-443 (priority 200, Allow)", opposite: "" });
    expect(f!.fix.map((x) => x.kind)).toEqual(["az-cli"]);
    expect(azCommands(f!)).toEqual([
      'az network nsg rule delete --resource-group "${RESOURCE_GROUP}" --nsg-name nsg-apim --name Allow-VNet-443',
    ]);
  });

  it("a rule that names ports is judged on its protocols with ports, and says so", () => {
    const [f] = runCheck(check, [fx("any-protocol-port-53.json")]);
    expectMessage(f, "neverMatches", {
      covering: expect.stringContaining("Deny-Tcp-Out (priority 200, Deny) and securityRules/Deny-Udp-Out"),
    });
    expect(f!.evidence.some((e) => e.text.includes("ICMP, ESP and AH flows"))).toBe(true);
  });

  it("stays silent when part of the rule's flows is still its own", () => {
    expect(runCheck(check, [fx("partial-overlap.json")])).toEqual([]);
    expect(runCheck(check, [fx("udp-part-not-covered.json")])).toEqual([]);
  });

  it("an NSG attached nowhere is judged without virtual tags, and says so", () => {
    const [f] = runCheck(check, [fx("unattached-nsg.json")]);
    expectMessage(f, "neverMatches", { rule: "securityRules/Allow-Private (priority 300, Allow)" });
    expect(f!.evidence.some((e) => e.text.includes("attached to no subnet or NIC"))).toBe(true);
    expect(runCheck(check, [fx("unattached-virtual-tags.json")])).toEqual([]);
  });

  it("an earlier rule with an unresolved source makes it Unknown (info, no fix), never a guess", () => {
    const [f, ...rest] = runCheck(check, [fx("unresolved-earlier-rule.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("info");
    expectMessage(f, "mayNeverMatch", { uncertain: "securityRules/Deny-Blocked" });
    expect(f!.fix).toEqual([]);
  });

  it("VirtualNetwork differs by subnet: hidden for one subnet of the NSG only, so info naming that subnet", () => {
    const [f, ...rest] = runCheck(check, [fx("virtual-network-differs-by-subnet.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("info");
    expectMessage(f, "neverMatchesSomewhere", { where: "evaluated for subnet vnet-apim/snet-apim" });
  });

  it("an NSG on a NIC is judged with the virtual tags of the NIC's subnet", () => {
    const [f, ...rest] = runCheck(check, [fx("nsg-on-nic.json")]);
    expect(rest).toEqual([]);
    expectMessage(f, "neverMatches", { rule: "securityRules/Allow-VNet-Ssh (priority 300, Allow)" });
    expect(f!.evidence.some((e) => e.text === "evaluated for subnet vnet-app/snet-vm")).toBe(true);
  });

  // An any-protocol rule naming a port is judged on the flows that have ports (ICMP has none): said so.
  for (const [name, rule, judged] of [
    ["covered-by-two-rules.json", "Allow-Internet-Web", "flow"],
    ["any-protocol-port-53.json", "Allow-DNS-Out", "flow with ports"],
    ["unattached-nsg.json", "Allow-Private", "flow"],
  ] as const) {
    it(`an allow hidden by a deny is deleted, never moved up, and no flow changes (${name})`, () => {
      const [f] = runCheck(check, [fx(name)]).filter(about(rule));
      expect(f!.severity).toBe("warning");
      expect(f!.changes).toEqual([deleteOf(rule)]);
      expect(f!.message).toContain("would allow what");
      expect(f!.message).toContain(`The fix deletes it, which changes no ${judged}.`);
      const { model } = loadInputs([fx(name)]);
      expect(openedFlows(model, withRuleChanges(model, f!.changes!))).toEqual([]);
      expect(afterChanges(fx(name), f!).filter(about(rule))).toEqual([]);
    });
  }

  it("a required API Management rule behind a deny: a warning whose fix is left to the requirement check", () => {
    const [f, ...rest] = runCheck(check, [fx("allow-after-deny-all.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expect(f!.message).toContain("It is a rule API Management requires, for management endpoint");
    expect(f!.message).toContain("securityRules/Deny-All-In denies that traffic (TCP 3443 from ApiManagement)");
    expect(f!.message).toContain(
      "APIM-INBOUND-MANAGEMENT reports that denial with a fix that adds Allow-ApiManagement-3443-Inbound",
    );
    // Two fixes for one requirement would hide one another: this one gives none, and never a delete.
    expect(f!.changes ?? []).toEqual([]);
    expect(f!.evidence.some((e) => e.kind === "requirement" && e.text.includes("learn.microsoft.com"))).toBe(true);
  });

  it("the APIM AllowAzureTrafficManager rule inside an Internet 443 allow is kept: info, harmless, no fix", () => {
    const [f, ...rest] = runCheck(check, [fx("required-traffic-manager-inside-internet-allow.json")]);
    expect(rest).toEqual([]);
    expect(f!.resource).toMatch(/\/securityRules\/AllowAzureTrafficManager$/);
    expect(f!.severity).toBe("info");
    expect(f!.message).toContain("It is a rule API Management requires, for Azure Traffic Manager routing");
    expect(f!.message).toContain(
      "It is harmless: securityRules/AllowPublicAccess already allows that traffic (TCP 443 from AzureTrafficManager).",
    );
    expect(f!.fix).toEqual([]);
  });

  it("Bastion's AllowGatewayManagerInbound inside an Internet 443 allow is kept: info, harmless, no fix", () => {
    const [f, ...rest] = runCheck(check, [fx("bastion-gateway-manager-inside-internet-allow.json")]);
    expect(rest).toEqual([]);
    expect(f!.resource).toMatch(/\/securityRules\/AllowGatewayManagerInbound$/);
    expect(f!.severity).toBe("info");
    expect(f!.message).toContain("It is a rule Azure Bastion requires, for the Bastion control plane");
    expect(f!.message).toContain(
      "securityRules/AllowHttpsInbound already allows that traffic (TCP 443 from GatewayManager)",
    );
    expect(f!.fix).toEqual([]);
    expect(f!.evidence.find((e) => e.kind === "requirement")?.text).toContain(
      "https://learn.microsoft.com/azure/bastion/bastion-nsg",
    );
  });

  it("Bastion's AllowGatewayManagerInbound behind a deny-all: moved right ahead of it, narrowed to TCP 443", () => {
    const name = "bastion-gateway-manager-behind-deny.json";
    const [f, ...rest] = runCheck(check, [fx(name)]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expect(f!.message).toContain("securityRules/Deny-All-Inbound denies that traffic (TCP 443 from GatewayManager)");
    expect(f!.message).toContain("The fix moves it to priority 190, right ahead of securityRules/Deny-All-Inbound");
    expect(f!.fix[0]!.text).toContain(
      "--name AllowGatewayManagerInbound --priority 190 --protocol Tcp --destination-port-ranges 443",
    );
    const [moved] = JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text);
    expect(moved.properties).toMatchObject({ priority: 190, protocol: "Tcp", destinationPortRange: "443" });
    // It opens what Bastion needs and nothing more, and the rule is no longer hidden.
    const { model } = loadInputs([fx(name)]);
    const opened = openedFlows(model, withRuleChanges(model, f!.changes!));
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(/Inbound: Tcp from .+ ports \* to .+ ports 443$/);
    expect(afterFix(check, fx(name), f!)).toEqual([]);
  });
});

describeCorpus("NSG-RULE-SHADOWED on the landing zone accelerator's networking", () => {
  const file = corpusPath(
    "apim-landing-zone-accelerator",
    "v1-027fe50",
    "reference-implementations/AppGW-IAPIM-Func/bicep/networking/networking.json",
  );

  it("default-allow-rdp (TCP 3389 from *) behind the App Gateway NSG's deny-all is deleted, not moved: RDP stays closed", () => {
    const findings = runCheck(check, [file]);
    const rdp = findings.find(about("default-allow-rdp"));
    expect(rdp?.severity).toBe("warning");
    expect(rdp!.changes).toEqual([deleteOf("default-allow-rdp")]);
    expect(rdp!.message).toContain("would allow what it denies now (TCP 3389 from *, the Internet included, to *)");
    // Every fix of the run applied at once opens no flow in any NSG of the file.
    const { model } = loadInputs([file]);
    expect(
      openedFlows(
        model,
        withRuleChanges(
          model,
          findings.flatMap((f) => f.changes ?? []),
        ),
      ),
    ).toEqual([]);
  });

  it("Bastion's AllowGatewayManagerInbound inside AllowHttpsInbound is an info that it is harmless, never a delete", () => {
    const f = runCheck(check, [file]).find(about("AllowGatewayManagerInbound"));
    expect(f?.severity).toBe("info");
    expect(f!.message).toContain("It is harmless: securityRules/AllowHttpsInbound already allows that traffic");
    expect(f!.changes ?? []).toEqual([]);
  });
});

describeQuickstartsSilent(check);
