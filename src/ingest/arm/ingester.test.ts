import { describe, expect, it } from "vitest";
import { formatSource } from "../../model/source.js";
import { loadDocuments, toDocument } from "../load.js";

const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

function loaded(resources: unknown[]) {
  const doc = toDocument("t.json", JSON.stringify({ $schema: SCHEMA, contentVersion: "1.0.0.0", resources }, null, 2));
  return { json: doc.json!, model: loadDocuments([doc]).model };
}

describe("ARM ingester diagnostics", () => {
  it("a warning said once keeps its place lazy; reading it cites the expression", () => {
    const { json, model } = loaded([
      {
        type: "Microsoft.Network/routeTables",
        apiVersion: "2023-05-01",
        name: "rt",
        location: "[resourceGroup().location]",
        properties: { routes: [] },
      },
    ]);
    const [warning] = model.diagnostics;
    expect(warning).toMatchObject({ code: "arm/assumed-location", severity: "warning" });
    expect(json.indexed).toBe(false);
    expect(formatSource(warning!.src)).toBe("t.json:9:7");
    expect(warning!.src).toMatchObject({ pointer: "/resources/0/location" });
  });

  it("the same message at one place is reported once, at two places twice", () => {
    const { model } = loaded([
      {
        type: "Microsoft.Network/routeTables",
        apiVersion: "2023-05-01",
        name: "[concat('rt-', copyIndex())]",
        copy: { name: "tables", count: 3 },
        properties: {
          routes: [
            {
              name: "r",
              properties: { addressPrefix: "[noSuchFunction('a')]", nextHopType: "[noSuchFunction('a')]" },
            },
          ],
        },
      },
    ]);
    const unknown = model.diagnostics.filter((d) => d.code === "arm/unknown-function");
    expect(unknown.map((d) => formatSource(d.src))).toEqual(["t.json:18:15", "t.json:19:15"]);
  });
});
