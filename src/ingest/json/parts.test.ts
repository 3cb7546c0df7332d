/**
 * ingest/json/parts: a document's first location questions, answered from parts of its text, give exactly what
 * the structure index of the whole text gives (offsets, pointers, lines), for any JSON in any layout, keys that
 * need escaping, integer-like keys, duplicate keys and a byte order mark included; and they read only as much
 * of the text as the question needs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { containers, parse } from "../../../test/helpers/json-documents.js";
import { ShallowPass } from "./parts.js";

/**
 * Every container of `text` located by a fresh document (its first question, from parts) and by the structure
 * index of another (made first, so that it answers). Fresh each time: under a key written twice, which
 * occurrence the index names depends on the questions asked before (its search starts where the last ended).
 */
function expectSameFirstAnswers(text: string): void {
  containers(parse(text).value).forEach((_, i) => {
    const whole = parse(text);
    whole.owns(whole.value as object);
    const fresh = parse(text);
    expect(fresh.locate(containers(fresh.value)[i]!)).toEqual(whole.locate(containers(whole.value)[i]!));
  });
}

/** And the questions of one document in turn (the first 64 from parts, then the index), keys written once. */
function expectSameAnswers(text: string): void {
  expectSameFirstAnswers(text);
  const whole = parse(text);
  whole.owns(whole.value as object);
  const expected = containers(whole.value).map((node) => whole.locate(node));
  const one = parse(text);
  expect(containers(one.value).map((node) => one.locate(node))).toEqual(expected);
}

const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom("0", "12", "a/b", "t~", 'q"', "\\", "__proto__"));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, true, 1, -2.5e3, "s", "[{]}", 'x"y\\'),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(key, tie("value"), { maxKeys: 4 }),
  ),
})).value;
const layout = fc.constantFrom<(v: unknown) => string>(
  (v) => JSON.stringify(v),
  (v) => JSON.stringify(v, null, 2),
  (v) => JSON.stringify(v, null, "\t"),
  (v) => `\uFEFF${JSON.stringify(v, null, 1)}`,
  (v) => `\r\n ${JSON.stringify(v, null, 3).replace(/\n/g, "\r\n")}\n`,
);

describe("locations from parts of the text", () => {
  it("equal the structure index's answers for any JSON in any layout", () => {
    fc.assert(
      fc.property(json, layout, (value, write) => {
        expectSameAnswers(write(value));
      }),
      { numRuns: 400 },
    );
  });

  it("equal them where keys are written twice, at the shallow levels and inside a part", () => {
    for (const text of [
      '{\n "value": [{ "a": {} }],\n "value": [{ "b": [] }, {}]\n}',
      '{\n "value": {"0": { "a": {} }},\n "value": [{ "a": {} }]\n}',
      '{\n "value": [{ "a": {"x": {}}, "a": {"y": []} }]\n}',
      '{\n "value": [{ "a": {} }, { "a": {} }],\n "value": [{ "a": {} }, { "a": {} }]\n}',
      '[\n {"p": {"q": {}}},\n {"p": {"q": {}}, "p": {"q": {}}}\n]',
      '{"__proto__":{},"name":{},"name":[false]}',
    ]) {
      expectSameFirstAnswers(text);
    }
  });

  it("reads the text only as far as the value asked about", () => {
    const resources = Array.from({ length: 50 }, (_, i) => ({ name: `r${i}`, properties: { rules: [{ i }] } }));
    const text = JSON.stringify({ value: resources }, null, 2);
    const pass = new ShallowPass(text, 0);
    expect(pass.find("value", 3)).toEqual({ offset: text.indexOf('{\n      "name": "r3"'), inArray: true });
    // Not past the fifth resource: the pass stops at the container asked about.
    expect((pass as unknown as { pos: number }).pos).toBeLessThan(text.indexOf('"r5"'));
    expect(pass.find("value", 50)).toBe("absent");
    const doc = parse(text);
    const rule = (doc.value as { value: typeof resources }).value[7]!.properties.rules[0]!;
    const at = text.indexOf('{\n            "i": 7');
    const line = text.slice(0, at).split("\n").length;
    const column = at - text.lastIndexOf("\n", at);
    expect(doc.locate(rule)).toEqual({ file: "f.json", pointer: "/value/7/properties/rules/0", line, column });
    expect(doc.indexed).toBe(true);
  });
});
