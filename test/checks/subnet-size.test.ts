import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/subnet-size.js";
import { editFixture, resourceOf } from "../helpers/edit-fixture.js";
import { applyArmFix, checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);

describe("APIM-SUBNET-SIZE", () => {
  it("fires when the units do not fit: 3 Premium units + the ILB need 7, a /29 has 3", () => {
    const [f, ...rest] = runCheck(check, [fx("premium-three-units-in-29.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expectMessage(f, "tooFewAddressesGrow", { usable: 3, needed: 7, growLength: 28, growPrefix: "10.1.1.0/28" });
    expect(f!.evidence.map((e) => e.text)).toContain(
      "apim-test (westeurope) takes 7: 3 Premium unit(s) × 2 + 1 internal load balancer",
    );
  });

  it("fires below the minimum: /30 for a classic tier, /28 for Premium v2 injection", () => {
    expectMessage(runCheck(check, [fx("smaller-than-29.json")])[0], "belowMinimumGrow", { minimum: 29 });
    expectMessage(runCheck(check, [fx("v2-injection-in-28.json")])[0], "belowMinimumGrow", { minimum: 27 });
  });

  it("gives an info when there is no room for one more unit, counting every instance in the subnet", () => {
    const [full] = runCheck(check, [fx("no-room-to-scale.json")]);
    expect(full!.severity).toBe("info");
    expectMessage(full, "noRoomToScaleGrow", { needed: 11, usable: 11 });
    const [shared] = runCheck(check, [fx("shared-subnet-two-instances.json")]);
    expectMessage(shared, "noRoomToScaleGrow", { instances: "apim-test (westeurope), apim-second (westeurope)" });
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
    expect(runCheck(check, [premium("Internal")])[0]!.data).toMatchObject({ needed: 3, usable: 3 });
    expect(runCheck(check, [premium("External")])[0]!.data).toMatchObject({ needed: 2, usable: 3 });
  });

  it("a v2 subnet above the minimum but smaller than the recommended /24 gets an info with a /24 to grow to", () => {
    const file = editFixture(fx("v2-integration-in-24.json"), (t) => {
      resourceOf(t, "Microsoft.Network/virtualNetworks").properties.subnets[0].properties.addressPrefix = "10.1.1.0/26";
    });
    const [f] = runCheck(check, [file]);
    expect(f!.severity).toBe("info");
    expect(f!.data).toMatchObject({ growPrefix: "10.1.1.0/24" });
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
    expectMessage(f, "unknown", {
      why: expect.stringMatching(/is Unknown \(parameters\('prefix'\)\).*give it with -p prefix=<value>/),
      wanted: expect.any(Number),
    });
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
    expect(f!.data).toMatchObject({ growPrefix: "10.1.0.0/28" });
    expect(runCheck(check, [applyArmFix(file, f!)])).toEqual([]);
  });
});

describeQuickstartsSilent(check);
