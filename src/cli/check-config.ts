/**
 * @module cli/check-config
 * CLI layer: what the configuration file, suppressions and baselines change in a `check` run, kept out of the
 * command itself. Before the run, the file's values fill what the command line left out (a flag given always
 * wins; inputs from the file only when none are named). After it, each check's severity is the file's, and the
 * findings are split into those that count and those accepted (cli/accept), which the report lists as
 * suppressed (report/suppressed).
 */
import { CHECKS } from "../checks/index.js";
import { compareFindings } from "../checks/run.js";
import type { Finding } from "../checks/types.js";
import { readText } from "../ingest/load.js";
import type { ReportContext } from "../report/context.js";
import { formatJunit } from "../report/junit.js";
import { suppressedMarkdown, suppressedText, withSuppressedJson, withSuppressedSarif } from "../report/suppressed.js";
import { type Accepted, readBaseline, type Triage, triage } from "./accept.js";
import { type CheckOutputOptions, renderCheckReport } from "./check-output.js";
import { type Config, findConfig, readConfig } from "./config.js";
import type { CliIo } from "./main.js";

/** The options the configuration file can give (the names of `check`'s flags). */
export interface ConfigurableFlags {
  config?: string;
  parameters?: string[];
  location?: string;
  assume?: string;
  platform?: string;
  failOn: string;
  only?: string[];
}

/**
 * The configuration for a run (undefined when none is found or named) and the inputs and flags with its values
 * filled in; `given(flag)` tells a flag the user gave from one left at its default.
 */
export function configuredRun<T extends ConfigurableFlags>(
  cwd: string,
  inputs: string[],
  flags: T,
  given: (flag: keyof ConfigurableFlags) => boolean,
): { config?: Config; inputs: string[]; flags: T } {
  const file = findConfig(cwd, flags.config);
  if (!file) return { inputs, flags };
  const config = readConfig(
    file,
    CHECKS.map((c) => c.meta.id),
  );
  const out: T = { ...flags };
  const fill = <K extends keyof ConfigurableFlags>(flag: K, value: T[K] | undefined) => {
    if (value !== undefined && !given(flag)) out[flag] = value;
  };
  fill("parameters", config.parameters as T["parameters"]);
  fill("location", config.location as T["location"]);
  fill("assume", config.assume as T["assume"]);
  fill("platform", config.platform as T["platform"]);
  fill("failOn", config.failOn as T["failOn"]);
  const off = Object.entries(config.checks).filter(([, s]) => !s.enabled);
  if (off.length > 0 && !given("only")) {
    const disabled = new Set(off.map(([id]) => id));
    out.only = CHECKS.map((c) => c.meta.id).filter((id) => !disabled.has(id));
  }
  return { config, inputs: inputs.length > 0 ? inputs : (config.inputs ?? []), flags: out };
}

/** The findings with each check's severity from the configuration, in the report's order. */
export function withSeverities(findings: Finding[], config: Config | undefined): Finding[] {
  if (!config) return findings;
  const changed = findings.map((f) => {
    const severity = config.checks[f.id]?.severity;
    return severity && severity !== f.severity ? { ...f, severity } : f;
  });
  return changed.sort(compareFindings);
}

/** A finding's file as text, for its inline suppression markers; undefined when it is not a readable file. */
function readIfPossible(file: string): string | undefined {
  try {
    return readText(file);
  } catch {
    return undefined;
  }
}

/** The findings split by the configuration's suppressions and the baseline file, on `today` (YYYY-MM-DD). */
export function triageRun(
  findings: Finding[],
  config: Config | undefined,
  baseline: string | undefined,
  today: string,
): Triage {
  return triage(findings, {
    suppressions: config?.suppressions ?? [],
    today,
    readSource: readIfPossible,
    ...(baseline ? { baseline: { file: baseline, findings: readBaseline(baseline) } } : {}),
  });
}

/** The report of a triaged run in `format`: the findings that count, then those accepted, as suppressed. */
export function renderTriaged(
  io: CliIo,
  format: string,
  all: Finding[],
  result: Triage,
  ctx: ReportContext,
  options: CheckOutputOptions,
): string {
  const suppressed: Accepted[] = result.suppressed;
  if (suppressed.length === 0) return renderCheckReport(io, format, result.active, ctx, options);
  switch (format) {
    case "sarif":
      return withSuppressedSarif(renderCheckReport(io, format, all, ctx, options), all, suppressed);
    case "json":
      return withSuppressedJson(renderCheckReport(io, format, result.active, ctx, options), suppressed);
    case "markdown":
      return renderCheckReport(io, format, result.active, ctx, options) + suppressedMarkdown(suppressed);
    case "junit":
      return formatJunit(result.active, ctx, suppressed);
    default:
      return renderCheckReport(io, format, result.active, ctx, options) + suppressedText(suppressed);
  }
}
