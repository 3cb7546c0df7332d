import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/subnet-delegation.js";
import { applyArmFix, checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
const FAILING = [
  "classic-subnet-delegated.json",
  "v2-integration-not-delegated.json",
  "v2-injection-delegated-elsewhere.json",
];

describe("APIM-SUBNET-DELEGATION", () => {
  it("fires on a classic instance in a delegated subnet, naming the delegation", () => {
    const [f, ...rest] = runCheck(check, [fx("classic-subnet-delegated.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expectMessage(f, "classicDelegated", { delegations: "Microsoft.Web/serverFarms" });
    expect(f!.resource).toMatch(/subnets\/snet-apim$/);
    expect(f!.fix.find((x) => x.kind === "az-cli")?.text).toContain("--remove delegations");
  });

  it("fires on a v2 integration subnet with no delegation and on a v2 injection subnet delegated elsewhere", () => {
    const [integration] = runCheck(check, [fx("v2-integration-not-delegated.json")]);
    expectMessage(integration, "v2NotDelegated", { expected: "Microsoft.Web/serverFarms" });
    expect(integration!.fix.find((x) => x.kind === "az-cli")?.text).toContain(
      "--delegations Microsoft.Web/serverFarms",
    );
    const [injection] = runCheck(check, [fx("v2-injection-delegated-elsewhere.json")]);
    expectMessage(injection, "v2Delegated", {
      delegations: "Microsoft.ContainerInstance/containerGroups",
      expected: "Microsoft.Web/hostingEnvironments",
    });
  });

  it("stays silent on the right delegations, and leaves a v2 mode mix-up to APIM-SKU-VNET", () => {
    for (const name of ["classic-undelegated.json", "v2-integration-delegated.json", "v2-injection-delegated.json"])
      expect(runCheck(check, [fx(name)]), name).toEqual([]);
    const mixup = checkFixture(
      { meta: { name: "tier-supports-vnet" } } as never,
      "premium-v2-injection-delegated-for-integration.json",
    );
    expect(runCheck(check, [mixup])).toEqual([]);
  });

  for (const name of FAILING) {
    it(`its ARM fix makes the finding go away and keeps the subnet's NSG (${name})`, () => {
      const [f] = runCheck(check, [fx(name)]);
      const [subnet] = JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text);
      expect(subnet.properties.networkSecurityGroup.id).toBe(
        "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-apim')]",
      );
      expect(subnet.properties.addressPrefix).toBe("10.1.1.0/27");
      expect(runCheck(check, [applyArmFix(fx(name), f!)])).toEqual([]);
    });
  }
});

describeQuickstartsSilent(check);
