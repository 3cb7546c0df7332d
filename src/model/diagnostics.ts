/**
 * @module model/diagnostics
 * Problems found while reading inputs. Every one has a stable code (`input/invalid-prefix`), a message and,
 * where the input has one, a location. `error` means Azure itself would refuse the input (or we cannot read
 * it at all): the CLI then exits 2. `warning` means Azure accepts it but the answer may not be what was meant.
 */
import type { SourceRef } from "./source.js";

export type DiagnosticSeverity = "error" | "warning" | "info";

export interface Diagnostic {
  severity: DiagnosticSeverity;
  /** Stable, kebab-case, prefixed by its area: `input/…`, `arm/…`, `nsg/…`, `route/…`. */
  code: string;
  message: string;
  src?: SourceRef;
  /** The resource the diagnostic is about (its id), when there is one: findings and SARIF name it. */
  resourceId?: string;
}

/** Collects diagnostics; ingesters and validators never throw on bad input, they report here. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  error(code: string, message: string, src?: SourceRef): void {
    this.items.push({ severity: "error", code, message, src });
  }

  warning(code: string, message: string, src?: SourceRef): void {
    this.items.push({ severity: "warning", code, message, src });
  }

  info(code: string, message: string, src?: SourceRef): void {
    this.items.push({ severity: "info", code, message, src });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }
}

/** Thrown only at the edges (CLI) for a problem that stops the run: bad usage or unreadable input. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly src?: SourceRef,
    readonly code = "input/error",
  ) {
    super(message);
    this.name = "InputError";
  }
}
