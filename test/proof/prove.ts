/**
 * The fix proof (issue "Findings to trust and one fix engine", item 3): on a copy of one case's inputs, run
 * every check as `apim-netcheck check` does, write ALL the fixes of that run at once through the writer
 * `apim-netcheck fix` uses (cli/fix-plan and the front ends' edit writers), read the patched files again with
 * our own readers and check again. What it returns is what the proof asserts: the findings the patch added (by
 * check id, instance, resource and evaluated flow, never by message text), the fixed findings still there, the
 * fixes refused with their reasons, and findings with fix text but no change `fix` could write.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { findingKey } from "../../src/checks/compare.js";
import type { Finding } from "../../src/checks/types.js";
import { checkAnalysis } from "../../src/cli/commands/check.js";
import { type CommonOptions, loadAnalysis } from "../../src/cli/context.js";
import { type FileFix, planFixes, type RefusedFix } from "../../src/cli/fix-plan.js";
import { readText } from "../../src/ingest/load.js";
import { InputError } from "../../src/model/diagnostics.js";

/** One case: a folder copied whole (so relative references keep working) and the inputs in it. */
export interface ProofCase {
  name: string;
  /** The folder copied; every input is below it. */
  root: string;
  /** The inputs, relative to `root` (files or folders). */
  inputs: string[];
  /** An `--assume` file, relative to `root`. */
  assume?: string;
}

export interface ProofResult {
  name: string;
  /** Why the case could not be read (exit 2 of the CLI); nothing else is then filled. */
  notRead?: string;
  findings: number;
  /** Findings with changes, each either fixed or refused. */
  withChanges: number;
  files: FileFix[];
  fixed: Finding[];
  refused: RefusedFix[];
  /** Findings that print fix text but carry no change `fix` could write (so `fix` counts them as without). */
  textOnly: Finding[];
  /** Findings after the patch whose key the run before did not have as often. */
  added: Finding[];
  /**
   * Of what would be added or still there: findings that judge an observed network status (`observed`
   * evidence). The status file is a snapshot of the network before the fix, and stays so after the patch: a
   * failure it records is then not explained by the fixed configuration, as the check rightly says.
   */
  stale: Finding[];
  /**
   * Of what would be added or still there: infos about an instance whose virtualNetworkType a fix of the run
   * sets. The instance is then checked in its new mode, and what that mode recommends (a /24 for a v2 subnet, a
   * leftover subnet setting of an instance taken out of its VNet) is new; an info, never a warning or error.
   */
  followUps: Finding[];
  /** Fixed findings still reported after the patch. */
  notGone: Finding[];
  /** Error diagnostics of the patched inputs that the originals did not have (by code and message). */
  newErrors: string[];
}

const errorsOf = (diagnostics: { severity: string; code: string; message: string }[], root: string) =>
  diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message.split(root).join("")}`);

/** Counts of each key. */
function tally(findings: Finding[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) out.set(findingKey(f), (out.get(findingKey(f)) ?? 0) + 1);
  return out;
}

/** Runs the proof on `c` (see the module note). */
export function prove(c: ProofCase, options: CommonOptions = {}): ProofResult {
  const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-proof-"));
  const empty: ProofResult = {
    name: c.name,
    findings: 0,
    withChanges: 0,
    files: [],
    fixed: [],
    refused: [],
    textOnly: [],
    added: [],
    notGone: [],
    stale: [],
    followUps: [],
    newErrors: [],
  };
  try {
    cpSync(c.root, dir, { recursive: true });
    const inputs = c.inputs.map((i) => join(dir, i));
    const opts: CommonOptions = { ...options, assume: c.assume ? join(dir, c.assume) : options.assume };
    let analysis: ReturnType<typeof loadAnalysis>;
    try {
      analysis = loadAnalysis(inputs, opts);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return { ...empty, notRead: error.message.split(dir).join(c.name) };
    }
    const before = checkAnalysis(analysis, {}).findings;
    const plan = planFixes(analysis.model, before, readText);
    for (const f of plan.files) writeFileSync(f.file, f.after);
    // Read again from the patched files, as `fix` does after writing.
    const again = plan.files.length > 0 ? loadAnalysis(inputs, opts) : analysis;
    const after = again === analysis ? before : checkAnalysis(again, {}).findings;
    const reloaded = again.model.diagnostics;

    const observedFiles = new Set(again.model.observed.effectiveNsgs.flatMap((o) => o.groups.map((g) => g.src.file)));
    const had = tally(before);
    const gone = tally(plan.fixed);
    const seen = new Map<string, number>();
    const added: Finding[] = [];
    const notGone: Finding[] = [];
    const stale: Finding[] = [];
    const followUps: Finding[] = [];
    const remoded = new Set(
      plan.fixed
        .filter((f) => f.changes?.some((c) => c.op === "patch" && "virtualNetworkType" in c.set))
        .map((f) => f.instance),
    );
    for (const f of after) {
      const key = findingKey(f);
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      const list =
        n > (had.get(key) ?? 0) ? added : n > (had.get(key) ?? 0) - (gone.get(key) ?? 0) ? notGone : undefined;
      if (!list) continue;
      // A verdict taken from an observed export (an effective-NSG export decides in place of the template's NSG)
      // still holds the state before the fix: deploying the patched template replaces what was observed, which an
      // offline re-check cannot see. Such findings are counted stale, not proven and not failed.
      if (f.evidence.some((e) => e.kind === "observed" || (e.location && observedFiles.has(e.location.file))))
        stale.push(f);
      else if (f.severity === "info" && f.instance !== undefined && remoded.has(f.instance)) followUps.push(f);
      else list.push(f);
    }
    const oldErrors = new Set(errorsOf(analysis.model.diagnostics, dir));
    const rel = (file: string) => relative(dir, file);
    return {
      name: c.name,
      findings: before.length,
      withChanges: before.filter((f) => (f.changes?.length ?? 0) > 0).length,
      files: plan.files.map((f) => ({ ...f, file: rel(f.file) })),
      fixed: plan.fixed,
      refused: plan.refused.map((r) => ({ ...r, reason: r.reason.split(`${dir}/`).join("") })),
      textOnly: before.filter((f) => f.fix.length > 0 && !(f.changes?.length ?? 0)),
      added,
      notGone,
      stale,
      followUps,
      newErrors: errorsOf(reloaded, dir).filter((e) => !oldErrors.has(e)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A finding in one line, for assertion messages. */
export function shown(f: Finding): string {
  return `${f.id} ${f.resource.split("/providers/").pop()}: ${f.message}`;
}
