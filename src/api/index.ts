/**
 * @module api/index
 * The library: what `import { load, check } from "apim-netcheck"` gives. The same engine and the same code the
 * CLI runs (cli/context, cli/commands/*, cli/fix-plan), wrapped as functions that take values and return them:
 * nothing is printed, nothing touches `process` except reading the files named. Results are in Azure's
 * vocabulary, in the JSON shapes the CLI prints (`check --format json`, `flow --format json`, `routes --format
 * json` as `az network nic show-effective-route-table`, `next-hop` as `az network watcher show-next-hop`).
 * Errors are thrown: InputError for inputs that cannot be used, UsageError for a question that is not one.
 */

import { compareFindings } from "../checks/run.js";
import type { Finding, FixKind } from "../checks/types.js";
import type { Accepted } from "../cli/accept.js";
import { configuredRun, renderTriaged, triageRun, withSeverities } from "../cli/check-config.js";
import { checkFormat } from "../cli/check-output.js";
import { checkAnalysis, checkRunOptions, reportContext, shownAsFinding } from "../cli/commands/check.js";
import { answerFlow } from "../cli/commands/flow.js";
import { answerNextHop, nextHopJson } from "../cli/commands/next-hop.js";
import { answerRoutes } from "../cli/commands/routes.js";
import { type Analysis, loadAnalysis } from "../cli/context.js";
import { type FixPlan, planFixes } from "../cli/fix-plan.js";
import { UsageError } from "../cli/main.js";
import { unifiedDiff } from "../cli/unified-diff.js";
import { VERSION } from "../cli/version.js";
import { parseFlowProtocol } from "../engine/nsg/index.js";
import { toEffectiveRouteJson } from "../engine/routes/index.js";
import { readText } from "../ingest/load.js";
import { type Diagnostic, InputError } from "../model/diagnostics.js";
import type { ReportContext, Summary } from "../report/context.js";
import { summarize } from "../report/context.js";

export type { CheckMeta, Evidence, Finding, FindingLocation, Fix, FixKind, Severity } from "../checks/types.js";
export type { Accepted } from "../cli/accept.js";
export type { Analysis, Network } from "../cli/context.js";
export type { FileFix, FixPlan, RefusedFix } from "../cli/fix-plan.js";
export type { Diagnostic } from "../model/diagnostics.js";
export type { ReportContext, Summary } from "../report/context.js";
export { InputError, UsageError, VERSION };

/** What `load` reads besides the inputs: the CLI's common options, by the same names. */
export interface LoadOptions {
  /** Parameters files or `name=value` pairs (`--parameters`), later ones winning. */
  parameters?: string[];
  /** The region templates are deployed to (`--location`; default westeurope, assumed and said). */
  location?: string;
  /** Terraform `name=value` variables (`--var`) and .tfvars files (`--var-file`). */
  vars?: string[];
  varFiles?: string[];
  /** A Service Tags JSON file instead of the bundled snapshot (`--service-tags`). */
  serviceTags?: string;
  /** Facts no template shows, YAML or JSON (`--assume`). */
  assume?: string;
}

/**
 * Reads templates, exports or directories into the network(s) they declare. Every diagnostic (a file skipped, a
 * value that could not be known, what Azure would refuse) is in `network.model.diagnostics`; throws InputError
 * when nothing usable was read.
 */
export function load(inputs: string | string[], options: LoadOptions = {}): Analysis {
  return loadAnalysis(typeof inputs === "string" ? [inputs] : inputs, {
    parameters: options.parameters,
    location: options.location,
    var: options.vars,
    varFile: options.varFiles,
    serviceTags: options.serviceTags,
    assume: options.assume,
  });
}

export interface CheckOptions {
  /** Only these check ids (all when left out). */
  only?: string[];
  /** The compute platform where the inputs do not say (default: stv2, assumed and said). */
  platform?: "stv1" | "stv2";
  /** Backends the instances call that no input names, `host:port` (`--backend`). */
  backends?: string[];
  /**
   * A configuration file (docs/ci.md): its checks turned off and platform apply where these options leave them
   * out, its severities and suppressions always. Not looked for when not named.
   */
  config?: string;
  /** A baseline file (`--write-baseline`, or `check`'s JSON or SARIF): its findings are accepted, not new. */
  baseline?: string;
  /** The day suppressions expire against, `YYYY-MM-DD` (default: today, UTC). */
  today?: string;
}

/** The check pack's answer: what `check --format json` prints, as values. */
export interface CheckResult {
  /** The findings that count (not suppressed). */
  findings: Finding[];
  /** Findings accepted by a suppression of the configuration or by the baseline, each with why and where. */
  suppressed: Accepted[];
  /** One line each: a suppression that has expired (its findings count again). */
  warnings: string[];
  /** Everything the findings rest on that no input states. */
  assumptions: string[];
  summary: Summary;
  /** The input diagnostics no finding reports. */
  diagnostics: Diagnostic[];
  /** What the renderers need besides the findings. */
  context: ReportContext;
}

/** Runs the check pack over every deployment unit of `network`. */
export function check(network: Analysis, options: CheckOptions = {}): CheckResult {
  const wanted = { failOn: "never", only: options.only, platform: options.platform, config: options.config };
  const { config, flags } = options.config
    ? configuredRun(process.cwd(), [], wanted, (flag) => wanted[flag as keyof typeof wanted] !== undefined)
    : { config: undefined, flags: wanted };
  const run = checkRunOptions({ ...flags, backend: options.backends });
  const { findings: all, assumptions } = checkAnalysis(network, run);
  const findings = withSeverities(all, config);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const { active, suppressed, warnings } = triageRun(findings, config, options.baseline, today);
  const context = reportContext(network, assumptions, shownAsFinding(flags.only?.length ? flags.only : undefined));
  return {
    findings: active,
    suppressed,
    warnings,
    assumptions,
    summary: summarize(active),
    diagnostics: context.diagnostics,
    context,
  };
}

export type ReportFormat = "text" | "json" | "sarif" | "markdown";

export interface RenderOptions {
  /** Text: the fix form to print (default az-cli). */
  fix?: FixKind | "all" | "none";
  /** Text: ANSI colour (default off). */
  color?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  /** SARIF: where the check docs are published, for each rule's helpUri. */
  docsBaseUri?: string;
}

/** The report `check --format <format>` writes, as a string (SARIF paths relative to the working directory). */
export function render(result: CheckResult, format: ReportFormat = "text", options: RenderOptions = {}): string {
  const io = { out: () => {}, err: () => {}, isTty: options.color === true, env: {} };
  // Every finding in the report's order (SARIF lists them all, the suppressed ones marked); a stable sort of the
  // two parts gives the run's order but where two findings tie on every key the order compares.
  const all = [...result.findings, ...result.suppressed.map((s) => s.finding)].sort(compareFindings);
  const triaged = { active: result.findings, suppressed: result.suppressed, warnings: result.warnings };
  return renderTriaged(io, checkFormat(format), all, triaged, result.context, {
    fix: options.fix ?? "az-cli",
    verbose: options.verbose === true,
    quiet: options.quiet === true,
    ...(options.docsBaseUri ? { docsBaseUri: options.docsBaseUri } : {}),
  });
}

export interface FlowOptions {
  /** An IP, vnet/subnet (its first usable address), a CIDR or a service tag. */
  from: string;
  to: string;
  /** Destination port; left out means any. */
  port?: number;
  sourcePort?: number;
  /** Tcp (default), Udp, Icmp, Esp or Ah. */
  protocol?: string;
}

/**
 * Does the NSGs' evaluation allow the flow (IP flow verify, offline)? `verdict` is Allow, Deny or Unknown, with the
 * deciding rule and every NSG layer crossed, each with where its rule is written: what `flow --format json` prints.
 */
export function flow(network: Analysis, options: FlowOptions): Record<string, unknown> {
  const protocol = parseFlowProtocol(options.protocol ?? "Tcp");
  if (!protocol) throw new UsageError(`protocol must be Tcp, Udp, Icmp, Esp or Ah, not ${options.protocol}`);
  return answerFlow(network, {
    from: options.from,
    to: options.to,
    protocol,
    destinationPort: options.port,
    sourcePort: options.sourcePort,
  }).json;
}

export interface RoutesAnswer {
  /** The rows as `az network nic show-effective-route-table` prints them. */
  value: ReturnType<typeof toEffectiveRouteJson>["value"];
  /** What the table rests on that no input states, and what stayed unknown (the CLI's stderr lines). */
  assumptions: string[];
  unknowns: string[];
}

/** The effective routes of a subnet (`vnet/subnet`); `reservedRoutes` names a reserved-routes profile. */
export function routes(network: Analysis, subnet: string, options: { reservedRoutes?: string } = {}): RoutesAnswer {
  const { table } = answerRoutes(network, subnet, options.reservedRoutes);
  return { value: toEffectiveRouteJson(table).value, assumptions: table.assumptions, unknowns: table.unknowns };
}

/**
 * The next hop from a subnet (`vnet/subnet`, or an address in it) to an address, in Network Watcher's fields
 * plus the deciding route's name and source; `nextHopType: "Unknown"` with `computed` and `unknowns` when
 * routes the inputs leave unresolved may cover it.
 */
export function nextHop(
  network: Analysis,
  options: { from: string; to: string; reservedRoutes?: string },
): Record<string, unknown> {
  return nextHopJson(answerNextHop(network, options.from, options.to, options.reservedRoutes).result);
}

/** A fix plan with each file's change as a unified diff. */
export interface FixPlanResult extends FixPlan {
  diffs: { file: string; diff: string }[];
}

/**
 * The edits that write the fixes of `findings` into the input files (what `apim-netcheck fix` writes; nothing is
 * written here): whole findings or none of their changes, with the refused ones and why. `read` gives a file's
 * text (default: read it from disk).
 */
export function fix(network: Analysis, findings: Finding[], read: (file: string) => string = readText): FixPlanResult {
  const plan = planFixes(network.model, findings, read);
  return { ...plan, diffs: plan.files.map((f) => ({ file: f.file, diff: unifiedDiff(f.file, f.before, f.edits) })) };
}
