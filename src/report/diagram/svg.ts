/**
 * @module report/diagram/svg
 * Report layer: the laid-out diagram as one self-contained SVG document (inline styles, no fonts, images or
 * links to fetch). Every text and attribute value goes through html/escape's `escapeHtml()`, the one escape of the
 * report (it also keeps out what XML forbids); each line of a label is one inert line (report/inert). Subnet nodes carry `data-subnet` (their sanitized node id) so the HTML report can make them
 * clickable. A summary view's notes (what was summarised and how to draw everything) are written at the top,
 * as text a reader sees, not only as a comment. Pure: (layout) => string.
 */
import { escapeHtml } from "../html/escape.js";
import { inert } from "../inert.js";
import { type NodeMark, worstSeverity } from "./graph.js";
import { type DiagramLayout, edgeLines, groupLines, METRICS, nodeLines } from "./layout.js";

export interface SvgOptions {
  /** Leave out the XML declaration (for inline use in HTML). */
  inline?: boolean;
  /** Title of the document (the `<title>` element). */
  title?: string;
}

const STYLE = `
.dg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:12px;fill:#1d2733}
.dg .group>rect{fill:#f7f9fc;stroke:#8aa0bd;stroke-width:1.2}
.dg .group text.title{font-weight:600}
.dg .node>rect{stroke-width:1.4}
.dg .subnet>rect{fill:#eef5ff;stroke:#4a78b5}
.dg .nsg>rect{fill:#fff7e0;stroke:#b58a00}
.dg .routeTable>rect{fill:#eefaf0;stroke:#3a8a4a}
.dg .gateway>rect{fill:#f3eefc;stroke:#6b4fb0}
.dg .onPremises>rect{fill:#f2f2f2;stroke:#666}
.dg .apim>rect{fill:#e6f7fb;stroke:#127a94}
.dg .external>rect{fill:#fafafa;stroke:#999;stroke-dasharray:4 3}
.dg .vnet>rect{fill:#f7f9fc;stroke:#8aa0bd;stroke-width:1.6}
.dg .notes text{font-style:italic;fill:#5b3a00}
.dg .node text.title{font-weight:600}
.dg .finding>rect{fill:#fde8e8;stroke:#c0392b;stroke-width:3}
.dg .finding.warning>rect{fill:#fff4e0;stroke:#b54708}
.dg .finding.info>rect{fill:#e8f1fd;stroke:#175cd3;stroke-width:2}
.dg .finding text.mark{fill:#a11d12;font-weight:600}
.dg .finding.warning text.mark{fill:#8a3a06}
.dg .finding.info text.mark{fill:#175cd3}
.dg .edge path{fill:none;stroke:#5d6b7e;stroke-width:1.3}
.dg .edge.dashed path{stroke-dasharray:6 4}
.dg .edge.finding path{stroke:#c0392b;stroke-width:2.5}
.dg .edge.finding.warning path{stroke:#b54708}
.dg .edge.finding.info path{stroke:#175cd3}
.dg .edge rect{fill:#fff;fill-opacity:.85;stroke:none}
.dg .edge text{font-size:11px;fill:#3b4757}
.dg .subnet{cursor:pointer}
.dg .subnet:focus>rect,.dg .subnet.selected>rect{stroke:#d35400;stroke-width:3}
`;

/** `finding` plus the worst severity (`error` red, `warning` amber, `info` blue). */
function markClass(marks: NodeMark[]): string {
  const worst = worstSeverity(marks);
  return worst ? ` finding ${worst}` : "";
}

function textBlock(lines: string[], x: number, y: number, line: number, titleFirst: boolean, marks: number): string {
  return lines
    .map((text, i) => {
      const cls = i === 0 && titleFirst ? "title" : i >= lines.length - marks ? "mark" : "line";
      return `<text class="${cls}" x="${x.toFixed(1)}" y="${(y + (i + 1) * line - 3).toFixed(1)}">${escapeHtml(inert(text))}</text>`;
    })
    .join("");
}

function tooltip(lines: string[]): string {
  return `<title>${escapeHtml(lines.map(inert).join("\n"))}</title>`;
}

/** The SVG text of a laid-out diagram. */
export function printSvg(layout: DiagramLayout, options: SvgOptions = {}): string {
  const width = layout.width + 2;
  const height = layout.height + 2;
  const out: string[] = [];
  if (!options.inline) out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="dg" role="img" width="${width}" height="${height}" viewBox="-1 -1 ${width} ${height}">`,
  );
  out.push(`<title>${escapeHtml(options.title ?? "Network diagram")}</title>`);
  out.push(`<style>${STYLE}</style>`);
  out.push(
    '<defs><marker id="dg-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#5d6b7e"/></marker></defs>',
  );
  if (layout.notes && layout.notes.length > 0)
    out.push(`<g class="notes">${textBlock(layout.notes, 0, 0, METRICS.lineHeight, false, 0)}</g>`);
  for (const g of layout.groups) {
    const lines = groupLines(g.group);
    out.push(
      `<g class="group${markClass(g.group.marks)}" data-id="${escapeHtml(g.group.id)}">${tooltip(lines)}` +
        `<rect x="${g.x}" y="${g.y}" width="${g.width}" height="${g.height}" rx="8"/>` +
        textBlock(lines, g.x + 10, g.y + 4, METRICS.lineHeight, true, g.group.marks.length) +
        "</g>",
    );
  }
  for (const e of layout.edges) {
    if (e.points.length < 2) continue;
    const d = e.points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join("");
    const start = e.edge.arrow === "both" ? ' marker-start="url(#dg-arrow)"' : "";
    const end = e.edge.arrow !== "none" ? ' marker-end="url(#dg-arrow)"' : "";
    const cls = `edge ${escapeHtml(e.edge.kind)}${e.edge.dashed ? " dashed" : ""}${markClass(e.edge.marks)}`;
    const lines = edgeLines(e.edge);
    let label = "";
    if (e.label) {
      label =
        `<rect x="${e.label.x}" y="${e.label.y}" width="${e.label.width}" height="${e.label.height}"/>` +
        textBlock(lines, e.label.x, e.label.y, METRICS.labelLine, false, e.edge.marks.length);
    }
    out.push(
      `<g class="${cls}" data-id="${escapeHtml(e.edge.id)}">${tooltip(lines)}<path d="${d}"${start}${end}/>${label}</g>`,
    );
  }
  for (const n of layout.nodes) {
    const lines = nodeLines(n.node);
    const subnet = n.node.kind === "subnet" ? ` data-subnet="${escapeHtml(n.node.id)}" tabindex="0" role="button"` : "";
    out.push(
      `<g class="node ${escapeHtml(n.node.kind)}${markClass(n.node.marks)}" data-id="${escapeHtml(n.node.id)}"${subnet}>${tooltip(lines)}` +
        `<rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="${n.node.kind === "apim" ? 14 : 4}"/>` +
        textBlock(lines, n.x + METRICS.padX, n.y + METRICS.padY, METRICS.lineHeight, true, n.node.marks.length) +
        "</g>",
    );
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
