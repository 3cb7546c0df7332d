/**
 * Every Terraform input of ../shared/corpus — each `.tf` and `.tfvars` file and both real plans (Checkov's and
 * terraform-compliance's) — loads without a crash or a syntax error; each root module is listed with the
 * resources it gives the model; what is not modelled and the registry modules that are not read are named.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";
import { loadInputs } from "../../src/ingest/load.js";
import { CORPUS, corpusPath, describeCorpus } from "../helpers/corpus.js";

function terraformFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) terraformFiles(path, out);
    else if (/\.(tf|tfvars)$/.test(name)) out.push(path);
  }
  return out;
}

const PLANS = [
  "checkov/tests/terraform/runner/resources/plan_with_resource_reference/tfplan_extra_ref.json",
  "terraform-compliance/tests/functional/test_issue-294/plan.out.json",
];

/** Each root module (by the input it is listed under) and the resources it adds to the model. */
const ROOTS: Record<string, number> = {
  "apim-landing-zone-accelerator/head/scenarios/apim-baseline/terraform/main.tf": 10,
  "apim-landing-zone-accelerator/v1-027fe50/reference-implementations/AppGW-IAPIM-Func/terraform/modules/networking/main.tf": 10,
  "checkov/tests/terraform/runner/resources/plan_with_resource_reference/tfplan_extra_ref.json": 3,
  "terraform-azure-apim/main.tf": 1,
  "terraform-azurerm-avm-ptn-aiml-landing-zone/locals.networking.nsgs.tf": 7,
  "terraform-azurerm-avm-ptn-hubnetworking/examples/azure_landing_zone_firewall/main.tf": 28,
  "terraform-azurerm-avm-res-apimanagement-service/examples/default/main.tf": 1,
  "terraform-azurerm-avm-res-network-networksecuritygroup/examples/default/main.tf": 1,
  "terraform-azurerm-avm-res-network-networksecuritygroup/examples/example_with_NSG_rule/main.tf": 3,
  "terraform-azurerm-avm-res-network-routeserver/examples/default/main.tf": 3,
  "terraform-azurerm-avm-res-network-routeserver/examples/full/main.tf": 4,
  "terraform-azurerm-avm-res-network-routetable/examples/complete-example/main.tf": 9,
  "terraform-azurerm-avm-res-network-routetable/examples/default/main.tf": 1,
  "terraform-azurerm-avm-res-network-virtualnetwork/examples/complete/main.tf": 9,
  "terraform-azurerm-avm-res-network-virtualnetwork/examples/default/main.tf": 1,
  "terraform-azurerm-avm-res-network-virtualnetwork/examples/peer_only_specified_subnets/main.tf": 10,
  "terraform-compliance/tests/functional/test_issue-294/plan.out.json": 9,
};

describeCorpus("Terraform corpus", () => {
  const files = [...terraformFiles(CORPUS), ...PLANS.map((p) => corpusPath(p))];
  const loaded = loadInputs(files);
  const rel = (f: string) => relative(CORPUS, f);

  it("reads every .tf, .tfvars and plan file, with no syntax error", () => {
    expect(files.length).toBeGreaterThanOrEqual(100);
    const byFile = new Map(loaded.model.inputs.map((i) => [rel(i.file), i]));
    for (const f of files) {
      const input = byFile.get(rel(f));
      expect(input, rel(f)).toBeDefined();
      expect(input!.format, rel(f)).toMatch(/^terraform/);
      expect(input!.status, rel(f)).not.toBe("failed");
    }
    expect(loaded.diagnostics.items.filter((d) => d.code === "terraform/syntax")).toEqual([]);
    expect(loaded.diagnostics.items.filter((d) => d.code === "terraform/limit")).toEqual([]);
  });

  it("lists each root module with its resource counts", () => {
    const roots = Object.fromEntries(
      loaded.model.inputs
        .filter((i) => (i.format === "terraform" && i.resources > 0) || i.format === "terraform-plan")
        .map((i) => [rel(i.file), i.resources]),
    );
    expect(roots).toEqual(ROOTS);
    // Module directories are read through their callers, never on their own.
    const modules = loaded.model.inputs.filter((i) => i.format === "terraform-module");
    expect(modules.length).toBeGreaterThan(50);
    expect(modules.every((m) => m.resources === 0)).toBe(true);
  });

  it("names what is not modelled and the registry modules it does not read", () => {
    const unmodelled = new Set(loaded.model.unmodeled.map((u) => u.type));
    for (const type of ["azurerm_resource_group", "azurerm_role_assignment", "random_string"])
      expect(unmodelled.has(type), type).toBe(true);
    // The Route Server examples are modelled (virtualHubs without a virtualWan, reference part 2 §7.1).
    expect(loaded.model.routeServers.some((r) => r.bgpConnections.some((c) => c.peerIp === "10.0.2.5"))).toBe(true);
    // NAT gateways are modelled (reference part 2 §11.1): the AVM virtual network example attaches one to a subnet.
    const nats = new Set(loaded.model.natGateways.map((n) => n.id.toLowerCase()));
    expect(
      loaded.model.virtualNetworks.some((v) => v.subnets.some((s) => nats.has(s.natGateway?.id.toLowerCase() ?? ""))),
    ).toBe(true);
    const notRead = loaded.diagnostics.items
      .filter((d) => d.code === "terraform/module-not-read")
      .map((d) => d.message);
    expect(notRead.some((m) => m.includes("Azure/avm-res-network-azurefirewall/azurerm 0.4.0 is not read"))).toBe(true);
    expect(notRead.some((m) => m.includes("cloudnationhq/vnet/azure ~> 9.0 is not read"))).toBe(true);
    // An AVM version the built-in descriptions do not cover is not read either, and says which are covered.
    expect(
      notRead.some((m) =>
        /avm-res-network-virtualnetwork\/azurerm 0\.1\.4 is not read.*covers versions 0\.12\.0/.test(m),
      ),
    ).toBe(true);
  });

  it("reads the AVM modules of the corpus through their built-in descriptions where a registry source names them", () => {
    const builtin = loaded.diagnostics.items.filter((d) => d.code === "terraform/builtin-module").map((d) => d.message);
    for (const m of [
      "Azure/avm-res-network-virtualnetwork/azurerm 0.16.0",
      "Azure/avm-res-network-virtualnetwork/azurerm 0.12.0",
      "Azure/avm-res-network-networksecuritygroup/azurerm 0.5.0",
      "Azure/avm-res-network-routetable/azurerm 0.4.1",
      "Azure/avm-res-network-routetable/azurerm 0.3.1",
      "Azure/avm-res-apimanagement-service/azurerm 0.0.2",
    ])
      expect(
        builtin.some((b) => b.includes(m)),
        m,
      ).toBe(true);
  });
});
