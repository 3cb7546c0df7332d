import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/public-ip.js";
import { editFixture, resourceOf } from "../helpers/edit-fixture.js";
import { applyArmFix, azCommands, checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
const PIP = "Microsoft.Network/publicIPAddresses";

describe("APIM-PUBLIC-IP", () => {
  it("fires on a Basic SKU, dynamic address, naming both and saying a new address is needed", () => {
    const [f, ...rest] = runCheck(check, [fx("basic-sku-dynamic.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expectMessage(f, "notMetReplace", {
      ip: "pip-apim",
      instance: "apim-test (westeurope)",
      problems: expect.stringMatching(/its SKU is Basic, not Standard.*its allocation method is Dynamic, not Static/),
    });
    expect(f!.resource).toMatch(/publicIPAddresses\/pip-apim$/);
    const az = azCommands(f!).join("\n");
    expect(az).toContain("az network public-ip create");
    expect(az).toContain("--sku Standard --allocation-method Static --version IPv4 --dns-name apim-test");
    // ARM: the new address added, and the instance's publicIpAddressId merged into its own declaration.
    const arm = f!.fix.find((x) => x.kind === "arm")!.text;
    expect(arm).toContain("// merge into the template's own declaration of Microsoft.ApiManagement/service apim-test");
    expect(runCheck(check, [applyArmFix(fx("basic-sku-dynamic.json"), f!)])).toEqual([]);
  });

  it("fires on an address in another region, for the primary and for an additional region", () => {
    expectMessage(runCheck(check, [fx("other-region.json")])[0], "notMetReplace", {
      problems: expect.stringContaining("it is in northeurope, not in the instance's region westeurope"),
    });
    const [f] = runCheck(check, [fx("additional-region-ip-wrong-region.json")]);
    expect(f!.instance).toBe("apim-test (North Europe)");
    // The index is that of North Europe in the template's list, quoted so the shell does not read `[0]` as a glob.
    const az = azCommands(f!).join("\n");
    expect(az).toContain(
      `--set 'additionalLocations[0].publicIpAddressId='"/subscriptions/\${SUBSCRIPTION_ID}/resourceGroups/\${RESOURCE_GROUP}/providers/Microsoft.Network/publicIPAddresses/apim-test-northeurope-pip"`,
    );
    // Bicep and Terraform cannot set one item of the list alone: they are left out rather than written wrong.
    expect(f!.fix.map((x) => x.kind)).toEqual(["az-cli"]);
  });

  it("warns on a missing DNS name label; its ARM fix (the address restated with the label) removes it", () => {
    const [f] = runCheck(check, [fx("no-dns-label.json")]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "notMet", { ip: "pip-apim", problems: expect.stringContaining("no DNS name label") });
    expect(f!.fix.find((x) => x.kind === "az-cli")!.text).toMatch(
      /^# set RESOURCE_GROUP first: the resource group \(the inputs do not say it\)\n: "\$\{RESOURCE_GROUP:\?\}"\n/,
    );
    expect(azCommands(f!)).toEqual([
      'az network public-ip update --resource-group "${RESOURCE_GROUP}" --name pip-apim --dns-name apim-test',
    ]);
    expect(runCheck(check, [applyArmFix(fx("no-dns-label.json"), f!)])).toEqual([]);
  });

  it("a public IP the inputs do not contain cannot be checked: a warning that says so in its title", () => {
    const [f] = runCheck(check, [fx("ip-not-in-inputs.json")]);
    expect(f!.severity).toBe("warning");
    expect(f!.title).toBe("Cannot be checked: the public IP of apim-test (westeurope)");
    expectMessage(f, "notInInputs", { instance: "apim-test (westeurope)", ip: "pip-apim" });
  });

  it("a public IP with no sku is taken as Basic (Azure's default), and says so", () => {
    const file = editFixture(fx("standard-static-labelled.json"), (t) => {
      delete resourceOf(t, PIP).sku;
    });
    const [f] = runCheck(check, [file]);
    expectMessage(f, "notMetReplace", { problems: expect.stringContaining("names no SKU") });
    expect(f!.evidence.some((e) => e.kind === "assumption")).toBe(true);
  });

  it("zones the address does not cover give a warning", () => {
    const file = editFixture(fx("standard-static-labelled.json"), (t) => {
      resourceOf(t, "Microsoft.ApiManagement/service").zones = ["1", "2"];
      resourceOf(t, PIP).zones = ["1"];
    });
    const [f] = runCheck(check, [file]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "notMet", { problems: expect.stringContaining("zones 1, 2") });
  });

  it("the new address the fix describes (Standard, static, IPv4, labelled, in the region) passes", () => {
    const file = editFixture(fx("basic-sku-dynamic.json"), (t) => {
      const ip = resourceOf(t, PIP);
      ip.sku = { name: "Standard" };
      ip.properties.publicIPAllocationMethod = "Static";
    });
    expect(runCheck(check, [file])).toEqual([]);
  });

  it("stays silent on a compliant address, in one region and in two", () => {
    expect(runCheck(check, [fx("standard-static-labelled.json")])).toEqual([]);
    expect(runCheck(check, [fx("additional-region-ip-ok.json")])).toEqual([]);
  });
});

describeQuickstartsSilent(check, "Standard, static, labelled, same region", [
  "api-management-create-with-internal-vnet-publicip",
  "api-management-create-with-external-vnet-publicip",
]);
