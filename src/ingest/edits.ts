/**
 * @module ingest/edits
 * The other direction of a front end: writing a fix (model/change) into the user's own file, as minimal text
 * edits that keep everything else byte for byte (`apim-netcheck fix`). Each input format that can be edited has
 * one edit writer, listed here by the format name its ingester gives (`arm-template`); a format with no writer
 * yet is refused with the reason, never half-written. A writer refuses a change it cannot apply safely, with
 * one line saying why, and never writes part of a change.
 */
import type { Change } from "../model/change.js";
import { armEditWriter } from "./arm/edit.js";
import { bicepEditWriter } from "./bicep/edit.js";
import { terraformEditWriter } from "./terraform/edit.js";
import type { InputDocument } from "./types.js";

/** Replace `length` characters at `offset` with `text` (an insertion when `length` is 0). */
export interface TextEdit {
  offset: number;
  length: number;
  text: string;
}

/** A change to write, tied to where it applies in the file. */
export interface EditRequest {
  change: Change;
  /**
   * Where the change's target is declared in the file (restate, patch, delete), or its parent (create of a
   * child); an RFC 6901 pointer for JSON formats (model/source). Absent when the file does not declare it.
   */
  pointer?: string;
  /** The line and column of that declaration, for formats that place by line (Bicep, Terraform). */
  at?: { line: number; column: number };
}

/** How the resource types a writer may add are spelled, and what the caller knows of the inputs. */
export interface EditContext {
  /** Where this file declares the resource `id` (a pointer), if it does: references are written as it names it. */
  declaredAt?(id: string): string | undefined;
  /** The line and column where this file declares the resource `id`, if it does (formats placed by line). */
  declaredSource?(id: string): { line: number; column: number } | undefined;
  /** The type as its provider spells it, the api-version to write and the location a new one takes by default. */
  typeForm?(type: string):
    | {
        type: string;
        apiVersion: string;
        location?: string;
        /** The azurerm resource and the attribute of each ARM property written as a plain value. */
        terraform?: { resource: string; parents: string[]; attrs: Record<string, string> };
      }
    | undefined;
}

export interface EditOutcome {
  edits: TextEdit[];
  /** Requests not written (by their index in the list), each with one line saying why. */
  refused: { index: number; reason: string }[];
}

export interface EditWriter {
  /** The input format it writes, as the ingester names it (`arm-template`). */
  readonly format: string;
  /** The edits that apply `requests` to `input`, in order; what cannot be applied safely is refused. */
  edits(input: InputDocument, requests: EditRequest[], ctx: EditContext): EditOutcome;
}

/** The edit writers, by input format. */
export const EDIT_WRITERS: readonly EditWriter[] = [armEditWriter, bicepEditWriter, terraformEditWriter];

/** The writer of `format`, if there is one. */
export function editWriterFor(format: string): EditWriter | undefined {
  return EDIT_WRITERS.find((w) => w.format === format);
}

/**
 * `text` with `edits` applied. They must not overlap; at one offset, insertions go before a replacement and
 * keep their order among themselves.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.offset - b.e.offset || Math.sign(a.e.length) - Math.sign(b.e.length) || a.i - b.i);
  let out = "";
  let at = 0;
  for (const { e } of sorted) {
    if (e.offset < at) throw new Error(`overlapping edits at offset ${e.offset}`);
    out += text.slice(at, e.offset) + e.text;
    at = e.offset + e.length;
  }
  return out + text.slice(at);
}
