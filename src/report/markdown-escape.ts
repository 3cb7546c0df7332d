/**
 * @module report/markdown-escape
 * Report layer: the one place where text from the inputs (resource names, rule names, messages built from
 * them, file paths) is made inert for GitHub-flavoured Markdown, used by the Markdown report and by SARIF's
 * `message.markdown`. A name may hold `|` (breaks a table), backticks (break a code span), `<script>` or
 * `<img onerror>` (raw HTML), `[x](javascript:…)` (a link) or `@team` (a mention); each comes out as the
 * characters it is. GFM backslash escapes: https://github.github.com/gfm/#backslash-escapes
 */

/**
 * Punctuation that starts Markdown syntax anywhere in a line: code, emphasis, links (`[`; `(` only matters after
 * `]`), raw HTML (`<`), table cells, strikethrough, mentions and GitHub's `$` maths. `&` becomes an entity.
 */
const INLINE = /[\\`*_[\]<|~@$]/g;

/**
 * Text that renders as itself in a paragraph, list item or table cell: punctuation that Markdown reads is
 * backslash-escaped, `&` becomes `&amp;` (so `&lt;` is not decoded), and line breaks become spaces (a break
 * would end a table row or a list item).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?|\n/g, " ")
    .replace(/&/g, "&amp;")
    .replace(INLINE, (c) => `\\${c}`)
    .replace(/^([-+=#>])/, "\\$1")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}

/** `text` as a code span: the delimiter is one backtick longer than any run inside it (GFM §6.1). */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r\n?|\n/g, " ");
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || /^ .* $/.test(flat) ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced code block whose fence no line of `text` can close (GFM §4.5). */
export function codeBlock(text: string, language = ""): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text.replace(/\r\n?/g, "\n")}\n${fence}`;
}

/** Text for inside an HTML element (a `<summary>`): the five HTML specials as entities. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/** The info string of a fenced block for a fix form (so GitHub highlights it). */
export function fenceLanguage(kind: string): string {
  return ({ "az-cli": "sh", bicep: "bicep", terraform: "hcl", arm: "json" } as Record<string, string>)[kind] ?? "";
}
