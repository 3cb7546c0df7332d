/**
 * The observed-fact exports read into the model (issue 14 item 6): the REST spec examples of IP flow verify, next
 * hop, effective NSGs and effective routes become observed facts with what they were taken from (the request's
 * NIC, VM and addresses; an NSG's association) and a place in the file; a bare az answer says it cannot be
 * compared.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { loadDocuments, loadInputs, toDocument } from "../../src/ingest/load.js";
import { corpusPath, describeCorpus, REPO_ROOT } from "../helpers/corpus.js";

const SPECS = (...p: string[]) => corpusPath("azure-rest-api-specs", ...p);

describeCorpus("REST examples of observed facts", () => {
  const { model } = loadInputs([
    SPECS("network-2024-01-01/NetworkWatcherIpFlowVerify.json"),
    SPECS("network-2024-01-01/NetworkWatcherNextHopGet.json"),
    SPECS("network-2023-05-01/NetworkInterfaceEffectiveNSGList.json"),
    SPECS("network-2023-05-01/NetworkInterfaceEffectiveRouteTableList.json"),
  ]);

  it("IP flow verify: the answer and the 5-tuple of its request", () => {
    expect(model.observed.ipFlowVerify).toHaveLength(1);
    const flow = model.observed.ipFlowVerify[0]!;
    expect(flow).toMatchObject({
      access: "Allow",
      ruleName: "Rule1",
      request: { direction: "Outbound", protocol: "TCP", localIPAddress: "10.2.0.4", localPort: "80" },
      scope: { address: "10.2.0.4", virtualMachineId: expect.stringContaining("/virtualMachines/vm1") },
    });
    expect(flow.src.line).toBeGreaterThan(1);
  });

  it("next hop: type, address, route table id, the NIC of the request", () => {
    expect(model.observed.nextHop[0]).toMatchObject({
      nextHopType: "VnetLocal",
      nextHopIpAddress: "10.0.0.1",
      routeTableId: expect.stringContaining("/routeTables/rt1"),
      request: { sourceIPAddress: "10.0.0.5", destinationIPAddress: "10.0.0.10" },
      scope: { networkInterfaceId: expect.stringContaining("/networkInterfaces/nic1") },
    });
  });

  it("effective NSGs: the NSG, its association and its rules as printed, each located", () => {
    const nsgs = model.observed.effectiveNsgs[0]!;
    expect(nsgs.scope.subnetId).toMatch(/virtualNetworks\/rg1-vnet\/subnets\/default$/);
    expect(nsgs.groups).toHaveLength(1);
    const group = nsgs.groups[0]!;
    expect(group.networkSecurityGroupId).toMatch(/networkSecurityGroups\/test-nsg$/);
    expect(group.association.networkManagerId).toMatch(/networkManagers\/nm1$/);
    expect(group.rules.map((r) => r.name)).toEqual([
      "securityRules/rule1",
      "securityRules/default-allow-rdp",
      "defaultSecurityRules/AllowInternetOutBound",
    ]);
    expect(group.rules[2]).toMatchObject({ protocol: "All", destinationAddressPrefixes: ["Internet"] });
    expect(group.rules[2]!.expandedDestinationAddressPrefix).toContain("1.0.0.0/8");
    const lines = group.rules.map((r) => r.src.line);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
    expect(new Set(lines).size).toBe(3);
  });

  it("effective routes: the NIC the action was posted on, each row located", () => {
    const routes = model.observed.effectiveRoutes[0]!;
    expect(routes.target).toBe(
      "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkInterfaces/nic1",
    );
    expect(routes.rowSrc).toHaveLength(routes.routes.length);
    expect(new Set(routes.rowSrc.map((s) => s.line)).size).toBe(routes.routes.length);
  });

  it("each input counts its observed fact (they hold no resources)", () => {
    expect(model.inputs.map((i) => [i.resources, i.observed])).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
  });

  it("nothing is said to be uncomparable when the request is there", () => {
    expect(model.diagnostics.filter((d) => d.code === "input/observed-not-compared")).toEqual([]);
  });
});

it("inventory says how many observed facts an input holds", async () => {
  const { main } = await import("../../src/cli/main.js");
  let out = "";
  const io = { out: (s: string) => (out += s), err: () => {}, isTty: false, env: {} };
  await main(["inventory", join(REPO_ROOT, "test/fixtures/checks/observed-flow-differs/portal-rule")], io);
  expect(out).toMatch(/ip-flow-verify\.json +network-watcher-result, parsed, 0 resources, 1 observed fact\n/);
});

it("a bare az test-ip-flow answer is kept and said not to be comparable", () => {
  const { model } = loadDocuments([
    toDocument("flow.json", JSON.stringify({ access: "Deny", ruleName: "defaultSecurityRules/DenyAllInBound" })),
  ]);
  expect(model.observed.ipFlowVerify).toMatchObject([{ access: "Deny", scope: {} }]);
  expect(model.observed.ipFlowVerify[0]!.request).toBeUndefined();
  expect(model.diagnostics.map((d) => d.code)).toContain("input/observed-not-compared");
});
