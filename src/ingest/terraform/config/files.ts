/**
 * @module ingest/terraform/config/files
 * Ingest layer, Terraform: the HCL files of one run — the `.tf` and `.tfvars` inputs, the files of modules read
 * from disk, and the built-in module texts (../avm) — parsed once each and numbered, so that a place is a file
 * number and an offset (eval/values Place) and becomes `file:line:col` only when a location is asked for. A
 * syntax error is one diagnostic, `file:line:col: message`; the file's other blocks are still read.
 */
import { basename, dirname } from "node:path";
import type { SourceRef } from "../../../model/source.js";
import type { Place } from "../eval/values.js";
import { type Body, LineMap } from "../hcl/ast.js";
import { parseHcl } from "../hcl/parser.js";

export interface TfFile {
  index: number;
  /** The name diagnostics show (relative to the working directory where shorter). */
  name: string;
  /** Absolute path, or a `<avm:...>` name for a built-in module text. */
  path: string;
  text: string;
  body: Body;
  lines: LineMap;
  /** `override.tf` / `*_override.tf`: merged into the other files' blocks (Terraform's override files). */
  override: boolean;
  /** A built-in module text: its places stand for the module call that uses it. */
  builtin: boolean;
}

export interface SyntaxDiagnostic {
  file: TfFile;
  message: string;
  src: SourceRef;
}

/** The files of a run; each parsed once. */
export class FileTable {
  readonly files: TfFile[] = [];
  private readonly byPath = new Map<string, TfFile>();
  /** Syntax errors not yet reported (the ingester drains them). */
  readonly syntax: SyntaxDiagnostic[] = [];

  /** The file at `path`, parsing `text` the first time. */
  add(name: string, path: string, text: string, builtin = false): TfFile {
    const known = this.byPath.get(path);
    if (known) return known;
    const { body, problems } = parseHcl(text);
    const lines = new LineMap(text);
    const base = basename(path);
    const file: TfFile = {
      index: this.files.length,
      name,
      path,
      text,
      body,
      lines,
      override: /(^|_)override\.tf$/.test(base),
      builtin,
    };
    this.files.push(file);
    this.byPath.set(path, file);
    for (const p of problems) {
      const src = this.sourceOf({ file: file.index, offset: p.start });
      this.syntax.push({ file, message: p.message, src });
    }
    return file;
  }

  /** A file that is not HCL (a plan JSON): numbered for places, not parsed. */
  addText(name: string, path: string, text: string): TfFile {
    const known = this.byPath.get(path);
    if (known) return known;
    const file: TfFile = {
      index: this.files.length,
      name,
      path,
      text,
      body: { items: [], start: 0, end: 0 },
      lines: new LineMap(text),
      override: false,
      builtin: false,
    };
    this.files.push(file);
    this.byPath.set(path, file);
    return file;
  }

  /** The offset of a 1-based line and column of a file (for places given as line and column). */
  offsetOf(file: TfFile, line: number, column: number): number {
    return file.lines.offset(line, column);
  }

  /** The `.tf` files of a directory already in the table (inputs held in memory). */
  inDir(dir: string): TfFile[] {
    return this.files.filter((f) => !f.builtin && f.path.endsWith(".tf") && dirname(f.path) === dir);
  }

  get(path: string): TfFile | undefined {
    return this.byPath.get(path);
  }

  /** `file:line:col` of a place. */
  sourceOf(place: Place): SourceRef {
    const file = this.files[place.file];
    if (!file) return { file: "<terraform>", pointer: "", line: 0, column: 0 };
    const { line, column } = file.lines.position(place.offset);
    return { file: file.name, pointer: "", line, column };
  }

  /** The directory of a file (for grouping and module sources). */
  dirOf(file: TfFile): string {
    return dirname(file.path);
  }
}
