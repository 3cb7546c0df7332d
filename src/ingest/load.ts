/**
 * @module ingest/load
 * The edge where files become a model: read the inputs (walking directories), parse JSON with locations,
 * detect each input's format from its content, and merge everything into one NetworkModel. Reading is the
 * only I/O here; everything after is pure.
 */
import { constants as bufferConstants } from "node:buffer";
import { readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { appendAll } from "../model/arrays.js";
import { DiagnosticBag, InputError } from "../model/diagnostics.js";
import { emptyModel, type InputSummary, type NetworkModel, RESOURCE_LISTS } from "../model/network.js";
import { observedCount } from "../model/observed.js";
import { formatSource, type SourceRef } from "../model/source.js";
import { armReports } from "./arm/report.js";
import { compileBicepInputs } from "./bicep/compiled-inputs.js";
import { parseJson } from "./json/parse.js";
import { SourceIndex } from "./locator.js";
import { recogniseOtherFormat } from "./other-formats.js";
import { DEFAULT_MAX_INPUT_BYTES, readFileBytes } from "./read-file.js";
import { INGESTERS } from "./registry.js";
import type { Json } from "./resources/fields.js";
import { addResources } from "./resources/to-model.js";
import type { IngestContext, Ingester, InputDocument, LoadOptions } from "./types.js";
import { partitionUnits } from "./units.js";

/** The longest string JavaScript holds (in UTF-16 units; a file of no more bytes always decodes). */
const MAX_TEXT_LENGTH = bufferConstants.MAX_STRING_LENGTH;

/** Files a directory walk considers; the others are counted and named in one line (they are not inputs). */
const CANDIDATE = /\.(json|jsonc|bicep|bicepparam|tf|tfvars|ya?ml)$/i;
const SKIP_DIRS = new Set(["node_modules", ".git", ".terraform"]);

export interface LoadResult {
  /** Everything read: every unit's resources side by side, the inputs, observed facts and all diagnostics. */
  model: NetworkModel;
  /**
   * The deployment units (ingest/units): the networks to analyse, each merged on its own. One unit (most
   * runs) is `model` itself.
   */
  units: NetworkModel[];
  /** Diagnostics of all inputs (also in model.diagnostics). */
  diagnostics: DiagnosticBag;
}

/** A file the walk found, to read. */
export interface FoundInput {
  file: string;
  fromDirectory: boolean;
}

/** A path named or walked that will not be read, with why (every one is told to the user). */
export interface SkippedPath {
  path: string;
  code: string;
  reason: string;
  severity: "warning" | "info";
}

export interface Expansion {
  files: FoundInput[];
  skipped: SkippedPath[];
  /** Walked files that are not of an input format, by directory named (one line each, not one per file). */
  others: { dir: string; files: string[] }[];
}

/**
 * Expands directories into the candidate files below them, sorted for stable output. Symbolic links are
 * followed; a link back to a directory being walked (a loop) is named and not followed again. A path that
 * cannot be read (missing, unreadable, a broken link) is named in `skipped`, and the rest goes on. The same
 * file reached twice (named twice, or through a link) is read once.
 */
export function expandInputs(paths: string[]): Expansion {
  const out: Expansion = { files: [], skipped: [], others: [] };
  const seen = new Set<string>();
  const add = (file: string, fromDirectory: boolean) => {
    const real = realOrSelf(file);
    if (seen.has(real)) return;
    seen.add(real);
    out.files.push({ file, fromDirectory });
  };
  for (const path of paths) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch (error) {
      out.skipped.push(unreadable(path, error, "no such file or directory"));
      continue;
    }
    if (!stat.isDirectory()) {
      add(path, false);
      continue;
    }
    const others: string[] = [];
    const before = out.files.length;
    walk(path, [realOrSelf(path)], out, add, others);
    if (others.length > 0) out.others.push({ dir: path, files: others });
    if (out.files.length === before && !out.skipped.some((s) => s.path.startsWith(path)))
      out.skipped.push({
        path,
        code: "input/empty-directory",
        reason: "the directory holds no input files (.json, .bicep, .bicepparam, .tf, .yaml)",
        severity: "warning",
      });
  }
  return out;
}

function walk(
  dir: string,
  stack: string[],
  out: Expansion,
  add: (file: string, fromDir: boolean) => void,
  others: string[],
) {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    out.skipped.push(unreadable(dir, error, "cannot read the directory"));
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = statSync(path);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch (error) {
        out.skipped.push(unreadable(path, error, "a broken symbolic link"));
        continue;
      }
    }
    if (isDir) {
      if (SKIP_DIRS.has(entry.name)) continue;
      const real = realOrSelf(path);
      if (stack.includes(real)) {
        out.skipped.push({
          path,
          code: "input/symlink-loop",
          reason: `a symbolic link back to ${real}, which is being walked already (a loop); not followed`,
          severity: "warning",
        });
        continue;
      }
      walk(path, [...stack, real], out, add, others);
    } else if (isFile) {
      if (CANDIDATE.test(entry.name)) add(path, true);
      else others.push(path);
    } else if (CANDIDATE.test(entry.name)) {
      // A FIFO or device named like an input: said, never read (reading it could block or never end).
      out.skipped.push({
        path,
        code: "input/not-a-file",
        reason: "not a regular file (a FIFO, socket or device); only files are read",
        severity: "warning",
      });
    }
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function unreadable(path: string, error: unknown, what: string): SkippedPath {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === "ENOENT" ? what : `${what} (${code ?? "error"})`;
  return { path, code: "input/unreadable", reason, severity: "warning" };
}

/**
 * Reads a file as UTF-8, refusing bytes that are not UTF-8 with a clear message, and what is not a regular
 * file or is larger than `maxBytes` (read-file.ts).
 */
export function readText(file: string, maxBytes = DEFAULT_MAX_INPUT_BYTES): string {
  const bytes = readFileBytes(file, maxBytes);
  // JavaScript holds strings of at most about 512 Mi characters: a larger file is refused as such, not
  // mistaken for bad UTF-8 (the decoder's RangeError).
  if (bytes.length > MAX_TEXT_LENGTH)
    throw new InputError(
      `${file}: the file is larger than ${MAX_TEXT_LENGTH.toLocaleString("en-US")} bytes, the most this reader holds as text`,
      { file, pointer: "", line: 0, column: 0 },
      "input/too-large",
    );
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    // Line and column of the bad byte (the column counts bytes, which is all a broken line allows).
    const before = bytes.subarray(0, at);
    const line = before.filter((b) => b === 10).length + 1;
    const column = at - (before.lastIndexOf(10) + 1) + 1;
    throw new InputError(
      `${file}:${line}:${column}: the file is not valid UTF-8 (the first bad byte is at offset ${at})`,
      { file, pointer: "", line, column },
      "input/invalid-utf8",
    );
  }
}

/** Offset of the first byte that breaks UTF-8 (for the error message). */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const extra = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (extra < 0) return i;
    for (let k = 1; k <= extra; k++) if (i + k >= bytes.length || (bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += extra + 1;
  }
  return i;
}

/** Parses one input's text into an InputDocument; throws InputError (with file:line:col) on a JSON syntax error. */
export function toDocument(file: string, text: string): InputDocument {
  const trimmed = text.trimStart();
  const looksJson = trimmed.startsWith("{") || trimmed.startsWith("[") || /\.jsonc?$/i.test(file);
  if (!looksJson) return { file, text };
  const parsed = parseJson(text, file);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    throw new InputError(
      `${file}:${line}:${column}: invalid JSON: ${message}`,
      { file, pointer: "", line, column },
      "input/invalid-json",
    );
  }
  return { file, text, json: parsed.doc };
}

/** What one input gave the ingest: the resources it declares, in the batches its ingester handed over. */
interface DocumentRecord {
  batches: { nodes: Json[]; defaults?: ResourceDefaultsInput }[];
  summary: InputSummary;
  /** Its ingest diagnostics: `[from, to)` in the shared bag. */
  diagnostics: [number, number];
}

type ResourceDefaultsInput = Parameters<IngestContext["addResources"]>[1];

/**
 * Loads documents already in memory (tests and the what-if commands use this directly). The inputs are read
 * one by one, then grouped into deployment units (ingest/units) and each unit is made into a model: resources of
 * one unit merge (a standalone subnet joins its VNet), those of different units never do. `model` holds every
 * unit side by side (for listings); `units` are the networks to analyse.
 */
export function loadDocuments(
  docs: InputDocument[],
  options: LoadOptions = {},
  ingesters: Ingester[] = INGESTERS,
): LoadResult {
  const model = emptyModel();
  const diags = new DiagnosticBag();
  const sources = new SourceIndex();
  const records: DocumentRecord[] = [];
  let current: DocumentRecord | undefined;
  const ctx: IngestContext = {
    model,
    diags,
    sources,
    options,
    // The whole run's inputs: a Bicep file used as a module by another input is read through it (ingest/bicep).
    documents: docs,
    addResources: (nodes, defaults) => {
      current?.batches.push({ nodes, defaults });
      return nodes.length;
    },
  };
  for (const doc of docs) {
    if (doc.json) sources.addLocator(doc.json);
    const ingester = ingesters.find((i) => i.detect(doc, ctx));
    if (!ingester) {
      // Never a silent skip: said without --verbose, with what the file is and what to give instead.
      const known = recogniseOtherFormat(doc);
      const why =
        known?.why ??
        (doc.json
          ? "not a recognised Azure input (no resources, template or export shape found)"
          : "not a supported input format");
      model.inputs.push({ file: doc.file, format: known?.format ?? "unrecognised", status: "ignored", resources: 0 });
      diags.warning(known ? "input/not-read" : "input/unrecognised", `${why}; skipped`, fileSource(doc.file));
      continue;
    }
    const before = diags.items.length;
    current = {
      batches: [],
      summary: { file: doc.file, format: ingester.format, status: "parsed", resources: 0 },
      diagnostics: [before, before],
    };
    const observedBefore = observedCount(model.observed);
    ingester.load(doc, ctx);
    const observed = observedCount(model.observed) - observedBefore;
    if (observed > 0) current.summary.observed = observed;
    current.diagnostics[1] = diags.items.length;
    if (diags.items.slice(before).some((d) => d.severity === "error")) current.summary.status = "partial";
    model.inputs.push(current.summary);
    records.push(current);
    current = undefined;
  }
  const groups = partitionUnits(records.map((r) => r.batches.flatMap((b) => b.nodes)));
  // One unit (or none) is the whole model; several are built each on its own, then laid side by side.
  const units =
    groups.length > 1
      ? groups.map((members) =>
          buildUnit(
            model,
            members.map((i) => records[i]!),
            sources,
            diags,
          ),
        )
      : [];
  if (units.length === 0) buildInto(model, records, sources, diags);
  else joinUnits(model, units);
  model.diagnostics = diags.items;
  return { model, units: units.length > 0 ? units : [model], diagnostics: diags };
}

/**
 * Adds the resources of `members` to `target` in input order (resources of one unit merge: a standalone subnet
 * joins its VNet); returns the ranges of the diagnostics that belong to them.
 */
function buildInto(
  target: NetworkModel,
  members: DocumentRecord[],
  sources: SourceIndex,
  diags: DiagnosticBag,
): [number, number][] {
  const ranges: [number, number][] = [];
  for (const record of members) {
    ranges.push(record.diagnostics);
    const before = diags.items.length;
    for (const batch of record.batches) {
      record.summary.resources += addResources(target, batch.nodes, sources, diags, {
        subscriptionId: batch.defaults?.subscriptionId,
        resourceGroup: batch.defaults?.resourceGroup,
        fileSrc: batch.defaults?.fileSrc ?? { file: "<input>", pointer: "", line: 0, column: 0 },
      });
    }
    ranges.push([before, diags.items.length]);
    if (diags.items.slice(before).some((d) => d.severity === "error")) record.summary.status = "partial";
  }
  return ranges;
}

/** One unit's model: its inputs' resources merged, with the observed facts and assumptions of the whole run. */
function buildUnit(
  all: NetworkModel,
  members: DocumentRecord[],
  sources: SourceIndex,
  diags: DiagnosticBag,
): NetworkModel {
  const unit = emptyModel();
  unit.observed = all.observed;
  unit.assumptions = all.assumptions;
  const ranges = buildInto(unit, members, sources, diags);
  appendAll(
    unit.inputs,
    members.map((m) => m.summary),
  );
  unit.diagnostics = ranges.flatMap(([from, to]) => diags.items.slice(from, to));
  return unit;
}

/** `all` (which holds the inputs, observed facts and ingest diagnostics) gets every unit's resources, side by side. */
function joinUnits(all: NetworkModel, units: NetworkModel[]): void {
  const lists = [...RESOURCE_LISTS, "unmodeled"] as const;
  for (const key of lists) (all[key] as unknown[]) = units.flatMap((u) => u[key] as unknown[]);
  // Inputs that declare no resources (observed facts) belong to every unit.
  const inUnits = new Set(units.flatMap((u) => u.inputs));
  const shared = all.inputs.filter((i) => !inUnits.has(i));
  for (const unit of units)
    appendAll(
      unit.inputs,
      shared.filter((i) => i.status !== "ignored"),
    );
}

function fileSource(file: string, line = 0, column = 0): SourceRef {
  return { file, pointer: "", line, column };
}

/** Formats whose files carry no network by themselves (a parameters file applies to a template). */
const NOT_A_NETWORK = new Set(["arm-parameters"]);

/**
 * Reads and loads files and directories. Every path named or walked is read or named in a diagnostic with the
 * reason (a format not read yet, unrecognised JSON, invalid JSON, unreadable, a symbolic link loop): warnings,
 * so every command says them; a file that is not valid JSON is an error (Azure could not deploy it). Never
 * throws for what it cannot read: `assertUsable` tells a run in which nothing usable was read.
 */
export function loadInputs(paths: string[], options: LoadOptions = {}): LoadResult {
  let docs: InputDocument[] = [];
  const problems: InputError[] = [];
  const expansion = expandInputs(paths);
  for (const { file } of expansion.files) {
    const shown = relativeIfShorter(file);
    try {
      docs.push(toDocument(shown, readText(file, options.maxInputBytes)));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error);
    }
  }
  const compiled = options.compileBicep ? compileBicepInputs(docs, options.compileBicep) : undefined;
  if (compiled) docs = compiled.docs;
  const result = loadDocuments(docs, options);
  const { model, diagnostics } = result;
  for (const note of compiled?.notes ?? []) {
    diagnostics[note.severity](note.code, note.message, fileSource(note.file, 1, 1));
    // A file the compiler refused is an input that failed (listed, and named when it was the only one).
    if (note.severity === "error")
      model.inputs.push({ file: note.file, format: "bicep", status: "failed", resources: 0 });
  }
  for (const error of problems) {
    const src = error.src ?? fileSource(error.message.split(":")[0] ?? "");
    const file = src.file;
    const message = error.message.startsWith(`${file}:`)
      ? error.message.replace(/^[^:]+(:\d+:\d+)?: /, "")
      : error.message;
    model.inputs.push({
      file,
      format: error.code === "input/invalid-json" ? "json" : "unreadable",
      status: "failed",
      resources: 0,
    });
    // Invalid JSON cannot be deployed (a refusal); a file that cannot be read at all is only skipped.
    if (error.code === "input/invalid-json") diagnostics.error(error.code, message, src);
    else diagnostics.warning(error.code === "input/error" ? "input/unreadable" : error.code, message, src);
  }
  for (const skip of expansion.skipped) {
    model.inputs.push({ file: skip.path, format: "unreadable", status: "failed", resources: 0 });
    diagnostics[skip.severity](skip.code, `${skip.reason}; skipped`, fileSource(skip.path));
  }
  for (const { dir, files } of expansion.others) {
    const shown = files.slice(0, 5).map((f) => relative(dir, f));
    const more = files.length > shown.length ? ` and ${files.length - shown.length} more` : "";
    diagnostics.info(
      "input/not-an-input",
      `${files.length} file(s) of no input format (not .json, .bicep, .bicepparam, .tf, .yaml) skipped: ${shown.join(", ")}${more}`,
      fileSource(dir),
    );
  }
  model.diagnostics = diagnostics.items;
  return result;
}

/**
 * Throws InputError (the CLI's one line and exit 2) when the run cannot be what the user asked: a
 * `--parameters` file that cannot be read, a parameter no template declares, or nothing usable read (no input
 * gave a network; a parameters file alone does not). The line names the problem of a single input, or counts
 * the skipped ones.
 */
export function assertUsable({ model }: LoadResult): void {
  // A --parameters file that cannot be read is a usage error: the run would go on without its values.
  const option = model.diagnostics.find((d) => d.code === "arm/parameters-file" && d.severity === "error");
  if (option)
    throw new InputError(`${formatSource(option.src)}: ${option.code}: ${option.message}`, option.src, option.code);
  const reports = armReports(model);
  const undeclared = reports.length > 0 ? reports.map((r) => new Set(r.unusedParameters)) : [];
  const [first0, ...rest] = undeclared;
  const nowhere = first0 ? [...first0].filter((name) => rest.every((set) => set.has(name))) : [];
  if (nowhere.length > 0) {
    // Azure refuses a deployment given a parameter its template does not declare; no template here declares it.
    const declared = [...new Set(reports.flatMap((r) => r.parameters.map((p) => p.name)))].sort();
    throw new InputError(
      `--parameters gives ${nowhere.map((n) => `'${n}'`).join(", ")}, which no template of the inputs declares (declared: ${declared.join(", ") || "none"})`,
      undefined,
      "arm/undeclared-parameter",
    );
  }
  if (model.inputs.some((i) => (i.status === "parsed" || i.status === "partial") && !NOT_A_NETWORK.has(i.format)))
    return;
  // What was skipped: the input/ diagnostics, and the errors of inputs that failed (a compiler's refusal).
  const failed = new Set(model.inputs.filter((i) => i.status === "failed").map((i) => i.file));
  const skipped = model.diagnostics.filter(
    (d) =>
      d.severity !== "info" &&
      (d.code.startsWith("input/") || (d.severity === "error" && failed.has(d.src?.file ?? ""))),
  );
  const [first] = skipped;
  // Files of no input format were walked past (an info in a run that reads something): counted here too.
  const others = model.diagnostics.filter((d) => d.code === "input/not-an-input");
  const othersText = others.length > 0 ? `; besides, ${others.map((d) => d.message).join("; ")}` : "";
  if (model.inputs.length === 1 && skipped.length === 1 && first) {
    const where = first.src?.line ? formatSource(first.src) : (first.src?.file ?? "");
    throw new InputError(`${where}: ${first.message.replace(/; skipped$/, "")}${othersText}`, first.src, first.code);
  }
  const example = first ? ` (the first: ${formatSource(first.src)}: ${first.message})` : "";
  const what = model.inputs.length === 0 ? "no input files were found" : `${model.inputs.length} file(s) skipped`;
  throw new InputError(`nothing usable was read: ${what}${example}${othersText}`, undefined, "input/nothing-usable");
}

function relativeIfShorter(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.length < file.length && !rel.startsWith("..") ? rel : file;
}
