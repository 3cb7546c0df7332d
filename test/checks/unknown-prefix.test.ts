/**
 * A subnet whose prefix is Unknown (a parameter with no value) or refused (`10.1.1.0/33`, `banana`) still gets its
 * requirement verdicts (issue "Never a silent pass (I)"): an error when the NSG denies the flow whatever the
 * subnet's address, an Unknown warning naming the value, its place and what to give when the verdict depends on it.
 */
import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/nsg-allows-management-endpoint.js";
import { editFixture, resourceOf } from "../helpers/edit-fixture.js";
import { checkFixture, expectMessage, runCheck } from "./tester.js";

const DENY_ALL = checkFixture(check, "deny-3443-before-allow.json");

function withPrefix(prefix: string, allowOnly?: string) {
  return editFixture(DENY_ALL, (t) => {
    if (prefix.startsWith("[")) t.parameters = { apimPrefix: { type: "string" } };
    resourceOf(t, "Microsoft.Network/virtualNetworks").properties.subnets[0].properties.addressPrefix = prefix;
    if (allowOnly) {
      const rules = resourceOf(t, "Microsoft.Network/networkSecurityGroups").properties.securityRules;
      const allow = rules.find((r: { name: string }) => r.name === "Allow-Mgmt");
      allow.properties.priority = 150;
      allow.properties.destinationAddressPrefix = allowOnly;
    }
  });
}

describe("requirement checks on a subnet whose prefix is not known", () => {
  it.each(["[parameters('apimPrefix')]", "10.1.1.0/33", "banana"])(
    "%s: the NSG denies 3443 whatever the address, so it is an error",
    (prefix) => {
      const [f] = runCheck(check, [withPrefix(prefix)]);
      expect(f!.severity).toBe("error");
      expectMessage(f, "denied", {
        scope: "ApiManagement.WestEurope",
        subnet: "snet-apim",
        rule: expect.stringMatching(/^nsg-apim securityRules\/Deny-All-In/),
      });
      expect(f!.evidence.map((e) => e.text)).toContainEqual(
        expect.stringMatching(
          /the address prefix of subnet snet-apim is .*; the verdict holds for every address the subnet could have/,
        ),
      );
    },
  );

  it("an allow for one prefix only: the verdict depends on the address, a warning naming the parameter and -p", () => {
    const [f] = runCheck(check, [withPrefix("[parameters('apimPrefix')]", "10.1.1.0/24")]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "unknown", {
      subnet: "snet-apim",
      why: expect.stringMatching(
        /^the address prefix of subnet snet-apim is Unknown \(parameters\('apimPrefix'\)\) \(.*:\d+:\d+\); give it with -p apimPrefix=<value>, and the verdict depends on it$/,
      ),
    });
  });

  it("with the prefix given, the same network is decided", () => {
    const file = withPrefix("[parameters('apimPrefix')]", "10.1.1.0/24");
    expect(runCheck(check, [file], { parameters: ["apimPrefix=10.1.1.0/27"] })).toEqual([]);
    expect(runCheck(check, [file], { parameters: ["apimPrefix=10.1.2.0/27"] }).map((f) => f.severity)).toEqual([
      "error",
    ]);
  });
});
