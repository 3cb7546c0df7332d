/**
 * Test helper: Bicep runs on files held in memory. `bicepHost` is a host (src/ingest/bicep/host.ts) over a map
 * of files (modules and `load*()` targets read from it, never from disk), an environment and an optional
 * restore cache; `loadBicep` loads some of those files as inputs through the real ingest (load.ts) with the
 * Bicep ingesters on that host; `evaluateVar` evaluates one variable of a file, for expression tests.
 */
import { join } from "node:path";
import type { Program } from "../../src/ingest/bicep/ast.js";
import { FileEval } from "../../src/ingest/bicep/file.js";
import type { BicepHost } from "../../src/ingest/bicep/host.js";
import { createBicepIngesters } from "../../src/ingest/bicep/ingester.js";
import { parseBicep } from "../../src/ingest/bicep/parser.js";
import { type Report, Run } from "../../src/ingest/bicep/run.js";
import { rootScope } from "../../src/ingest/bicep/scope.js";
import { type LoadResult, loadDocuments, toDocument } from "../../src/ingest/load.js";
import { INGESTERS } from "../../src/ingest/registry.js";
import type { LoadOptions } from "../../src/ingest/types.js";

/** Where the in-memory files live (an absolute path, so that relative module paths resolve the same everywhere). */
export const VROOT = "/virtual";

export function vpath(name: string): string {
  return join(VROOT, name);
}

export interface HostOptions {
  env?: Record<string, string>;
  /** Files of the restore cache, relative to its root (`br/mcr.microsoft.com/…/main.json`). */
  cache?: Record<string, string>;
}

/** A host over in-memory files (relative names under VROOT). */
export function bicepHost(files: Record<string, string>, options: HostOptions = {}): BicepHost {
  const all = new Map<string, string>();
  for (const [name, text] of Object.entries(files)) all.set(vpath(name), text);
  const cacheRoot = options.cache ? "/cache" : undefined;
  for (const [name, text] of Object.entries(options.cache ?? {})) all.set(join("/cache", name), text);
  return {
    readFile: (path, maxBytes) => {
      const text = all.get(path);
      if (text === undefined) return { ok: false, reason: "no such file" };
      const bytes = Buffer.from(text, "utf8");
      return bytes.length > maxBytes ? { ok: false, reason: `larger than ${maxBytes} bytes` } : { ok: true, bytes };
    },
    env: (name) => options.env?.[name],
    cacheRoot,
  };
}

export interface LoadBicepOptions extends HostOptions, LoadOptions {
  /** Which of the files are inputs (all of them by default). */
  inputs?: string[];
}

/** Loads `inputs` (default: every file) through the real ingest, with the Bicep ingesters on an in-memory host. */
export function loadBicep(files: Record<string, string>, options: LoadBicepOptions = {}): LoadResult {
  const host = bicepHost(files, options);
  const names = options.inputs ?? Object.keys(files);
  const docs = names.map((name) => toDocument(vpath(name), files[name]!));
  const others = INGESTERS.filter((i) => !i.format.startsWith("bicep"));
  return loadDocuments(docs, { parameters: options.parameters, location: options.location }, [
    ...createBicepIngesters(host),
    ...others,
  ]);
}

/** Evaluates variable `name` of the Bicep `source` (a root file in the placeholder scope); reports collected. */
export function evaluateVar(
  source: string,
  name = "x",
  files: Record<string, string> = {},
  options: HostOptions = {},
): { value: unknown; reports: Report[]; program: Program } {
  const reports: Report[] = [];
  const host = bicepHost({ ...files, "main.bicep": source }, options);
  const run = new Run(host, (r) => reports.push(r), { documents: new Map() });
  const { ast } = parseBicep(source, vpath("main.bicep"));
  const file = new FileEval(
    ast,
    vpath("main.bicep"),
    vpath("main.bicep"),
    run,
    rootScope("main.bicep", "resourceGroup", undefined),
    {
      supplied: new Map(),
      isModule: false,
      paramsComplete: false,
      deployed: true,
      undecided: undefined,
      stack: [vpath("main.bicep")],
      declared: new Map(),
    },
  );
  const value = file.variable(name);
  return { value, reports, program: ast };
}

/** The diagnostics of a load as `severity code` strings (for compact assertions). */
export function codes(result: LoadResult, severity?: "error" | "warning" | "info"): string[] {
  return result.model.diagnostics
    .filter((d) => !severity || d.severity === severity)
    .map((d) => `${d.severity} ${d.code}`);
}
