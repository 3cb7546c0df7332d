/**
 * @module ingest/bicep/imports
 * Ingest layer, Bicep evaluation: `import {a, b as c} from './x.bicep'` and `import * as ns from …`, which bring
 * the exported variables, functions and types of another file in at compile time. A local `.bicep` file is
 * evaluated once per run for what it exports (it deploys nothing); a registry import restored by `bicep
 * restore` is read from its compiled template (arm-module.ts). An import that cannot be read says so once, at
 * the import, and what is read through it is Unknown (types need nothing: they only check).
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-import
 */
import { unknownValue } from "../../model/unknown.js";
import { CompiledExports, readCompiled } from "./arm-module.js";
import { type ImportDecl, stringValue } from "./ast.js";
import type { UserFunction } from "./env.js";
import { modulePath } from "./restore-cache.js";
import type { Run } from "./run.js";
import type { BicepScope } from "./scope.js";
import { BicepError, SymbolValue } from "./values.js";

/** What a file offers its importers (file.ts's FileEval in import mode). */
export interface ExportingFile {
  exportedValue(name: string): unknown;
  exportedFunction(name: string): UserFunction | undefined;
  declaresType(name: string): boolean;
}

/** Opens a local Bicep file for its exports (given by file.ts, which owns FileEval). */
export type OpenExports = (path: string, shown: string) => ExportingFile | { reason: string };

type Source =
  | { kind: "bicep"; file: ExportingFile }
  | { kind: "compiled"; exports: CompiledExports }
  | { kind: "unread"; why: string };

/** The file an import statement reads, opened on first use. */
export class ImportSource {
  private source: Source | undefined;

  constructor(
    private readonly decl: ImportDecl,
    private readonly importer: { file: string; path: string; run: Run; deployment: BicepScope },
    private readonly openExports: OpenExports,
  ) {}

  private open(): Source {
    if (this.source) return this.source;
    const { run, file, path } = this.importer;
    const text = stringValue(this.decl.from);
    if (text === undefined) throw new BicepError("an import path cannot be interpolated");
    const where = modulePath(text, path, file, run.host.cacheRoot);
    const unread = (code: string, why: string): Source => {
      run.report(
        "warning",
        code,
        `import from ${text}: ${why}; what it exports is Unknown here`,
        file,
        this.decl.from.range,
      );
      return { kind: "unread", why };
    };
    if (where.kind === "invalid") {
      this.source = unread("bicep/invalid-module-path", where.reason);
    } else if (where.kind === "registry") {
      const compiled = where.cache ? readCompiled(run, where.cache, where.cache) : undefined;
      this.source = compiled?.ok
        ? { kind: "compiled", exports: new CompiledExports(run, compiled, this.importer.deployment) }
        : unread(
            "bicep/registry-module-not-cached",
            `registry module ${where.reference} (version ${where.version || "unknown"}) is not in the local restore cache; run \`bicep restore\` to read it`,
          );
    } else if (where.json) {
      const compiled = readCompiled(run, where.path, run.shown(where.path, where.shown));
      this.source = compiled.ok
        ? { kind: "compiled", exports: new CompiledExports(run, compiled, this.importer.deployment) }
        : unread("bicep/module-not-found", `${where.shown} cannot be read (${compiled.reason})`);
    } else {
      const opened = this.openExports(where.path, run.shown(where.path, where.shown));
      this.source =
        "reason" in opened
          ? unread("bicep/module-not-found", `${where.shown} cannot be read (${opened.reason})`)
          : { kind: "bicep", file: opened };
    }
    return this.source;
  }

  /** The exported variable `name` (Unknown when the import cannot be read). */
  value(name: string): unknown {
    const source = this.open();
    switch (source.kind) {
      case "bicep":
        return source.file.exportedValue(name);
      case "compiled": {
        const found = source.exports.variable(name);
        if (!found) throw new BicepError(`the imported template exports no variable '${name}'`);
        return found.value;
      }
      case "unread":
        return unknownValue(`imported '${name}': ${source.why}`);
    }
  }

  /** The exported Bicep function `name`, when the import is a Bicep file. */
  func(name: string): UserFunction | undefined {
    const source = this.open();
    return source.kind === "bicep" ? source.file.exportedFunction(name) : undefined;
  }

  /** A call of an exported function of a compiled template (or of an unread import: Unknown). */
  call(name: string, args: () => unknown[]): { value: unknown } | undefined {
    const source = this.open();
    if (source.kind === "compiled") return source.exports.call(name, args());
    if (source.kind === "unread") return { value: unknownValue(`imported ${name}(): ${source.why}`) };
    return undefined;
  }
}

/** `import * as ns`: `ns.x` reads an exported variable. */
export class NamespaceValue extends SymbolValue {
  constructor(
    private readonly alias: string,
    private readonly source: ImportSource,
  ) {
    super();
  }
  describe(): string {
    return `the import namespace '${this.alias}'`;
  }
  override member(name: string): unknown {
    return this.source.value(name);
  }
  toJson(): unknown {
    throw new BicepError(`${this.describe()} is not a value`);
  }
}
