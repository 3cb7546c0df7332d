import { describe, expect, it } from "vitest";
import { loadDocuments, toDocument } from "../../ingest/load.js";
import { formatSource } from "../../model/source.js";
import { copyModel } from "./copy.js";
import { withoutResource } from "./without.js";

const TEMPLATE = {
  $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  resources: [
    {
      type: "Microsoft.Network/networkSecurityGroups",
      apiVersion: "2023-05-01",
      name: "nsg-a",
      properties: {
        securityRules: [
          {
            name: "r1",
            properties: {
              protocol: "Tcp",
              sourcePortRange: "*",
              destinationPortRange: "443",
              sourceAddressPrefix: "*",
              destinationAddressPrefix: "*",
              access: "Allow",
              priority: 100,
              direction: "Inbound",
            },
          },
        ],
      },
    },
    { type: "Microsoft.Network/routeTables", apiVersion: "2023-05-01", name: "rt-a", properties: { routes: [] } },
  ],
};

describe("what-if model copy", () => {
  it("copies arrays and plain objects, shares everything else, keeps __proto__ an ordinary key", () => {
    class Place {
      constructor(readonly line: number) {}
    }
    const place = new Place(7);
    const original = JSON.parse('{ "list": [{ "n": 1 }], "__proto__": { "x": 1 } }') as Record<string, unknown>;
    original.place = place;
    const copy = copyModel(original);
    expect(copy).not.toBe(original);
    expect(copy.list).not.toBe(original.list);
    expect(copy.list).toEqual([{ n: 1 }]);
    expect(copy.place).toBe(place);
    expect(Object.hasOwn(copy, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    (copy.list as { n: number }[])[0]!.n = 2;
    expect((original.list as { n: number }[])[0]!.n).toBe(1);
  });

  it("locations of a loaded model survive the copy what-if makes", () => {
    const { model } = loadDocuments([toDocument("t.json", JSON.stringify(TEMPLATE, null, 2))]);
    const rule = model.networkSecurityGroups[0]!.securityRules[0]!;
    const { model: without } = withoutResource(model, {
      id: model.routeTables[0]!.id,
      type: "Microsoft.Network/routeTables",
      display: "rt-a",
    });
    expect(without.routeTables).toHaveLength(0);
    const copied = without.networkSecurityGroups[0]!.securityRules[0]!;
    expect(copied).not.toBe(rule);
    expect(formatSource(copied.src)).toBe("t.json:10:11");
    expect(copied.src).toMatchObject({ pointer: "/resources/0/properties/securityRules/0", line: 10, column: 11 });
    expect(formatSource(rule.src)).toBe("t.json:10:11");
  });
});
