/**
 * Test helper: a copy of a JSON fixture with an edit applied, written to a temporary file (for fixes that change
 * a property in place, which an appended ARM resource cannot express, and for what-if inputs).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

// biome-ignore lint/suspicious/noExplicitAny: templates are free-form JSON that tests edit in place.
type Json = any;

/** Writes `edit(parsed fixture)` to a temporary file and returns its path. */
export function editFixture(file: string, edit: (json: Json) => void): string {
  const json = JSON.parse(readFileSync(file, "utf8"));
  edit(json);
  const out = join(mkdtempSync(join(tmpdir(), "apim-netcheck-edit-")), basename(file));
  writeFileSync(out, JSON.stringify(json, null, 2));
  return out;
}

/** Writes `json` to a temporary file named `name` and returns its path. */
export function writeTemp(name: string, json: unknown): string {
  const out = join(mkdtempSync(join(tmpdir(), "apim-netcheck-tmp-")), name);
  writeFileSync(out, typeof json === "string" ? json : JSON.stringify(json, null, 2));
  return out;
}

/** The resource of `type` (case-insensitive) in a parsed template. */
export function resourceOf(template: Json, type: string, name?: string): Json {
  return template.resources.find(
    (r: Json) => r.type.toLowerCase() === type.toLowerCase() && (name === undefined || r.name === name),
  );
}
