/**
 * @module report/text
 * Report layer: the terminal report. Findings grouped by API Management instance, errors first, each with
 * where it is, why (the evidence, with file:line) and a fix to paste. Colour only when asked (the CLI decides:
 * a terminal, and NO_COLOR unset). Control characters in text from the inputs (an escape sequence in a
 * resource name) are shown as `\u001b`, so that an input cannot drive the terminal.
 */
import { type Finding, type FixKind, SEVERITY_RANK, type Severity } from "../checks/types.js";
import { describeServiceTags } from "../engine/servicetags/catalog.js";
import { formatLocation, type ReportContext, summarize } from "./context.js";

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
  let out = `${head}\n    ${formatLocation(f.location)}\n    ${f.message}\n`;
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

/** Control characters (C0 but tab and newline, DEL, C1) as visible `\uXXXX` escapes. */
export function inert(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function inertFinding(f: Finding): Finding {
  return {
    ...f,
    title: inert(f.title),
    message: inert(f.message),
    location: { ...f.location, file: inert(f.location.file) },
    evidence: f.evidence.map((e) => ({
      ...e,
      text: inert(e.text),
      ...(e.location ? { location: { ...e.location, file: inert(e.location.file) } } : {}),
    })),
    fix: f.fix.map((x) => ({ ...x, text: inert(x.text) })),
    ...(f.instance !== undefined ? { instance: inert(f.instance) } : {}),
  };
}

/** The whole terminal report: findings grouped by instance, errors first within each. */
export function formatText(findings: Finding[], ctx: ReportContext, opts: TextOptions): string {
  const groups = new Map<string, Finding[]>();
  for (const f of findings.map(inertFinding)) {
    const key = f.instance ?? "network";
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  let out = "";
  for (const [instance, list] of groups) {
    // Stable: findings of one severity keep the order the checks gave them.
    list.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
    const s = summarize(list);
    out += `${paint(opts, "bold", instance)}: ${s.error} error(s), ${s.warning} warning(s), ${s.info} info\n\n`;
    for (const f of list) {
      if (opts.quiet && f.severity === "info") continue;
      out += `${formatFinding(f, opts)}\n`;
    }
  }
  const total = summarize(findings);
  if (findings.length === 0) out += "No findings.\n";
  out += `${paint(opts, "bold", "Summary")}: ${total.error} error(s), ${total.warning} warning(s), ${total.info} info\n`;
  if (!opts.quiet) {
    out += `Inputs: ${ctx.inputs.map((i) => `${inert(i.file)} (${i.format})`).join(", ")}\n`;
    if (ctx.units)
      out += `Deployment units: ${ctx.units.length}, checked separately (no input refers to another's resources): ${ctx.units.map((u) => inert(u.label)).join("; ")}\n`;
    out += `${describeServiceTags(ctx.serviceTags)}\n`;
    if (ctx.unmodeled.length > 0) {
      const byType = new Map<string, number>();
      for (const u of ctx.unmodeled) byType.set(u.type, (byType.get(u.type) ?? 0) + 1);
      out += `Not modelled (listed, not analysed): ${[...byType].map(([t, n]) => `${t} x${n}`).join(", ")}\n`;
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
