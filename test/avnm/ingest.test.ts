/**
 * AVNM ingest (ingest/resources/avnm): children declared before their parents, in another input, join the
 * parent when it comes (the made-up parent is replaced and keeps what it collected); an Azure Policy definition
 * that adds to a group is kept on the group; other policy definitions stay unmodelled.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adminRulesAt } from "../../src/engine/nsg/admin-scope.js";
import { loadInputs } from "../../src/ingest/load.js";
import { Topology } from "../../src/model/topology.js";

const NM = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkManagers/nm";

function files(...docs: unknown[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "avnm-ingest-"));
  return docs.map((d, i) => {
    const file = join(dir, `${i}.json`);
    writeFileSync(file, JSON.stringify(d, null, 2));
    return file;
  });
}

const rule = {
  id: `${NM}/securityAdminConfigurations/c/ruleCollections/rc/rules/r1`,
  name: "r1",
  type: "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
  kind: "Custom",
  properties: { access: "AlwaysAllow", direction: "Inbound", priority: 5, protocol: "Any" },
};
const member = {
  id: `${NM}/networkGroups/g/staticMembers/m1`,
  name: "m1",
  type: "Microsoft.Network/networkManagers/networkGroups/staticMembers",
  properties: { resourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v" },
};
const manager = [
  {
    id: NM,
    name: "nm",
    type: "Microsoft.Network/networkManagers",
    properties: { networkManagerScopeAccesses: ["SecurityAdmin"] },
  },
  { id: `${NM}/networkGroups/g`, name: "g", type: "Microsoft.Network/networkManagers/networkGroups", properties: {} },
  {
    id: `${NM}/securityAdminConfigurations/c`,
    name: "c",
    type: "Microsoft.Network/networkManagers/securityAdminConfigurations",
    properties: { applyOnNetworkIntentPolicyBasedServices: ["AllowRulesOnly"] },
  },
  {
    id: `${NM}/securityAdminConfigurations/c/ruleCollections/rc`,
    name: "rc",
    type: "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
    properties: { appliesToGroups: [{ networkGroupId: `${NM}/networkGroups/g` }] },
  },
];

describe("AVNM ingest", () => {
  it("children read before their parents join them, and nothing stays made up", () => {
    const { model } = loadInputs(files([rule, member], manager));
    expect(model.networkManagers).toHaveLength(1);
    const [nm] = model.networkManagers;
    expect(nm!.madeUp).toBeUndefined();
    expect(nm!.networkGroups.map((g) => [g.name, g.madeUp, g.staticMembers.map((m) => m.name)])).toEqual([
      ["g", undefined, ["m1"]],
    ]);
    const [c] = nm!.securityAdminConfigurations;
    expect(c).toMatchObject({ name: "c", applyOnNetworkIntentPolicyBasedServices: ["AllowRulesOnly"] });
    expect(c!.madeUp).toBeUndefined();
    expect(c!.ruleCollections[0]!.rules.map((r) => [r.name, r.access, r.protocol])).toEqual([
      ["r1", "AlwaysAllow", "Any"],
    ]);
    expect(c!.ruleCollections[0]!.appliesToGroups).toEqual([`${NM}/networkGroups/g`]);
  });

  it("keeps an addToNetworkGroup policy on its group; another policy definition is unmodelled", () => {
    const policy = (name: string, effect: string) => ({
      id: `/subscriptions/s/providers/Microsoft.Authorization/policyDefinitions/${name}`,
      name,
      type: "Microsoft.Authorization/policyDefinitions",
      properties: {
        mode: "Microsoft.Network.Data",
        policyRule: {
          if: { field: "Name", contains: "prod" },
          // biome-ignore lint/suspicious/noThenProperty: Azure Policy's policyRule names its effect block `then`
          then: { effect, details: { networkGroupId: `${NM}/networkGroups/g` } },
        },
      },
    });
    const { model } = loadInputs(
      files([...manager, policy("prod-vnets", "addToNetworkGroup"), policy("audit", "audit")]),
    );
    expect(model.networkManagers[0]!.networkGroups[0]!.conditionalMembership.map((c) => c.policy)).toEqual([
      "prod-vnets",
    ]);
    expect(model.unmodeled.map((u) => u.name)).toEqual(["audit"]);
  });
});

describe("AVNM where Azure applies fewer rules (reference part 2 §10.3)", () => {
  const vnet = (delegation?: string) => ({
    id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v",
    name: "v",
    type: "Microsoft.Network/virtualNetworks",
    location: "westeurope",
    properties: {
      addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
      subnets: [
        { name: "app", properties: { addressPrefix: "10.0.1.0/24" } },
        {
          name: "mi",
          properties: {
            addressPrefix: "10.0.2.0/24",
            delegations: delegation ? [{ name: "d", properties: { serviceName: delegation } }] : [],
          },
        },
      ],
    },
  });
  const deny = {
    ...rule,
    id: rule.id.replace("r1", "r2"),
    name: "r2",
    properties: { ...rule.properties, access: "Deny" },
  };
  const commit = {
    value: [
      {
        region: "westeurope",
        deploymentType: "SecurityAdmin",
        deploymentStatus: "Deployed",
        configurationIds: [`${NM}/securityAdminConfigurations/c`],
      },
    ],
  };
  const rulesAt = (delegation: string | undefined, applyOn: string) => {
    const nm = manager.map((r) =>
      r.name === "c" ? { ...r, properties: { applyOnNetworkIntentPolicyBasedServices: [applyOn] } } : r,
    );
    const { model } = loadInputs(files([...nm, member, rule, deny, vnet(delegation)], commit));
    const topology = new Topology(model);
    const subnet = topology.findSubnet("v/app")!;
    const place = adminRulesAt(model, subnet, topology.vnetOf(subnet));
    if (place.notApplied) return [place.notApplied];
    return place.entries.map((e) => `${e.rule.name} ${e.applies}`);
  };

  it("a VNet without intent-policy services gets every rule", () => {
    expect(rulesAt(undefined, "None")).toEqual(["r1 yes", "r2 yes"]);
  });

  it("a VNet holding SQL Managed Instance gets none by default, and only the allow rules with AllowRulesOnly", () => {
    expect(rulesAt("Microsoft.Sql/managedInstances", "None")).toEqual([
      expect.stringMatching(
        /^VNet v holds Azure SQL Managed Instance: Azure applies no rules of configuration c there/,
      ),
    ]);
    expect(rulesAt("Microsoft.Sql/managedInstances", "AllowRulesOnly")).toEqual(["r1 yes"]);
    expect(rulesAt("Microsoft.Sql/managedInstances", "All")).toEqual(["r1 yes", "r2 yes"]);
  });
});
