/**
 * @module cli/commands/fix
 * CLI layer: `apim-netcheck fix <inputs...>`, ESLint's `--fix` for networks. It runs the check pack as `check`
 * does (same options), takes the changes of every finding (only those of `--only` checks when given), merges
 * the changes that touch one target, and has each file's front end write them as minimal edits (cli/fix-plan,
 * ingest/edits). `--dry-run` prints the unified diff and writes nothing; otherwise the files are written, read
 * again and checked again, and what is still open is printed: findings at or above --fail-on and findings whose
 * fix was written but did not clear them, and every fix that was refused, with its reason. Exit 0 when all it
 * was asked to fix is fixed, 1 when a finding stays open or a fix was refused, 2 on input or usage errors.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { diffFindings, findingKey } from "../../checks/compare.js";
import { type Finding, SEVERITY_RANK, type Severity } from "../../checks/types.js";
import { readText } from "../../ingest/load.js";
import { displayName } from "../../model/ids.js";
import { inert } from "../../report/inert.js";
import { type CommonOptions, loadAnalysis, printDiagnostics, withCommonOptions } from "../context.js";
import { planFixes, type RefusedFix } from "../fix-plan.js";
import type { CliIo, CommandRegistration } from "../main.js";
import { unifiedDiff } from "../unified-diff.js";
import { type CheckRunFlags, checkAnalysis, checkRunOptions, shownAsFinding, withCheckRunOptions } from "./check.js";

interface FixOptions extends CommonOptions, CheckRunFlags {
  dryRun?: boolean;
  verbose?: boolean;
}

/** True when `f` counts as open under --fail-on. */
function atOrAbove(f: Finding, failOn: string): boolean {
  return failOn !== "never" && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn as Severity];
}

function findingLine(f: Finding): string {
  const where = f.location.line ? `${f.location.file}:${f.location.line}` : f.location.file;
  // Names and paths from the inputs are made inert: a newline in one would start a line of its own.
  return `  ${f.severity.toUpperCase().padEnd(7)} ${f.id}  ${inert(displayName(f.resource) || f.resource)}  ${inert(where)}\n`;
}

function refusedLine(r: RefusedFix): string {
  return `  ${r.finding.id}  ${inert(r.target)}: ${inert(r.reason)}\n`;
}

function run(io: CliIo, inputs: string[], options: FixOptions): number {
  const runOptions = checkRunOptions(options);
  const asFinding = shownAsFinding(options.only?.length ? options.only : undefined);
  const analysis = loadAnalysis(inputs, options);
  printDiagnostics(io, analysis.model.diagnostics, options.verbose, asFinding);
  const before = checkAnalysis(analysis, runOptions).findings;
  const plan = planFixes(analysis.model, before, readText);
  const withoutFix = before.filter((f) => !f.changes?.length);
  const changed = plan.files.reduce((n, f) => n + f.changes, 0);
  io.out(
    `${plan.fixed.length} finding(s) fixed by ${changed} change(s) in ${plan.files.length} file(s)` +
      `${options.dryRun ? " (dry run: nothing written)" : ""}; ${plan.refused.length} refused, ${withoutFix.length} without a fix\n`,
  );

  let open: Finding[];
  if (options.dryRun) {
    for (const f of plan.files) io.out(unifiedDiff(f.file, f.before, f.edits));
    // Predicted: what has no fix stays; a fix that is written is expected to clear its finding.
    open = withoutFix.filter((f) => atOrAbove(f, runOptions.failOn));
  } else {
    for (const f of plan.files) {
      writeFileSync(f.file, f.after);
      io.out(`wrote ${inert(f.file)}\n`);
    }
    const after = plan.files.length ? checkAnalysis(loadAnalysis(inputs, options), runOptions).findings : before;
    const fixedKeys = new Set(plan.fixed.map(findingKey));
    const appeared = new Set(diffFindings(before, after).appeared);
    open = after.filter((f) => atOrAbove(f, runOptions.failOn) || fixedKeys.has(findingKey(f)) || appeared.has(f));
  }
  if (open.length > 0) {
    io.out(`${options.dryRun ? "would stay open" : "still open"} (${open.length}):\n`);
    for (const f of open) io.out(findingLine(f));
  }
  if (plan.refused.length > 0) {
    io.out(`refused (${plan.refused.length}):\n`);
    for (const r of plan.refused) io.out(refusedLine(r));
  }
  return open.length > 0 || plan.refused.length > 0 ? 1 : 0;
}

/** Registers `fix`. */
export const fixCommand: CommandRegistration = (program: Command, io, setExit) => {
  withCommonOptions(
    withCheckRunOptions(
      program
        .command("fix")
        .description(
          "write the fixes of the findings into the inputs (ARM templates, Bicep and Terraform files), as minimal edits",
        )
        .argument("<inputs...>", "templates, exports or directories")
        .option("--dry-run", "print the changes as a unified diff and write nothing"),
    )
      .option("-v, --verbose", "info diagnostics of the inputs too")
      .addHelpText(
        "after",
        "\nExample:\n  apim-netcheck fix examples/forced-tunnel --dry-run\n  apim-netcheck fix infra/ --only APIM-INBOUND-MANAGEMENT\n",
      ),
  ).action((inputs: string[], options: FixOptions) => {
    setExit(run(io, inputs, options));
  });
};
