import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/nsg-allows-management-endpoint.js";
import { applyArmFix, checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);

describe("APIM-INBOUND-MANAGEMENT", () => {
  it("fires on a deny placed before the 3443 allow, naming the rule and the portal symptom", () => {
    const [f, ...rest] = runCheck(check, [fx("deny-3443-before-allow.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    // The portal symptom (ManagementApiRequestFailed) is in the template (test/golden/messages.txt).
    expectMessage(f, "denied", {
      rule: expect.stringContaining("securityRules/Deny-All-In (priority 200)"),
      service: "apim-test",
    });
    expect(f!.evidence.find((e) => e.kind === "nsg-rule")?.location?.line).toBeGreaterThan(1);
    expect(f!.instance).toBe("apim-test (westeurope)");
  });

  it("fires when only the default DenyAllInBound decides", () => {
    const [f] = runCheck(check, [fx("no-custom-rules.json")]);
    expectMessage(f, "denied", { rule: expect.stringContaining("defaultSecurityRules/DenyAllInBound") });
  });

  it("fires when only another region's ApiManagement tag is allowed", () => {
    const [f] = runCheck(check, [fx("wrong-region-tag.json")]);
    expectMessage(f, "denied", { scope: expect.stringContaining("ApiManagement.WestEurope") });
  });

  it("stays silent when 3443 is allowed from ApiManagement or from the instance's regional tag", () => {
    expect(runCheck(check, [fx("allows-3443.json")])).toEqual([]);
    expect(runCheck(check, [fx("allows-regional-tag.json")])).toEqual([]);
  });

  for (const name of ["deny-3443-before-allow.json", "no-custom-rules.json", "wrong-region-tag.json"]) {
    it(`its ARM fix makes the finding go away (${name})`, () => {
      const [f] = runCheck(check, [fx(name)]);
      const fixed = applyArmFix(fx(name), f!);
      expect(runCheck(check, [fixed])).toEqual([]);
    });
  }

  it("the fix is a new allow at a free priority ahead of the deciding deny, in all four forms", () => {
    const [f] = runCheck(check, [fx("deny-3443-before-allow.json")]);
    expect(f!.fix.map((x) => x.kind)).toEqual(["az-cli", "bicep", "terraform", "arm"]);
    const [rule] = JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text);
    expect(rule.properties).toMatchObject({
      priority: 190,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      destinationPortRange: "3443",
      sourceAddressPrefix: "ApiManagement",
    });
  });
});

describeQuickstartsSilent(check);
