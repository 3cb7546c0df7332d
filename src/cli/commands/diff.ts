/**
 * @module cli/commands/diff
 * CLI layer: `apim-netcheck diff <before...> --to <after...>`, the check pack run on two input sets (the
 * configuration now and a proposed change, or a template and an export) and what changes between them: findings
 * that appear or disappear (checks/compare) and requirement flows whose NSG verdict or next hops change.
 * Exit 0 when no finding at or above --fail-on (default error) appears on the after side, 1 when one does (so
 * a pipeline fails on a change that makes things worse, whatever was broken before), 2 on input or usage errors.
 * Flow changes alone never fail the run: a flow that matters gives a finding too.
 */
import type { Command } from "commander";
import { diffFindings, diffFlows } from "../../checks/compare.js";
import type { Platform } from "../../checks/requirements.js";
import { checkContext } from "../../checks/run.js";
import { requirementFlows } from "../../checks/util/flows.js";
import { EngineContext } from "../../engine/reach/context.js";
import { formatDiffJson, formatDiffText } from "../../report/diff.js";
import { type CommonOptions, loadAnalysis, printDiagnostics, withCommonOptions } from "../context.js";
import { type CommandRegistration, UsageError } from "../main.js";
import { checkAnalysis, exitCodeFor, shownAsFinding } from "./check.js";

interface DiffOptions extends CommonOptions {
  to: string[];
  failOn: string;
  platform?: string;
  verbose?: boolean;
}

const FAIL_ON = ["error", "warning", "info", "never"];

/** Findings and flows of one input set. */
function side(inputs: string[], options: DiffOptions, platform: Platform | undefined) {
  const analysis = loadAnalysis(inputs, options);
  const flows = analysis.units.flatMap((unit) => {
    const rows = requirementFlows(checkContext(new EngineContext(unit.topology, unit.catalog), { platform }));
    // The units of one side may reuse names: a flow is keyed by its unit as well.
    return unit.label ? rows.map((r) => ({ ...r, placementKey: `${unit.label}|${r.placementKey}` })) : rows;
  });
  return { analysis, findings: checkAnalysis(analysis, { platform }).findings, flows };
}

/** Registers `diff`. */
export const diffCommand: CommandRegistration = (program: Command, io, setExit) => {
  withCommonOptions(
    program
      .command("diff")
      .description(
        "what changes between two input sets: findings that appear or disappear, flows whose verdict changes",
      )
      .argument("<before...>", "the inputs as they are (templates, exports or directories)")
      .requiredOption("--to <after...>", "the inputs after the change")
      .option("--format <format>", "text or json", "text")
      .option(
        "--fail-on <severity>",
        "exit 1 when a finding at or above this appears: error, warning, info, never",
        "error",
      )
      .option("--platform <stv1|stv2>", "compute platform when the inputs do not say (default: assume stv2)")
      .option("-v, --verbose", "info diagnostics of the inputs too")
      .addHelpText("after", "\nExample:\n  apim-netcheck diff infra/ --to infra-proposed/ --fail-on warning\n"),
  ).action((before: string[], options: DiffOptions) => {
    const format = (options.format ?? "text").toLowerCase();
    if (!["text", "json"].includes(format))
      throw new UsageError(`--format must be text or json, not ${options.format}`);
    if (!FAIL_ON.includes(options.failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(", ")}`);
    const platform = options.platform?.toLowerCase();
    if (platform !== undefined && platform !== "stv1" && platform !== "stv2")
      throw new UsageError("--platform must be stv1 or stv2");
    const a = side(before, options, platform as Platform | undefined);
    const b = side(options.to, options, platform as Platform | undefined);
    printDiagnostics(
      io,
      [...a.analysis.model.diagnostics, ...b.analysis.model.diagnostics],
      options.verbose,
      shownAsFinding(),
    );
    const report = {
      findings: diffFindings(a.findings, b.findings),
      flows: diffFlows(a.flows, b.flows),
      before,
      after: options.to,
    };
    io.out(format === "json" ? formatDiffJson(report) : formatDiffText(report));
    setExit(exitCodeFor(report.findings.appeared, options.failOn));
  });
};
