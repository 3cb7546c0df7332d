/**
 * Bicep read directly gives the networks its other forms state:
 * - each quickstart's `main.bicep` gives the NSG rules, subnets, public IPs, APIM settings and findings of its
 *   `azuredeploy.json` (the two were taken at different commits: the differences are listed);
 * - the APIM landing zone's `apim-baseline/bicep` gives the APIM subnet NSG rules its Terraform form states
 *   (networking.tf read by eye; the differences are listed), and `check` on it gives no error, every finding
 *   located in a `.bicep` file;
 * - the hub-spoke quickstarter (with its .bicepparam) gives each spoke a 0.0.0.0/0 route to the hub firewall
 *   and the peerings both ways, Connected.
 */
import { expect, it } from "vitest";
import { runChecks } from "../../src/checks/run.js";
import { main } from "../../src/cli/main.js";
import { peeringsOf } from "../../src/engine/peering/state.js";
import { EngineContext } from "../../src/engine/reach/context.js";
import { loadInputs } from "../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import type { NetworkModel } from "../../src/model/network.js";
import { Topology } from "../../src/model/topology.js";
import { isUnknown } from "../../src/model/unknown.js";
import { corpusPath, describeCorpus } from "../helpers/corpus.js";

/** The model without places and ids (ids are compared through the references they make). */
function facts(model: NetworkModel, ignore: string[] = []): unknown {
  const drop = new Set(["src", ...ignore]);
  const strip = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x) => (drop.has(k) ? undefined : x)));
  return {
    nsgs: strip(model.networkSecurityGroups),
    vnets: strip(model.virtualNetworks),
    routeTables: strip(model.routeTables),
    publicIPs: strip(model.publicIPAddresses),
    apim: strip(model.apiManagementServices),
  };
}

function findings(model: NetworkModel): string[] {
  const engine = new EngineContext(new Topology(model), loadServiceTagCatalog());
  return runChecks(engine).map((f) => `${f.severity} ${f.id}: ${f.message}`);
}

const QUICKSTARTS: { dir: string; differences: string; ignore: string[] }[] = [
  {
    dir: "api-management-create-with-external-vnet-publicip",
    // main.bicep at 515dddf fixed a typo of azuredeploy.json at 073e5b6 ("Pprtal", "OAuth2") in a rule description.
    differences: "rule descriptions (a typo fixed)",
    ignore: ["description"],
  },
  {
    dir: "api-management-create-with-internal-vnet-publicip",
    // main.bicep at 1d06419 rewords four rule descriptions of azuredeploy.json at 0839cbb ("APIM" → "API Management").
    differences: "rule descriptions (reworded)",
    ignore: ["description"],
  },
  { dir: "route-server", differences: "none", ignore: [] },
];

describeCorpus("quickstarts: main.bicep gives what azuredeploy.json gives", () => {
  for (const { dir, differences, ignore } of QUICKSTARTS) {
    it(`${dir} (differences: ${differences})`, () => {
      const bicep = loadInputs([corpusPath("azure-quickstart-templates", dir, "main.bicep")]).model;
      const arm = loadInputs([corpusPath("azure-quickstart-templates", dir, "azuredeploy.json")]).model;
      expect(bicep.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(facts(bicep, ignore)).toEqual(facts(arm, ignore));
      expect(findings(bicep)).toEqual(findings(arm));
      for (const rule of bicep.networkSecurityGroups.flatMap((n) => n.securityRules))
        expect(rule.src.file).toMatch(/main\.bicep$/);
    });
  }
});

const BASELINE = "apim-landing-zone-accelerator/head/scenarios/apim-baseline/bicep";
const BASELINE_PARAMS = [
  "workloadName=apim",
  "environment=dev",
  "identifier=001",
  "appGatewayFqdn=api.contoso.com",
  "appGatewayCertType=selfsigned",
];

/**
 * The APIM subnet NSG of terraform/modules/networking/networking.tf, read by eye: [direction, priority, port,
 * source, destination]. Differences from the Bicep form: Terraform names the rules otherwise
 * (AllowApimVnetInbound, apim-azure-infra-lb, ...), has no AzureTrafficManager rule (Bicep's AllowAzureTrafficManager,
 * Inbound 2020, 443), opens SQL on port 1443 where Bicep opens 1433 (Azure SQL listens on 1433: the Terraform
 * form has the typo), and opens AzureMonitor on 443 only where Bicep opens 1886 and 443.
 */
const TERRAFORM_APIM_RULES = [
  ["Inbound", 2000, "3443", "ApiManagement", "VirtualNetwork"],
  ["Inbound", 2010, "6390", "AzureLoadBalancer", "VirtualNetwork"],
  ["Outbound", 2000, "443", "VirtualNetwork", "Storage"],
  ["Outbound", 2010, "1443", "VirtualNetwork", "SQL"],
  ["Outbound", 2020, "443", "VirtualNetwork", "AzureKeyVault"],
  ["Outbound", 2030, "443", "VirtualNetwork", "AzureMonitor"],
];

describeCorpus("the APIM landing zone baseline in Bicep", () => {
  it("gives the APIM subnet NSG rules its Terraform form states (differences listed)", () => {
    const { model } = loadInputs([corpusPath(BASELINE)], { parameters: BASELINE_PARAMS });
    const apim = model.apiManagementServices[0]!;
    const subnetId = apim.virtualNetworkConfiguration?.subnetResourceId;
    const subnet = model.virtualNetworks.flatMap((v) => v.subnets).find((s) => s.id === subnetId)!;
    expect(subnet.name).toBe("snet-apim-apim-dev-westeurope-001");
    const nsg = model.networkSecurityGroups.find((n) => n.id === subnet.networkSecurityGroup?.id)!;
    const rules = nsg.securityRules.map((r) => [
      r.direction,
      r.priority,
      r.destinationPortRange ?? r.destinationPortRanges?.join(","),
      r.sourceAddressPrefix,
      r.destinationAddressPrefix,
    ]);
    const differ = (r: unknown[]) => r[3] === "AzureTrafficManager" || r[4] === "SQL" || r[4] === "AzureMonitor";
    expect(rules.filter((r) => !differ(r))).toEqual(TERRAFORM_APIM_RULES.filter((r) => !differ(r)));
    expect(rules).toContainEqual(["Inbound", 2020, "443", "AzureTrafficManager", "VirtualNetwork"]);
    expect(rules).toContainEqual(["Outbound", 2010, "1433", "VirtualNetwork", "SQL"]);
    expect(rules).toContainEqual(["Outbound", 2030, "1886,443", "VirtualNetwork", "AzureMonitor"]);
    for (const rule of nsg.securityRules) expect(rule.src.file).toMatch(/networking\/networking\.bicep$/);
  });

  const run = async (args: string[]) => {
    let out = "";
    let err = "";
    const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
    return { code, out, err };
  };

  it("check gives no error, and every finding is located in a .bicep file (without and with parameters)", async () => {
    for (const extra of [[], BASELINE_PARAMS.flatMap((p) => ["-p", p])]) {
      const { code, out } = await run(["check", corpusPath(BASELINE), "--format", "json", ...extra]);
      expect(code).toBe(0);
      const report = JSON.parse(out) as { findings?: { severity: string; location: { file: string } }[] };
      const list = report.findings ?? [];
      expect(list.filter((f) => f.severity === "error")).toEqual([]);
      for (const f of list) expect(f.location.file).toMatch(/\.bicep$/);
    }
  });
});

describeCorpus("the hub-spoke quickstarter", () => {
  const { model } = loadInputs([corpusPath("bicep-hub-spoke-quickstarter")]);

  it("is read through its .bicepparam, with no error", () => {
    expect(model.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(model.inputs.find((i) => i.file.endsWith("main.bicepparam"))).toMatchObject({
      format: "bicepparam",
      resources: 18,
    });
  });

  it("sends each spoke's 0.0.0.0/0 to the hub firewall (its private address is set by Azure: Unknown)", () => {
    for (const i of [1, 2]) {
      const table = model.routeTables.find((t) => t.name === `rt-spoke-${i}`)!;
      expect(table.routes.map((r) => [r.addressPrefix, r.nextHopType])).toEqual([["0.0.0.0/0", "VirtualAppliance"]]);
      expect(isUnknown(table.routes[0]!.nextHopIpAddress)).toBe(true);
      expect(table.routes[0]!.nextHopIpAddress).toContain(
        "azureFirewall.properties.ipConfigurations[0].properties.privateIPAddress",
      );
      const spoke = model.virtualNetworks.find((v) => v.name === `vnet-spoke-${i}`)!;
      expect(spoke.subnets[0]!.routeTable?.id).toBe(table.id);
    }
  });

  it("peers the hub and each spoke both ways, Connected", () => {
    const topology = new Topology(model);
    const hub = model.virtualNetworks.find((v) => v.name === "vnet-hub")!;
    expect(peeringsOf(topology, hub).map((p) => [p.peering.name, p.state])).toEqual([
      ["hub-to-spoke-1", "Connected"],
      ["hub-to-spoke-2", "Connected"],
    ]);
    for (const i of [1, 2]) {
      const spoke = model.virtualNetworks.find((v) => v.name === `vnet-spoke-${i}`)!;
      expect(
        peeringsOf(topology, spoke).map((p) => [p.peering.name, p.state, p.peering.allowForwardedTraffic]),
      ).toEqual([[`spoke-${i}-to-hub`, "Connected", true]]);
    }
  });
});
