/**
 * @module ingest/load
 * The edge where files become a model: read the inputs (walking directories), parse JSON with locations,
 * detect each input's format from its content, and merge everything into one NetworkModel. Reading is the
 * only I/O here; everything after is pure.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { DiagnosticBag, InputError } from "../model/diagnostics.js";
import { emptyModel, type NetworkModel } from "../model/network.js";
import { parseJson } from "./json/parse.js";
import { SourceIndex } from "./locator.js";
import { recogniseOtherFormat } from "./other-formats.js";
import { INGESTERS } from "./registry.js";
import { addResources } from "./resources/to-model.js";
import type { IngestContext, Ingester, InputDocument, LoadOptions } from "./types.js";

/** Files a directory walk considers; others are skipped without a word (they are not inputs). */
const CANDIDATE = /\.(json|jsonc|bicep|bicepparam|tf|tfvars|ya?ml)$/i;
const SKIP_DIRS = new Set(["node_modules", ".git", ".terraform"]);

export interface LoadResult {
  model: NetworkModel;
  /** Diagnostics of all inputs (also in model.diagnostics). */
  diagnostics: DiagnosticBag;
}

/** Expands directories into the candidate files below them, sorted for stable output. */
export function expandInputs(paths: string[]): { file: string; fromDirectory: boolean }[] {
  const out: { file: string; fromDirectory: boolean }[] = [];
  for (const path of paths) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      throw new InputError(`${path}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      const found = walk(path);
      if (found.length === 0) throw new InputError(`${path}: the directory holds no input files (.json, .bicep, .tf)`);
      out.push(...found.map((file) => ({ file, fromDirectory: true })));
    } else {
      out.push({ file: path, fromDirectory: false });
    }
  }
  return out;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...walk(join(dir, entry.name)));
    } else if (entry.isFile() && CANDIDATE.test(entry.name)) {
      out.push(join(dir, entry.name));
    }
  }
  return out;
}

/** Reads a file as UTF-8, refusing bytes that are not UTF-8 with a clear message. */
export function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
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

/** Parses one input's text into an InputDocument; a JSON syntax error stops the run with file:line:col. */
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

/** Loads documents already in memory (tests and the what-if commands use this directly). */
export function loadDocuments(
  docs: InputDocument[],
  options: LoadOptions = {},
  ingesters: Ingester[] = INGESTERS,
): LoadResult {
  const model = emptyModel();
  const diags = new DiagnosticBag();
  const sources = new SourceIndex();
  const ctx: IngestContext = {
    model,
    diags,
    sources,
    options,
    addResources: (nodes, defaults) =>
      addResources(model, nodes, sources, diags, {
        subscriptionId: defaults?.subscriptionId,
        resourceGroup: defaults?.resourceGroup,
        fileSrc: defaults?.fileSrc ?? { file: "<input>", pointer: "", line: 0, column: 0 },
      }),
  };
  for (const doc of docs) {
    if (doc.json) sources.addLocator(doc.json);
    const ingester = ingesters.find((i) => i.detect(doc));
    if (!ingester) {
      const known = recogniseOtherFormat(doc);
      const why =
        known?.why ??
        (doc.json
          ? "not a recognised Azure input (no resources, template or export shape found)"
          : "not a supported input format");
      if (options.strict) throw new InputError(`${doc.file}: ${why}`, undefined, "input/unrecognised");
      model.inputs.push({ file: doc.file, format: known?.format ?? "unrecognised", status: "ignored", resources: 0 });
      diags.info("input/ignored", `${why}; skipped`, { file: doc.file, pointer: "", line: 0, column: 0 });
      continue;
    }
    const before = diags.items.length;
    const count = ingester.load(doc, ctx);
    const failed = diags.items.slice(before).some((d) => d.severity === "error");
    model.inputs.push({
      file: doc.file,
      format: ingester.format,
      status: failed ? "partial" : "parsed",
      resources: count,
    });
  }
  model.diagnostics = diags.items;
  return { model, diagnostics: diags };
}

/** Reads and loads files and directories. Throws InputError (one line, exit 2) when an input is unreadable. */
export function loadInputs(paths: string[], options: LoadOptions = {}): LoadResult {
  const docs: InputDocument[] = [];
  let strictAll = true;
  for (const { file, fromDirectory } of expandInputs(paths)) {
    const shown = relativeIfShorter(file);
    const doc = toDocument(shown, readText(file));
    if (fromDirectory) strictAll = false;
    docs.push(doc);
  }
  // Named files must be understood; files found by walking a directory may be skipped.
  return loadDocuments(docs, { ...options, strict: options.strict ?? (strictAll && docs.length > 0) });
}

function relativeIfShorter(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.length < file.length && !rel.startsWith("..") ? rel : file;
}
