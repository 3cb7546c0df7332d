/**
 * Test helper: Terraform inputs held in memory. `loadTerraform({ "root/main.tf": "..." })` loads the files as
 * one run (each at /virtual/<name>), with a host that serves module directories from the same files, so a
 * configuration and its local modules need no disk.
 */
import { dirname, join, resolve } from "node:path";
import { type LoadResult, loadDocuments, toDocument } from "../../src/ingest/load.js";
import type { RunHost } from "../../src/ingest/terraform/config/run.js";
import { createTerraformIngesters } from "../../src/ingest/terraform/ingester.js";
import type { LoadOptions } from "../../src/ingest/types.js";

export const VIRTUAL = "/virtual";

/** A host over in-memory files (absolute path → text). */
export function memoryHost(files: Map<string, string>): RunHost {
  return {
    tfFiles(dir) {
      const out = [...files.entries()]
        .filter(([p]) => dirname(p) === dir && p.endsWith(".tf"))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([path, text]) => ({ path, text }));
      return out.length > 0 ? out : undefined;
    },
    readFile: (path) => files.get(path),
  };
}

/**
 * Loads `inputs` (relative name → text) as documents; `extra` are files on the "disk" only (modules not named
 * as inputs). Names are placed under /virtual.
 */
export function loadTerraform(
  inputs: Record<string, string>,
  options: LoadOptions = {},
  extra: Record<string, string> = {},
): LoadResult {
  const all = new Map<string, string>();
  for (const [name, text] of [...Object.entries(inputs), ...Object.entries(extra)])
    all.set(resolve(join(VIRTUAL, name)), text);
  const docs = Object.entries(inputs).map(([name, text]) => toDocument(join(VIRTUAL, name), text));
  return loadDocuments(docs, options, createTerraformIngesters(memoryHost(all)));
}

/** The diagnostics of a load as `severity code message` lines (for assertions). */
export function diagnosticLines(result: LoadResult): string[] {
  return result.diagnostics.items.map((d) => `${d.severity} ${d.code} ${d.message}`);
}
