/**
 * The Markdown report (pull-request comments): a summary table per instance, one section per finding with
 * evidence and fixes, and text from the inputs inert. The output is rendered with a GFM renderer (marked) to
 * check what a reader would see: no HTML element or link that the input smuggled in, table rows intact.
 */
import { marked } from "marked";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/checks/types.js";
import { main } from "../../src/cli/main.js";
import { formatMarkdown } from "../../src/report/markdown.js";
import { codeBlock, codeSpan, escapeMarkdown } from "../../src/report/markdown-escape.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { fixtureContext, fixtureFindings } from "../helpers/report-fixture.js";

const HOSTILE = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "a|b|c",
  "`tick` ``double``",
  "[click](javascript:alert(1))",
  "@org/team",
  "*bold* _em_ ~~gone~~",
  "&lt;b&gt;",
  "# heading",
  "1. item",
  "- item",
  "$x^2$",
  "line\nbreak",
];

function render(md: string): string {
  return marked.parse(md, { gfm: true, async: false }) as string;
}

function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

describe("markdown escaping", () => {
  it.each(HOSTILE)("%j renders as its own characters in a paragraph", (name) => {
    const html = render(`Name: ${escapeMarkdown(name)}`);
    expect(html).not.toMatch(/<(script|img|a|em|strong|del|code|h1|ol|ul)\b/);
    expect(textOf(html).trim()).toBe(`Name: ${name.replace("\n", " ")}`);
  });

  it.each(HOSTILE)("%j stays in its table cell", (name) => {
    const html = render(`| A | B |\n| --- | --- |\n| ${escapeMarkdown(name)} | 2 |\n`);
    const cells = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => textOf(m[1]!));
    expect(cells).toEqual([name.replace("\n", " "), "2"]);
  });

  it("code spans and blocks hold any backtick run", () => {
    for (const text of ["a`b", "``x``", "`start", "end`", "plain"]) {
      const html = render(codeSpan(text));
      expect(textOf(html.match(/<code>([\s\S]*?)<\/code>/)![1]!)).toBe(text);
    }
    const block = "```\n</details>\n````";
    const html = render(codeBlock(block, "sh"));
    expect(textOf(html.match(/<code[^>]*>([\s\S]*?)<\/code>/)![1]!)).toBe(`${block}\n`);
  });
});

describe("markdown report", () => {
  const md = formatMarkdown(fixtureFindings(), fixtureContext());
  const html = render(md);

  it("a summary table with a row per instance and the totals", () => {
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
      [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => textOf(c[1]!)),
    );
    expect(rows).toEqual([
      ["Instance", "Errors", "Warnings", "Info"],
      ["apim-contoso (westeurope)", "1", "0", "1"],
      ["apim-`x`|<b>y</b> (eastus)", "0", "1", "0"],
      ["network", "1", "0", "0"],
      ["Total", "2", "1", "1"],
    ]);
  });

  it("one section per finding, with evidence and each fix form collapsed", () => {
    expect([...md.matchAll(/^### /gm)]).toHaveLength(fixtureFindings().length);
    expect(md).toContain("### Error: APIM-INBOUND-MANAGEMENT — Management traffic on TCP 3443");
    expect(md).toContain("(`examples/forced-tunnel/network.json:49:11`)");
    const details = [...html.matchAll(/<summary>(Fix \([a-z-]+\))<\/summary>/g)].map((m) => m[1]);
    expect(details).toEqual([
      "Fix (az-cli)",
      "Fix (bicep)",
      "Fix (terraform)",
      "Fix (arm)",
      "Fix (az-cli)",
      "Fix (bicep)",
    ]);
  });

  it("nothing from the inputs becomes HTML or a link", () => {
    expect(html).not.toMatch(/<script|<img|<b>|href="javascript/i);
    expect(textOf(html)).toContain("snet|<script>alert(1)</script>");
    expect(textOf(html)).toContain('allow-"><img src=x onerror=alert(1)>');
  });

  it("no findings: says so, with the inputs", () => {
    const empty = formatMarkdown([], fixtureContext());
    expect(empty).toContain("## apim-netcheck: 0 error(s), 0 warning(s), 0 info");
    expect(empty).toContain("No findings.");
    expect(empty).not.toContain("| Instance |");
  });

  it("stays under the comment limit and counts what it left out", () => {
    const many: Finding[] = Array.from({ length: 400 }, (_, i) => ({ ...fixtureFindings()[0]!, resource: `r${i}` }));
    const out = formatMarkdown(many, fixtureContext());
    expect(out.length).toBeLessThan(60_000);
    const shown = [...out.matchAll(/^### /gm)].length;
    expect(shown).toBeGreaterThan(5);
    expect(out).toContain(`_${400 - shown} more finding(s) not shown here`);
    expect(out).toContain("| apim-contoso (westeurope) | 400 | 0 | 0 |");
  });

  it("check --format markdown prints the report for the example", async () => {
    let out = "";
    const code = await main(["check", `${REPO_ROOT}/examples/forced-tunnel`, "--format", "markdown"], {
      out: (s) => (out += s),
      err: () => {},
      isTty: true,
      env: {},
    });
    expect(code).toBe(1);
    expect(out).toMatch(/^## apim-netcheck: \d+ error\(s\)/);
    expect(out).toContain("APIM-INBOUND-MANAGEMENT");
    // Markdown never carries terminal colours, even on a terminal.
    expect(out).not.toContain("\u001b[");
  });
});
