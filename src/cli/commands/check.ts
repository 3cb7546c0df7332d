/**
 * @module cli/commands/check
 * CLI layer: `apim-netcheck check <inputs...>`, the APIM check pack. Exit 0 when nothing is at or above
 * --fail-on (default error), 1 when something is, 2 on input or usage errors.
 */
import type { Command } from "commander";
import { runAcrossConditions } from "../../checks/conditions.js";
import type { ExtraBackend } from "../../checks/context.js";
import { CHECKS } from "../../checks/index.js";
import { platformNote } from "../../checks/placements.js";
import type { Platform } from "../../checks/requirements.js";
import { checkContext, compareFindings, type RunOptions, runChecks } from "../../checks/run.js";
import { type Finding, type FixKind, SEVERITY_RANK, type Severity } from "../../checks/types.js";
import { findingCheckOf, REFUSAL_CHECKS } from "../../checks/util/refusals.js";
import { adminLayerAssumptions } from "../../engine/nsg/admin.js";
import { EngineContext } from "../../engine/reach/context.js";
import { suggest } from "../../ingest/terraform/eval/suggest.js";
import type { Diagnostic } from "../../model/diagnostics.js";
import { formatSource } from "../../model/source.js";
import { Topology } from "../../model/topology.js";
import type { ReportContext } from "../../report/context.js";
import { inert } from "../../report/inert.js";
import { baselineJson } from "../accept.js";
import { configuredRun, renderTriaged, triageRun, withSeverities } from "../check-config.js";
import { checkFormat, docsBaseUri } from "../check-output.js";
import {
  type Analysis,
  type CommonOptions,
  loadAnalysis,
  type Network,
  printDiagnostics,
  withCommonOptions,
} from "../context.js";
import { type CliIo, type CommandRegistration, UsageError } from "../main.js";
import { readPaths, writeOutFile } from "../out-file.js";
import { progressFor } from "../progress.js";
import { VERSION } from "../version.js";
import { applyWhatIf, type WhatIfOptions } from "../whatif.js";

/** The options that decide which checks run and how a run fails (`check` and `fix` take them). */
export interface CheckRunFlags {
  failOn: string;
  backend?: string[];
  platform?: string;
  only?: string[];
}

interface CheckOptions extends CommonOptions, WhatIfOptions, CheckRunFlags {
  fix: string;
  quiet?: boolean;
  verbose?: boolean;
  docsBaseUri?: string;
  config?: string;
  baseline?: string;
  writeBaseline?: string;
}

const FAIL_ON = ["error", "warning", "info", "never"];
const FIX_KINDS = ["az-cli", "bicep", "terraform", "arm", "all", "none"];

/** Reads `--backend host:port` values (an IPv6 host in brackets); throws UsageError on a malformed one. */
export function parseBackendOption(texts: string[]): ExtraBackend[] {
  return texts.map((text) => {
    const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:/[\]]+)):(\d{1,5})$/.exec(text.trim());
    const port = match ? Number(match[3]) : Number.NaN;
    if (!match || port < 1 || port > 65535) {
      throw new UsageError(`--backend ${text}: expected host:port (port 1-65535), e.g. 10.2.1.10:8080`);
    }
    return { host: (match[1] ?? match[2])!, port, text: text.trim() };
  });
}

/** Everything the answers rest on that no input states. */
export function collectAssumptions(analysis: Network, engine: EngineContext, platformOption?: Platform): string[] {
  const out = new Set<string>();
  const ctx = checkContext(engine, { platform: platformOption });
  for (const p of ctx.placements) {
    if (p.platformSource === "assumed" && p.kind !== "none") out.add(`${p.label}: ${platformNote(p)}`);
    if (p.subnet) for (const a of engine.routes(p.subnet).assumptions) out.add(`${p.label}: ${a}`);
    const admin = p.subnet ? engine.adminAt(p.subnet) : undefined;
    if (admin) for (const a of adminLayerAssumptions(admin, `subnet ${p.subnet!.name}`)) out.add(`${p.label}: ${a}`);
  }
  for (const c of analysis.model.assumptions.networkManagerCommits ?? [])
    out.add(
      `configurations ${c.configurationIds.join(", ")} are committed to ${c.targetLocations.join(", ")} (--assume ${formatSource(c.src)})`,
    );
  // A learned-routes export states its routes; the routes' own sentence names it and the gateway it fits.
  for (const g of analysis.model.assumptions.gatewayRoutes)
    if (!g.learnedRoutesExport) out.add(`gateway ${g.gateway} learns ${g.prefixes.join(", ")} (--assume)`);
  return [...out];
}

/**
 * True for a diagnostic that a check of `ran` reports as a finding (a refusal): the outputs then show the
 * finding and leave the diagnostic out, so nothing is said twice, and nothing a check left out is lost.
 */
export function shownAsFinding(ran: readonly string[] = CHECKS.map((c) => c.meta.id)): (d: Diagnostic) => boolean {
  const ids = new Set(ran);
  return (d) => {
    const id = findingCheckOf(d);
    return id !== undefined && ids.has(id);
  };
}

export function reportContext(
  analysis: Analysis,
  assumptions: string[],
  asFinding: (d: Diagnostic) => boolean = shownAsFinding(),
): ReportContext {
  const units =
    analysis.units.length > 1
      ? analysis.units.map((u) => ({ label: u.label, inputs: u.model.inputs.map((i) => i.file) }))
      : undefined;
  return {
    ...(units ? { units } : {}),
    toolVersion: VERSION,
    checks: CHECKS.map((c) => c.meta),
    inputs: analysis.model.inputs,
    unmodeled: analysis.model.unmodeled,
    assumptions,
    diagnostics: analysis.model.diagnostics.filter((d) => !asFinding(d)),
    serviceTags: analysis.catalog.meta,
  };
}

/**
 * The check pack over every deployment unit of `analysis`, each on its own engine. With several units, each
 * finding's instance names its unit (`apim-a (westeurope) — a.json`; `network — a.json` for findings about no
 * instance), so that the outputs say which network it is about; so do the assumptions.
 */
export function checkAnalysis(
  analysis: Analysis,
  options: RunOptions & { platform?: Platform },
): { findings: Finding[]; assumptions: string[] } {
  const findings: Finding[] = [];
  const assumptions: string[] = [];
  for (const unit of analysis.units) {
    const engine = new EngineContext(unit.topology, unit.catalog);
    // What Azure would refuse is judged on the inputs as written; the rest runs on each way that what no input
    // decides can go (checks/conditions).
    const refusals = CHECKS.filter((c) => REFUSAL_CHECKS.includes(c.meta.id));
    const analyses = CHECKS.filter((c) => !REFUSAL_CHECKS.includes(c.meta.id));
    const across = runAcrossConditions(unit.model, (model) =>
      runChecks(
        model === unit.model ? engine : new EngineContext(new Topology(model), unit.catalog),
        options,
        analyses,
      ),
    );
    const found = [...runChecks(engine, options, refusals), ...across.findings];
    const noted = [...across.notes, ...collectAssumptions(unit, engine, options.platform)];
    if (!unit.label) {
      findings.push(...found);
      assumptions.push(...noted);
      continue;
    }
    findings.push(...found.map((f) => ({ ...f, instance: `${f.instance ?? "network"} — ${unit.label}` })));
    assumptions.push(...noted.map((a) => `${unit.label}: ${a}`));
  }
  return { findings: findings.sort(compareFindings), assumptions };
}

/** The exit code for `findings` under --fail-on. */
export function exitCodeFor(findings: Finding[], failOn: string): number {
  if (failOn === "never") return 0;
  const threshold = SEVERITY_RANK[failOn as Severity];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

/** The run options of `flags`, checked; throws UsageError for a value that is not one. */
export function checkRunOptions(flags: CheckRunFlags): RunOptions & { platform?: Platform; failOn: string } {
  if (!FAIL_ON.includes(flags.failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(", ")}`);
  const platform = flags.platform?.toLowerCase();
  if (platform !== undefined && platform !== "stv1" && platform !== "stv2")
    throw new UsageError("--platform must be stv1 or stv2");
  const backends = parseBackendOption(flags.backend ?? []);
  const known = new Set(CHECKS.map((c) => c.meta.id));
  for (const id of flags.only ?? []) {
    if (known.has(id)) continue;
    // A slip gets the id meant; anything else gets the list, so the next try can be right.
    const near = suggest(id, [...known]);
    throw new UsageError(`--only: no check ${id}${near || ` (the checks: ${[...known].join(", ")})`}`);
  }
  return { failOn: flags.failOn, platform: platform as Platform | undefined, only: flags.only, backends };
}

/** Adds the options of CheckRunFlags (`--fail-on`, `--platform`, `--only`, `--backend`). */
export function withCheckRunOptions(command: Command): Command {
  return command
    .option("--fail-on <severity>", "exit 1 when a finding is at or above: error, warning, info, never", "error")
    .option("--platform <stv1|stv2>", "compute platform when the inputs do not say (default: assume stv2)")
    .option("--only <ids...>", "run only these checks")
    .option(
      "--backend <host:port>",
      "a backend the instances call, checked like those in the inputs (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    );
}

function run(io: CliIo, named: string[], cli: CheckOptions, command: Command): number {
  // The configuration file fills what the command line left out (cli/check-config).
  const given = (flag: string) => ["cli", "env"].includes(command.getOptionValueSource(flag) ?? "");
  const { config, inputs, flags: options } = configuredRun(process.cwd(), named, cli, given);
  const format = checkFormat(options.format);
  const docsBase = docsBaseUri(options.docsBaseUri);
  const { platform, backends } = checkRunOptions(options);
  if (!FIX_KINDS.includes(options.fix)) throw new UsageError(`--fix must be one of ${FIX_KINDS.join(", ")}`);

  const progress = progressFor(io, options.quiet);
  const asFinding = shownAsFinding(options.only?.length ? options.only : undefined);
  let findings: Finding[];
  let ctx: ReportContext;
  let analysis: Analysis;
  try {
    progress.step("loading inputs");
    const whatIf = applyWhatIf(loadAnalysis(inputs, options), options);
    analysis = whatIf.analysis;
    progress.step("evaluating checks");
    const result = checkAnalysis(analysis, {
      platform: platform as Platform | undefined,
      only: options.only,
      backends,
    });
    findings = withSeverities(result.findings, config);
    ctx = reportContext(analysis, [...whatIf.notes, ...result.assumptions], asFinding);
  } finally {
    progress.done();
  }
  printDiagnostics(io, analysis.model.diagnostics, options.verbose, asFinding);
  const fix = options.fix as FixKind | "all" | "none";
  const output = { fix, verbose: !!options.verbose, quiet: !!options.quiet, docsBaseUri: docsBase };
  const triaged = triageRun(findings, config, options.baseline, new Date().toISOString().slice(0, 10));
  for (const warning of triaged.warnings) io.err(`${inert(warning)}\n`);
  if (options.writeBaseline)
    writeOutFile(io, options.writeBaseline, baselineJson(findings, VERSION), readPaths(inputs, analysis, options));
  io.out(renderTriaged(io, format, findings, triaged, ctx, output));
  return exitCodeFor(triaged.active, options.failOn);
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Registers `check`. */
export const checkCommand: CommandRegistration = (program: Command, io, setExit) => {
  withCommonOptions(
    withCheckRunOptions(
      program
        .command("check")
        .description("run the API Management check pack: every finding with its evidence and a fix")
        .argument("[inputs...]", "templates, exports or directories (default: the configuration file's inputs)")
        .option("--format <format>", "text, json, sarif, markdown or junit", "text"),
    )
      .option(
        "--with <file>",
        "what-if: resources added or replacing those of the same type and name (repeatable)",
        collect,
      )
      .option(
        "--without <resource>",
        "what-if: a resource (name, parent/name or id) removed with its associations (repeatable)",
        collect,
      )
      .option(
        "--apim-subnet <vnet/subnet[:mode]>",
        "check an API Management instance taken to be in this subnet (deployed from elsewhere), mode External or Internal (both when left out); repeatable",
        collect,
      )
      .option(
        "--network-status <file>",
        "APIM network status (networkstatus API output) whose failures to explain (repeatable)",
        collect,
      )
      .option("--fix <kind>", "fix form to print: az-cli, bicep, terraform, arm, all, none", "az-cli")
      .option("-q, --quiet", "findings only, no evidence or fixes")
      .option("-v, --verbose", "every assumption, unmodeled resource and info diagnostic")
      .option("--config <file>", "configuration file (default: apim-netcheck.config.yaml found upward)")
      .option("--baseline <file>", "only findings not in this earlier run fail (--write-baseline, JSON or SARIF)")
      .option("--write-baseline <file>", "write this run's findings as a baseline")
      .option("--docs-base-uri <url>", "where the check docs are published, for SARIF helpUri (https://…/docs/checks/)")
      .addHelpText("after", "\nExample:\n  apim-netcheck check examples/forced-tunnel --fix bicep\n"),
  ).action((inputs: string[], options: CheckOptions, command: Command) => {
    setExit(run(io, inputs, options, command));
  });
};
