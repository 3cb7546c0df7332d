import { describe, expect, it } from "vitest";
import nsgClient from "../../src/checks/apim/nsg-allows-client-traffic.js";
import nsgLoadBalancer from "../../src/checks/apim/nsg-allows-load-balancer.js";
import nsgManagement from "../../src/checks/apim/nsg-allows-management-endpoint.js";
import outbound from "../../src/checks/apim/outbound-dependency-reachable.js";
import check from "../../src/checks/apim/subnet-has-nsg.js";
import type { Check } from "../../src/checks/context.js";
import { loadInputs } from "../../src/ingest/load.js";
import { applyArmFix, checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);

describe("APIM-SUBNET-NSG-MISSING", () => {
  it("fires as an error for a classic stv2 instance whose subnet has no NSG, pointing at the subnet", () => {
    const [f, ...rest] = runCheck(check, [fx("internal-no-nsg.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expectMessage(f, "missingClassic", { subnet: "vnet-apim/snet-apim", instance: "apim-test (westeurope)" });
    expect(f!.resource).toMatch(/\/subnets\/snet-apim$/);
    expect(f!.location.line).toBeGreaterThan(1);
  });

  it("is an error for the v2 tiers and info for stv1", () => {
    expect(runCheck(check, [fx("v2-integration-no-nsg.json")]).map((f) => f.severity)).toEqual(["error"]);
    expect(runCheck(check, [fx("stv1-no-nsg.json")]).map((f) => f.severity)).toEqual(["info"]);
    expect(runCheck(check, [fx("internal-no-nsg.json")], { platform: "stv1" }).map((f) => f.severity)).toEqual([
      "info",
    ]);
  });

  it("stays silent when the subnet has an NSG, and for an instance outside a VNet", () => {
    expect(runCheck(check, [fx("has-nsg.json")])).toEqual([]);
    expect(runCheck(check, [fx("no-vnet-instance.json")])).toEqual([]);
  });

  it("the new NSG holds the required rules for the mode: External adds Internet 443, v2 only Storage 443", () => {
    const rulesOf = (name: string) => {
      const [f] = runCheck(check, [fx(name)]);
      const [nsg] = JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text);
      return nsg.properties.securityRules.map((r: { name: string }) => r.name);
    };
    expect(rulesOf("internal-no-nsg.json")).toEqual([
      "Allow-ApiManagement-3443-Inbound",
      "Allow-AzureLoadBalancer-6390-Inbound",
      "Allow-Internet-80-Outbound",
      "Allow-Storage-443-Outbound",
      "Allow-Sql-1433-Outbound",
      "Allow-AzureKeyVault-443-Outbound",
      "Allow-AzureMonitor-1886-443-Outbound",
    ]);
    expect(rulesOf("external-no-nsg-with-extras.json")[0]).toBe("Allow-Internet-443-Inbound");
    expect(rulesOf("v2-integration-no-nsg.json")).toEqual(["Allow-Storage-443-Outbound"]);
  });

  for (const name of [
    "internal-no-nsg.json",
    "external-no-nsg-with-extras.json",
    "stv1-no-nsg.json",
    "v2-integration-no-nsg.json",
  ]) {
    it(`its ARM fix associates a new NSG and the finding goes away (${name})`, () => {
      const [f] = runCheck(check, [fx(name)]);
      expect(runCheck(check, [applyArmFix(fx(name), f!)])).toEqual([]);
    });
  }

  it("the ARM fix keeps what the subnet had: prefix, route table, service endpoints, delegations", () => {
    const name = "external-no-nsg-with-extras.json";
    const [f] = runCheck(check, [fx(name)]);
    const { model } = loadInputs([applyArmFix(fx(name), f!)]);
    const subnet = model.virtualNetworks[0]!.subnets[0]!;
    expect(subnet.addressPrefix).toBe("10.1.1.0/27");
    expect(subnet.routeTable?.id).toMatch(/routeTables\/rt-apim$/);
    expect(subnet.serviceEndpoints.map((e) => e.service)).toEqual(["Microsoft.Storage", "Microsoft.Sql"]);
    expect(subnet.networkSecurityGroup?.id).toMatch(/networkSecurityGroups\/nsg-snet-apim$/);
    const v2 = "v2-integration-no-nsg.json";
    const [g] = runCheck(check, [fx(v2)]);
    const fixed = loadInputs([applyArmFix(fx(v2), g!)]).model.virtualNetworks[0]!.subnets[0]!;
    expect(fixed.delegations.map((d) => d.serviceName)).toEqual(["Microsoft.Web/serverFarms"]);
  });

  it("after the fix, the NSG checks find no error: the new NSG lets the required flows through", () => {
    const others: Check[] = [nsgClient, nsgLoadBalancer, nsgManagement, outbound];
    for (const name of ["internal-no-nsg.json", "external-no-nsg-with-extras.json"]) {
      const [f] = runCheck(check, [fx(name)]);
      const fixed = applyArmFix(fx(name), f!);
      for (const other of others) {
        const errors = runCheck(other, [fixed]).filter((x) => x.severity === "error");
        expect(errors, `${other.meta.id} on fixed ${name}`).toEqual([]);
      }
    }
  });
});

describeQuickstartsSilent(check, "each associates an NSG");
