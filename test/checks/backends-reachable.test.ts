import { join } from "node:path";
import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/backends-reachable.js";
import { parseBackendOption } from "../../src/cli/commands/check.js";
import { corpusPath, describeCorpus, REPO_ROOT } from "../helpers/corpus.js";
import { applyArmFix, checkFixture, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
const EXAMPLE = join(REPO_ROOT, "examples/forced-tunnel/network.json");

describe("APIM-BACKEND-UNREACHABLE", () => {
  it("the bundled example: the peering to vnet-app has one half (Initiated), and the 0/0 UDR sends 10.2.1.10 to the firewall meanwhile", () => {
    const [f, ...rest] = runCheck(check, [EXAMPLE]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expectMessage(f, "unreachable", {
      causes: expect.stringMatching(
        /peering apim-to-app between vnet-apim and vnet-app is Initiated.*routed to VirtualAppliance 10\.0\.1\.4 by user route rt-apim\/default-to-firewall.*vnet-hub, where the appliance is, has no Connected peering with vnet-app/s,
      ),
    });
    expect(f!.resource).toMatch(/virtualNetworkPeerings\/apim-to-app$/);
    const kinds = f!.evidence.map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(["backend", "peering-state", "peering", "effective-route", "route-table", "appliance"]),
    );
    expect(f!.evidence.find((e) => e.kind === "peering")?.location?.line).toBe(f!.location.line);
    const fixed = applyArmFix(EXAMPLE, f!);
    expect(runCheck(check, [fixed])).toEqual([]);
  });

  it("fires on a one-sided peering where the reserved 10.0.0.0/8 route drops the traffic", () => {
    const [f] = runCheck(check, [fx("peering-one-half.json")]);
    expectMessage(f, "unreachable", {
      causes: expect.stringMatching(/is Initiated.*routed to None by a reserved system route/s),
    });
    const [peering] = JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text);
    expect(peering).toMatchObject({
      name: "vnet-app/vnet-app-to-vnet-apim",
      properties: { allowVirtualNetworkAccess: true },
    });
  });

  it("fires when the VNets are not peered at all, without blaming the default DenyAllOutBound (a consequence)", () => {
    const [f] = runCheck(check, [fx("not-peered.json")]);
    expectMessage(f, "unreachable", { causes: expect.stringContaining("vnet-apim and vnet-app are not peered") });
    expect(f!.message).not.toContain("DenyAllOutBound");
    expect(JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text)).toHaveLength(2);
  });

  it("names the denying NSG rule on the backend's side (inbound) and on the APIM side (outbound)", () => {
    const [inbound] = runCheck(check, [fx("backend-nsg-denies.json")]);
    expectMessage(inbound, "unreachable", {
      causes: expect.stringContaining("denied by nsg-app securityRules/Deny-Apim-8080 (priority 200)"),
    });
    expect(inbound!.evidence.find((e) => e.kind === "nsg-rule")?.text).toContain("Inbound");
    const [outbound] = runCheck(check, [fx("apim-nsg-denies-outbound.json")]);
    expectMessage(outbound, "unreachable", {
      causes: expect.stringContaining("denied by nsg-apim securityRules/Deny-VNet-Out (priority 4000)"),
    });
    expect(JSON.parse(outbound!.fix.find((x) => x.kind === "arm")!.text)[0].properties).toMatchObject({
      priority: 3990,
      direction: "Outbound",
      destinationPortRange: "8080",
      destinationAddressPrefix: "10.2.1.10",
      sourceAddressPrefix: "10.1.1.0/27",
    });
  });

  it("resolves an API's serviceUrl through a Private DNS zone of the inputs, and says when the zone is not linked to the APIM VNet", () => {
    const [denied] = runCheck(check, [fx("dns-name-nsg-denies.json")]);
    expectMessage(denied, "unreachable", { target: "API orders-api (serviceUrl) (10.2.1.10:8080)" });
    expect(denied!.evidence.find((e) => e.kind === "dns-record")?.text).toContain(
      "orders.contoso.internal → 10.2.1.10",
    );
    const [unlinked] = runCheck(check, [fx("dns-name-zone-not-linked.json")]);
    expect(unlinked!.severity).toBe("warning");
    expectMessage(unlinked, "mayBeUnreachable", {
      causes: expect.stringContaining("private DNS zone contoso.internal is not linked to vnet-apim"),
    });
  });

  it("warns (Unknown) when the backend is reached through a hub firewall, whose rules are not modelled", () => {
    const [f] = runCheck(check, [fx("through-hub-firewall.json")]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "mayBeUnreachable", {
      causes: expect.stringContaining("Unknown whether the appliance forwards it"),
    });
    expect(f!.fix).toEqual([]);
  });

  it("a name no input resolves is Unknown (a warning), a public backend an info; both titled as not checked", () => {
    const findings = runCheck(check, [fx("public-backend.json")]);
    expect(findings.map((f) => f.severity)).toEqual(["warning", "info"]);
    expect(findings.map((f) => f.title)).toEqual([
      expect.stringMatching(/^Cannot be checked: whether backend .* can be reached$/),
      expect.stringMatching(/^Cannot be checked: whether backend .* can be reached$/),
    ]);
    expectMessage(findings[0], "notChecked");
    expectMessage(findings[1], "publicAddress", { address: "20.50.2.10" });
  });

  it("checks --backend host:port for every instance", () => {
    const backends = parseBackendOption(["10.2.1.10:8080", "10.2.1.10:8443"]);
    const findings = runCheck(check, [fx("backend-nsg-denies.json")], { backends });
    expect(findings.map((f) => [f.messageId, String(f.data?.target).split(" (")[0]])).toEqual([
      ["unreachable", "backend orders"],
      ["unreachable", "--backend 10.2.1.10:8080"],
    ]);
    expect(findings[1]!.data?.causes).toContain("Deny-Apim-8080");
    expect(findings[0]!.location.line).toBe(findings[1]!.location.line);
    expect(() => parseBackendOption(["10.2.1.10"])).toThrow(/host:port/);
    expect(parseBackendOption(["[fd00::4]:443", "orders.contoso.internal:8443"])).toEqual([
      { host: "fd00::4", port: 443, text: "[fd00::4]:443" },
      { host: "orders.contoso.internal", port: 8443, text: "orders.contoso.internal:8443" },
    ]);
  });

  it("stays silent when every object on the way allows the backend", () => {
    expect(runCheck(check, [fx("reachable-peered-backend.json")])).toEqual([]);
    expect(runCheck(check, [fx("dns-name-reachable.json")])).toEqual([]);
  });

  for (const name of [
    "peering-one-half.json",
    "not-peered.json",
    "backend-nsg-denies.json",
    "apim-nsg-denies-outbound.json",
    "dns-name-nsg-denies.json",
    "dns-name-zone-not-linked.json",
  ]) {
    it(`its ARM fix makes the finding go away (${name})`, () => {
      const [f] = runCheck(check, [fx(name)]);
      expect(runCheck(check, [applyArmFix(fx(name), f!)])).toEqual([]);
    });
  }
});

describeCorpus("APIM-BACKEND-UNREACHABLE on the official quickstarts", () => {
  for (const dir of [
    "api-management-create-with-internal-vnet-publicip",
    "api-management-create-with-external-vnet-publicip",
    "api-management-create-with-internal-vnet",
  ]) {
    it(`no error on ${dir}`, () => {
      const findings = runCheck(check, [corpusPath("azure-quickstart-templates", dir, "azuredeploy.json")]);
      expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    });
  }
});
