/**
 * @module ingest/bicep/env
 * Ingest layer, Bicep evaluation: name resolution. An Env is a chain of local bindings (loop items and indexes,
 * lambda and function parameters) over one file's declarations (parameters, variables, resources, modules,
 * imports), which the file evaluation (file.ts) answers for. Names are case-sensitive, as in Bicep.
 */
import type { CallExpr, Expr, FuncDecl, Node } from "./ast.js";
import type { Supplied } from "./params.js";
import type { Run } from "./run.js";
import type { BicepScope } from "./scope.js";

/** A user-defined function, with the file it is declared in (its body is evaluated there). */
export interface UserFunction {
  decl: FuncDecl;
  scope: FileScope;
}

/** What a file evaluation offers the expression evaluator. */
export interface FileScope {
  /** The file as shown in diagnostics. */
  readonly file: string;
  /** Its absolute path (relative paths of modules and `load*()` are resolved from its directory). */
  readonly path: string;
  readonly run: Run;
  readonly deployment: BicepScope;
  /** The value of a declared name; throws BicepError when the file declares none. */
  symbol(name: string, at: Node): unknown;
  /** A user-defined function of this file or imported into it (`ns.f` for `import * as ns`). */
  func(namespace: string | null, name: string): UserFunction | undefined;
  /** Calls a function of a registry import (compiled ARM); undefined when `namespace.name` is not one. */
  importedCall?(
    namespace: string | null,
    name: string,
    args: () => unknown[],
    at: CallExpr,
  ): { value: unknown } | undefined;
  /**
   * The value given from outside for parameter `name` (by the caller, a parameters file), when the file
   * declares that parameter and uses the given value; undefined otherwise (its default, or no such parameter).
   */
  given?(name: string): Supplied | undefined;
  /** Reports the region assumption (once per evaluation) when a value reads `resourceGroup().location`. */
  locationRead(at: Expr): void;
}

export class Env {
  private constructor(
    readonly scope: FileScope,
    private readonly locals: ReadonlyMap<string, unknown> | null,
    private readonly parent: Env | null,
    /** Function names being called, innermost last (Bicep refuses recursion). */
    readonly calls: readonly UserFunction[],
  ) {}

  /** The file's own names only. */
  static of(scope: FileScope): Env {
    return new Env(scope, null, null, []);
  }

  /** These bindings over this environment (a loop iteration, a lambda call). */
  bind(locals: ReadonlyMap<string, unknown>): Env {
    return new Env(this.scope, locals, this, this.calls);
  }

  /** A function body's environment: its parameters over the function's own file, and the call chain. */
  static call(fn: UserFunction, locals: ReadonlyMap<string, unknown>, caller: Env): Env {
    return new Env(fn.scope, locals, null, [...caller.calls, fn]);
  }

  /** True when `name` is a local binding here (a loop item or index, a lambda or function parameter). */
  binds(name: string): boolean {
    for (let env: Env | null = this; env; env = env.parent) if (env.locals?.has(name)) return true;
    return false;
  }

  lookup(name: string, at: Node): unknown {
    for (let env: Env | null = this; env; env = env.parent) {
      if (env.locals?.has(name)) return env.locals.get(name);
    }
    return this.scope.symbol(name, at);
  }
}
