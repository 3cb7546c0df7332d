/**
 * @module report/json
 * Report layer: `check --format json`, the machine-readable answer:
 * `{ findings, unmodeled, assumptions, summary: { error, warning, info } }` plus the inputs (and the deployment
 * units they form, when several), the input diagnostics that no finding reports (a file skipped, a parameter
 * without a value) and the service-tag snapshot the answer was computed with. Each finding carries, beside its
 * `message`, the `messageId` of its check's message (CheckMeta.messages) and the `data` that fill it, which are
 * what a machine reader should compare: the wording may improve, the id and values stay.
 */
import type { Finding } from "../checks/types.js";
import { type ReportContext, summarize } from "./context.js";

export function formatJson(findings: Finding[], ctx: ReportContext): string {
  const body = {
    findings,
    unmodeled: ctx.unmodeled.map((u) => ({
      type: u.type,
      name: u.name,
      id: u.id,
      location: { file: u.src.file, line: u.src.line },
    })),
    assumptions: ctx.assumptions,
    summary: summarize(findings),
    inputs: ctx.inputs,
    ...(ctx.units ? { units: ctx.units } : {}),
    diagnostics: ctx.diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      message: d.message,
      ...(d.src ? { location: { file: d.src.file, line: d.src.line, column: d.src.column } } : {}),
    })),
    serviceTags: ctx.serviceTags,
    toolVersion: ctx.toolVersion,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
