/**
 * Every `.bicep` and `.bicepparam` file of ../shared/corpus, loaded on its own, read directly (no Bicep CLI):
 * none gives an error diagnostic, and each gives the resources listed below (modelled, unmodelled, and the
 * registry modules it calls that are not in a local restore cache, which are warnings naming them). A file
 * loaded alone is a root, so its parameters without defaults are Unknown (warnings naming `-p`). The one
 * exception is a true refusal: AI-Gateway's private-connectivity lab with its default `openAIConfig = []`
 * indexes an empty list (`openAIConfig[0].name`, `privateEndpointAiServices[0]`), which ARM refuses too; with
 * three configurations (its DNS zone groups index the endpoints by the three zone names) it loads with no error.
 */
import { execFileSync } from "node:child_process";
import { relative } from "node:path";
import { expect, it } from "vitest";
import { loadInputs } from "../../src/ingest/load.js";
import { CORPUS, corpusPath, describeCorpus, HAS_CORPUS } from "../helpers/corpus.js";

/** File → [resources modelled (counted by the ingest), unmodelled, registry modules not cached]. */
const EXPECTED: Record<string, [number, number, number]> = {
  "AI-Gateway/labs/private-connectivity/main.bicep": [15, 17, 0],
  "Apim-Samples/infrastructure/afd-apim-pe/main.bicep": [6, 6, 0],
  "Apim-Samples/infrastructure/appgw-apim-pe/main.bicep": [8, 11, 4],
  "Apim-Samples/infrastructure/appgw-apim/main.bicep": [5, 10, 4],
  "Apim-Samples/samples/egress-control/main.bicep": [6, 3, 0],
  "Apim-Samples/shared/bicep/modules/apim/v1/apim.bicep": [1, 1, 0],
  "Apim-Samples/shared/bicep/modules/dns/v1/dns-private-link.bicep": [2, 0, 0],
  "Apim-Samples/shared/bicep/modules/network/v1/firewall.bicep": [6, 3, 0],
  "Apim-Samples/shared/bicep/modules/vnet/v1/nsg-aca-strict.bicep": [1, 0, 0],
  "Apim-Samples/shared/bicep/modules/vnet/v1/nsg-aca.bicep": [1, 0, 0],
  "Apim-Samples/shared/bicep/modules/vnet/v1/nsg-apim-strict.bicep": [1, 0, 0],
  "Apim-Samples/shared/bicep/modules/vnet/v1/nsg-apim.bicep": [1, 0, 0],
  "Apim-Samples/shared/bicep/modules/vnet/v1/nsg-appgw-strict.bicep": [1, 0, 0],
  "Apim-Samples/shared/bicep/modules/vnet/v1/nsg-appgw.bicep": [1, 0, 0],
  "Apim-Samples/shared/bicep/modules/vnet/v1/nsg-flow-logs.bicep": [0, 1, 0],
  "Apim-Samples/shared/bicep/modules/vnet/v1/nsg_rules.bicep": [0, 0, 0],
  "Apim-Samples/shared/bicep/modules/vnet/v1/vnet.bicep": [1, 0, 0],
  "WhatTheHack/035-HubAndSpoke/Coach/Solutions/bicep/01-02-vnetpeeringspoke1.bicep": [1, 0, 0],
  "WhatTheHack/035-HubAndSpoke/Coach/Solutions/bicep/03-01-spoke1.bicep": [1, 0, 0],
  "ai-hub-gateway-solution-accelerator/c3565cc/infra/modules/networking/vnet.bicep": [5, 0, 0],
  "ai-hub-gateway-solution-accelerator/head/infra/modules/networking/vnet.bicep": [5, 0, 0],
  "apim-landing-zone-accelerator/head/scenarios/apim-baseline/bicep/apim/apim.bicep": [1, 6, 0],
  "apim-landing-zone-accelerator/head/scenarios/apim-baseline/bicep/gateway/appgw.bicep": [0, 4, 0],
  "apim-landing-zone-accelerator/head/scenarios/apim-baseline/bicep/main.bicep": [6, 15, 0],
  "apim-landing-zone-accelerator/head/scenarios/apim-baseline/bicep/networking/networking.bicep": [5, 0, 0],
  "apim-landing-zone-accelerator/v1-027fe50/reference-implementations/AppGW-IAPIM-Func/bicep/networking/networking.bicep":
    [10, 1, 0],
  "apim-landing-zone-accelerator/v1-027fe50/reference-implementations/AppGW-IAPIM-Func/bicep/vnettest/vnetWithBastian.bicep":
    [3, 1, 0],
  "azure-quickstart-templates/api-management-create-with-external-vnet-publicip/main.bicep": [4, 0, 0],
  "azure-quickstart-templates/api-management-create-with-internal-vnet-application-gateway/main.bicep": [6, 7, 0],
  "azure-quickstart-templates/api-management-create-with-internal-vnet-publicip/main.bicep": [4, 0, 0],
  "azure-quickstart-templates/route-server/main.bicep": [6, 0, 0],
  "bicep-hub-spoke-quickstarter/main.bicep": [20, 8, 0],
  "bicep-hub-spoke-quickstarter/main.bicepparam": [18, 7, 0],
  "bicep-hub-spoke-quickstarter/modules/azfw.bicep": [1, 4, 0],
  "bicep-hub-spoke-quickstarter/modules/bastion.bicep": [2, 1, 0],
  "bicep-hub-spoke-quickstarter/modules/hubVnet.bicep": [8, 6, 0],
  "bicep-hub-spoke-quickstarter/modules/spokeVnet.bicep": [6, 1, 0],
  "bicep-hub-spoke-quickstarter/modules/vm.bicep": [1, 1, 0],
  "bicep-registry-modules/avm/ptn/network/hub-networking/main.bicep": [0, 1, 0],
  "bicep-registry-modules/avm/ptn/network/hub-networking/modules/getSubnet.bicep": [0, 0, 0],
  "bicep-registry-modules/avm/ptn/network/hub-networking/modules/subnets.bicep": [1, 0, 0],
  "bicep-registry-modules/avm/ptn/network/hub-networking/modules/vnets.bicep": [0, 0, 0],
  "bicep-registry-modules/avm/ptn/network/hub-networking/tests/e2e/max/main.test.bicep": [12, 20, 4],
  "bicep-registry-modules/avm/res/api-management/service/main.bicep": [1, 1, 0],
  "bicep-registry-modules/avm/res/api-management/service/tests/e2e/max/dependencies.bicep": [10, 3, 0],
  "bicep-registry-modules/avm/res/api-management/service/tests/e2e/max/main.test.bicep": [12, 53, 0],
  "bicep-registry-modules/avm/res/network/azure-firewall/main.bicep": [0, 2, 0],
  "bicep-registry-modules/avm/res/network/azure-firewall/tests/e2e/max/dependencies.bicep": [2, 2, 0],
  "bicep-registry-modules/avm/res/network/azure-firewall/tests/e2e/max/main.test.bicep": [2, 20, 0],
  "bicep-registry-modules/avm/res/network/nat-gateway/main.bicep": [1, 5, 0],
  "bicep-registry-modules/avm/res/network/nat-gateway/tests/e2e/max/dependencies.bicep": [0, 1, 0],
  "bicep-registry-modules/avm/res/network/nat-gateway/tests/e2e/max/main.test.bicep": [2, 23, 1],
  "bicep-registry-modules/avm/res/network/network-security-group/main.bicep": [1, 1, 0],
  "bicep-registry-modules/avm/res/network/network-security-group/tests/e2e/max/dependencies.bicep": [1, 1, 0],
  "bicep-registry-modules/avm/res/network/network-security-group/tests/e2e/max/main.test.bicep": [3, 15, 0],
  "bicep-registry-modules/avm/res/network/private-endpoint/main.bicep": [1, 1, 0],
  "bicep-registry-modules/avm/res/network/private-endpoint/private-dns-zone-group/main.bicep": [0, 2, 0],
  "bicep-registry-modules/avm/res/network/private-endpoint/tests/e2e/defaults/dependencies.bicep": [1, 1, 0],
  "bicep-registry-modules/avm/res/network/private-endpoint/tests/e2e/defaults/main.test.bicep": [3, 4, 0],
  "bicep-registry-modules/avm/res/network/route-table/main.bicep": [1, 1, 0],
  "bicep-registry-modules/avm/res/network/route-table/tests/e2e/max/dependencies.bicep": [0, 1, 0],
  "bicep-registry-modules/avm/res/network/route-table/tests/e2e/max/main.test.bicep": [1, 7, 0],
  "bicep-registry-modules/avm/res/network/virtual-network-gateway/main.bicep": [1, 1, 0],
  "bicep-registry-modules/avm/res/network/virtual-network-gateway/nat-rule/main.bicep": [0, 2, 0],
  "bicep-registry-modules/avm/res/network/virtual-network-gateway/tests/e2e/activeActiveBGP/dependencies.bicep": [
    2, 0, 0,
  ],
  "bicep-registry-modules/avm/res/network/virtual-network-gateway/tests/e2e/activeActiveBGP/main.test.bicep": [4, 7, 1],
  "bicep-registry-modules/avm/res/network/virtual-network/main.bicep": [1, 1, 0],
  "bicep-registry-modules/avm/res/network/virtual-network/subnet/main.bicep": [1, 1, 0],
  "bicep-registry-modules/avm/res/network/virtual-network/tests/e2e/vnetPeering/dependencies.bicep": [2, 0, 0],
  "bicep-registry-modules/avm/res/network/virtual-network/tests/e2e/vnetPeering/main.test.bicep": [14, 3, 0],
  "bicep-registry-modules/avm/res/network/virtual-network/virtual-network-peering/main.bicep": [1, 1, 0],
  "bicep-registry-modules/avm/utl/types/avm-common-types/main.bicep": [0, 0, 0],
};

/** True refusals, with why: Azure would refuse these files with their default parameter values. */
const TRUE_ERRORS: Record<string, string[]> = {
  "AI-Gateway/labs/private-connectivity/main.bicep": [
    "index 0 is outside the resource loop 'privateEndpointAiServices' of 0",
    "index 0 is outside the array of 0 in openAIConfig[0]",
  ],
};

const FILES = HAS_CORPUS
  ? execFileSync("find", [CORPUS, "(", "-name", "*.bicep", "-o", "-name", "*.bicepparam", ")"], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map((f) => relative(CORPUS, f))
      .sort()
  : [];

describeCorpus("Bicep corpus: every file loads", () => {
  it("finds every file, and lists each", () => {
    expect(FILES).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(FILES)("%s", (file) => {
    const { model } = loadInputs([corpusPath(file)]);
    const errors = model.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
    expect(errors).toEqual(TRUE_ERRORS[file] ?? []);
    expect(model.diagnostics.filter((d) => d.code === "bicep/internal")).toEqual([]);
    const resources = model.inputs.reduce((n, i) => n + i.resources, 0);
    const notCached = model.diagnostics.filter((d) => d.code === "bicep/registry-module-not-cached");
    expect([resources, model.unmodeled.length, notCached.length]).toEqual(EXPECTED[file]);
    // Every registry module not cached is named with its version.
    for (const d of notCached) expect(d.message).toMatch(/the registry module br[:/]\S+:\S+ \(version \S+\)/);
    // Every resource the file deploys is located in a .bicep file.
    for (const list of [
      model.virtualNetworks,
      model.networkSecurityGroups,
      model.routeTables,
      model.apiManagementServices,
    ])
      for (const r of list) expect(r.src.file).toMatch(/\.bicep$/);
  });

  it("the AI-Gateway lab loads with no error given three OpenAI configurations", () => {
    // Three configurations: its DNS zone groups index the private endpoints by the three zone names.
    const config = JSON.stringify(
      ["uksouth", "swedencentral", "francecentral"].map((location, i) => ({
        name: `openai${i + 1}`,
        location,
        capacity: 8,
      })),
    );
    const { model } = loadInputs([corpusPath("AI-Gateway/labs/private-connectivity/main.bicep")], {
      parameters: [`openAIConfig=${config}`],
    });
    expect(model.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
