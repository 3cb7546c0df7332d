/**
 * Benchmark: `apim-netcheck report` on a large generated estate (bench/gen-template.mjs: 200 VNets of 8
 * subnets, each VNet with an NSG of 40 rules and a route table of 20 routes), through the compiled CLI in
 * dist/ (run `npm run build` first). Times each phase of the pipeline (load, checks, routes/rules/flow data
 * per subnet, diagram layout, HTML) and the whole command in a child process, and reports the HTML file's
 * size and what it holds. Exports `run()` for the bench harness; runs on its own when executed directly.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runChecks } from "../dist/checks/run.js";
import { loadAnalysis } from "../dist/cli/context.js";
import { EngineContext } from "../dist/engine/reach/context.js";
import { layoutDiagram } from "../dist/report/diagram/layout.js";
import { printSvg } from "../dist/report/diagram/svg.js";
import { buildReportView } from "../dist/report/html/data.js";
import { formatHtml } from "../dist/report/html/page.js";
import { generateTemplate } from "./gen-template.mjs";

const VNETS = 200;
const here = dirname(fileURLToPath(import.meta.url));

/** A generated template with `vnets` groups (gen-template sizes by bytes: probe once, then aim). */
function estate(vnets) {
  const target = vnets * generateTemplate(1).text.length;
  const groups = generateTemplate(target).resources / 3;
  return generateTemplate(Math.round((vnets * target) / groups));
}

function ms(t0) {
  return Math.round(performance.now() - t0);
}

/** CPU milliseconds since `c0` (user + system): the figure that does not depend on other load. */
function cpu(c0) {
  const d = process.cpuUsage(c0);
  return Math.round((d.user + d.system) / 1000);
}

export const title = "report: HTML report of a generated estate";

/** Runs the benchmark; `quick` uses 50 VNets. */
export async function run({ print = true, quick = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-report-bench-"));
  try {
    const generated = estate(quick ? VNETS / 4 : VNETS);
    const input = join(dir, "estate.json");
    writeFileSync(input, generated.text);

    let t0 = performance.now();
    let c0 = process.cpuUsage();
    const analysis = loadAnalysis([input], {});
    const load = [ms(t0), cpu(c0)];
    const engine = new EngineContext(analysis.topology, analysis.catalog);
    t0 = performance.now();
    c0 = process.cpuUsage();
    const findings = runChecks(engine);
    const checks = [ms(t0), cpu(c0)];
    t0 = performance.now();
    c0 = process.cpuUsage();
    const view = buildReportView(engine, findings);
    const data = [ms(t0), cpu(c0)];
    t0 = performance.now();
    c0 = process.cpuUsage();
    const svg = printSvg(await layoutDiagram(view.graph), { inline: true });
    const layout = [ms(t0), cpu(c0)];
    t0 = performance.now();
    c0 = process.cpuUsage();
    const ctx = {
      toolVersion: "bench",
      checks: [],
      inputs: analysis.model.inputs,
      unmodeled: [],
      assumptions: [],
      diagnostics: [],
      serviceTags: analysis.catalog.meta,
    };
    const html = formatHtml(findings, ctx, view, svg, { title: "estate.json" });
    const page = [ms(t0), cpu(c0)];

    const out = join(dir, "report.html");
    t0 = performance.now();
    execFileSync(process.execPath, [join(here, "../bin/apim-netcheck"), "report", input, "--out", out], {
      stdio: "ignore",
    });
    const commandMs = ms(t0);
    const model = analysis.model;
    const figures = {
      name: title,
      inputMegabytes: Math.round((generated.text.length / 1024 / 1024) * 10) / 10,
      vnets: model.virtualNetworks.length,
      subnets: model.virtualNetworks.reduce((n, v) => n + v.subnets.length, 0),
      nsgRules: model.networkSecurityGroups.reduce((n, g) => n + g.securityRules.length, 0),
      routes: model.routeTables.reduce((n, t) => n + t.routes.length, 0),
      findings: findings.length,
      diagramNodes: view.graph.nodes.length,
      diagramEdges: view.graph.edges.length,
      // Wall and CPU milliseconds of each phase, in process.
      loadMs: load.join(" / "),
      checksMs: checks.join(" / "),
      routesRulesFlowDataMs: data.join(" / "),
      layoutAndSvgMs: layout.join(" / "),
      htmlMs: page.join(" / "),
      commandSeconds: Math.round(commandMs / 100) / 10,
      htmlMegabytes: Math.round((statSync(out).size / 1024 / 1024) * 10) / 10,
      inProcessHtmlMegabytes: Math.round((Buffer.byteLength(html) / 1024 / 1024) * 10) / 10,
      svgMegabytes: Math.round((Buffer.byteLength(svg) / 1024 / 1024) * 10) / 10,
      embeddedDataMegabytes: Math.round((JSON.stringify(view.data).length / 1024 / 1024) * 10) / 10,
    };
    if (print) console.log(figures);
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run();
