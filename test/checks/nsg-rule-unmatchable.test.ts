import { describe, expect, it } from "vitest";
import check from "../../src/checks/nsg/nsg-rule-unmatchable.js";
import type { Finding } from "../../src/checks/types.js";
import { loadInputs } from "../../src/ingest/load.js";
import { corpusPath, describeCorpus } from "../helpers/corpus.js";
import { afterFix } from "./fix-helpers.js";
import { checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
const ruleOf = (f: Finding) => f.resource.split("/").at(-1);
const REVERSED = ["AllowStorage", "AllowSql", "AllowKeyVault", "AllowMonitor"];

describe("NSG-RULE-UNMATCHABLE", () => {
  it("the AI hub gateway's NSG (ARM twin): exactly the four outbound rules written from the tag to VirtualNetwork", () => {
    const findings = runCheck(check, [fx("reversed-apim-dependencies.json")]);
    expect(findings.map(ruleOf)).toEqual(REVERSED);
    for (const f of findings) expect(f.severity).toBe("warning");
    const [storage] = findings;
    expectMessage(storage, "reversed", {
      direction: "outbound",
      rule: "securityRules/AllowStorage",
      priority: 3000,
      access: "Allow",
      side: "source",
      value: "Storage",
      subnets: "subnet vnet-aihub/snet-apim (10.170.0.0/26)",
      fixedSource: "VirtualNetwork",
      fixedDestination: "Storage",
    });
    expect(
      storage!.evidence.some((e) => e.kind === "requirement" && e.text.includes("virtual-network-reference")),
    ).toBe(true);
  });

  it("the fix restates each reversed rule as meant (source VirtualNetwork, destination the tag, same ports and priority)", () => {
    const findings = runCheck(check, [fx("reversed-apim-dependencies.json")]);
    for (const f of findings) {
      expect(f.changes?.map((c) => c.op)).toEqual(["restate"]);
      const [rule] = JSON.parse(f.fix.find((x) => x.kind === "arm")!.text);
      expect(rule.properties.sourceAddressPrefix).toBe("VirtualNetwork");
      expect(rule.properties.direction).toBe("Outbound");
    }
    const [, , , monitor] = findings;
    const [rule] = JSON.parse(monitor!.fix.find((x) => x.kind === "arm")!.text);
    expect(rule.properties).toMatchObject({
      destinationAddressPrefix: "AzureMonitor",
      destinationPortRanges: ["1886", "443"],
      priority: 3030,
      protocol: "Tcp",
      access: "Allow",
    });
    expect(monitor!.fix[0]!.text.replace(/ \\\n +/g, " ")).toContain(
      "--name AllowMonitor --source-address-prefixes VirtualNetwork --destination-address-prefixes AzureMonitor",
    );
    // Each fix makes its rule match: applied, that finding is gone and the other three stay.
    for (const f of findings)
      expect(afterFix(check, fx("reversed-apim-dependencies.json"), f).map(ruleOf)).toEqual(
        REVERSED.filter((r) => r !== ruleOf(f)),
      );
  });

  it("an inbound rule whose destination is another subnet's CIDR: a warning, with no fix (nothing says what was meant)", () => {
    const [f, ...rest] = runCheck(check, [fx("inbound-to-another-subnet.json")]);
    expect(rest).toEqual([]);
    expectMessage(f, "unmatchable", {
      direction: "inbound",
      rule: "securityRules/Allow-Web-In",
      priority: 100,
      side: "destination",
      value: "10.1.2.0/24",
      subnets: "subnet vnet-app/snet-app (10.1.1.0/24)",
    });
    expect(f!.fix).toEqual([]);
    expect(f!.location.line).toBeGreaterThan(1);
  });

  it("an NSG on a NIC is judged with the addresses of the NIC's subnet", () => {
    const [f, ...rest] = runCheck(check, [fx("nsg-on-nic.json")]);
    expect(rest).toEqual([]);
    expect(ruleOf(f!)).toBe("Allow-Sql-Reversed");
    expectMessage(f, "reversed", {
      subnets: "subnet vnet-app/snet-vm (10.5.1.0/24)",
      fixedSource: "VirtualNetwork",
      fixedDestination: "Sql",
    });
  });

  it("stays silent where a rule can match at one of the NSG's subnets, and for an NSG attached nowhere", () => {
    expect(runCheck(check, [fx("shared-nsg-rules-per-subnet.json")])).toEqual([]);
    expect(runCheck(check, [fx("unattached-nsg.json")])).toEqual([]);
  });
});

describeQuickstartsSilent(check);

describeCorpus("NSG-RULE-UNMATCHABLE on the AI hub gateway accelerator's vnet.bicep (June 2024)", () => {
  const file = corpusPath("ai-hub-gateway-solution-accelerator", "c3565cc", "infra/modules/networking/vnet.bicep");
  // The module's parameters have no defaults; these are the values the ARM twin uses.
  const parameters = [
    "name=vnet-aihub",
    "vnetAddressPrefix=10.170.0.0/24",
    "apimSubnetName=snet-apim",
    "apimNsgName=nsg-apim",
    "apimSubnetAddressPrefix=10.170.0.0/26",
  ];
  const readable = (() => {
    try {
      return loadInputs([file], { parameters }).model.networkSecurityGroups.length > 0;
    } catch {
      return false;
    }
  })();
  const name = "reports exactly AllowStorage, AllowSql, AllowKeyVault and AllowMonitor, at their .bicep lines";
  const test = () => {
    const findings = runCheck(check, [file], { parameters });
    expect(findings.map(ruleOf)).toEqual(REVERSED);
    expect(findings.map((f) => f.location.line)).toEqual([127, 140, 153, 166]);
    for (const f of findings) expect(f.changes?.map((c) => c.op)).toEqual(["restate"]);
  };
  if (readable) it(name, test);
  else it.skip(`${name} (skipped: Bicep reader not registered)`, test);
});
