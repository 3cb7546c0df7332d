import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { containers, parse } from "../../../test/helpers/json-documents.js";
import { MAX_DEPTH, parseJson } from "./parse.js";

describe("JSON location extraction", () => {
  it("every object and array locates to its line, column and pointer", () => {
    const doc = parse('{\n  "a": [\n    { "b": 1 },\n    [2]\n  ],\n  "c/d": { "e~f": {} }\n}');
    const root = doc.value as { a: [object, object]; "c/d": { "e~f": object } };
    expect(doc.locate(root)).toEqual({ file: "f.json", pointer: "", line: 1, column: 1 });
    expect(doc.locate(root.a)).toEqual({ file: "f.json", pointer: "/a", line: 2, column: 8 });
    expect(doc.locate(root.a[0])).toEqual({ file: "f.json", pointer: "/a/0", line: 3, column: 5 });
    expect(doc.locate(root.a[1])).toMatchObject({ pointer: "/a/1", line: 4 });
    expect(doc.locate(root["c/d"]["e~f"])).toMatchObject({ pointer: "/c~1d/e~0f", line: 6 });
    expect(doc.locate({})).toBeUndefined();
  });

  it("integer-like keys (which JavaScript orders first) and escaped keys still locate", () => {
    const doc = parse('{\n "z": {},\n "200": { "body": {} },\n "q\\"k": []\n}');
    const root = doc.value as Record<string, Record<string, object>>;
    expect(doc.locate(root["200"]!.body!)).toMatchObject({ pointer: "/200/body", line: 3 });
    expect(doc.locate(root.z!)).toMatchObject({ line: 2 });
    expect(doc.locate(root['q"k']!)).toMatchObject({ line: 4 });
  });

  it("a duplicate key keeps the later value, as JSON.parse does, and still locates", () => {
    const doc = parse('{\n "a": { "x": 1 },\n "a": { "x": 2 }\n}');
    const a = (doc.value as { a: object }).a;
    expect(a).toEqual({ x: 2 });
    expect(doc.locate(a)?.pointer).toBe("/a");
  });

  it("comments are accepted and do not move locations; a BOM is skipped", () => {
    const doc = parse('\ufeff// header\n{ /* "not": { */\n  "a": { "b": "// not a comment" } // tail\n}');
    const a = (doc.value as { a: { b: string } }).a;
    expect(a.b).toBe("// not a comment");
    expect(doc.locate(a)).toMatchObject({ pointer: "/a", line: 3, column: 8 });
  });

  it("locateMember gives the line of a key or an array element", () => {
    const doc = parse('{\n  "a": 1,\n  "b": [\n    "x",\n    "y"\n  ]\n}');
    const root = doc.value as { b: string[] };
    expect(doc.locateMember(root, "b")).toMatchObject({ line: 3, column: 3, pointer: "/b" });
    expect(doc.locateMember(root.b, 1)).toMatchObject({ line: 5, pointer: "/b/1" });
    expect(doc.locateMember(root, "absent")).toMatchObject({ line: 1 });
  });

  it("__proto__ is an ordinary own key", () => {
    const doc = parse('{ "__proto__": { "polluted": true } }');
    expect(Object.hasOwn(doc.value as object, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(doc.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("values equal JSON.parse's and every container locates to its opening bracket (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        const doc = parse(text);
        expect(doc.value).toEqual(JSON.parse(text));
        const lines = text.split("\n");
        for (const node of containers(doc.value)) {
          const ref = doc.locate(node)!;
          expect("{[").toContain(lines[ref.line - 1]![ref.column - 1]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("JSON syntax warns", () => {
  it.each([
    ['{\n  "a": 1,\n}', 3, 1, "expected a property name"],
    ['{\n  "a": tru\n}', 2, 8, "unexpected character"],
    ['{ "a": [1, 2 }', 1, 14, "expected ',' or ']'"],
    ['{ "a": "x', 1, 8, "unterminated string"],
    ["", 1, 1, "empty"],
    ["/* open", 1, 1, "unterminated /* comment"],
  ])("%j is an error at %i:%i", (text, line, column, message) => {
    const result = parseJson(text, "bad.json");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ line, column });
    expect(result.error.message).toContain(message);
  });

  it("nesting deeper than the limit is refused, not a stack overflow", () => {
    const deep = `${"[".repeat(MAX_DEPTH + 5)}${"]".repeat(MAX_DEPTH + 5)}`;
    const result = parseJson(deep, "deep.json");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain("nesting deeper");
  });

  it("the depth error is placed at the first bracket too deep; the limit itself is accepted", () => {
    const objects = (levels: number) => `[\n${'{"a":'.repeat(levels - 1)}1${"}".repeat(levels - 1)}]`;
    const refused = parseJson(objects(MAX_DEPTH + 1), "deep.json");
    expect(refused.ok).toBe(false);
    // Line 2 holds levels 2 and deeper, one `{"a":` (5 characters) each: level MAX_DEPTH + 1 opens at
    // column 5 * (MAX_DEPTH - 1) + 1.
    if (!refused.ok) expect(refused.error).toMatchObject({ line: 2, column: 5 * (MAX_DEPTH - 1) + 1 });
    expect(parseJson(objects(MAX_DEPTH), "deep.json").ok).toBe(true);
  });
});

describe("locations are made on demand", () => {
  it("parsing makes no structure index; the first location question does", () => {
    const doc = parse('{\n  "a": [\n    {}\n  ]\n}');
    expect(doc.indexed).toBe(false);
    const a = (doc.value as { a: object[] }).a;
    expect(doc.locate(a[0]!)).toEqual({ file: "f.json", pointer: "/a/0", line: 3, column: 5 });
    expect(doc.indexed).toBe(true);
  });

  it("nesting past the limit under a key a later duplicate replaced is harmless, and locations still work", () => {
    const deep = `${"[".repeat(MAX_DEPTH * 3)}${"]".repeat(MAX_DEPTH * 3)}`;
    const doc = parse(`{\n "a": ${deep},\n "a": { "b": {} }\n}`);
    const b = (doc.value as { a: { b: object } }).a.b;
    expect(doc.locate(b)).toMatchObject({ pointer: "/a/b", line: 3, column: 14 });
  });
});

describe("duplicate keys", () => {
  it("the surviving value locates to its own occurrence when the kinds differ (found by fuzzing)", () => {
    const doc = parse('{"__proto__":{},"name":{},"name":[false]}');
    const value = doc.value as { name: unknown[] };
    expect(doc.locate(value.name)?.column).toBe(34);
  });
});
