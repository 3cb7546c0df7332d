/**
 * @module report/context
 * Report layer: everything a formatter prints besides the findings: the checks that ran (for SARIF rules and
 * docs links), what the inputs were and what was not modelled, what was assumed, the service-tag snapshot, and
 * the tool's version. Formatters are pure functions of (findings, ReportContext) (style.md).
 */
import type { CheckMeta, Finding } from "../checks/types.js";
import type { ServiceTagMeta } from "../engine/servicetags/catalog.js";
import type { Diagnostic } from "../model/diagnostics.js";
import type { InputSummary } from "../model/network.js";
import type { UnmodeledResource } from "../model/resources.js";

export interface ReportContext {
  toolVersion: string;
  checks: CheckMeta[];
  inputs: InputSummary[];
  unmodeled: UnmodeledResource[];
  /** Everything the answers rest on that no input states, one sentence each. */
  assumptions: string[];
  diagnostics: Diagnostic[];
  serviceTags: ServiceTagMeta;
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
