import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/subnet-size.js";
import { editFixture, resourceOf } from "../helpers/edit-fixture.js";
import { applyArmFix, checkFixture, describeQuickstartsSilent, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);

describe("APIM-SUBNET-SIZE", () => {
  it("fires when the units do not fit: 3 Premium units + the ILB need 7, a /29 has 3", () => {
    const [f, ...rest] = runCheck(check, [fx("premium-three-units-in-29.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expect(f!.message).toContain("has 3 usable addresses but needs 7");
    expect(f!.message).toContain("Grow it to a /28: 10.1.1.0/28 is free");
    expect(f!.evidence.map((e) => e.text)).toContain(
      "apim-test (westeurope) takes 7: 3 Premium unit(s) × 2 + 1 internal load balancer",
    );
  });

  it("fires below the minimum: /30 for a classic tier, /28 for Premium v2 injection", () => {
    expect(runCheck(check, [fx("smaller-than-29.json")])[0]!.message).toContain("smaller than the /29 minimum");
    expect(runCheck(check, [fx("v2-injection-in-28.json")])[0]!.message).toContain("smaller than the /27 minimum");
  });

  it("gives an info when there is no room for one more unit, counting every instance in the subnet", () => {
    const [full] = runCheck(check, [fx("no-room-to-scale.json")]);
    expect(full!.severity).toBe("info");
    expect(full!.message).toContain("11 of 11 usable addresses taken");
    const [shared] = runCheck(check, [fx("shared-subnet-two-instances.json")]);
    expect(shared!.message).toContain("apim-test (westeurope), apim-second (westeurope)");
  });

  it("stays silent when the units fit with room to spare", () => {
    for (const name of ["premium-internal-in-27.json", "developer-in-29.json", "v2-integration-in-24.json"])
      expect(runCheck(check, [fx(name)]), name).toEqual([]);
  });

  it("External mode needs no address for the internal load balancer", () => {
    // One Premium unit in a /29: Internal takes 3 of 3 usable addresses, External 2 of 3; neither leaves room for a second unit.
    const premium = (mode: string) =>
      editFixture(fx("developer-in-29.json"), (t) => {
        const s = resourceOf(t, "Microsoft.ApiManagement/service");
        s.sku.name = "Premium";
        s.properties.virtualNetworkType = mode;
      });
    expect(runCheck(check, [premium("Internal")])[0]!.message).toContain("(3 of 3 usable addresses taken)");
    expect(runCheck(check, [premium("External")])[0]!.message).toContain("(2 of 3 usable addresses taken)");
  });

  it("a v2 subnet above the minimum but smaller than the recommended /24 gets an info with a /24 to grow to", () => {
    const file = editFixture(fx("v2-integration-in-24.json"), (t) => {
      resourceOf(t, "Microsoft.Network/virtualNetworks").properties.subnets[0].properties.addressPrefix = "10.1.1.0/26";
    });
    const [f] = runCheck(check, [file]);
    expect(f!.severity).toBe("info");
    expect(f!.message).toContain("10.1.1.0/24 is free");
    expect(runCheck(check, [applyArmFix(file, f!)])).toEqual([]);
  });

  it("an unresolved prefix gives a warning naming it, what to give, and the size needed", () => {
    const file = editFixture(fx("premium-internal-in-27.json"), (t) => {
      t.parameters = { prefix: { type: "string" } };
      resourceOf(t, "Microsoft.Network/virtualNetworks").properties.subnets[0].properties.addressPrefix =
        "[parameters('prefix')]";
    });
    const [f] = runCheck(check, [file]);
    expect(f!.severity).toBe("warning");
    expect(f!.message).toContain("is Unknown (parameters('prefix'))");
    expect(f!.message).toContain("give it with -p prefix=<value>");
    expect(f!.message).toMatch(/needs a \/\d+ or larger/);
  });

  for (const name of [
    "premium-three-units-in-29.json",
    "smaller-than-29.json",
    "v2-injection-in-28.json",
    "no-room-to-scale.json",
  ]) {
    it(`its ARM fix (the subnet grown to a free prefix) makes the finding go away (${name})`, () => {
      const [f] = runCheck(check, [fx(name)]);
      expect(runCheck(check, [applyArmFix(fx(name), f!)])).toEqual([]);
    });
  }

  it("the grown prefix avoids the other subnets of the VNet", () => {
    const file = editFixture(fx("premium-three-units-in-29.json"), (t) => {
      resourceOf(t, "Microsoft.Network/virtualNetworks").properties.subnets.push({
        name: "other",
        properties: { addressPrefix: "10.1.1.8/29" },
      });
    });
    const [f] = runCheck(check, [file]);
    expect(f!.message).toContain("10.1.0.0/28 is free");
    expect(runCheck(check, [applyArmFix(file, f!)])).toEqual([]);
  });
});

describeQuickstartsSilent(check);
