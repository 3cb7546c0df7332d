import { describe, expect, it } from "vitest";
import { formatSource, type SourceRef } from "../model/source.js";
import { loadDocuments, toDocument } from "./load.js";
import { LazySource, type Locator, SourceIndex } from "./locator.js";

const HERE: SourceRef = { file: "a.json", pointer: "/x", line: 3, column: 5 };
const FILE: SourceRef = { file: "a.json", pointer: "", line: 1, column: 1 };

/** A locator that knows one node and counts the questions it is asked. */
function counting(known: object, ref: SourceRef = HERE): Locator & { asked: number } {
  return {
    asked: 0,
    locate(node) {
      this.asked++;
      return node === known ? ref : undefined;
    },
  };
}

describe("lazy locations", () => {
  it("ask the locator on first read only, and once", () => {
    const node = {};
    const locator = counting(node);
    const src = new LazySource(locator, node, FILE);
    expect(locator.asked).toBe(0);
    expect(src.line).toBe(3);
    expect(src.file).toBe("a.json");
    expect(formatSource(src)).toBe("a.json:3:5");
    expect(locator.asked).toBe(1);
  });

  it("give the fallback where the locator has no answer; a lazy fallback resolves in turn", () => {
    const node = {};
    const outer = { parent: true };
    const parent = new LazySource(counting(outer), outer, FILE);
    expect(new LazySource(counting(outer), node, parent).pointer).toBe("/x");
    expect(new LazySource(counting(outer), node, FILE).pointer).toBe("");
  });

  it("read as a plain SourceRef: JSON, toMatchObject, `in`; own properties hold nothing of the input", () => {
    const node = { secret: "<unknown:should not be walked>" };
    const src = new LazySource(counting(node), node, FILE);
    expect(JSON.parse(JSON.stringify({ src }))).toEqual({ src: HERE });
    expect(src.toJSON()).toEqual(HERE);
    expect(src).toMatchObject({ file: "a.json", line: 3 });
    expect("pointer" in src && "line" in src).toBe(true);
    expect(Object.keys(src)).toEqual([]);
  });

  it("follow the source index's aliases from built objects to their declarations", () => {
    const declared = {};
    const built = {};
    const index = new SourceIndex();
    index.addLocator(counting(declared));
    index.alias(built, declared);
    expect(index.lazy(built, FILE).line).toBe(3);
    expect(index.lazy({}, FILE).line).toBe(1);
  });

  it("loading a template makes no structure index; reading a rule's place makes it and cites the rule", () => {
    const template = {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      parameters: { name: { type: "string", defaultValue: "nsg-a" } },
      resources: [
        {
          type: "Microsoft.Network/networkSecurityGroups",
          apiVersion: "2023-05-01",
          name: "[parameters('name')]",
          properties: {
            securityRules: [
              { name: "r1", properties: { access: "Allow", priority: 100, direction: "Inbound", protocol: "*" } },
              { name: "r2", properties: { access: "Deny", priority: 200, direction: "Inbound", protocol: "*" } },
            ],
          },
        },
      ],
    };
    const doc = toDocument("t.json", JSON.stringify(template, null, 2));
    const { model } = loadDocuments([doc]);
    expect(doc.json!.indexed).toBe(false);
    const [r1, r2] = model.networkSecurityGroups[0]!.securityRules;
    expect(formatSource(r2!.src)).toBe("t.json:25:11");
    expect(doc.json!.indexed).toBe(true);
    expect(r1!.src).toMatchObject({ pointer: "/resources/0/properties/securityRules/0", line: 16 });
    expect(formatSource(model.networkSecurityGroups[0]!.src)).toBe("t.json:10:5");
  });
});
