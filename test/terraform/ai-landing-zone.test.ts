/**
 * The AI landing zone's Terraform (terraform-azurerm-avm-ptn-aiml-landing-zone), read as `.tf` files with its
 * Azure Verified Modules built in (no download). SOURCES.md §10: its four files come from four commits and do
 * not form one revision, so it is checked two ways:
 * - as held: what Terraform would refuse is said (undeclared variables, a counted module read without an index,
 *   locals and resources of files the corpus does not hold), and the rest is still read;
 * - made one revision by test/fixtures/terraform/ai-landing-zone (an override file that restores the counts and
 *   the subnet key of the commit of locals.networking.tf, and the declarations of the files not held, with the
 *   values of a plain deployment). Nothing about its rules or routes is changed. Then its true findings come out:
 *   the APIM subnet's 0.0.0.0/0 goes to the firewall with no ApiManagement route to Internet (APIM-FORCED-TUNNEL),
 *   located at the subnet in locals.networking.tf with the route in main.networking.tf; its one NSG, written in
 *   locals.networking.nsgs.tf, has no AzureLoadBalancer 6390 rule and no outbound dependency rule.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runChecks } from "../../src/checks/run.js";
import type { Finding } from "../../src/checks/types.js";
import { EngineContext } from "../../src/engine/reach/context.js";
import { type LoadResult, loadDocuments, toDocument } from "../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import type { NetworkModel } from "../../src/model/network.js";
import { formatSource } from "../../src/model/source.js";
import { Topology } from "../../src/model/topology.js";
import { corpusPath, describeCorpus, REPO_ROOT } from "../helpers/corpus.js";

const DIR = corpusPath("terraform-azurerm-avm-ptn-aiml-landing-zone");
const FIXTURES = join(REPO_ROOT, "test/fixtures/terraform/ai-landing-zone");

function load(reconciled: boolean): LoadResult {
  const docs = readdirSync(DIR).map((f) => toDocument(join(DIR, f), readFileSync(join(DIR, f), "utf8")));
  // The fixture files are read as if they were in the landing zone's directory: a configuration is a directory.
  if (reconciled)
    for (const f of readdirSync(FIXTURES)) docs.push(toDocument(join(DIR, f), readFileSync(join(FIXTURES, f), "utf8")));
  return loadDocuments(docs);
}

function findings(model: NetworkModel): Finding[] {
  return runChecks(new EngineContext(new Topology(model), loadServiceTagCatalog()));
}

describeCorpus("the AI landing zone as held", () => {
  const { model, diagnostics } = load(false);
  const errors = diagnostics.items.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);

  it("says what Terraform refuses in the files as held, and how to give what is missing", () => {
    expect(errors).toContainEqual(
      expect.stringMatching(
        /^terraform\/undeclared-variable var\.vnet_definition is not declared.*--var vnet_definition=<value>/,
      ),
    );
    expect(errors).toContainEqual(
      expect.stringMatching(/module\.apim argument "virtual_network_subnet_id": a tuple has no attribute "subnets"/),
    );
    expect(errors).toContainEqual(expect.stringMatching(/there is no local value "apim_name"/));
    expect(errors.some((e) => e.startsWith("terraform/syntax"))).toBe(false);
  });

  it("still reads the modules it calls with no download, and names those it cannot", () => {
    expect(model.inputs.map((i) => i.format)).toEqual(["terraform", "terraform", "terraform", "terraform"]);
    const warnings = diagnostics.items.map((d) => d.message);
    expect(
      warnings.some((m) =>
        m.includes(
          "module.nsgs: Azure/avm-res-network-networksecuritygroup/azurerm 0.5.0 is read through its built-in description",
        ),
      ),
    ).toBe(true);
    expect(
      warnings.some((m) =>
        m.includes("module.firewall: the module Azure/avm-res-network-azurefirewall/azurerm 0.4.0 is not read"),
      ),
    ).toBe(true);
    expect(model.apiManagementServices.map((a) => a.virtualNetworkType)).toEqual(["Internal"]);
  });
});

describeCorpus("the AI landing zone made one revision", () => {
  const { model, diagnostics } = load(true);
  const apim = model.apiManagementServices[0]!;
  const subnet = model.virtualNetworks
    .flatMap((v) => v.subnets)
    .find((s) => s.id === apim.virtualNetworkConfiguration?.subnetResourceId)!;
  const nsg = model.networkSecurityGroups.find((n) => n.id === subnet.networkSecurityGroup?.id)!;
  const table = model.routeTables.find((t) => t.id === subnet.routeTable?.id)!;

  it("places Premium API Management, Internal, in APIMSubnet, with the shared NSG and the firewall route table", () => {
    expect([apim.sku.name, apim.virtualNetworkType, subnet.name, subnet.addressPrefixes]).toEqual([
      "Premium",
      "Internal",
      "APIMSubnet",
      ["192.168.4.0/24"],
    ]);
    expect(nsg.name).toBe("ailz-ai-alz-nsg");
    expect(table.routes.map((r) => [r.name, r.addressPrefix, r.nextHopType])).toEqual([
      ["default-to-firewall", "0.0.0.0/0", "VirtualAppliance"],
    ]);
    // The firewall module is not built in: its private address, set by Azure at deployment, is Unknown.
    expect(table.routes[0]!.nextHopIpAddress).toMatch(/<unknown: module\.firewall\[0\]\.resource/);
    expect(formatSource(table.routes[0]!.src)).toMatch(/main\.networking\.tf:179:22$/);
    expect(diagnostics.items.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  });

  it("has no ApiManagement route to Internet: APIM-FORCED-TUNNEL, an error at the route", () => {
    expect(table.routes.some((r) => /ApiManagement/i.test(r.addressPrefix) && r.nextHopType === "Internet")).toBe(
      false,
    );
    const tunnel = findings(model).filter((f) => f.id === "APIM-FORCED-TUNNEL");
    expect(tunnel).toHaveLength(1);
    const [f] = tunnel;
    // Located at the route that decides, as for every forced-tunnel error.
    expect(f!.location.file).toMatch(/main\.networking\.tf$/);
    expect(f!.message).toContain("user route ailz-vnet-firewall-route-table/default-to-firewall");
    expect(`${f!.location.file}:${f!.location.line}`).toMatch(/main\.networking\.tf:179$/);
    // An error: the next hop is the firewall whatever its address, which is Unknown here (known after apply, as in
    // a plan) and said so.
    expect(f!.severity).toBe("error");
    expect(f!.message).toContain("VirtualAppliance (its IP address Unknown)");
  });

  it("has one NSG, written in locals.networking.nsgs.tf, with no load balancer 6390 rule and no outbound dependency rule", () => {
    for (const rule of nsg.securityRules) expect(rule.src.file).toMatch(/locals\.networking\.nsgs\.tf$/);
    expect(
      nsg.securityRules.map(
        (r) =>
          `${r.direction} ${r.priority} ${r.sourceAddressPrefix ?? r.sourceAddressPrefixes} ${r.destinationPortRange ?? r.destinationPortRanges}`,
      ),
    ).toEqual([
      "Inbound 130 ApiManagement 3443",
      "Inbound 110 GatewayManager 65200-65535",
      "Inbound 120 * 80,443",
      "Inbound 4000 AzureLoadBalancer *",
      "Outbound 100 10.0.0.0/8,172.16.0.0/12,192.168.0.0/16 *",
    ]);
    const lb = nsg.securityRules.filter((r) => r.sourceAddressPrefix === "AzureLoadBalancer");
    // Its only AzureLoadBalancer rule is for the App Gateway subnet's prefixes, which the VNet module reads back
    // from Azure (Unknown at plan time): 6390 to the APIM subnet is left to the default rule.
    expect(lb.map((r) => r.destinationAddressPrefixes?.join(","))).toEqual([expect.stringMatching(/<unknown:/)]);
    const outbound = nsg.securityRules
      .filter((r) => r.direction === "Outbound")
      .map((r) => r.destinationAddressPrefix ?? "");
    for (const tag of ["Storage", "Sql", "AzureKeyVault", "AzureMonitor"]) expect(outbound).not.toContain(tag);
    // The default rules allow what the missing rules would: no 6390 error (AllowAzureLoadBalancerInBound), and
    // the dependencies go to the firewall on the route (APIM-DEPENDENCY-TUNNELED), not stopped by the NSG.
    const all = findings(model);
    expect(all.filter((f) => f.id === "APIM-INBOUND-LOADBALANCER" && f.severity === "error")).toEqual([]);
    expect(all.filter((f) => f.id === "APIM-DEPENDENCY-TUNNELED" && f.severity === "warning").length).toBeGreaterThan(
      0,
    );
    expect(all.filter((f) => f.id === "APIM-OUTBOUND-DEPENDENCY" && f.severity === "error")).toEqual([]);
  });
});
