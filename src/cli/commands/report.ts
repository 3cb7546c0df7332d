/**
 * @module cli/commands/report
 * CLI layer: `apim-netcheck report <inputs...> --out report.html`: runs the check pack and writes one HTML
 * file that works offline: the diagram, the findings with evidence and fixes, effective routes and NSG rules
 * per subnet, and a flow tester that answers in the page. Progress goes to stderr when it is a terminal.
 */
import type { Command } from "commander";
import { EngineContext } from "../../engine/reach/context.js";
import { layoutDiagram } from "../../report/diagram/layout.js";
import { printSvg } from "../../report/diagram/svg.js";
import { buildReportView } from "../../report/html/data.js";
import { formatHtml } from "../../report/html/page.js";
import { inert } from "../../report/inert.js";
import { type CommonOptions, loadAnalysis, printDiagnostics, withCommonOptions } from "../context.js";
import { type CliIo, type CommandRegistration, UsageError } from "../main.js";
import { checkOutTarget, readPaths, writeOutFile } from "../out-file.js";
import { progressTerminal } from "../terminal.js";
import { checkAnalysis, reportContext, shownAsFinding } from "./check.js";
import { platformOption } from "./diagram.js";

interface ReportOptions extends CommonOptions {
  out?: string;
  platform?: string;
  full?: boolean;
}

async function run(io: CliIo, inputs: string[], options: ReportOptions): Promise<number> {
  if (options.out === undefined) throw new UsageError("--out <file> is required (the report is one HTML file)");
  checkOutTarget(options.out);
  const platform = platformOption(options.platform);
  const started = Date.now();
  // Progress lines only for a person watching: on a terminal, never in a pipe, a file or CI logs.
  const step = (what: string) => {
    if (progressTerminal(io)) io.err(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${what}\n`);
  };
  const analysis = loadAnalysis(inputs, options);
  printDiagnostics(io, analysis.model.diagnostics, false, shownAsFinding());
  if (analysis.units.length > 1)
    throw new UsageError(
      `a report draws one network, and the inputs form ${analysis.units.length} deployment units (${analysis.units.map((u) => u.label).join("; ")}); write one report per unit (check compares them all)`,
    );
  step(`loaded ${analysis.model.virtualNetworks.length} VNets, ${analysis.model.networkSecurityGroups.length} NSGs`);
  const engine = new EngineContext(analysis.topology, analysis.catalog);
  const { findings, assumptions } = checkAnalysis(analysis, { platform });
  const ctx = reportContext(analysis, assumptions);
  step(`${findings.length} finding(s); computing routes and rules per subnet`);
  const view = buildReportView(engine, findings, { fullDiagram: options.full === true });
  // A summary view is part of the result, not progress: said wherever stderr goes.
  if (view.graph.summary) io.err(`report: ${view.graph.summary.lines[0]} (--full draws every subnet)\n`);
  for (const line of view.page.lines) io.err(`report: ${line}\n`);
  step(`laying out the diagram (${view.graph.nodes.length} nodes, ${view.graph.edges.length} edges)`);
  const svg = printSvg(await layoutDiagram(view.graph), { inline: true, title: "Network diagram" });
  const html = formatHtml(findings, ctx, view, svg, { title: inputs.join(", ") });
  const where = writeOutFile(io, options.out, html, readPaths(inputs, analysis, options));
  // What was written is the result, not progress: said wherever stderr goes.
  io.err(`wrote ${inert(where)} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)\n`);
  return 0;
}

/** Registers `report`. */
export const reportCommand: CommandRegistration = (program: Command, io, setExit) => {
  withCommonOptions(
    program
      .command("report")
      .description("write one self-contained HTML report: diagram, findings, routes and rules, a flow tester")
      .argument("<inputs...>", "templates, exports or directories")
      .requiredOption("--out <file>", "the HTML file to write (- for stdout); never one of the inputs")
      .option("--platform <stv1|stv2>", "compute platform for the checks when the inputs do not say")
      .option(
        "--full",
        "draw every subnet in the diagram and write every finding and NSG rule, even when the network is large enough for the summary view",
      )
      .addHelpText("after", "\nExample:\n  apim-netcheck report examples/forced-tunnel --out report.html\n"),
  ).action(async (inputs: string[], options: ReportOptions) => {
    setExit(await run(io, inputs, options));
  });
};
