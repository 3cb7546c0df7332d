/**
 * Test helper: evaluates ARM templates and single expressions in memory, collecting diagnostics.
 */

import type { Sink, Site } from "../../src/ingest/arm/evaluator.js";
import type { Json } from "../../src/ingest/arm/expression/values.js";
import type { SuppliedParameter } from "../../src/ingest/arm/parameters.js";
import { evaluateTemplate } from "../../src/ingest/arm/resources.js";
import { defaultScope } from "../../src/ingest/arm/scope.js";
import { type LoadResult, loadDocuments, toDocument } from "../../src/ingest/load.js";

export const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

export interface Collected {
  severity: string;
  code: string;
  message: string;
  site: Site | undefined;
}

/** A sink that keeps every diagnostic. */
export function collectingSink(): Sink & { items: Collected[] } {
  const items: Collected[] = [];
  return {
    items,
    report: (severity, code, message, site) => {
      items.push({ severity, code, message, site });
    },
    alias: () => {},
  };
}

/** Evaluates `template` (parameters given as name → value, command-line kind) without the model. */
export function evaluate(template: Json, params: Record<string, unknown> = {}) {
  const sink = collectingSink();
  const supplied: SuppliedParameter[] = Object.entries(params).map(([name, value]) => ({
    name,
    value,
    kind: "command line",
  }));
  const result = evaluateTemplate(
    { $schema: SCHEMA, contentVersion: "1.0.0.0", ...template },
    defaultScope("t.json"),
    sink,
    supplied,
  );
  return { ...result, diagnostics: sink.items };
}

/** The value of one expression (`[...]` text or any template value), with the template's other sections. */
export function expr(text: unknown, template: Json = {}) {
  const { outputs, diagnostics } = evaluate({ ...template, outputs: { result: { type: "object", value: text } } });
  return { value: (outputs.result as Json | undefined)?.value, diagnostics };
}

/** The value of an expression that must evaluate without any diagnostic. */
export function value(text: unknown, template: Json = {}): unknown {
  const { value, diagnostics } = expr(text, template);
  if (diagnostics.length > 0)
    throw new Error(`unexpected diagnostics: ${diagnostics.map((d) => d.message).join("; ")}`);
  return value;
}

/** Loads a template through the whole pipeline (parse with locations, ingest, model). */
export function load(template: Json, file = "template.json", parameters: string[] = []): LoadResult {
  const text = JSON.stringify({ $schema: SCHEMA, contentVersion: "1.0.0.0", ...template }, null, 2);
  return loadDocuments([toDocument(file, text)], { parameters });
}
