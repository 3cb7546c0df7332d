/**
 * @module test/helpers/json-documents
 * What the JSON reader's tests share: a text parsed into a document (a syntax error fails the test), and every
 * object and array of a value in one order, to ask a document about each.
 */
import { type JsonDocument, parseJson } from "../../src/ingest/json/parse.js";

/** `text` parsed as `f.json`; throws on a syntax error. */
export function parse(text: string): JsonDocument {
  const result = parseJson(text, "f.json");
  if (!result.ok) throw new Error(result.error.message);
  return result.doc;
}

/** Every object and array of `value`, parents before children, members in `Object.values` order. */
export function containers(value: unknown, out: object[] = []): object[] {
  if (typeof value === "object" && value !== null) {
    out.push(value);
    for (const v of Object.values(value)) containers(v, out);
  }
  return out;
}
