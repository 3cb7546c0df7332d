/**
 * @module report/text
 * Report layer: the terminal report. Findings grouped by API Management instance, errors first, each with
 * where it is, why (the evidence, with file:line) and a fix to paste. Colour only when asked (the CLI decides:
 * a terminal, and NO_COLOR unset). Control characters in text from the inputs (an escape sequence, a newline
 * or a bidi override in a resource name) are shown as `\u001b` (report/inert), so that an input can neither
 * drive the terminal nor forge a line.
 */
import { type Finding, type FindingLocation, type FixKind, SEVERITY_RANK, type Severity } from "../checks/types.js";
import { describeServiceTags } from "../engine/servicetags/catalog.js";
import { formatLocation, type ReportContext, summarize } from "./context.js";
import { inert, inertLines } from "./inert.js";

export interface TextOptions {
  color: boolean;
  /** Which fix form to show under each finding (`all` for every form). */
  fix: FixKind | "all" | "none";
  /** Also print info findings' evidence, every assumption and the unmodeled resources one by one. */
  verbose: boolean;
  quiet: boolean;
}

const COLORS: Record<Severity | "dim" | "bold", string> = {
  error: "\u001b[31m",
  warning: "\u001b[33m",
  info: "\u001b[36m",
  dim: "\u001b[2m",
  bold: "\u001b[1m",
};
const RESET = "\u001b[0m";
/** Every terminal sequence this report writes on purpose (the CLI lets exactly these through on a colour terminal). */
export const STYLE_SEQUENCES: readonly string[] = [...Object.values(COLORS), RESET];

function paint(opts: TextOptions, style: keyof typeof COLORS, text: string): string {
  return opts.color ? `${COLORS[style]}${text}${RESET}` : text;
}

function indent(text: string, pad: string): string {
  return text
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
}

function formatFinding(f: Finding, opts: TextOptions): string {
  const head = `${paint(opts, f.severity, f.severity.toUpperCase().padEnd(7))} ${paint(opts, "bold", f.id)}  ${f.title}`;
  let out = `${head}\n    ${formatLocation(f.location)}\n${passedFromLines(f.location)}    ${f.message}\n`;
  if (opts.quiet) return out;
  if (f.evidence.length > 0) {
    out += "    why:\n";
    for (const e of f.evidence)
      out += `      - ${e.text}${e.location ? paint(opts, "dim", `  (${formatLocation(e.location)})`) : ""}\n`;
  }
  const fixes = opts.fix === "none" ? [] : opts.fix === "all" ? f.fix : f.fix.filter((x) => x.kind === opts.fix);
  for (const fix of fixes) out += `    fix (${fix.kind}):\n${indent(fix.text, "      ")}\n`;
  return out;
}

/** A line `passed from <file:line:col>` for each place the value was passed from (a Bicep module's callers). */
function passedFromLines(at: FindingLocation): string {
  return (at.via ?? []).map((v) => `    passed from ${formatLocation(v)}\n`).join("");
}

/** One line for an info under --quiet: severity, id, place and the message's first sentence. */
function infoLine(f: Finding, opts: TextOptions): string {
  const first = /^(.*?\.)(\s+[A-Z(]|$)/.exec(f.message)?.[1] ?? f.message;
  const text = first.length > 160 ? `${first.slice(0, 157)}...` : first;
  return `${paint(opts, "info", "INFO".padEnd(7))} ${paint(opts, "bold", f.id)}  ${formatLocation(f.location)}  ${text}`;
}

function inertLocation(at: FindingLocation): FindingLocation {
  return { ...at, file: inert(at.file), ...(at.via ? { via: at.via.map(inertLocation) } : {}) };
}

function inertFinding(f: Finding): Finding {
  return {
    ...f,
    title: inert(f.title),
    message: inert(f.message),
    location: inertLocation(f.location),
    evidence: f.evidence.map((e) => ({
      ...e,
      text: inert(e.text),
      ...(e.location ? { location: inertLocation(e.location) } : {}),
    })),
    fix: f.fix.map((x) => ({ ...x, text: inertLines(x.text) })),
    ...(f.instance !== undefined ? { instance: inert(f.instance) } : {}),
  };
}

/** The whole terminal report: findings grouped by instance, errors first within each. */
export function formatText(findings: Finding[], ctx: ReportContext, opts: TextOptions): string {
  const groups = new Map<string, Finding[]>();
  // Pushed, not copied per finding, and joined once: tens of thousands of findings (issue 17) made both quadratic.
  for (const f of findings.map(inertFinding)) {
    const key = f.instance ?? "network";
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  const parts: string[] = [];
  for (const [instance, list] of groups) {
    // Stable: findings of one severity keep the order the checks gave them.
    list.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
    const s = summarize(list);
    parts.push(`${paint(opts, "bold", instance)}: ${s.error} error(s), ${s.warning} warning(s), ${s.info} info\n\n`);
    // Quiet: an info is one line (what the summary counts is shown, never hidden), the rest as usual.
    const oneLine = (f: Finding) => opts.quiet === true && f.severity === "info";
    for (const f of list) if (!oneLine(f)) parts.push(`${formatFinding(f, opts)}\n`);
    const lines = list.filter(oneLine);
    if (lines.length > 0) parts.push(`${lines.map((f) => infoLine(f, opts)).join("\n")}\n\n`);
  }
  let out = parts.join("");
  const total = summarize(findings);
  if (findings.length === 0) out += "No findings.\n";
  out += `${paint(opts, "bold", "Summary")}: ${total.error} error(s), ${total.warning} warning(s), ${total.info} info\n`;
  if (!opts.quiet) {
    out += `Inputs: ${ctx.inputs.map((i) => `${inert(i.file)} (${i.format})`).join(", ")}\n`;
    if (ctx.units)
      out += `Deployment units: ${ctx.units.length}, checked separately (no input refers to another's resources): ${ctx.units.map((u) => inert(u.label)).join("; ")}\n`;
    out += `${inert(describeServiceTags(ctx.serviceTags))}\n`;
    if (ctx.unmodeled.length > 0) {
      const byType = new Map<string, number>();
      for (const u of ctx.unmodeled) byType.set(u.type, (byType.get(u.type) ?? 0) + 1);
      out += `Not modelled (listed, not analysed): ${[...byType].map(([t, n]) => `${inert(t)} x${n}`).join(", ")}\n`;
      if (opts.verbose) {
        for (const u of ctx.unmodeled) out += `  - ${inert(`${u.type} ${u.name} (${formatLocation(u.src)})`)}\n`;
      }
    }
    if (ctx.assumptions.length > 0) {
      out += "Assumed:\n";
      for (const a of opts.verbose ? ctx.assumptions : ctx.assumptions.slice(0, 5)) out += `  - ${inert(a)}\n`;
      if (!opts.verbose && ctx.assumptions.length > 5) out += `  (${ctx.assumptions.length - 5} more with --verbose)\n`;
    }
  }
  return out;
}
