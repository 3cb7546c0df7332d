/**
 * @module report/diff
 * Report layer: `apim-netcheck diff`, what changes between two input sets, as text for a terminal and as JSON:
 * `{ appeared, disappeared, unchanged, flows, summary }`, where `appeared` and `disappeared` are findings in the
 * check report's shape and `flows` the requirement flows whose NSG verdict or next hops change. Pure formatters.
 */
import type { FindingsDiff, FlowChange } from "../checks/compare.js";
import type { Finding } from "../checks/types.js";
import { type Summary, summarize } from "./context.js";
import { inertJoin } from "./inert.js";

export interface DiffReport {
  findings: FindingsDiff;
  flows: FlowChange[];
  /** The inputs of each side, as given. */
  before: string[];
  after: string[];
}

export interface DiffSummary {
  appeared: Summary;
  disappeared: Summary;
  unchanged: number;
  flowsChanged: number;
}

export function diffSummary(report: DiffReport): DiffSummary {
  return {
    appeared: summarize(report.findings.appeared),
    disappeared: summarize(report.findings.disappeared),
    unchanged: report.findings.unchanged,
    flowsChanged: report.flows.length,
  };
}

export function formatDiffJson(report: DiffReport): string {
  const body = {
    before: report.before,
    after: report.after,
    appeared: report.findings.appeared,
    disappeared: report.findings.disappeared,
    unchanged: report.findings.unchanged,
    flows: report.flows,
    summary: diffSummary(report),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function where(f: Finding): string {
  return f.location.line ? `${f.location.file}:${f.location.line}` : f.location.file;
}

function findingLines(sign: string, list: Finding[]): string {
  return inertJoin(
    list.flatMap((f) => [
      `  ${sign} ${f.severity.toUpperCase().padEnd(7)} ${f.id}${f.instance ? `  ${f.instance}` : ""}`,
      `      ${f.message}`,
      `      ${where(f)}`,
    ]),
  );
}

/** `Allow`, `Deny by nsg-apim securityRules/X (priority 200)`, with next hops; `absent` for a missing side. */
function side(s: FlowChange["before"]): string {
  if (!s) return "absent";
  const by = s.decidedBy ? ` by ${s.decidedBy}` : "";
  const hops = s.nextHops?.length ? `, next hop ${s.nextHops.join("/")}` : "";
  return `${s.verdict}${by}${hops}`;
}

function flowLine(c: FlowChange): string {
  const r = c.requirement;
  const ends = r.direction === "Inbound" ? `${r.source} → subnet` : `subnet → ${r.destination}`;
  return inertJoin([
    `  ${c.instance}: ${r.direction} ${r.protocol.toUpperCase()} ${r.ports.join(",")} ${ends} (${r.purpose})`,
    `      ${side(c.before)}  →  ${side(c.after)}`,
  ]);
}

/** The diff for a terminal; every line inert (a name from the inputs cannot start a line of its own). */
export function formatDiffText(report: DiffReport): string {
  const { appeared, disappeared, unchanged } = report.findings;
  let out = `${inertJoin([`Before: ${report.before.join(", ")}`, `After:  ${report.after.join(", ")}`])}\n`;
  out += `Findings that appear (${appeared.length}):\n${findingLines("+", appeared) || "  none\n"}\n`;
  out += `Findings that disappear (${disappeared.length}):\n${findingLines("-", disappeared) || "  none\n"}\n`;
  out += `Flows that change (${report.flows.length}):\n${report.flows.map(flowLine).join("") || "  none\n"}\n`;
  const s = diffSummary(report);
  out += `Summary: ${appeared.length} finding(s) appear (${s.appeared.error} error(s)), ${disappeared.length} disappear, ${unchanged} unchanged; ${report.flows.length} flow(s) change\n`;
  return out;
}
