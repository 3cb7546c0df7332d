/**
 * @module ingest/bicep/arm-module
 * Ingest layer, Bicep evaluation: modules that are compiled ARM templates — a registry module or template spec
 * restored by `bicep restore` (its cached `main.json`), or a local `module x './x.json'`. The template is
 * evaluated by the ARM evaluator as a nested deployment would be (src/ingest/arm/resources.ts), in the module's
 * scope, with the parameters the Bicep caller gives; its resources join the model located in the JSON file, and
 * its outputs answer `mod.outputs.x`. Also the values a registry `import` reads from such a template (its
 * exported variables and functions, which Bicep compiles into `variables` and the `__bicep` namespace).
 */
import type { SourceRef } from "../../model/source.js";
import { unknownValue } from "../../model/unknown.js";
import { type Budget, type Sink, type Site, TemplateEvaluator } from "../arm/evaluator.js";
import { getMember, hasMember, isPlainObject, type Json } from "../arm/expression/values.js";
import type { SuppliedParameter } from "../arm/parameters.js";
import { evaluateTemplate, undecidedConditionSite } from "../arm/resources.js";
import type { JsonDocument } from "../json/parse.js";
import { parseJson } from "../json/parse.js";
import type { Supplied } from "./params.js";
import type { Run } from "./run.js";
import type { BicepScope } from "./scope.js";

/**
 * True for an ARM deployment template, as the ARM ingester decides it (`$schema` ending
 * `deploymentTemplate.json#`, or a `contentVersion` with `resources`). Restated here rather than imported: the
 * ARM ingester module sits in an import cycle with the ingest registry, which imports this module's ingester.
 */
export function isTemplate(value: unknown): value is Json {
  if (!isPlainObject(value)) return false;
  const schema = value.$schema;
  if (typeof schema === "string") return /deploymenttemplate\.json#?$/i.test(schema);
  return typeof value.contentVersion === "string" && (Array.isArray(value.resources) || isPlainObject(value.resources));
}

/** A compiled template read and parsed, or why not. */
export type CompiledTemplate = { ok: true; doc: JsonDocument; template: Json } | { ok: false; reason: string };

/** Reads `path` as a compiled ARM template (the JSON document is registered for locations). */
export function readCompiled(run: Run, path: string, shown: string): CompiledTemplate {
  const read = run.readText(path, 64 * 1024 * 1024);
  if (!read.ok) return read;
  const parsed = parseJson(read.text, shown);
  if (!parsed.ok)
    return {
      ok: false,
      reason: `not valid JSON: ${parsed.error.line}:${parsed.error.column}: ${parsed.error.message}`,
    };
  if (!isTemplate(parsed.doc.value)) return { ok: false, reason: "not an ARM template" };
  run.options.sources?.addLocator(parsed.doc);
  return { ok: true, doc: parsed.doc, template: parsed.doc.value as Json };
}

/** An ARM evaluator sink that reports through the run, locating JSON nodes in `doc` and Bicep values by the run's locator. */
function sinkFor(run: Run, doc: JsonDocument): Sink & { locate(site: Site | undefined): SourceRef } {
  const fallback: SourceRef = { file: doc.file, pointer: "", line: 1, column: 1 };
  const locate = (site: Site | undefined): SourceRef => {
    if (!site) return fallback;
    if (doc.owns(site.node))
      return (site.key === undefined ? doc.locate(site.node) : doc.locateMember(site.node, site.key)) ?? fallback;
    return run.locator.locate(site.node) ?? fallback;
  };
  return {
    report: (severity, code, message, site) => run.reportAt(severity, code, message, locate(site)),
    alias: (built, origin) => run.options.sources?.alias(built, origin),
    locate,
  };
}

export interface EvaluatedModule {
  resources: Json[];
  outputs: Json;
  /** Where each undecided resource's condition is written. */
  undecided(node: Json): { reason: string; src: SourceRef } | undefined;
}

/** Evaluates a compiled template as the module deployment `scope`, with the caller's parameters. */
export function evaluateCompiled(
  run: Run,
  compiled: { doc: JsonDocument; template: Json },
  scope: BicepScope,
  supplied: ReadonlyMap<string, Supplied>,
): EvaluatedModule {
  const sink = sinkFor(run, compiled.doc);
  const params: SuppliedParameter[] = [...supplied].map(([name, s]) => ({
    name,
    value: s.value,
    kind: "parent deployment",
  }));
  // The run's iterations and steps are what the compiled module may spend (ingest/arm/limits): a loop of
  // modules cannot multiply the ARM evaluator's budget.
  const budget: Budget = { copies: Math.max(0, run.iterations), steps: Math.max(0, run.steps) };
  const result = evaluateTemplate(compiled.template, scope, sink, params, { budget, outputs: true });
  run.iterations = budget.copies;
  run.steps = Math.max(0, budget.steps ?? 0);
  return {
    resources: result.resources,
    outputs: result.outputs,
    undecided: (node) => {
      const site = undecidedConditionSite(node);
      return site ? { reason: site.reason, src: sink.locate(site.site) } : undefined;
    },
  };
}

/** The value of output `name` of an evaluated compiled module (case-insensitive, as ARM). */
export function compiledOutput(outputs: Json, name: string): { value: unknown } | undefined {
  if (!hasMember(outputs, name)) return undefined;
  const entry = getMember(outputs, name);
  return { value: isPlainObject(entry) && "value" in entry ? entry.value : entry };
}

/** What a registry `import` reads from a compiled template: its exported variables and functions. */
export class CompiledExports {
  private readonly evaluator: TemplateEvaluator;

  constructor(run: Run, compiled: { doc: JsonDocument; template: Json }, scope: BicepScope) {
    this.evaluator = new TemplateEvaluator(
      compiled.template,
      scope,
      sinkFor(run, compiled.doc),
      { copies: 10_000 },
      [],
    );
  }

  variable(name: string): { value: unknown } | undefined {
    const vars = this.evaluator.template.variables;
    if (!isPlainObject(vars) || !hasMember(vars, name)) return undefined;
    return { value: this.evaluator.variable(name) };
  }

  call(name: string, args: unknown[]): { value: unknown } | undefined {
    return this.evaluator.userFunction(`__bicep.${name}`, args);
  }
}

/** The Unknown value an output of a module we cannot read stands for. */
export function unreadOutput(symbol: string, name: string, why: string): string {
  return unknownValue(`${symbol}.outputs.${name}: ${why}`);
}
