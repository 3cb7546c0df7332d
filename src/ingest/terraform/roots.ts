/**
 * @module ingest/terraform/roots
 * Ingest layer, Terraform: which Terraform inputs of a run are root modules. All `.tf` files of one directory
 * are one configuration (Terraform reads a directory, not a file), read once, through the first of them in
 * input order; a directory that another input directory calls as a local module (`source = "./modules/x"`)
 * is read through its caller, with the arguments the caller gives, and not on its own (its variables would all
 * be Unknown and its resources would appear twice); directories that call each other in a cycle stay roots. A
 * plan JSON in the same directory as a configuration is the same deployment with its values: the plan is read,
 * and the `.tf` files give its places. Made once per run, from every input.
 */
import { dirname, join, resolve } from "node:path";
import type { IngestContext, InputDocument } from "../types.js";
import { FileTable, type TfFile } from "./config/files.js";
import type { RunHost } from "./config/run.js";
import { attributeOf, blocksOf } from "./hcl/ast.js";

export interface RootPlan {
  files: FileTable;
  host: RunHost;
  /** Directory → its `.tf` inputs, in input order. */
  dirs: Map<string, InputDocument[]>;
  /** Module directories read through callers: directory → the callers' directories. */
  modules: Map<string, string[]>;
  /** Configuration directories with a plan JSON beside them: directory → the plan input. */
  planned: Map<string, InputDocument>;
  /** Inputs already loaded (a directory is read once, through its first file). */
  loaded: Set<string>;
}

const TERRAFORM =
  /^[ \t]*(?:(?:resource|data)\s+"[\w-]+"\s+"[\w-]+"|(?:provider|variable|module|output)\s+"[\w-]+"|terraform|locals|moved|import|removed|check)\s*\{/m;

/** A `.tf` input: its name says so, or its content has a Terraform block (and it is not JSON or Bicep). */
export function isTerraformConfig(doc: InputDocument): boolean {
  if (doc.json || /\.(tfvars|bicep|bicepparam|ya?ml)$/i.test(doc.file)) return false;
  return /\.tf$/i.test(doc.file) || TERRAFORM.test(doc.text);
}

export function isTfvars(doc: InputDocument): boolean {
  return !doc.json && /\.tfvars$/i.test(doc.file);
}

/** A `terraform show -json` plan (or a saved one: OpenTofu writes the same). */
export function isPlanJson(doc: InputDocument): boolean {
  const v = doc.json?.value;
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.format_version === "string" && ("planned_values" in o || "resource_changes" in o);
}

const plans = new WeakMap<object, RootPlan>();

/** The root plan of the run `ctx` belongs to (made on first use). */
export function rootPlanFor(ctx: IngestContext, host: RunHost): RootPlan {
  let plan = plans.get(ctx);
  if (!plan) {
    plan = makePlan(ctx.documents ?? [], host);
    plans.set(ctx, plan);
  }
  return plan;
}

function makePlan(documents: readonly InputDocument[], host: RunHost): RootPlan {
  const plan: RootPlan = {
    files: new FileTable(),
    host,
    dirs: new Map(),
    modules: new Map(),
    planned: new Map(),
    loaded: new Set(),
  };
  for (const doc of documents) {
    if (isTerraformConfig(doc)) {
      const dir = dirname(resolve(doc.file));
      plan.dirs.set(dir, [...(plan.dirs.get(dir) ?? []), doc]);
      plan.files.add(doc.file, resolve(doc.file), doc.text);
    } else if (isPlanJson(doc)) {
      plan.planned.set(dirname(resolve(doc.file)), doc);
    }
  }
  // Which input directories other input directories call as local modules.
  const calls = new Map<string, Set<string>>();
  for (const [dir, docs] of plan.dirs) {
    const targets = new Set<string>();
    for (const doc of docs) {
      const file = plan.files.get(resolve(doc.file));
      if (file) for (const t of localSources(file, dir)) if (t !== dir && plan.dirs.has(t)) targets.add(t);
    }
    calls.set(dir, targets);
  }
  for (const [caller, targets] of calls) {
    for (const target of targets) {
      // A cycle (each calls the other) leaves both roots.
      if (calls.get(target)?.has(caller)) continue;
      plan.modules.set(target, [...(plan.modules.get(target) ?? []), caller]);
    }
  }
  for (const dir of [...plan.planned.keys()]) if (!plan.dirs.has(dir)) plan.planned.delete(dir);
  return plan;
}

/** The directories a file's module blocks name with a local path. */
function localSources(file: TfFile, dir: string): string[] {
  const out: string[] = [];
  for (const block of blocksOf(file.body, "module")) {
    const source = attributeOf(block.body, "source")?.expr;
    if (source?.kind !== "Template" || source.parts.length !== 1 || source.parts[0]!.kind !== "text") continue;
    const text = source.parts[0]!.value;
    if (text.startsWith("./") || text.startsWith("../") || text === "." || text === "..") out.push(resolve(dir, text));
  }
  return out;
}

/** The `.tf` files of a root directory: the inputs, and the others on disk (Terraform reads them all). */
export function rootFiles(plan: RootPlan, dir: string): { files: TfFile[]; fromDisk: string[] } {
  const files = (plan.dirs.get(dir) ?? []).map((d) => plan.files.get(resolve(d.file))!).filter(Boolean);
  const known = new Set(files.map((f) => f.path));
  const fromDisk: string[] = [];
  for (const f of plan.host.tfFiles(dir) ?? []) {
    if (known.has(f.path)) continue;
    files.push(plan.files.add(relativeName(f.path), f.path, f.text));
    fromDisk.push(f.path);
  }
  return { files, fromDisk };
}

/** The auto-loaded variable files of a directory (inputs first, else from disk), in Terraform's order. */
export function dirTfvars(plan: RootPlan, dir: string, documents: readonly InputDocument[]): TfFile[] {
  const out: TfFile[] = [];
  const names = new Set<string>();
  for (const doc of documents) if (isTfvars(doc) && dirname(resolve(doc.file)) === dir) names.add(resolve(doc.file));
  for (const candidate of ["terraform.tfvars"]) names.add(join(dir, candidate));
  const ordered = [...names].sort((a, b) => order(a) - order(b) || (a < b ? -1 : 1));
  for (const path of ordered) {
    const base = path.slice(dir.length + 1);
    if (base !== "terraform.tfvars" && !base.endsWith(".auto.tfvars")) continue;
    const doc = documents.find((d) => resolve(d.file) === path);
    const text = doc?.text ?? plan.host.readFile(path);
    if (text === undefined) continue;
    out.push(plan.files.add(doc?.file ?? relativeName(path), path, text));
  }
  return out;
}

function order(path: string): number {
  return path.endsWith("/terraform.tfvars") ? 0 : 1;
}

export function relativeName(path: string): string {
  const rel = path.startsWith(process.cwd()) ? path.slice(process.cwd().length + 1) : path;
  return rel.length < path.length ? rel : path;
}
