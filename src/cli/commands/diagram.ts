/**
 * @module cli/commands/diagram
 * CLI layer: `apim-netcheck diagram <inputs...> [--format mermaid|svg] [--out FILE]`: the network as a
 * picture (VNets, subnets, NSGs, route tables, peerings with state and flags, gateways and on-premises, API
 * Management instances and backends), with the check pack's findings marked on what they concern. Mermaid
 * for docs and GitHub, SVG laid out by elkjs. Written to stdout unless --out names a file (cli/out-file).
 * Above report/diagram/summary's threshold the picture is a summary view (one box per VNet), which the
 * picture and stderr both say; --full draws everything.
 */
import type { Command } from "commander";
import type { Platform } from "../../checks/requirements.js";
import { runChecks } from "../../checks/run.js";
import type { Finding } from "../../checks/types.js";
import { EngineContext } from "../../engine/reach/context.js";
import { buildDiagram, joinGraphs } from "../../report/diagram/graph.js";
import { layoutDiagram } from "../../report/diagram/layout.js";
import { printMermaid } from "../../report/diagram/mermaid.js";
import { summarizeGraph } from "../../report/diagram/summary.js";
import { printSvg } from "../../report/diagram/svg.js";
import { inert } from "../../report/inert.js";
import { type CommonOptions, loadAnalysis, printDiagnostics, withCommonOptions } from "../context.js";
import { type CliIo, type CommandRegistration, UsageError } from "../main.js";
import { checkOutTarget, readPaths, STDOUT, writeOutFile } from "../out-file.js";

interface DiagramOptions extends CommonOptions {
  out?: string;
  platform?: string;
  findings: boolean;
  full?: boolean;
}

/** `--platform` as the check command reads it. */
export function platformOption(value: string | undefined): Platform | undefined {
  const platform = value?.toLowerCase();
  if (platform !== undefined && platform !== "stv1" && platform !== "stv2")
    throw new UsageError("--platform must be stv1 or stv2");
  return platform as Platform | undefined;
}

async function run(io: CliIo, inputs: string[], options: DiagramOptions): Promise<number> {
  const format = (options.format ?? "mermaid").toLowerCase();
  if (format !== "mermaid" && format !== "svg")
    throw new UsageError(`--format must be mermaid or svg, not ${options.format}`);
  const platform = platformOption(options.platform);
  if (options.out !== undefined) checkOutTarget(options.out);
  const analysis = loadAnalysis(inputs, options);
  printDiagnostics(io, analysis.model.diagnostics);
  const graphs = analysis.units.map((unit) => {
    const engine = new EngineContext(unit.topology, unit.catalog);
    const findings: Finding[] = options.findings ? runChecks(engine, { platform }) : [];
    return { label: unit.label, graph: buildDiagram(unit.topology, findings) };
  });
  const joined = graphs.length === 1 ? graphs[0]!.graph : joinGraphs(graphs);
  const graph = options.full ? joined : summarizeGraph(joined);
  if (graph.summary) io.err(`diagram: ${graph.summary.lines[0]} (--full draws every subnet)\n`);
  const text =
    format === "mermaid"
      ? printMermaid(graph)
      : printSvg(await layoutDiagram(graph), { title: `Network of ${inputs.join(", ")}` });
  if (options.out === undefined || options.out === STDOUT) io.out(text);
  else {
    writeOutFile(io, options.out, text, readPaths(inputs, analysis, options));
    io.err(
      `wrote ${inert(options.out)} (${graph.groups.length} VNets, ${graph.nodes.length} nodes, ${graph.edges.length} edges)\n`,
    );
  }
  return 0;
}

/** Registers `diagram`. */
export const diagramCommand: CommandRegistration = (program: Command, io, setExit) => {
  withCommonOptions(
    program
      .command("diagram")
      .description("draw the network (Mermaid or SVG) with the findings marked on what they concern")
      .argument("<inputs...>", "templates, exports or directories")
      .option("--format <format>", "mermaid or svg", "mermaid")
      .option("--out <file>", "write to this file instead of stdout (- for stdout); never one of the inputs")
      .option("--platform <stv1|stv2>", "compute platform for the checks when the inputs do not say")
      .option("--no-findings", "draw the network only, without running the checks")
      .option("--full", "draw every subnet even when the network is large enough for the summary view")
      .addHelpText(
        "after",
        "\nExamples:\n  apim-netcheck diagram examples/forced-tunnel > network.mmd\n  apim-netcheck diagram examples/forced-tunnel --format svg --out network.svg\n",
      ),
  ).action(async (inputs: string[], options: DiagramOptions) => {
    setExit(await run(io, inputs, options));
  });
};
