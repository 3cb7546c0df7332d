import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/nsg-allows-traffic-manager.js";
import { corpusPath, describeCorpus } from "../helpers/corpus.js";
import { expectEachFixWorks } from "./fix-helpers.js";
import { checkFixture, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);

describe("APIM-INBOUND-TRAFFICMANAGER", () => {
  it("fires in every region of a multi-region External instance whose NSG denies AzureTrafficManager 443", () => {
    const findings = runCheck(check, [fx("corporate-443-two-regions.json")]);
    expect(findings.map((f) => [f.severity, f.instance])).toEqual([
      ["error", "apim-test (northeurope)"],
      ["error", "apim-test (westeurope)"],
    ]);
    expectMessage(findings[0], "flowDenied", {
      flow: expect.stringContaining("vnet-apim-ne/snet-apim"),
      rules: "nsg-apim-ne securityRules/Deny-All-In (priority 4000)",
    });
  });

  it("fires only for the region that lacks the rule", () => {
    const findings = runCheck(check, [fx("one-region-blocked.json")]);
    expect(findings.map((f) => f.instance)).toEqual(["apim-test (northeurope)"]);
  });

  it("stays silent when the probes are allowed, when 443 is open to Internet, and for one region", () => {
    expect(runCheck(check, [fx("allows-traffic-manager.json")])).toEqual([]);
    expect(runCheck(check, [fx("internet-443-open.json")])).toEqual([]);
    expect(runCheck(check, [fx("single-region-no-rule.json")])).toEqual([]);
  });

  for (const name of ["corporate-443-two-regions.json", "one-region-blocked.json"]) {
    it(`each ARM fix makes its finding go away (${name})`, () => {
      expect(expectEachFixWorks(check, fx(name))).toBeGreaterThan(0);
    });
  }
});

describeCorpus("APIM-INBOUND-TRAFFICMANAGER on the official quickstarts", () => {
  it("no finding on the single-region External quickstart", () => {
    const file = corpusPath(
      "azure-quickstart-templates",
      "api-management-create-with-external-vnet-publicip",
      "azuredeploy.json",
    );
    expect(runCheck(check, [file])).toEqual([]);
  });
});
