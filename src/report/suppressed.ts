/**
 * @module report/suppressed
 * Report layer: findings a run accepts (a suppression of the configuration file, or a baseline) are never
 * hidden: each format lists them as suppressed, with the reason and where it is written, and leaves them out
 * of the counts. The formatters of the other findings are unchanged; this adds to what they wrote:
 * - text and Markdown: a "Suppressed" section at the end;
 * - JSON: `suppressed: [{ ...finding, suppression: { kind, justification, source, expires } }]`;
 * - SARIF: the log of all findings, each accepted one's result carrying `suppressions: [{ kind: "external",
 *   status: "accepted", justification }]` (§3.27.23, §3.35): a reader of SARIF sees it accepted, not gone.
 *   Every finding is in the log in the run's order, so fingerprints are those of a run without suppressions.
 */
import type * as Sarif from "sarif";
import type { Finding } from "../checks/types.js";
import { formatLocation } from "./context.js";
import { inert } from "./inert.js";
import { escapeMarkdown } from "./markdown-escape.js";

/** An accepted finding as the formats show it (cli/accept's Accepted, without the CLI's types). */
export interface SuppressedFinding {
  finding: Finding;
  reason: string;
  source: string;
  expires?: string;
  by: "config" | "baseline" | "inline";
}

function why(s: SuppressedFinding): string {
  return `${s.reason} (${s.source}${s.expires ? `, until ${s.expires}` : ""})`;
}

/** The text report's closing section (empty when nothing is suppressed). */
export function suppressedText(suppressed: readonly SuppressedFinding[]): string {
  if (suppressed.length === 0) return "";
  const lines = [`Suppressed (${suppressed.length}, not counted):`];
  for (const s of suppressed) {
    const f = s.finding;
    lines.push(`  ${f.severity} ${f.id}  ${f.resource}  ${formatLocation(f.location)}`);
    lines.push(`    suppressed: ${why(s)}`);
  }
  return `\n${lines.map(inert).join("\n")}\n`;
}

/** The Markdown report's closing section (empty when nothing is suppressed). */
export function suppressedMarkdown(suppressed: readonly SuppressedFinding[]): string {
  if (suppressed.length === 0) return "";
  const rows = suppressed.map(
    (s) =>
      `| ${escapeMarkdown(s.finding.id)} | ${escapeMarkdown(s.finding.resource)} | ${escapeMarkdown(formatLocation(s.finding.location))} | ${escapeMarkdown(why(s))} |`,
  );
  return `\n## Suppressed (${suppressed.length}, not counted)\n\n| Check | Resource | Where | Why |\n| --- | --- | --- | --- |\n${rows.join("\n")}\n`;
}

/** `check --format json` with the suppressed findings added. */
export function withSuppressedJson(json: string, suppressed: readonly SuppressedFinding[]): string {
  const body = JSON.parse(json) as Record<string, unknown>;
  body.suppressed = suppressed.map((s) => ({
    ...s.finding,
    suppression: {
      kind: s.by === "baseline" ? "baseline" : s.by === "inline" ? "inSource" : "external",
      justification: s.reason,
      source: s.source,
      ...(s.expires ? { expires: s.expires } : {}),
    },
  }));
  return `${JSON.stringify(body, null, 2)}\n`;
}

/**
 * `sarif`, a log written for `all` (in that order, first among its results), with a `suppressions` entry on the
 * result of each suppressed finding.
 */
export function withSuppressedSarif(
  sarif: string,
  all: readonly Finding[],
  suppressed: readonly SuppressedFinding[],
): string {
  const log = JSON.parse(sarif) as Sarif.Log;
  const results = log.runs[0]?.results ?? [];
  const of = new Map(suppressed.map((s) => [s.finding, s]));
  all.forEach((f, i) => {
    const s = of.get(f);
    const result = results[i];
    if (!s || !result) return;
    if (result.ruleId !== f.id) throw new Error(`SARIF result ${i} is ${result.ruleId}, not ${f.id}`);
    result.suppressions = [
      {
        // SARIF 2.1.0 §3.35.2: inSource for a marker in the analysed file, external for the configuration and baseline.
        kind: s.by === "inline" ? "inSource" : "external",
        status: "accepted",
        justification: why(s),
        properties: { source: s.source, by: s.by, ...(s.expires ? { expires: s.expires } : {}) },
      },
    ];
  });
  return `${JSON.stringify(log, null, 2)}\n`;
}
