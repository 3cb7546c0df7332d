/**
 * @module report/markdown
 * Report layer: `check --format markdown`, a pull-request comment. A summary table (one row per API
 * Management instance: errors, warnings, info), then one short section per finding: where, what, the evidence
 * with file:line, and each fix form in a collapsed `<details>` block. Everything that comes from the inputs
 * goes through markdown-escape.ts, so a hostile resource name renders as text. GitHub refuses comments over
 * 65,536 characters, so sections stop before that and the rest is counted.
 */
import type { Finding, Severity } from "../checks/types.js";
import { describeServiceTags } from "../engine/servicetags/catalog.js";
import { formatLocation, type ReportContext, type Summary, summarize } from "./context.js";
import { codeBlock, codeSpan, escapeHtml, escapeMarkdown, fenceLanguage } from "./markdown-escape.js";

export interface MarkdownOptions {
  /** Stop adding finding sections past this many characters (GitHub's comment limit is 65,536). */
  maxLength?: number;
}

const DEFAULT_MAX_LENGTH = 60_000;
const LABEL: Record<Severity, string> = { error: "Error", warning: "Warning", info: "Info" };

/** The Markdown report. */
export function formatMarkdown(findings: Finding[], ctx: ReportContext, options: MarkdownOptions = {}): string {
  const max = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const total = summarize(findings);
  const head: string[] = [`## apim-netcheck: ${counts(total)}`, ""];
  if (findings.length === 0) head.push("No findings.", "");
  else head.push(...summaryTable(findings, total), "");

  const footer = footerLines(ctx);
  let body = "";
  let shown = 0;
  const budget = max - head.join("\n").length - footer.join("\n").length - 200;
  for (const f of findings) {
    const section = findingSection(f);
    if (body.length + section.length > budget) break;
    body += section;
    shown++;
  }
  const rest = findings.length - shown;
  const truncated =
    rest > 0
      ? [`_${rest} more finding(s) not shown here (comment size limit); see the JSON or SARIF output._`, ""]
      : [];
  return `${[...head, body.trimEnd(), ...(body ? [""] : []), ...truncated, ...footer].join("\n").trimEnd()}\n`;
}

function counts(s: Summary): string {
  return `${s.error} error(s), ${s.warning} warning(s), ${s.info} info`;
}

function summaryTable(findings: Finding[], total: Summary): string[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = f.instance ?? "";
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const rows = ["| Instance | Errors | Warnings | Info |", "| --- | ---: | ---: | ---: |"];
  for (const [instance, list] of groups) {
    const s = summarize(list);
    rows.push(`| ${instance ? escapeMarkdown(instance) : "_network_"} | ${s.error} | ${s.warning} | ${s.info} |`);
  }
  rows.push(`| **Total** | **${total.error}** | **${total.warning}** | **${total.info}** |`);
  return rows;
}

function findingSection(f: Finding): string {
  const lines = [
    `### ${LABEL[f.severity]}: ${escapeMarkdown(f.id)} — ${escapeMarkdown(f.title)}`,
    "",
    `${f.instance ? `**${escapeMarkdown(f.instance)}** · ` : ""}${codeSpan(formatLocation(f.location))}`,
    "",
    escapeMarkdown(f.message),
    "",
  ];
  if (f.evidence.length > 0) {
    lines.push("Evidence:", "");
    for (const e of f.evidence) {
      lines.push(`- ${escapeMarkdown(e.text)}${e.location?.line ? ` (${codeSpan(formatLocation(e.location))})` : ""}`);
    }
    lines.push("");
  }
  for (const fix of f.fix) {
    lines.push(
      "<details>",
      `<summary>Fix (${escapeHtml(fix.kind)})</summary>`,
      "",
      codeBlock(fix.text, fenceLanguage(fix.kind)),
      "",
      "</details>",
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}

function footerLines(ctx: ReportContext): string[] {
  const out = ["---", ""];
  out.push(
    `Inputs: ${ctx.inputs.map((i) => `${codeSpan(i.file)} (${escapeMarkdown(i.format)})`).join(", ") || "none"}  `,
    ...(ctx.units
      ? [
          `Deployment units: ${ctx.units.length}, checked separately: ${ctx.units.map((u) => codeSpan(u.label)).join("; ")}  `,
        ]
      : []),
  );
  out.push(`${escapeMarkdown(describeServiceTags(ctx.serviceTags))}  `);
  const warnings = ctx.diagnostics.filter((d) => d.severity !== "info");
  if (ctx.unmodeled.length > 0) out.push(`Not modelled (listed, not analysed): ${ctx.unmodeled.length} resource(s)  `);
  out.push(`apim-netcheck ${codeSpan(ctx.toolVersion)}`, "");
  if (warnings.length > 0) {
    out.push(`<details>`, `<summary>Input warnings (${warnings.length})</summary>`, "");
    for (const d of warnings) {
      const at = d.src?.line ? ` (${codeSpan(`${d.src.file}:${d.src.line}:${d.src.column}`)})` : "";
      out.push(`- ${codeSpan(d.code)}: ${escapeMarkdown(d.message)}${at}`);
    }
    out.push("", "</details>", "");
  }
  if (ctx.assumptions.length > 0) {
    out.push(`<details>`, `<summary>Assumed (${ctx.assumptions.length})</summary>`, "");
    for (const a of ctx.assumptions) out.push(`- ${escapeMarkdown(a)}`);
    out.push("", "</details>", "");
  }
  return out;
}
