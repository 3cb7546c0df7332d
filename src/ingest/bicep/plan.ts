/**
 * @module ingest/bicep/plan
 * Ingest layer, Bicep: which Bicep inputs of a run are roots. In a directory walk a file another input uses
 * as a module is evaluated through its caller, with the parameters the caller gives, and not on its own (its
 * parameters would all be Unknown and its resources would appear twice); a template a `.bicepparam` input
 * names in `using` is evaluated through that parameters file, with its values; a compiled template committed
 * beside its `.bicep` source (`main.json` beside `main.bicep`, as Azure Verified Modules do) is the same
 * deployment again and is read through its source. Files that use each other in a cycle stay roots (the
 * evaluation reports the cycle). The plan is made once per run, from every input's syntax tree.
 */
import { dirname, join, resolve } from "node:path";
import type { IngestContext, InputDocument } from "../types.js";
import { type Program, stringValue } from "./ast.js";
import { type BicepDiagnostic, parseBicep } from "./parser.js";
import { modulePath } from "./restore-cache.js";

/** A Bicep input of the run, parsed once. */
export interface ParsedInput {
  doc: InputDocument;
  path: string;
  program: Program;
  diagnostics: BicepDiagnostic[];
}

export interface BicepPlan {
  /** Bicep and .bicepparam inputs by absolute path. */
  inputs: Map<string, ParsedInput>;
  /** Inputs evaluated through a caller: path → the callers' names. */
  modules: Map<string, string[]>;
  /** Templates evaluated through .bicepparam inputs: path → those inputs. */
  usedBy: Map<string, ParsedInput[]>;
  /** Compiled templates read through their source: JSON input → the source's name. */
  compiled: Map<InputDocument, string>;
}

// Bicep: a resource or module with a quoted 'type@apiVersion', targetScope, a typed param, an import or a
// user-defined type or function at a line start; .bicepparam files: a `using` line.
const BICEP =
  /^[ \t]*(?:(?:resource|module)\s+\w+\s+'[^'\n]+'|targetScope\s*=|param\s+\w+\s+[\w.]+|import\s+(?:\{[^}\n]*\}\s*from|\*\s+as\s|')|(?:type|func)\s+\w+\s*[=(]|@export\(\))/m;
const BICEPPARAM = /^[ \t]*using\s+(?:'[^'\n]+'|none\b)/m;

/** True for a .bicepparam input (from its content; the name when the content says nothing else). */
export function isBicepparam(doc: InputDocument): boolean {
  return !doc.json && (BICEPPARAM.test(doc.text) || /\.bicepparam$/i.test(doc.file));
}

/** True for a .bicep input (from its content; the name for a file of types or functions only). */
export function isBicep(doc: InputDocument): boolean {
  if (doc.json || isBicepparam(doc)) return false;
  if (/\.(tf|tfvars|ya?ml)$/i.test(doc.file)) return false;
  return BICEP.test(doc.text) || /\.bicep$/i.test(doc.file);
}

const plans = new WeakMap<IngestContext, BicepPlan>();

/** The plan of the run `ctx` belongs to (made on first use). */
export function planFor(ctx: IngestContext): BicepPlan {
  let plan = plans.get(ctx);
  if (!plan) {
    plan = makePlan(ctx.documents ?? []);
    plans.set(ctx, plan);
  }
  return plan;
}

/** Parses one input (also for runs with no document list: a single input is its own root). */
export function parseInput(doc: InputDocument): ParsedInput {
  const fileKind = isBicepparam(doc) ? "bicepparam" : "bicep";
  const { ast, diagnostics } = parseBicep(doc.text, doc.file, { fileKind });
  return { doc, path: resolve(doc.file), program: ast, diagnostics };
}

/** The plan of `documents` (also for `--bicep-cli`, which compiles only the roots). */
export function makePlan(documents: readonly InputDocument[]): BicepPlan {
  const plan: BicepPlan = { inputs: new Map(), modules: new Map(), usedBy: new Map(), compiled: new Map() };
  for (const doc of documents) {
    if (isBicep(doc) || isBicepparam(doc)) {
      const parsed = parseInput(doc);
      plan.inputs.set(parsed.path, parsed);
    }
  }
  const edges = new Map<string, string[]>();
  for (const input of plan.inputs.values()) {
    for (const target of referencedFiles(input)) {
      if (!plan.inputs.has(target.path) || target.path === input.path) continue;
      if (target.using) {
        const list = plan.usedBy.get(target.path) ?? [];
        list.push(input);
        plan.usedBy.set(target.path, list);
      } else {
        const callers = plan.modules.get(target.path) ?? [];
        if (!callers.includes(input.doc.file)) callers.push(input.doc.file);
        plan.modules.set(target.path, callers);
        edges.set(input.path, [...(edges.get(input.path) ?? []), target.path]);
      }
    }
  }
  // Files that only call each other (a cycle) have no root above them: they stay roots.
  const reached = new Set<string>();
  const visit = (path: string) => {
    if (reached.has(path)) return;
    reached.add(path);
    for (const next of edges.get(path) ?? []) visit(next);
  };
  for (const path of plan.inputs.keys()) if (!plan.modules.has(path)) visit(path);
  for (const path of [...plan.modules.keys()]) if (!reached.has(path)) plan.modules.delete(path);
  for (const doc of documents) {
    const source = compiledSource(doc, plan);
    if (source) plan.compiled.set(doc, source);
  }
  return plan;
}

/** The local module files and the `using` template a file names (literal paths only). */
function referencedFiles(input: ParsedInput): { path: string; using: boolean }[] {
  const out: { path: string; using: boolean }[] = [];
  for (const s of input.program.statements) {
    const text =
      s.kind === "ModuleDecl"
        ? stringValue(s.path)
        : s.kind === "UsingDecl" && s.path
          ? stringValue(s.path)
          : undefined;
    if (text === undefined) continue;
    const where = modulePath(text, input.path, input.doc.file, undefined);
    if (where.kind === "local" && !where.json) out.push({ path: where.path, using: s.kind === "UsingDecl" });
  }
  return out;
}

/** The .bicep input a compiled template beside it was built from (Bicep's generator metadata says so). */
function compiledSource(doc: InputDocument, plan: BicepPlan): string | undefined {
  const value = doc.json?.value as { metadata?: { _generator?: { name?: unknown } } } | undefined;
  if (value?.metadata?._generator?.name !== "bicep") return undefined;
  const path = resolve(doc.file);
  const source = join(dirname(path), `${path.replace(/^.*[\\/]/, "").replace(/\.json$/i, "")}.bicep`);
  return plan.inputs.get(source)?.doc.file;
}
