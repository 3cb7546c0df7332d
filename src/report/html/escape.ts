/**
 * @module report/html/escape
 * Report layer: the one escape of the HTML report and the SVG diagram (style.md: in HTML, every string goes
 * through one escape(); it is called `escapeHtml` so as not to shadow the global `escape`). Input names are hostile until proven otherwise (a VNet may be called
 * `<script>alert(1)</script>`), so every text and attribute value we print passes through it, and data
 * for the page's script is embedded with `jsonForScript`, which cannot end the `<script>` element it sits in.
 */

import { inertLines } from "../inert.js";

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text safe in HTML/SVG element content and in quoted attribute values (both quote styles). Controls, bidi
 * controls and what XML 1.0 forbids (https://www.w3.org/TR/xml/#charsets: C0 but tab and newline, lone
 * surrogates, U+FFFE/U+FFFF) are written as visible `\u001b` escapes (report/inert), so the SVG stays
 * well-formed XML and a name cannot reorder what the page shows.
 */
export function escapeHtml(value: unknown): string {
  return inertLines(String(value ?? "")).replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` become `\u003c`, `\u003e` and
 * `\u0026` (so neither `</script>` nor `<!--` can appear), and U+2028/U+2029 are escaped too. `JSON.parse`
 * of the element's text gives back the same value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
