/**
 * The HTML report as text (no browser): the one escape, the JSON block for the page script, the page's
 * structure on hostile names (only our own elements, every name escaped), the Content-Security-Policy that
 * allows exactly the page's script, and the `diagram` and `report` commands.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { layoutDiagram } from "../../src/report/diagram/layout.js";
import { summarizeGraph } from "../../src/report/diagram/summary.js";
import { printSvg } from "../../src/report/diagram/svg.js";
import { buildReportView } from "../../src/report/html/data.js";
import { escapeHtml, jsonForScript } from "../../src/report/html/escape.js";
import { formatHtml } from "../../src/report/html/page.js";
import { inertLines } from "../../src/report/inert.js";
import { EXAMPLE, engineFor, HOSTILE, reportInputs } from "./helpers.js";

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) =>
    e === "lt" ? "<" : e === "gt" ? ">" : e === "quot" ? '"' : e === "#39" ? "'" : "&",
  );
}

async function page(path: string): Promise<string> {
  const engine = engineFor(path);
  const { findings, ctx } = reportInputs(engine);
  const view = buildReportView(engine, findings);
  return formatHtml(findings, ctx, view, printSvg(await layoutDiagram(view.graph), { inline: true }), {
    title: path,
  });
}

describe("escapeHtml", () => {
  it("leaves no markup character and round-trips what is not a control (controls are shown as \\uXXXX)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"']/);
        expect(out.replace(/&(lt|gt|quot|#39|amp);/g, "")).not.toContain("&");
        expect(decodeEntities(out)).toBe(inertLines(s));
        expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202e]/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("jsonForScript", () => {
  it("cannot end its script element and parses back to the same value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: "binary" }), (value, s) => {
        const data = { value, s, tricky: `</script><!--${s}\u2028` };
        const out = jsonForScript(data);
        expect(out).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(data)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("HTML page", () => {
  it("holds only its own elements when names are HTML, and shows the names escaped", async () => {
    const full = await page(HOSTILE);
    // Our own script and style sheets are code, not markup: leave their bodies out of the markup checks.
    const html = full
      .replace(/(<script>)[\s\S]*?(<\/script>)/, "$1$2")
      .replace(/(<style>)[\s\S]*?(<\/style>)/g, "$1$2");
    const tags = new Set([...html.matchAll(/<([A-Za-z][A-Za-z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
    for (const bad of ["img", "b", "i", "iframe", "object", "embed", "link", "base", "a"])
      expect(tags.has(bad)).toBe(false);
    // One script (ours), the data block, one data block per VNet for the flow tester and one per NSG for the
    // subnet details, numbered in order.
    const blocks = [...html.matchAll(/<script( type="application\/json" id="([^"]+)")?>/g)].map((m) => m[2] ?? "code");
    expect(blocks[0]).toBe("report-data");
    expect(blocks.at(-1)).toBe("code");
    const vnets = blocks.filter((b) => b.startsWith("flow-vnet-"));
    const nsgs = blocks.filter((b) => b.startsWith("nsg-table-"));
    expect(vnets.length).toBeGreaterThan(0);
    expect(nsgs.length).toBeGreaterThan(0);
    expect(blocks.slice(1, -1)).toEqual([
      ...vnets.map((_, i) => `flow-vnet-${i}`),
      ...nsgs.map((_, i) => `nsg-table-${i}`),
    ]);
    expect([...html.matchAll(/<script/g)]).toHaveLength(blocks.length);
    expect([...html.matchAll(/<svg/g)]).toHaveLength(1);
    // Every `<` starts one of our well-formed tags (attribute values double-quoted); none has an on* handler.
    const tagPattern = /<([a-zA-Z][\w-]*)((?:\s+[\w:-]+(?:="[^"<>]*")?)*)\s*\/?>|<\/[a-zA-Z][\w-]*>|<!DOCTYPE html>/g;
    const attributes = [...html.matchAll(tagPattern)].flatMap((m) =>
      [...(m[2] ?? "").matchAll(/\s([\w:-]+)(?:="[^"]*")?/g)].map((a) => a[1]!.toLowerCase()),
    );
    expect(attributes.filter((a) => a.startsWith("on"))).toEqual([]);
    expect(html.replace(tagPattern, "")).not.toMatch(/[<>]/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    const data = html.slice(html.indexOf('id="report-data">') + 17, html.indexOf("</script>"));
    expect(JSON.stringify(JSON.parse(data))).toContain("<script>alert(1)</script>");
  });

  it("says above the diagram when it is the summary view, and how to draw it in full", async () => {
    const engine = engineFor(EXAMPLE);
    const { findings, ctx } = reportInputs(engine);
    const view = buildReportView(engine, findings);
    expect(view.graph.summary).toBeUndefined();
    const summarised = { ...view, graph: summarizeGraph(view.graph, 3) };
    const svg = printSvg(await layoutDiagram(summarised.graph), { inline: true });
    const html = formatHtml(findings, ctx, summarised, svg, { title: "example" });
    const note = /<div class="summary-note" id="diagram-summary">([\s\S]*?)<\/div>/.exec(html)![1]!;
    expect(decodeEntities(note)).toContain(summarised.graph.summary!.lines[0]!);
    expect(note).toContain("apim-netcheck report --full");
    // Every subnet is still listed for its routes and rules.
    expect([...html.matchAll(/<button type="button" data-subnet=/g)]).toHaveLength(view.data.subnets.length);
    expect(formatHtml(findings, ctx, view, svg, { title: "example" })).not.toContain('id="diagram-summary"');
  });

  it("allows exactly its own script, no connection and no outside resource", async () => {
    const html = await page(EXAMPLE);
    const csp = decodeEntities(/http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!);
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const hash = createHash("sha256").update(script, "utf8").digest("base64");
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:|\/\/)/i);
    expect(html).not.toMatch(/@import|url\((?!#)/);
  });
});

describe("diagram and report commands", () => {
  async function run(...args: string[]) {
    let out = "";
    let err = "";
    const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
    return { code, out, err };
  }

  it("diagram prints Mermaid by default and SVG with --format svg", async () => {
    const mermaid = await run("diagram", EXAMPLE);
    expect(mermaid.code).toBe(0);
    expect(mermaid.out.startsWith("flowchart LR\n")).toBe(true);
    expect(mermaid.out).toContain("APIM-INBOUND-MANAGEMENT");
    const plain = await run("diagram", EXAMPLE, "--no-findings");
    expect(plain.out).not.toContain("finding:");
    const svg = await run("diagram", EXAMPLE, "--format", "svg");
    expect(svg.code).toBe(0);
    expect(svg.out).toMatch(/^<\?xml[^>]*>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const bad = await run("diagram", EXAMPLE, "--format", "png");
    expect([bad.code, bad.err.trim()]).toEqual([2, "apim-netcheck: --format must be mermaid or svg, not png"]);
  });

  it("report writes one HTML file and says what it did on stderr", async () => {
    const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-report-"));
    try {
      const file = join(dir, "report.html");
      const { code, err } = await run("report", EXAMPLE, "--out", file);
      expect(code).toBe(0);
      expect(err).toMatch(/wrote .*report\.html \(\d+ KiB\)/);
      const html = readFileSync(file, "utf8");
      expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
      expect(html).toContain('data-subnet="subnet_vnet_apim_snet_apim"');
      const missing = await run("report", EXAMPLE);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain("--out");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
