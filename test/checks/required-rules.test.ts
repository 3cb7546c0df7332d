/**
 * The table of required NSG rules (data/nsg/required-rules.json, checks/required-rules): every row cites Microsoft
 * Learn, API Management's rows are those of data/apim/requirements.json, a dedicated subnet gets its service's rows
 * only, and a rule is taken for a required one only when it names the documented tag.
 */
import { describe, expect, it } from "vitest";
import { REQUIRED_SERVICES, requiredRulesAt } from "../../src/checks/required-rules.js";
import { REQUIREMENTS } from "../../src/checks/requirements.js";
import { writtenFor } from "../../src/checks/util/rule-requirements.js";
import { AddressSet } from "../../src/engine/ip/address-set.js";
import { compileSecurityRule } from "../../src/engine/nsg/compile.js";
import { resolverFor } from "../../src/engine/servicetags/resolver.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import { rule } from "../helpers/nsg.js";

const resolver = resolverFor(loadServiceTagCatalog());
const compiled = (fields: Parameters<typeof rule>[0]) =>
  compileSecurityRule(rule(fields), { resolver, asgAddresses: () => AddressSet.EMPTY });
const services = (names: string[]) => [...new Set(requiredRulesAt(names).map((r) => r.service))];

describe("required NSG rules", () => {
  it("every row cites Microsoft Learn", () => {
    const rows = REQUIRED_SERVICES.flatMap((s) => s.rules);
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      expect(r.sources.length, r.id).toBeGreaterThan(0);
      for (const url of r.sources) expect(url, r.id).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\//);
    }
  });

  it("API Management's rows are the rows of the requirements table, with their check", () => {
    const apim = REQUIRED_SERVICES.find((s) => s.id === "api-management")!;
    for (const r of apim.rules) {
      const row = REQUIREMENTS.nsgRules.find((x) => `api-management/${x.id}` === r.id)!;
      expect(r).toMatchObject({ source: row.source, destination: row.destination, ports: row.ports, check: row.check });
    }
    expect(apim.rules.map((r) => r.id)).toContain("api-management/traffic-manager");
  });

  it("AzureBastionSubnet gets Bastion's rows only; other subnets, and an NSG attached nowhere, the others", () => {
    expect(services(["AzureBastionSubnet"])).toEqual(["Azure Bastion"]);
    expect(services(["snet-apim"])).toEqual(["API Management", "Application Gateway v2"]);
    expect(services([])).toEqual(["API Management", "Application Gateway v2"]);
    expect(services(["azurebastionsubnet", "snet-apim"])).toHaveLength(3);
  });

  it("a rule is the required one only when it names the tag: GatewayManager 65200-65535 is; RDP from * is none", () => {
    const appGw = compiled({ sourceAddressPrefix: "GatewayManager", destinationPortRange: "65200-65535" });
    expect(
      requiredRulesAt(["snet-appgw"])
        .filter((r) => writtenFor(appGw, r))
        .map((r) => r.id),
    ).toEqual(["application-gateway-v2/GatewayManager"]);
    const rdp = compiled({ protocol: "Tcp", destinationPortRange: "3389" });
    expect(requiredRulesAt(["snet-appgw"]).filter((r) => writtenFor(rdp, r))).toEqual([]);
    expect(requiredRulesAt(["AzureBastionSubnet"]).filter((r) => writtenFor(rdp, r))).toEqual([]);
    const regional = compiled({
      direction: "Outbound",
      destinationAddressPrefix: "Storage.WestEurope",
      destinationPortRange: "443",
    });
    expect(
      requiredRulesAt(["snet-apim"])
        .filter((r) => writtenFor(regional, r))
        .map((r) => r.id),
    ).toEqual(["api-management/storage"]);
  });
});
