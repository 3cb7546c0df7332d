/**
 * @module ingest/bicep/run
 * Ingest layer, Bicep evaluation: what one evaluation shares across the files it reads (a root template, its
 * modules, their imports): the host (files, environment, restore cache), where diagnostics go (each said once
 * per place), the locator of built values, parsed files, and the limits that keep hostile input from hanging
 * or exhausting memory. The limits follow the ARM evaluator's (src/ingest/arm/README.md) where Bicep compiles to
 * the same ARM construct: 800 iterations a loop (ARM's copy limit) and 200,000 in all, 16 module levels (nested
 * deployments), 1,000,000-character strings and 100,000-item arrays (the ARM function library's own bounds);
 * and add two of their own: evaluation steps, and how deep evaluation may recurse.
 */
import type { SourceRef } from "../../model/source.js";
import { ArmEvalError } from "../arm/expression/values.js";
import type { Locator } from "../locator.js";
import type { Program, Range } from "./ast.js";
import { type BicepHost, decodeUtf8 } from "./host.js";
import { BicepLocator, sourceAt } from "./locator.js";
import { parseBicep } from "./parser.js";
import { BicepLimit, errorPlace, Unsupported } from "./values.js";

/** ARM refuses a copy loop of more than 800; Bicep loops compile to copy loops. */
export const MAX_LOOP = 800;
/** Iterations of every loop of one evaluation together (ARM's template-wide copy budget). */
export const MAX_ITERATIONS = 200_000;
/** Nested modules (ARM nested deployments) deeper than this are refused. */
export const MAX_MODULE_DEPTH = 16;
/** Module instances one evaluation may make (loops of modules of loops multiply). */
export const MAX_MODULES = 5_000;
/** Expressions one evaluation may evaluate before it stops (a bound on time for any input). */
export const MAX_STEPS = 5_000_000;
/** How deep evaluation may nest (expressions in functions in variables in modules…) before it stops. */
export const MAX_DEPTH = 1_500;
/** Largest module file read (the parser is linear; this bounds memory). */
export const MAX_MODULE_BYTES = 16 * 1024 * 1024;

export interface Report {
  severity: "error" | "warning" | "info";
  code: string;
  message: string;
  src: SourceRef;
}

/** A parsed Bicep file, or why it could not be read. */
export type ParsedFile = { ok: true; program: Program; text: string } | { ok: false; reason: string };

export interface RunOptions {
  /** `--location`: the region `resourceGroup().location` and `deployment().location` stand for. */
  location?: string;
  /** The run's input documents by absolute path (their text, and their name as shown), read before the disk. */
  documents: ReadonlyMap<string, { file: string; text: string }>;
  /** Input documents already parsed (their syntax errors said by their own ingest), by absolute path. */
  preparsed?: ReadonlyMap<string, { program: Program; text: string }>;
  /** The ingest's source index: built objects aliased to JSON nodes, and JSON documents as locators. */
  sources?: { alias(built: object, origin: object): void; addLocator(locator: Locator): void };
}

export class Run {
  readonly locator: BicepLocator;
  steps = MAX_STEPS;
  iterations = MAX_ITERATIONS;
  modules = MAX_MODULES;
  depth = 0;
  /** True once the region assumption has been said (once per evaluation). */
  locationSaid = false;
  private readonly parsed = new Map<string, ParsedFile>();
  private readonly exports = new Map<string, unknown>();
  private readonly seen = new Set<string>();

  constructor(
    readonly host: BicepHost,
    private readonly emit: (report: Report) => void,
    readonly options: RunOptions,
    locator?: BicepLocator,
  ) {
    this.locator = locator ?? new BicepLocator();
  }

  /** Reports a diagnostic once per code, message and place (a module in a loop says a thing once). */
  report(severity: Report["severity"], code: string, text: string, file: string, range: Range | undefined): void {
    // One line, whatever the input put in it (a module path with a line break).
    const message = oneLine(text);
    const src = sourceAt(file, range);
    // A limit is said once wherever it strikes (once spent, a budget strikes at every later expression).
    const place = code === "bicep/limit" ? "" : `${src.file}:${src.line}:${src.column}`;
    const key = `${code}\u0000${message}\u0000${place}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.emit({ severity, code, message, src });
  }

  /** Reports a diagnostic at a place that is not a Bicep range (a compiled template's JSON node). */
  reportAt(severity: Report["severity"], code: string, text: string, src: SourceRef): void {
    const message = oneLine(text);
    const key = `${code}\u0000${message}\u0000${src.file}:${src.line}:${src.column}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.emit({ severity, code, message, src });
  }

  /** The name shown for the file at `path` (an input document's, else `fallback`). */
  shown(path: string, fallback: string): string {
    return this.options.documents.get(path)?.file ?? fallback;
  }

  /**
   * Runs `fn`; a refusal (BicepError, or an ARM function's ArmEvalError) is an error diagnostic at the
   * expression that raised it (`arm/` codes said as `bicep/`), an unsupported construct a warning, a stack
   * overflow a limit; each returns `fallback` and the evaluation goes on. Anything else is a bug: rethrown.
   */
  guard<T>(file: string, range: Range, fn: () => T, fallback: T): T {
    const depth = this.depth;
    try {
      return fn();
    } catch (error) {
      this.depth = depth;
      if (error instanceof Unsupported) {
        this.report("warning", "bicep/unsupported", `${error.message}; the value is Unknown`, file, range);
        return fallback;
      }
      if (error instanceof ArmEvalError) {
        const place = errorPlace(error) ?? { file, range };
        this.report("error", error.code.replace(/^arm\//, "bicep/"), error.message, place.file, place.range);
        return fallback;
      }
      if (error instanceof RangeError && /call stack/i.test(error.message)) {
        this.report(
          "error",
          "bicep/limit",
          "the evaluation nests too deep for the stack; the rest is Unknown",
          file,
          range,
        );
        return fallback;
      }
      throw error;
    }
  }

  /** Counts `count` loop iterations against the budget; throws BicepLimit beyond it. */
  spend(count: number): void {
    this.iterations -= count;
    if (this.iterations < 0)
      throw new BicepLimit(`the loops expand to more than ${MAX_ITERATIONS} items in all; the rest is dropped`);
  }

  /** The parsed Bicep file at `path` (an input document's text, else the disk), parsed once. */
  parse(path: string, shown: string): ParsedFile {
    const cached = this.parsed.get(path);
    if (cached) return cached;
    const pre = this.options.preparsed?.get(path);
    if (pre) {
      const result: ParsedFile = { ok: true, program: pre.program, text: pre.text };
      this.parsed.set(path, result);
      return result;
    }
    const result = this.readAndParse(path, shown);
    this.parsed.set(path, result);
    return result;
  }

  /** The evaluation of a file imported from (made once per path, by `make`). */
  exported<T>(path: string, make: () => T): T {
    if (!this.exports.has(path)) this.exports.set(path, make());
    return this.exports.get(path) as T;
  }

  /** Reads a text file beside a Bicep file (an input document's text, else the disk). */
  readText(path: string, maxBytes: number): { ok: true; text: string } | { ok: false; reason: string } {
    const doc = this.options.documents.get(path);
    if (doc !== undefined) return { ok: true, text: doc.text };
    const read = this.host.readFile(path, maxBytes);
    if (!read.ok) return read;
    const text = decodeUtf8(read.bytes);
    return text === undefined ? { ok: false, reason: "not UTF-8 text" } : { ok: true, text };
  }

  /** Reads raw bytes (`loadFileAsBase64`). */
  readBytes(path: string, maxBytes: number): { ok: true; bytes: Buffer } | { ok: false; reason: string } {
    const doc = this.options.documents.get(path);
    if (doc !== undefined) return { ok: true, bytes: Buffer.from(doc.text, "utf8") };
    return this.host.readFile(path, maxBytes);
  }

  private readAndParse(path: string, shown: string): ParsedFile {
    const read = this.readText(path, MAX_MODULE_BYTES);
    if (!read.ok) return read;
    const { ast, diagnostics } = parseBicep(read.text, shown);
    for (const d of diagnostics) this.report("error", d.code, d.message, shown, d.range);
    return { ok: true, program: ast, text: read.text };
  }
}

/** `text` on one line (file names and values from the input may hold line breaks). */
export function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}
