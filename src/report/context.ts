/**
 * @module report/context
 * Report layer: everything a formatter prints besides the findings: the checks that ran (for SARIF rules and
 * docs links), what the inputs were and what was not modelled, what was assumed, the service-tag snapshot, and
 * the tool's version. Formatters are pure functions of (findings, ReportContext) (style.md).
 */
import type { CheckMeta, Finding, FindingLocation } from "../checks/types.js";
import type { ServiceTagMeta } from "../engine/servicetags/catalog.js";
import type { Diagnostic } from "../model/diagnostics.js";
import type { InputSummary } from "../model/network.js";
import type { UnmodeledResource } from "../model/resources.js";

/** What a check's doc (docs/checks/<id>.md) says, for SARIF rule help. */
export interface CheckHelp {
  /** The doc's H1 (the problem, stated). */
  heading?: string;
  /** The doc's "Summary" section. */
  summary: string;
  /** The doc's "Recommendation" section. */
  recommendation?: string;
}

export interface ReportContext {
  toolVersion: string;
  /**
   * The deployment units, when the inputs form several (unrelated inputs are checked separately; each finding's
   * instance names its unit). Absent when they form one network.
   */
  units?: { label: string; inputs: string[] }[];
  checks: CheckMeta[];
  inputs: InputSummary[];
  unmodeled: UnmodeledResource[];
  /** Everything the answers rest on that no input states, one sentence each. */
  assumptions: string[];
  diagnostics: Diagnostic[];
  serviceTags: ServiceTagMeta;
  /**
   * The working directory the input paths are relative to (absolute, `/` or `\` separated). SARIF states it as
   * the `%SRCROOT%` base; without it, relative paths are left for the consumer to resolve.
   */
  cwd?: string;
  /** Help text of each check by id, read from its doc; a check without one falls back to its meta summary. */
  help?: Record<string, CheckHelp>;
  /**
   * Absolute URI of the folder holding the check docs (`https://…/docs/checks/`); each rule's `helpUri` is
   * `<base><ID>.md`. Absent: no helpUri (SARIF requires an absolute one), the relative doc path is given instead.
   */
  docsBaseUri?: string;
}

export interface Summary {
  error: number;
  warning: number;
  info: number;
}

export function summarize(findings: Finding[]): Summary {
  const summary: Summary = { error: 0, warning: 0, info: 0 };
  for (const f of findings) summary[f.severity]++;
  return summary;
}

/** `file:line:column` (`file:line`, or the file alone when the line is not known), 1-based as editors show it. */
export function formatLocation(at: FindingLocation): string {
  return at.line ? `${at.file}:${at.line}${at.column ? `:${at.column}` : ""}` : at.file;
}

/** Where a check's doc lives, relative to the repository (and package) root. */
export function checkDocPath(id: string): string {
  return `docs/checks/${id}.md`;
}

/**
 * Reads the parts of a check doc that rule help needs: the H1, and the Summary and Recommendation sections
 * (style.md "Check docs"). Missing sections are left out; the frontmatter is skipped.
 */
export function parseCheckHelp(markdown: string): CheckHelp | undefined {
  const body = markdown.replace(/\r\n/g, "\n").replace(/^---\n[\s\S]*?\n---\n/, "");
  const heading = /^# (.+)$/m.exec(body)?.[1]?.trim();
  const section = (name: string): string | undefined => {
    const match = new RegExp(`^## ${name}[ \\t]*\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, "m").exec(body);
    const text = match?.[1]?.trim().replace(/\s*\n\s*/g, " ");
    return text ? text : undefined;
  };
  const summary = section("Summary");
  if (!summary) return undefined;
  const recommendation = section("Recommendation");
  return { ...(heading ? { heading } : {}), summary, ...(recommendation ? { recommendation } : {}) };
}
