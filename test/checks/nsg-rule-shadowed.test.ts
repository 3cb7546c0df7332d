import { describe, expect, it } from "vitest";
import check from "../../src/checks/nsg/nsg-rule-shadowed.js";
import { afterFix } from "./fix-helpers.js";
import { checkFixture, describeQuickstartsSilent, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
const about = (rule: string) => (f: { resource: string }) => f.resource.endsWith(`/securityRules/${rule}`);

describe("NSG-RULE-SHADOWED", () => {
  it("an allow behind a deny-all never matches: a warning naming the covering rule and the opposite access", () => {
    const [f, ...rest] = runCheck(check, [fx("allow-after-deny-all.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expect(f!.message).toContain("securityRules/Allow-Mgmt-3443 (priority 300, Allow) can never match");
    expect(f!.message).toContain("securityRules/Deny-All-In (priority 200, Deny) decides all its flows first");
    expect(f!.message).toContain("opposite access: the traffic this rule allows is denied");
    expect(f!.location.line).toBeGreaterThan(1);
    const covering = f!.evidence.find((e) => e.text.startsWith("decides first"));
    expect(covering?.location?.line).toBeLessThan(f!.location.line);
  });

  it("names every rule that covers a part: a deny of the low ports and an allow of the high ones", () => {
    const [f, ...rest] = runCheck(check, [fx("covered-by-two-rules.json")]);
    expect(rest).toEqual([]);
    expect(f!.message).toContain("Deny-Internet-Low (priority 200, Deny) and securityRules/Allow-Internet-High");
    expect(f!.message).toContain("securityRules/Deny-Internet-Low has the opposite access");
  });

  it("a redundant rule of the same access: warning, and the fix deletes it (az CLI only)", () => {
    const [f] = runCheck(check, [fx("redundant-allow.json")]);
    expect(f!.message).toContain("Allow-VNet-443 (priority 200, Allow) can never match");
    expect(f!.message).not.toContain("opposite");
    expect(f!.fix.map((x) => x.kind)).toEqual(["az-cli"]);
    expect(f!.fix[0]!.text.split("\n").at(-1)).toBe(
      'az network nsg rule delete --resource-group "${RESOURCE_GROUP}" --nsg-name nsg-apim --name Allow-VNet-443',
    );
  });

  it("a rule that names ports is judged on its protocols with ports, and says so", () => {
    const [f] = runCheck(check, [fx("any-protocol-port-53.json")]);
    expect(f!.message).toContain("Deny-Tcp-Out (priority 200, Deny) and securityRules/Deny-Udp-Out");
    expect(f!.evidence.some((e) => e.text.includes("ICMP, ESP and AH flows"))).toBe(true);
  });

  it("stays silent when part of the rule's flows is still its own", () => {
    expect(runCheck(check, [fx("partial-overlap.json")])).toEqual([]);
    expect(runCheck(check, [fx("udp-part-not-covered.json")])).toEqual([]);
  });

  it("an NSG attached nowhere is judged without virtual tags, and says so", () => {
    const [f] = runCheck(check, [fx("unattached-nsg.json")]);
    expect(f!.message).toContain("Allow-Private (priority 300, Allow) can never match");
    expect(f!.evidence.some((e) => e.text.includes("attached to no subnet or NIC"))).toBe(true);
    expect(runCheck(check, [fx("unattached-virtual-tags.json")])).toEqual([]);
  });

  it("an earlier rule with an unresolved source makes it Unknown (info, no fix), never a guess", () => {
    const [f, ...rest] = runCheck(check, [fx("unresolved-earlier-rule.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("info");
    expect(f!.message).toContain("may never match: securityRules/Deny-Blocked may take its flows first");
    expect(f!.fix).toEqual([]);
  });

  it("VirtualNetwork differs by subnet: hidden for one subnet of the NSG only, so info naming that subnet", () => {
    const [f, ...rest] = runCheck(check, [fx("virtual-network-differs-by-subnet.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("info");
    expect(f!.message).toContain(
      "never matches in some of the places the NSG applies (evaluated for subnet vnet-apim/snet-apim)",
    );
  });

  it("an NSG on a NIC is judged with the virtual tags of the NIC's subnet", () => {
    const [f, ...rest] = runCheck(check, [fx("nsg-on-nic.json")]);
    expect(rest).toEqual([]);
    expect(f!.message).toContain("Allow-VNet-Ssh (priority 300, Allow) can never match");
    expect(f!.evidence.some((e) => e.text === "evaluated for subnet vnet-app/snet-vm")).toBe(true);
  });

  for (const [name, rule] of [
    ["allow-after-deny-all.json", "Allow-Mgmt-3443"],
    ["covered-by-two-rules.json", "Allow-Internet-Web"],
    ["any-protocol-port-53.json", "Allow-DNS-Out"],
    ["unattached-nsg.json", "Allow-Private"],
  ] as const) {
    it(`the ARM fix moves ${rule} ahead of the rules that hide it, and the finding goes away (${name})`, () => {
      const [f] = runCheck(check, [fx(name)]).filter(about(rule));
      const [moved] = JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text);
      expect(moved.name).toMatch(new RegExp(`/${rule}$`));
      expect(moved.properties.priority).toBe(190);
      expect(afterFix(check, fx(name), f!).filter(about(rule))).toEqual([]);
    });
  }

  it("the move is to the highest free priority below the first covering rule, in all four forms", () => {
    const [f] = runCheck(check, [fx("allow-after-deny-all.json")]);
    expect(f!.fix.map((x) => x.kind)).toEqual(["az-cli", "bicep", "terraform", "arm"]);
    expect(f!.fix[0]!.text).toContain("--name Allow-Mgmt-3443 --priority 190");
    const [moved] = JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text);
    expect(moved.properties).toMatchObject({
      priority: 190,
      access: "Allow",
      sourceAddressPrefix: "ApiManagement",
      destinationPortRange: "3443",
    });
  });
});

describeQuickstartsSilent(check);
