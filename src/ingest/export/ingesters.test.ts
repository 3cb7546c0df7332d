import { describe, expect, it } from "vitest";
import { corpusPath, describeCorpus } from "../../../test/helpers/corpus.js";
import { loadDocuments, loadInputs, toDocument } from "../load.js";

function load(json: unknown, file = "export.json") {
  return loadDocuments([toDocument(file, JSON.stringify(json, null, 2))]).model;
}

const SUB = "/subscriptions/s/resourceGroups/rg/providers";

describe("export extraction", () => {
  it("Resource Graph rows (lower-case types) and the table form give the same resources", () => {
    const row = {
      id: `${SUB}/Microsoft.Network/routeTables/rt`,
      name: "rt",
      type: "microsoft.network/routetables",
      properties: { routes: [] },
    };
    const rows = load({ totalRecords: 1, count: 1, data: [row] });
    const table = load({
      data: {
        columns: [{ name: "id" }, { name: "name" }, { name: "type" }, { name: "properties" }],
        rows: [[row.id, row.name, row.type, row.properties]],
      },
    });
    expect(rows.routeTables.map((t) => t.name)).toEqual(["rt"]);
    expect(table.routeTables.map((t) => t.id)).toEqual(rows.routeTables.map((t) => t.id));
  });

  it("`az resource list` items (properties null) are listed; unmodeled types too", () => {
    const model = load([
      {
        id: `${SUB}/Microsoft.Network/networkSecurityGroups/n`,
        name: "n",
        type: "Microsoft.Network/networkSecurityGroups",
        properties: null,
      },
      {
        id: `${SUB}/Microsoft.Storage/storageAccounts/st`,
        name: "st",
        type: "Microsoft.Storage/storageAccounts",
        properties: null,
      },
    ]);
    expect(model.networkSecurityGroups.map((n) => n.name)).toEqual(["n"]);
    expect(model.unmodeled.map((u) => u.type)).toEqual(["Microsoft.Storage/storageAccounts"]);
  });

  it("an empty list is a valid export of nothing", () => {
    expect(load({ value: [] }).inputs[0]).toMatchObject({ format: "azure-export", resources: 0 });
    expect(load([]).inputs[0]).toMatchObject({ format: "azure-export", resources: 0 });
  });
});

describe("export conversion", () => {
  it("a REST body without `type` takes it from its id (a peering), located at the body", () => {
    const model = load({
      id: `${SUB}/Microsoft.Network/virtualNetworks/v1/virtualNetworkPeerings/p`,
      name: "p",
      properties: {
        allowForwardedTraffic: true,
        peeringState: "Connected",
        remoteVirtualNetwork: { id: `${SUB}/Microsoft.Network/virtualNetworks/v2` },
      },
    });
    const peering = model.virtualNetworks[0]!.virtualNetworkPeerings[0]!;
    expect(peering).toMatchObject({
      name: "p",
      allowForwardedTraffic: true,
      peeringState: "Connected",
      src: { line: 1 },
    });
  });

  it("az's flattened rule fields convert like the REST ones", () => {
    const model = load({
      id: `${SUB}/Microsoft.Network/networkSecurityGroups/n`,
      name: "n",
      type: "Microsoft.Network/networkSecurityGroups",
      securityRules: [
        {
          name: "r",
          protocol: "Tcp",
          access: "Allow",
          direction: "Inbound",
          priority: 100,
          destinationPortRange: "443",
        },
      ],
    });
    expect(model.networkSecurityGroups[0]!.securityRules[0]).toMatchObject({
      name: "r",
      priority: 100,
      src: { line: 6 },
    });
  });
});

describeCorpus("export warns", () => {
  it("a Network Watcher answer with its request is kept as an observed fact, with nothing to warn", () => {
    const { model } = loadInputs([corpusPath("azure-rest-api-specs/network-2024-01-01/NetworkWatcherNextHopGet.json")]);
    expect(model.inputs[0]!.format).toBe("network-watcher-result");
    expect(model.observed.nextHop).toHaveLength(1);
    expect(model.diagnostics.map((d) => d.code)).toEqual([]);
  });
});
