/**
 * Benchmark: `apim-netcheck diagram` (Mermaid and SVG) on generated hub-and-spoke estates of 8,000 and 80,000
 * subnets (`--quick`: 800 and 8,000): one hub peered both ways with every spoke, each VNet with 8 subnets, an
 * NSG of 2 rules and a route table, and one finding per NSG (on its first rule, with the subnets as evidence)
 * so marking is measured too. Times, in CPU milliseconds of this process (the figure other load disturbs
 * least), each step after loading: the graph with its marks, the summary view, the Mermaid text, the layout
 * and the SVG text, and Mermaid of the full graph (`--full`); then the growth ratio from the small size to the
 * large one (10x the subnets; issue 11's target: at most 12). BENCH_DIAGRAM_VNETS sets other sizes (VNets). The compiled code comes from dist/ (run
 * `npm run build` first), or from BENCH_DIST (another build's dist folder, to measure before and after).
 * Exports `run()` for the bench harness; runs on its own when executed directly.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { hubAndSpoke } from "./gen-hub-spoke.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(process.env.BENCH_DIST ?? join(here, "../dist"));
const load = (path) => import(pathToFileURL(join(DIST, path)).href);

export const title = "diagram: graph, Mermaid and SVG of hub-and-spoke estates";

const SUBNETS = 8;

/** One finding per NSG, on its first rule, with the NSG's subnets as evidence (as NSG checks write them). */
function findingsFor(model) {
  const subnetsOf = new Map();
  for (const v of model.virtualNetworks)
    for (const s of v.subnets) {
      const key = s.networkSecurityGroup?.id?.toLowerCase();
      if (key) subnetsOf.set(key, [...(subnetsOf.get(key) ?? []), s.id]);
    }
  return model.networkSecurityGroups.map((nsg) => ({
    id: "BENCH-FINDING",
    severity: "warning",
    title: "bench",
    message: "bench",
    resource: nsg.securityRules[0].id,
    location: { file: "estate.json", line: 1 },
    evidence: (subnetsOf.get(nsg.id.toLowerCase()) ?? []).map((id) => ({
      kind: "resource",
      text: "subnet",
      resource: id,
    })),
    fix: [],
  }));
}

/** CPU milliseconds of `fn` (user + system), and its result. */
async function cpu(fn) {
  if (typeof globalThis.gc === "function") globalThis.gc();
  const c0 = process.cpuUsage();
  const result = await fn();
  const d = process.cpuUsage(c0);
  return { ms: Math.round((d.user + d.system) / 1000), result };
}

async function measure(vnets, dir, mods) {
  const { loadAnalysis, buildDiagram, summarizeGraph, printMermaid, layoutDiagram, printSvg } = mods;
  const file = join(dir, `estate-${vnets}.json`);
  writeFileSync(file, hubAndSpoke(vnets, SUBNETS));
  const loaded = await cpu(() => loadAnalysis([file], {}));
  const analysis = loaded.result;
  const findings = findingsFor(analysis.model);
  const graph = await cpu(() => buildDiagram(analysis.topology, findings));
  const summary = await cpu(() => summarizeGraph(graph.result));
  const mermaid = await cpu(() => printMermaid(summary.result));
  const layout = await cpu(() => layoutDiagram(summary.result));
  const svg = await cpu(() => printSvg(layout.result));
  const fullMermaid = await cpu(() => printMermaid(graph.result));
  rmSync(file);
  const boxes = (g) => g.groups.length + g.nodes.length;
  return {
    subnets: vnets * SUBNETS,
    loadMs: loaded.ms,
    boxes: boxes(graph.result),
    drawnBoxes: boxes(summary.result),
    graphMs: graph.ms,
    summaryMs: summary.ms,
    mermaidMs: mermaid.ms,
    layoutMs: layout.ms,
    svgMs: svg.ms,
    diagramMermaidMs: graph.ms + summary.ms + mermaid.ms,
    diagramSvgMs: graph.ms + summary.ms + layout.ms + svg.ms,
    fullMermaidMs: graph.ms + fullMermaid.ms,
    mermaidKiB: Math.round(mermaid.result.length / 1024),
    svgKiB: Math.round(svg.result.length / 1024),
  };
}

/** Runs the benchmark; `quick` measures 800 and 8,000 subnets. */
export async function run({ print = true, quick = false } = {}) {
  const [loadAnalysis, graph, summary, mermaid, layout, svg] = await Promise.all([
    load("cli/context.js"),
    load("report/diagram/graph.js"),
    // A build from before the summary view has none: it draws everything.
    load("report/diagram/summary.js").catch(() => ({ summarizeGraph: (g) => g })),
    load("report/diagram/mermaid.js"),
    load("report/diagram/layout.js"),
    load("report/diagram/svg.js"),
  ]);
  const mods = {
    loadAnalysis: loadAnalysis.loadAnalysis,
    buildDiagram: graph.buildDiagram,
    summarizeGraph: summary.summarizeGraph,
    printMermaid: mermaid.printMermaid,
    layoutDiagram: layout.layoutDiagram,
    printSvg: svg.printSvg,
  };
  const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-diagram-bench-"));
  try {
    // BENCH_DIAGRAM_VNETS=1000,5000 measures other sizes (a build from before cannot draw 80,000 subnets).
    const sizes = process.env.BENCH_DIAGRAM_VNETS?.split(",").map(Number) ?? (quick ? [100, 1000] : [1000, 10000]);
    const rows = [];
    for (const vnets of sizes) rows.push(await measure(vnets, dir, mods));
    const small = rows[0];
    const large = rows.at(-1);
    const ratio = (k) => Math.round((large[k] / Math.max(1, small[k])) * 10) / 10;
    const columns = Object.keys(small);
    const table = {
      columns,
      rows: rows.map((r) => columns.map((c) => r[c])),
      notes: [
        `Growth from ${small.subnets.toLocaleString("en-US")} to ${large.subnets.toLocaleString("en-US")} subnets (x${large.subnets / small.subnets}), CPU time: diagram Mermaid x${ratio("diagramMermaidMs")}, diagram SVG x${ratio("diagramSvgMs")}, Mermaid of the full graph x${ratio("fullMermaidMs")}, graph x${ratio("graphMs")} (issue 11 target: at most 12).`,
        `Compiled code from ${DIST}. Above ${small.drawnBoxes < small.boxes ? "the summary threshold each VNet is drawn as one box" : "nothing: this build draws everything"}.`,
      ],
    };
    if (print) {
      console.table(rows);
      for (const n of table.notes) console.log(n);
    }
    return table;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  await run({ quick: process.argv.includes("--quick") });
