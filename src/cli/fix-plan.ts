/**
 * @module cli/fix-plan
 * CLI layer, `apim-netcheck fix`: from findings to the edits of each file. The changes of every finding
 * (model/change) are merged where they touch the same target (the same subnet restated by three findings is
 * restated once, with all three changes), tied to where the inputs declare their target (or, for a new child,
 * its parent: each model resource carries its file and JSON pointer), grouped by file and given to the edit
 * writer of the file's input format (ingest/edits). A finding is fixed whole or not at all: when one of its
 * changes conflicts with another finding's or is refused by a writer, none of its changes is written and the
 * plan is made again without it.
 */
import { formOf } from "../checks/fix/forms.js";
import type { Finding } from "../checks/types.js";
import { applyEdits, EDIT_WRITERS, type EditRequest, editWriterFor, type TextEdit } from "../ingest/edits.js";
import { parseJson } from "../ingest/json/parse.js";
import { type Change, nameOf, parentOf, type Target } from "../model/change.js";
import { displayName, idKey } from "../model/ids.js";
import { modelResources, type NetworkModel } from "../model/network.js";
import type { ResourceBase } from "../model/resources.js";
import { formatSource, type SourceRef } from "../model/source.js";

/** The edits of one file. */
export interface FileFix {
  file: string;
  before: string;
  after: string;
  edits: TextEdit[];
  /** How many (merged) changes the edits write. */
  changes: number;
}

/** A finding whose fix is not written, with the one line that says why (and the target it stopped at). */
export interface RefusedFix {
  finding: Finding;
  target: string;
  reason: string;
}

export interface FixPlan {
  files: FileFix[];
  /** Findings whose changes are all written. */
  fixed: Finding[];
  refused: RefusedFix[];
}

/** One change after merging, with the findings that ask for it. */
interface Merged {
  change: Change;
  findings: Finding[];
}

/** Where a change is written: a file, and the pointer of its target's (or parent's) declaration there. */
interface Place {
  file: string;
  pointer?: string;
  /** The declaration's line and column (formats placed by line: Bicep). */
  at?: { line: number; column: number };
}

const targetOf = (c: Change): Target => (c.op === "create" ? c.resource : c.op === "restate" ? c.resource : c.target);

/** A short name of a change's target for messages (`nsg-apim/Allow-3443`). */
export function targetName(c: Change): string {
  return displayName(targetOf(c).id) || targetOf(c).names.join("/");
}

/** The plan that writes the changes of `findings` (each finding's `changes`) into the files of `model`. */
export function planFixes(model: NetworkModel, findings: Finding[], read: (file: string) => string): FixPlan {
  const index = declarations(model);
  const refused: RefusedFix[] = [];
  let pending = findings.filter((f) => (f.changes?.length ?? 0) > 0);
  for (;;) {
    const { merged, conflicts } = merge(pending);
    const outcome = write(model, index, merged, read);
    const stopped = [...conflicts, ...outcome.refused];
    if (stopped.length === 0) return { files: outcome.files, fixed: pending, refused };
    const out = new Set(stopped.map((r) => r.finding));
    refused.push(...stopped.filter((r, i) => stopped.findIndex((s) => s.finding === r.finding) === i));
    pending = pending.filter((f) => !out.has(f));
  }
}

/** The model's declared resources by id (made-up parents kept apart: they are declared nowhere). */
function declarations(model: NetworkModel): Map<string, ResourceBase[]> {
  const out = new Map<string, ResourceBase[]>();
  for (const r of modelResources(model)) out.set(idKey(r.id), [...(out.get(idKey(r.id)) ?? []), r]);
  return out;
}

/** The changes of `findings` merged by target; findings whose changes contradict earlier ones are set apart. */
function merge(findings: Finding[]): { merged: Merged[]; conflicts: RefusedFix[] } {
  let state = new Map<string, Merged>();
  const conflicts: RefusedFix[] = [];
  for (const finding of findings) {
    const next = new Map(state);
    let conflict: RefusedFix | undefined;
    for (const change of finding.changes ?? []) {
      const key = idKey(targetOf(change).id);
      const had = next.get(key);
      const joined = had ? mergeTwo(had.change, change) : change;
      if (joined === undefined) {
        const other = had!.findings[0]!;
        conflict = {
          finding,
          target: targetName(change),
          reason: `it changes ${targetName(change)} otherwise than the fix of ${other.id} does, which is written instead`,
        };
        break;
      }
      next.set(key, { change: joined, findings: [...(had?.findings ?? []), finding] });
    }
    if (conflict) conflicts.push(conflict);
    else state = next;
  }
  return { merged: [...state.values()], conflicts };
}

/** Two changes of one target as one, or undefined when they contradict each other. */
function mergeTwo(a: Change, b: Change): Change | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  if (a.op === "restate" && b.op === "restate") {
    const properties = { ...a.resource.properties };
    for (const k of b.changed) {
      if (
        a.changed.includes(k) &&
        JSON.stringify(a.resource.properties[k]) !== JSON.stringify(b.resource.properties[k])
      )
        return undefined;
      if (b.resource.properties[k] === undefined) delete properties[k];
      else properties[k] = b.resource.properties[k]!;
    }
    return {
      op: "restate",
      resource: { ...a.resource, properties },
      changed: [...new Set([...a.changed, ...b.changed])],
    };
  }
  if (a.op === "patch" && b.op === "patch") {
    for (const [k, v] of Object.entries(b.set))
      if (k in a.set && JSON.stringify(a.set[k]) !== JSON.stringify(v)) return undefined;
    return { op: "patch", target: a.target, set: { ...a.set, ...b.set } };
  }
  return undefined;
}

/** The one declaration of `id` the findings point at; a reason when there is none, or several. */
function declarationOf(
  index: Map<string, ResourceBase[]>,
  id: string,
  findings: Finding[],
): ResourceBase | string | undefined {
  const found = index.get(idKey(id)) ?? [];
  if (found.length === 0) return undefined;
  if (found.length === 1) return found[0]!;
  const cited = found.filter((r) =>
    findings.some((f) => f.location.file === r.src.file && f.location.line === r.src.line),
  );
  if (cited.length === 1) return cited[0]!;
  return `${displayName(id)} is declared ${found.length} times (${found.map((r) => formatSource(r.src)).join(", ")})`;
}

/** Where `m` is written, or the reason it cannot be. */
function placeOf(index: Map<string, ResourceBase[]>, m: Merged, all: Merged[]): Place | string {
  const c = m.change;
  const target = targetOf(c);
  if (c.op !== "create") {
    const decl = declarationOf(index, target.id, m.findings);
    if (typeof decl === "string") return decl;
    if (!decl || decl.madeUp) return `${targetName(c)} is not declared in the inputs`;
    return placeAt(decl.src);
  }
  const parent = parentOf(c.resource);
  if (parent) {
    const decl = declarationOf(index, parent.id, m.findings);
    if (typeof decl === "string") return decl;
    if (decl && !decl.madeUp) return placeAt(decl.src);
    if (decl) return { file: decl.src.file };
  }
  // A new resource goes beside what the same fix changes, else beside what the finding is about.
  for (const f of m.findings) {
    for (const other of all) {
      if (other === m || !other.findings.includes(f) || other.change.op === "create") continue;
      const decl = declarationOf(index, targetOf(other.change).id, [f]);
      if (decl && typeof decl !== "string" && !decl.madeUp) return { file: decl.src.file };
    }
    const about = declarationOf(index, f.resource, [f]);
    if (about && typeof about !== "string" && !about.madeUp) return { file: about.src.file };
  }
  const file = m.findings[0]?.location.file;
  return file && !file.startsWith("<") ? { file } : `no input declares where ${nameOf(target)} belongs`;
}

/** Runs each file's writer over the merged changes placed in it. */
function write(
  model: NetworkModel,
  index: Map<string, ResourceBase[]>,
  merged: Merged[],
  read: (file: string) => string,
): { files: FileFix[]; refused: RefusedFix[] } {
  const refused: RefusedFix[] = [];
  const refuse = (m: Merged, reason: string) =>
    refused.push(...m.findings.map((finding) => ({ finding, target: targetName(m.change), reason })));
  const byFile = new Map<string, { merged: Merged; request: EditRequest }[]>();
  for (const m of merged) {
    const place = placeOf(index, m, merged);
    if (typeof place === "string") {
      refuse(m, place);
      continue;
    }
    const list = byFile.get(place.file) ?? [];
    list.push({ merged: m, request: { change: m.change, pointer: place.pointer, at: place.at } });
    byFile.set(place.file, list);
  }
  const files: FileFix[] = [];
  for (const [file, list] of byFile) {
    const format = model.inputs.find((i) => i.file === file)?.format ?? formatByName(file);
    const writer = editWriterFor(format === "bicep-module" ? "bicep" : format);
    if (!writer) {
      const can = EDIT_WRITERS.map((w) => w.format).join(", ");
      const why =
        format === "unknown"
          ? `${file} is not an input fix can write (it writes ${can})`
          : `${file} is ${format}, which fix cannot write yet (it writes ${can}); apply the fix check prints`;
      for (const { merged: m } of list) refuse(m, why);
      continue;
    }
    const text = read(file);
    const parsed = parseJson(text, file);
    const json = parsed.ok ? parsed.doc : undefined;
    const outcome = writer.edits(
      { file, text, json },
      list.map((x) => x.request),
      {
        declaredAt: (id) => {
          const decl = declarationOf(index, id, []);
          return decl && typeof decl !== "string" && decl.src.file === file ? pointerIn(decl.src) : undefined;
        },
        declaredSource: (id) => {
          const decl = declarationOf(index, id, []);
          return decl && typeof decl !== "string" && decl.src.file === file && decl.src.line > 0
            ? { line: decl.src.line, column: decl.src.column }
            : undefined;
        },
        typeForm: (type) => {
          const form = formOf(type);
          if (!form) return undefined;
          // Only the attributes written as plain values: references and lists of ids azurerm spells otherwise.
          const attrs = Object.entries(form.terraform.attrs).filter(([, a]) => !a.as);
          return {
            type: form.type,
            apiVersion: form.apiVersion,
            location: form.location,
            terraform: {
              resource: form.terraform.resource,
              parents: form.terraform.parents,
              attrs: Object.fromEntries(attrs.map(([k, a]) => [k, a.attr])),
            },
          };
        },
      },
    );
    for (const r of outcome.refused) refuse(list[r.index]!.merged, r.reason);
    const changes = list.length - outcome.refused.length;
    if (outcome.edits.length > 0)
      files.push({ file, before: text, after: applyEdits(text, outcome.edits), edits: outcome.edits, changes });
  }
  return { files, refused };
}

/** The place of a declaration: its file, pointer, line and column. */
function placeAt(src: SourceRef): Place {
  return {
    file: src.file,
    pointer: src.pointer,
    at: src.line > 0 ? { line: src.line, column: src.column } : undefined,
  };
}

/**
 * The format of a file no input lists by its own name: a Bicep module the entry file uses, a `.tf` file of a
 * module, read through their entry (their resources are placed in them).
 */
function formatByName(file: string): string {
  const lower = file.toLowerCase();
  return lower.endsWith(".bicep") ? "bicep" : lower.endsWith(".tf") ? "terraform" : "unknown";
}

/** The pointer of a place (a made-up or built-in place has none). */
function pointerIn(src: SourceRef): string | undefined {
  return src.line > 0 ? src.pointer : undefined;
}
