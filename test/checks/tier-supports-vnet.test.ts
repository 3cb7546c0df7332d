import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/tier-supports-vnet.js";
import { editFixture, resourceOf } from "../helpers/edit-fixture.js";
import { applyArmFix, checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
const APIM = "Microsoft.ApiManagement/service";

describe("APIM-SKU-VNET", () => {
  it("fires on a Basic tier instance with VNet settings, naming the tiers that can have them", () => {
    const [f, ...rest] = runCheck(check, [fx("basic-tier-in-vnet.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expectMessage(f, "tierHasNoVnet", {
      tier: "Basic",
      injectionTiers: expect.stringContaining("Developer or Premium"),
    });
    expect(f!.fix.find((x) => x.kind === "az-cli")?.text).toContain("--virtual-network None");
    expect(f!.location.line).toBeGreaterThan(1);
  });

  it("fires on Standard v2 with Internal (injection is Premium v2 only) and says to use External", () => {
    const [f] = runCheck(check, [fx("standard-v2-internal.json")]);
    expectMessage(f, "v2InternalNeedsInjection", { v2InjectionTiers: "Premium v2" });
    expect(f!.fix.find((x) => x.kind === "az-cli")?.text).toContain("--virtual-network External");
  });

  it("fires on Premium v2 injection into a subnet delegated for integration, pointing at the subnet", () => {
    const [f] = runCheck(check, [fx("premium-v2-injection-delegated-for-integration.json")]);
    expectMessage(f, "delegationMixedUp", { expected: "Microsoft.Web/hostingEnvironments" });
    expect(f!.resource).toMatch(/subnets\/snet-apim$/);
    expect(f!.evidence.some((e) => e.kind === "subnet" && e.text.includes("Microsoft.Web/serverFarms"))).toBe(true);
  });

  it("an instance whose subnet is not in the inputs gets a warning (Unknown), not silence", () => {
    const [f] = runCheck(check, [fx("subnet-not-in-inputs.json")]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "subnetNotInInputs", { subnet: "vnet-elsewhere/snet-apim" });
  });

  it("stays silent on classic, v2 integration, v2 injection and no-VNet instances set up right", () => {
    for (const name of [
      "premium-external.json",
      "standard-v2-integration.json",
      "premium-v2-injection.json",
      "consumption-without-vnet.json",
    ]) {
      expect(runCheck(check, [fx(name)]), name).toEqual([]);
    }
  });

  it("the ARM fix for the mix-up (delegation for injection) makes the finding go away", () => {
    const name = fx("premium-v2-injection-delegated-for-integration.json");
    const [f] = runCheck(check, [name]);
    expect(runCheck(check, [applyArmFix(name, f!)])).toEqual([]);
  });

  it("the virtualNetworkType the fixes set makes the tier findings go away", () => {
    const basic = editFixture(fx("basic-tier-in-vnet.json"), (t) => {
      const s = resourceOf(t, APIM);
      s.properties.virtualNetworkType = "None";
      delete s.properties.virtualNetworkConfiguration;
    });
    expect(runCheck(check, [basic])).toEqual([]);
    const v2 = editFixture(fx("standard-v2-internal.json"), (t) => {
      resourceOf(t, APIM).properties.virtualNetworkType = "External";
    });
    expect(runCheck(check, [v2])).toEqual([]);
  });

  it("an additional region of a multi-region instance is checked on its own", () => {
    const file = editFixture(fx("premium-external.json"), (t) => {
      resourceOf(t, APIM).properties.additionalLocations = [
        {
          location: "northeurope",
          sku: { name: "Premium", capacity: 1 },
          virtualNetworkConfiguration: {
            subnetResourceId: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-ne', 'snet')]",
          },
        },
      ];
    });
    const findings = runCheck(check, [file]);
    expect(findings.map((f) => [f.severity, f.instance])).toEqual([["warning", "apim-test (northeurope)"]]);
  });
});

describeQuickstartsSilent(check);
