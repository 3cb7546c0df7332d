/**
 * @module report/html/page
 * Report layer: `report --out report.html`, one self-contained page that works offline. It holds the inline
 * SVG diagram, the findings with evidence and fixes, the subnets (click one for its effective routes and NSG
 * rules), a flow tester that answers in the page, and what the answers rest on (inputs, assumptions,
 * unmodeled resources, warnings). Nothing is fetched when it is opened: styles and scripts are inline, and
 * a Content-Security-Policy allows only this page's own scripts (by hash) and no connections at all, so even
 * a text that escaped escaping could not run or call out. Every string is written through escapeHtml(); the
 * data for the script is a JSON block that cannot close its element. The flow tester's rules are one such
 * block per VNet (`flow-vnet-<n>`), parsed only when a flow needs that VNet, and each NSG's rule table is one
 * (`nsg-table-<n>`), parsed when a subnet shows it, so a large estate's page opens without parsing them all
 * (still one file, nothing fetched). Pure: (findings, ctx, view, svg) => html.
 */
import { createHash } from "node:crypto";
import type { Finding } from "../../checks/types.js";
import { describeServiceTags } from "../../engine/servicetags/catalog.js";
import { formatSource } from "../../model/source.js";
import { type ReportContext, summarize } from "../context.js";
import { createAddressTools } from "./client/addresses.js";
import { createFlowTester } from "./client/evaluate.js";
import { createNsgEvaluator } from "./client/nsg-eval.js";
import { startReport } from "./client/ui.js";
import type { ReportView } from "./data.js";
import { escapeHtml, jsonForScript } from "./escape.js";
import { REPORT_CSS } from "./styles.js";

export interface HtmlOptions {
  /** The page title (e.g. the inputs' names). */
  title: string;
}

function where(loc: { file: string; line: number; column?: number }): string {
  return loc.line ? `${loc.file}:${loc.line}${loc.column ? `:${loc.column}` : ""}` : loc.file;
}

function findingHtml(f: Finding): string {
  const evidence = f.evidence
    .map(
      (e) =>
        `<li>${escapeHtml(e.text)}${e.location ? ` <span class="where">${escapeHtml(where(e.location))}</span>` : ""}</li>`,
    )
    .join("");
  const fixes = f.fix
    .map((x) => `<details><summary>Fix (${escapeHtml(x.kind)})</summary><pre>${escapeHtml(x.text)}</pre></details>`)
    .join("");
  // Collapsed to one line each (severity, id, title, instance); a click opens evidence and fixes.
  return `<details class="finding ${escapeHtml(f.severity)}">
<summary><span class="badge sev-${escapeHtml(f.severity)}">${escapeHtml(f.severity)}</span><strong>${escapeHtml(f.id)}</strong>: ${escapeHtml(f.title)}${f.instance ? ` <span class="where">${escapeHtml(f.instance)}</span>` : ""}</summary>
<p class="where">${escapeHtml(where(f.location))}</p>
<p>${escapeHtml(f.message)}</p>
${evidence ? `<h4>Evidence</h4><ul>${evidence}</ul>` : ""}${fixes}
</details>`;
}

function findingsHtml(findings: Finding[], counted: ReportView["page"]["counted"]): string {
  if (findings.length === 0 && counted.length === 0) return "<p>No findings.</p>";
  const more = counted.map(
    (c) =>
      `<p class="summary-note">and ${escapeHtml(c.count.toLocaleString("en-US"))} more ${escapeHtml(c.severity)} finding(s) of <strong>${escapeHtml(c.id)}</strong>, not shown in this page (apim-netcheck check --format json lists them all)</p>`,
  );
  return [...findings.map(findingHtml), ...more].join("\n");
}

function contextHtml(ctx: ReportContext): string {
  const inputs = ctx.inputs
    .map(
      (i) =>
        `<li>${escapeHtml(i.file)} (${escapeHtml(i.format)}, ${escapeHtml(i.status)}, ${escapeHtml(i.resources)} resources)</li>`,
    )
    .join("");
  const assumptions = ctx.assumptions.map((a) => `<li>${escapeHtml(a)}</li>`).join("");
  const unmodeled = ctx.unmodeled
    .map(
      (u) =>
        `<li>${escapeHtml(u.type)} ${escapeHtml(u.name)} <span class="where">${escapeHtml(formatSource(u.src))}</span></li>`,
    )
    .join("");
  const diagnostics = ctx.diagnostics
    .filter((d) => d.severity !== "info")
    .map(
      (d) =>
        `<li>${escapeHtml(d.severity)} ${escapeHtml(d.code)}: ${escapeHtml(d.message)} <span class="where">${escapeHtml(formatSource(d.src))}</span></li>`,
    )
    .join("");
  return `<h3>Inputs</h3><ul>${inputs}</ul>
<p>${escapeHtml(describeServiceTags(ctx.serviceTags))}</p>
${assumptions ? `<h3>Assumed</h3><ul>${assumptions}</ul>` : ""}
${unmodeled ? `<h3>Not modelled (listed, not analysed)</h3><ul>${unmodeled}</ul>` : ""}
${diagnostics ? `<h3>Warnings</h3><ul>${diagnostics}</ul>` : ""}`;
}

function flowFormHtml(view: ReportView): string {
  const options = [
    ...view.data.subnets.map((s) => s.label),
    ...Object.values(view.data.flow.tags).map((t) => t.name),
    "VirtualNetwork",
    "AzureLoadBalancer",
    "Internet",
  ]
    .map((v) => `<option value="${escapeHtml(v)}"></option>`)
    .join("");
  const protocols = view.data.flow.protocols.map((p) => `<option>${escapeHtml(p)}</option>`).join("");
  return `<p>Does the NSG path allow a flow? Ends are an IP address, <code>vnet/subnet</code> (its first usable address), a CIDR or a service tag; the answer is computed here in the page from the same rules the CLI uses (<code>apim-netcheck flow</code>). Tags resolved: ${escapeHtml(view.data.flow.tagSource)}.</p>
<form id="flow-form" class="flow" autocomplete="off">
<label>From<input id="flow-from" list="flow-ends" required></label>
<label>To<input id="flow-to" list="flow-ends" required></label>
<label>Protocol<select id="flow-protocol">${protocols}</select></label>
<label>Destination port<input id="flow-port" placeholder="443 or *" size="8"></label>
<label>Source port<input id="flow-source-port" placeholder="*" size="8"></label>
<button type="submit" id="flow-check">Check</button>
<datalist id="flow-ends">${options}</datalist>
</form>
<div id="flow-result" aria-live="polite"></div>`;
}

/** The page's script: the flow tester and the UI, from their source text, started on the embedded data. */
export function pageScript(): string {
  return `"use strict";
(function () {
const createAddressTools = ${createAddressTools.toString()};
const createNsgEvaluator = ${createNsgEvaluator.toString()};
const createFlowTester = ${createFlowTester.toString()};
const startReport = ${startReport.toString()};
const data = JSON.parse(document.getElementById("report-data").textContent);
const tools = createAddressTools();
// A VNet's rules are parsed from their own element the first time a flow needs them.
const loadPart = (i) => JSON.parse(document.getElementById("flow-vnet-" + i).textContent);
const tester = createFlowTester(data.flow, tools, (t) => createNsgEvaluator(t, tools), loadPart);
startReport(document, data, tester);
// For scripting the page (and its browser test): window.apimNetcheck.checkFlow({ from, to, protocol, port }).
window.apimNetcheck = Object.freeze({ checkFlow: (q) => tester.check(q) });
})();`;
}

/** The whole report page. */
export function formatHtml(
  findings: Finding[],
  ctx: ReportContext,
  view: ReportView,
  svg: string,
  options: HtmlOptions,
): string {
  const s = summarize(findings);
  const script = pageScript();
  // The script is inline: it must not be able to end its own element.
  if (/<\/script|<!--/i.test(script)) throw new Error("the page script contains </script or <!--");
  const hash = createHash("sha256").update(script, "utf8").digest("base64");
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'`;
  // What the page's bounds left out (budget.ts), said at the top, before anything it concerns.
  const bounded =
    view.page.lines.length > 0
      ? `<section class="block summary-note" id="page-summary"><h2>Summary view</h2>${view.page.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("")}</section>\n`
      : "";
  const summary = view.graph.summary
    ? `<div class="summary-note" id="diagram-summary">${view.graph.summary.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("")}<p>The subnet list and the flow tester below hold every subnet; <code>apim-netcheck report --full</code> draws them all in the diagram.</p></div>\n`
    : "";
  const flowParts = view.flowParts
    .map((p, i) => `<script type="application/json" id="flow-vnet-${i}">${jsonForScript(p)}</script>`)
    .join("\n");
  const nsgTables = view.nsgTables
    .map((t, i) => `<script type="application/json" id="nsg-table-${i}">${jsonForScript(t)}</script>`)
    .join("\n");
  const subnetButtons = view.data.subnets
    .map((sub) => `<button type="button" data-subnet="${escapeHtml(sub.key)}">${escapeHtml(sub.label)}</button>`)
    .join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`apim-netcheck report: ${options.title}`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>apim-netcheck report</h1>
<p>${escapeHtml(options.title)}</p>
<p class="summary"><span class="sev-error">${s.error} error(s)</span><span class="sev-warning">${s.warning} warning(s)</span><span class="sev-info">${s.info} info</span></p>
</header>
<main>
${bounded}<section class="block" id="diagram"><h2>Network</h2>
<p>VNets with their subnets, NSGs and route tables; peerings with their state and flags (dashed when not Connected); objects a finding concerns are marked with its check id (red: error, amber: warning, blue: info). Click a subnet for its routes and rules.</p>
${summary}<p><button type="button" id="diagram-zoom" aria-pressed="false">Actual size</button></p>
<div class="diagram fit" id="diagram-box">${svg}</div></section>
<section class="block" id="findings"><h2>Findings</h2>${findingsHtml(view.page.findings, view.page.counted)}</section>
<section class="block" id="subnets"><h2>Subnets: effective routes and NSG rules</h2>
<div class="subnets" role="list">${subnetButtons}</div>
<div id="subnet-detail" hidden><p>Click a subnet.</p></div></section>
<section class="block" id="flow"><h2>Flow tester</h2>${flowFormHtml(view)}</section>
<section class="block" id="context"><h2>What this rests on</h2>${contextHtml(ctx)}</section>
</main>
<footer>apim-netcheck ${escapeHtml(ctx.toolVersion)}. This file loads nothing from the network.</footer>
<script type="application/json" id="report-data">${jsonForScript(view.data)}</script>
${flowParts}
${nsgTables}
<script>${script}</script>
</body>
</html>
`;
}
