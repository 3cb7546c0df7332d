/**
 * Real third-party inputs from ../shared/corpus: every JSON template and REST example loads, and the
 * quickstart templates give the APIM service, its subnet and its NSG with every rule, located at their lines.
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";
import { armReports } from "../../src/ingest/arm/report.js";
import { loadInputs } from "../../src/ingest/load.js";
import { CORPUS, corpusPath, describeCorpus, HAS_CORPUS } from "../helpers/corpus.js";

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsonFiles(join(dir, e.name)) : e.name.endsWith(".json") ? [join(dir, e.name)] : [],
  );
}

const TEMPLATES_AND_EXAMPLES = HAS_CORPUS
  ? ["azure-quickstart-templates", "apim-landing-zone-accelerator", "azure-rest-api-specs"].flatMap((d) =>
      jsonFiles(corpusPath(d)).map((f) => relative(CORPUS, f)),
    )
  : [];

describeCorpus("corpus extraction: every JSON template and REST example loads", () => {
  it("finds the templates, parameter files and examples", () => {
    expect(TEMPLATES_AND_EXAMPLES.length).toBeGreaterThanOrEqual(18);
  });

  it.each(TEMPLATES_AND_EXAMPLES)("%s", (file) => {
    // A parameters file alone is read (and said not to be applied), not an error.
    const { model } = loadInputs([corpusPath(file)]);
    expect(model.inputs).toHaveLength(1);
    expect(model.inputs[0]!.status).toBe("parsed");
    expect(model.inputs[0]!.format).not.toBe("unrecognised");
    expect(model.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});

/** [folder, NSG line, first-rule line, Deny_All_Internet_Outbound line, rule count, subnet line, APIM line, mode]. */
const QUICKSTARTS: [string, number, number, number, number, number, number, string][] = [
  ["api-management-create-with-internal-vnet-publicip", 145, 152, 365, 16, 412, 425, "Internal"],
  ["api-management-create-with-external-vnet-publicip", 142, 149, 388, 18, 435, 448, "External"],
  ["api-management-create-with-internal-vnet", 96, 103, 342, 18, 373, 386, "Internal"],
];

describeCorpus("quickstart template conversion: APIM, its subnet and its NSG, located", () => {
  it.each(QUICKSTARTS)("%s", (folder, nsgLine, firstRule, denyLine, rules, subnetLine, apimLine, mode) => {
    const file = corpusPath("azure-quickstart-templates", folder, "azuredeploy.json");
    const { model } = loadInputs([file]);
    const [apim] = model.apiManagementServices;
    expect(apim).toMatchObject({ virtualNetworkType: mode, src: { line: apimLine } });
    const subnet = model.virtualNetworks
      .flatMap((v) => v.subnets)
      .find((s) => s.id === apim!.virtualNetworkConfiguration?.subnetResourceId);
    expect(subnet).toMatchObject({ name: "apim", addressPrefix: "10.0.0.0/24", src: { line: subnetLine } });
    const nsg = model.networkSecurityGroups.find((n) => n.id === subnet!.networkSecurityGroup?.id);
    expect(nsg?.src.line).toBe(nsgLine);
    expect(nsg!.securityRules).toHaveLength(rules);
    expect(nsg!.securityRules[0]!.src.line).toBe(firstRule);
    const deny = nsg!.securityRules.find((r) => r.name === "Deny_All_Internet_Outbound")!;
    expect(deny).toMatchObject({ access: "Deny", priority: 999, direction: "Outbound", src: { line: denyLine } });
    // Every rule at its own line, in order.
    const lines = nsg!.securityRules.map((r) => r.src.line);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
    expect(new Set(lines).size).toBe(rules);
  });

  it("with its parameters file, the values come from the file and say so", () => {
    const folder = "azure-quickstart-templates/api-management-create-with-internal-vnet-publicip";
    const params = corpusPath(folder, "azuredeploy.parameters.json");
    const { model } = loadInputs([corpusPath(folder, "azuredeploy.json")], { parameters: [params, "skuCount=1"] });
    expect(model.virtualNetworks[0]!.name).toBe("GEN-VNET-NAME");
    expect(model.apiManagementServices[0]).toMatchObject({ location: "FranceCentral", sku: { capacity: 1 } });
    const report = armReports(model)[0]!;
    const origin = Object.fromEntries(report.parameters.map((p) => [p.name, p.origin]));
    expect(origin).toMatchObject({ virtualNetworkName: "file", skuCount: "command line", sku: "default" });
    const vnetParam = report.parameters.find((p) => p.name === "virtualNetworkName")!;
    expect(vnetParam.src).toMatchObject({ file: params, line: 12 });
    expect(model.diagnostics.map((d) => d.code)).not.toContain("arm/assumed-location");
  });

  it("the landing-zone networking template loads without its parameters: names are named placeholders, links still match", () => {
    const file = corpusPath(
      "apim-landing-zone-accelerator/v1-027fe50/reference-implementations/AppGW-IAPIM-Func/bicep/networking/networking.json",
    );
    const { model } = loadInputs([file]);
    const warnings = model.diagnostics.filter((d) => d.code === "arm/unknown-parameter");
    expect(warnings.map((w) => w.message.split("'")[1])).toEqual(["workloadName", "deploymentEnvironment"]);
    expect(model.networkSecurityGroups).toHaveLength(7);
    const subnets = model.virtualNetworks[0]!.subnets;
    expect(subnets).toHaveLength(7);
    const nsgIds = new Set(model.networkSecurityGroups.map((n) => n.id));
    expect(subnets.every((s) => s.networkSecurityGroup && nsgIds.has(s.networkSecurityGroup.id))).toBe(true);
    expect(subnets.find((s) => s.name === "AzureBastionSubnet")?.addressPrefix).toBe("10.2.1.0/24");
  });
});
