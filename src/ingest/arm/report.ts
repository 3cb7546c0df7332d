/**
 * @module ingest/arm/report
 * What the ARM ingesters learnt about each template beyond its resources: the parameters and where each
 * value came from, for `inventory` to show. Kept beside the model (keyed by it) rather than in it, since
 * only the inventory reads it.
 */
import type { NetworkModel } from "../../model/network.js";
import type { SourceRef } from "../../model/source.js";
import type { ParameterOriginKind } from "./parameters.js";

export interface ParameterUse {
  name: string;
  type: string;
  /** The value as evaluated; secure parameters are never shown. */
  value: unknown;
  origin: ParameterOriginKind;
  /** The parameters file when the value came from one. */
  file?: string;
  /** Where the value (or, for a default, the declaration) is written. */
  src: SourceRef;
  secure: boolean;
}

export interface ArmTemplateReport {
  file: string;
  /** Nested deployments are reported with their template's location. */
  parameters: ParameterUse[];
  /** Values given with --parameters that the template does not declare. */
  unusedParameters: string[];
}

const reports = new WeakMap<NetworkModel, ArmTemplateReport[]>();

/** Adds a template's report to the model's list. */
export function addArmReport(model: NetworkModel, report: ArmTemplateReport): void {
  const list = reports.get(model);
  if (list) list.push(report);
  else reports.set(model, [report]);
}

/** The reports of the ARM templates loaded into `model`, in input order. */
export function armReports(model: NetworkModel): ArmTemplateReport[] {
  return reports.get(model) ?? [];
}
