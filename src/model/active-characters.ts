/**
 * @module model/active-characters
 * The characters a terminal, a log viewer or a bidi renderer acts on rather than shows: C0 controls but tab and
 * newline, the CR that is not part of a CRLF line end, DEL and C1 (ECMA-48), U+2028/U+2029 (line and paragraph
 * separators), the bidi marks and controls (U+061C ALM, U+200E LRM, U+200F RLM, U+202A–U+202E embeddings and
 * overrides, U+2066–U+2069 isolates; Unicode UAX #9, Trojan Source, CVE-2021-42574), the noncharacters
 * U+FFFE/U+FFFF and lone surrogates (not allowed in XML 1.0, https://www.w3.org/TR/xml/#charsets, nor encodable
 * in UTF-8). One definition: the output sanitizer (report/inert) and the fix writers, which spell such a
 * character in their own language's escape (checks/fix/values), agree on what is active.
 */
export const ACTIVE_CHARACTER_SOURCE =
  "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufffe\\uffff]" +
  "|\\r(?!\\n)|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";

/** Every active character of a value, newline, tab and every CR included (a value is one line). */
export const ACTIVE_IN_VALUE = new RegExp(`[\\t\\n\\r]|${ACTIVE_CHARACTER_SOURCE}`, "g");
