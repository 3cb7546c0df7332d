/**
 * Benchmark: `apim-netcheck report` on large generated estates (bench/gen-template.mjs: VNets of 8 subnets,
 * each VNet with an NSG of 40 rules and a route table of 20 routes) of 1,600 and 20,000 subnets (`--quick`:
 * 400 and 1,600). Times each phase of the pipeline in this process (load, checks, routes/rules/flow data per
 * subnet, diagram layout and SVG, HTML), wall and CPU milliseconds, and reports the page's size and what a
 * browser parses when it opens it (the page data) against what it parses only when a flow needs a VNet (the
 * flow tester's per-VNet blocks), what the page's bounds kept (VNets with rules, findings in full) and the
 * peak RSS. The `report` command runs the same phases after starting Node. The
 * compiled code comes from dist/ (run `npm run build` first), or from BENCH_DIST (another build's dist folder,
 * to measure before and after). Exports `run()` for the bench harness; runs on its own when executed directly.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateTemplate } from "./gen-template.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(process.env.BENCH_DIST ?? join(here, "../dist"));
const load = async (path) => import(pathToFileURL(join(DIST, path)).href);

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

export const title = "report: HTML report of generated estates";

const MB = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function measure(vnets, dir, m) {
  const generated = estate(vnets);
  const input = join(dir, `estate-${vnets}.json`);
  writeFileSync(input, generated.text);
  const phase = async (fn) => {
    if (typeof globalThis.gc === "function") globalThis.gc();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const result = await fn();
    return { result, wall: ms(t0), cpu: cpu(c0) };
  };
  const loaded = await phase(() => m.loadAnalysis([input], {}));
  const analysis = loaded.result;
  const engine = new m.EngineContext(analysis.topology, analysis.catalog);
  const checks = await phase(() => m.runChecks(engine));
  const findings = checks.result;
  const view = await phase(() => m.buildReportView(engine, findings));
  const layout = await phase(async () => m.printSvg(await m.layoutDiagram(view.result.graph), { inline: true }));
  const ctx = {
    toolVersion: "bench",
    checks: [],
    inputs: analysis.model.inputs,
    unmodeled: [],
    assumptions: [],
    diagnostics: [],
    serviceTags: analysis.catalog.meta,
  };
  const page = await phase(() => m.formatHtml(findings, ctx, view.result, layout.result, { title: "estate.json" }));
  rmSync(input);
  const html = page.result;
  const parts = view.result.flowParts ?? [];
  const partSizes = parts.map((p) => JSON.stringify(p).length);
  const phases = [loaded, checks, view, layout, page];
  return {
    subnets: analysis.model.virtualNetworks.reduce((n, v) => n + v.subnets.length, 0),
    inputMB: MB(generated.text.length),
    findings: findings.length,
    loadMs: `${loaded.wall} / ${loaded.cpu}`,
    checksMs: `${checks.wall} / ${checks.cpu}`,
    routesRulesFlowDataMs: `${view.wall} / ${view.cpu}`,
    layoutAndSvgMs: `${layout.wall} / ${layout.cpu}`,
    htmlMs: `${page.wall} / ${page.cpu}`,
    totalSeconds: `${(phases.reduce((a, p) => a + p.wall, 0) / 1000).toFixed(1)} / ${(phases.reduce((a, p) => a + p.cpu, 0) / 1000).toFixed(1)}`,
    summarised: view.result.graph.summary ? "yes" : "no",
    // The page's bounds (report/html/budget.ts): VNets whose rules it holds, findings shown in full.
    vnetsWithRules: view.result.page
      ? `${view.result.page.vnetsInFull.size}/${analysis.model.virtualNetworks.length}`
      : "all",
    findingsInFull: view.result.page ? `${view.result.page.findings.length}/${findings.length}` : "all",
    htmlMB: MB(Buffer.byteLength(html)),
    svgMB: MB(Buffer.byteLength(layout.result)),
    parsedOnOpenMB: MB(JSON.stringify(view.result.data).length),
    flowPartsMB: MB(partSizes.reduce((a, b) => a + b, 0)),
    largestPartKB: partSizes.length > 0 ? Math.round(Math.max(...partSizes) / 1024) : 0,
    // Peak resident memory of this process so far (the sizes run in order, so a row includes the ones before).
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** Runs the benchmark; `quick` measures 400 and 1,600 subnets. */
export async function run({ print = true, quick = false } = {}) {
  const [checks, context, engine, layout, svg, data, page] = await Promise.all(
    [
      "checks/run.js",
      "cli/context.js",
      "engine/reach/context.js",
      "report/diagram/layout.js",
      "report/diagram/svg.js",
      "report/html/data.js",
      "report/html/page.js",
    ].map(load),
  );
  const m = {
    runChecks: checks.runChecks,
    loadAnalysis: context.loadAnalysis,
    EngineContext: engine.EngineContext,
    layoutDiagram: layout.layoutDiagram,
    printSvg: svg.printSvg,
    buildReportView: data.buildReportView,
    formatHtml: page.formatHtml,
  };
  const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-report-bench-"));
  try {
    // BENCH_REPORT_VNETS=200,2500 measures other sizes (VNets of 8 subnets).
    const sizes = process.env.BENCH_REPORT_VNETS?.split(",").map(Number) ?? (quick ? [50, 200] : [200, 2500]);
    const rows = [];
    for (const vnets of sizes) rows.push(await measure(vnets, dir, m));
    if (print) console.table(rows);
    return {
      columns: Object.keys(rows[0]),
      rows: rows.map((r) => Object.values(r)),
      notes: [
        `Times are wall / CPU milliseconds in this process (totalSeconds: their sum; the report command adds Node's start). parsedOnOpenMB is the page data a browser parses when the page opens; flowPartsMB the flow tester's per-VNet blocks, each parsed the first time a flow needs its VNet. Compiled code from ${DIST}.`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  await run({ quick: process.argv.includes("--quick") });
