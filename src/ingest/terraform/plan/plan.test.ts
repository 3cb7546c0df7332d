import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../../test/helpers/corpus.js";
import { diagnosticLines, loadTerraform } from "../../../../test/helpers/terraform.js";
import { formatSource, valueSource } from "../../../model/source.js";

const FIXTURE = join(REPO_ROOT, "test/fixtures/terraform/plan-equivalence");
const planText = readFileSync(join(FIXTURE, "plan/plan.json"), "utf8");
const configText = readFileSync(join(FIXTURE, "config/main.tf"), "utf8");
const plan = () => JSON.parse(planText) as Record<string, unknown> & { resource_changes: Record<string, unknown>[] };

describe("plan extraction", () => {
  it("reads resource_changes with their after values, and locates each at its entry in the plan", () => {
    const result = loadTerraform({ "p/plan.json": planText });
    const subnet = result.model.virtualNetworks[0]!.subnets[0]!;
    expect(subnet.addressPrefix).toBe("10.20.1.0/27");
    expect(formatSource(subnet.src)).toMatch(/^\/virtual\/p\/plan\.json:\d+:5$/);
    expect(result.model.apiManagementServices[0]!.virtualNetworkType).toBe("Internal");
  });

  it("reads planned_values with child modules when resource_changes is absent", () => {
    const p = plan();
    const root = (p.planned_values as { root_module: { resources: unknown[]; child_modules?: unknown[] } }).root_module;
    const vnet = root.resources.find((r) => (r as { type: string }).type === "azurerm_virtual_network") as Record<
      string,
      unknown
    >;
    root.resources = [];
    root.child_modules = [
      {
        address: 'module.spoke["app"]',
        resources: [{ ...vnet, address: 'module.spoke["app"].azurerm_virtual_network.hub' }],
      },
    ];
    delete (p as Record<string, unknown>).resource_changes;
    const result = loadTerraform({ "p/plan.json": JSON.stringify(p) });
    expect(result.model.virtualNetworks.map((v) => v.name)).toEqual(["vnet-apim"]);
  });
});

describe("plan conversion", () => {
  it("resolves ids unknown at plan time through the configuration's references, so associations link", () => {
    const result = loadTerraform({ "p/plan.json": planText });
    const subnet = result.model.virtualNetworks[0]!.subnets[0]!;
    expect(subnet.networkSecurityGroup?.id).toBe(result.model.networkSecurityGroups[0]!.id);
    expect(subnet.routeTable?.id).toBe(result.model.routeTables[0]!.id);
    expect(result.model.apiManagementServices[0]!.virtualNetworkConfiguration?.subnetResourceId).toBe(subnet.id);
    // The standalone rule joins its NSG, whose own rule list is computed (not set in the configuration).
    expect(result.model.networkSecurityGroups[0]!.securityRules.map((r) => r.name)).toEqual([
      "Allow-Management",
      "Deny-All-Inbound",
    ]);
  });

  it("locates on the .tf lines when the configuration is beside the plan", () => {
    const result = loadTerraform({
      "p/main.tf": configText,
      "p/plan.json": planText,
      "p/terraform.tfvars": 'apim_prefix = "10.20.1.0/27"\n',
    });
    const subnet = result.model.virtualNetworks[0]!.subnets[0]!;
    expect(formatSource(subnet.src)).toBe("/virtual/p/main.tf:33:1");
    expect(formatSource(valueSource(subnet.src, ["addressPrefix"]))).toBe("/virtual/p/main.tf:37:26");
    expect(result.model.inputs.find((i) => i.format === "terraform-plan")?.resources).toBeGreaterThan(0);
    expect(result.model.inputs.find((i) => i.format === "terraform")?.resources).toBe(0);
  });
});

describe("plan warns", () => {
  it("leaves out resources being destroyed, and says so", () => {
    const p = plan();
    const rt = p.resource_changes.find((r) => r.type === "azurerm_route_table")!;
    (rt.change as { actions: string[] }).actions = ["delete"];
    const result = loadTerraform({ "p/plan.json": JSON.stringify(p) });
    expect(result.model.routeTables).toHaveLength(0);
    expect(
      diagnosticLines(result).some((l) => l.includes("being destroyed are left out: azurerm_route_table.apim")),
    ).toBe(true);
  });

  it("marks a value unknown at plan time as Unknown with its address when nothing resolves it", () => {
    const p = plan();
    delete (p as Record<string, unknown>).configuration;
    const result = loadTerraform({ "p/plan.json": JSON.stringify(p) });
    const apim = result.model.apiManagementServices[0]!;
    expect(apim.virtualNetworkConfiguration?.subnetResourceId).toMatch(
      /azurerm_api_management\.apim\.virtual_network_configuration|known after apply/,
    );
  });

  it("refuses a plan of an unsupported major format version", () => {
    const result = loadTerraform({ "p/plan.json": JSON.stringify({ ...plan(), format_version: "2.0" }) });
    expect(diagnosticLines(result).some((l) => l.startsWith("error terraform/plan-version"))).toBe(true);
  });
});
