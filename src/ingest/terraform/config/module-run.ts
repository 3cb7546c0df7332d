/**
 * @module ingest/terraform/config/module-run
 * Ingest layer, Terraform: one instance of a module (the root, or `module.spoke["app"]`) being evaluated. It is
 * the evaluator's Host: `var.x` is the value given (a `.tfvars`, `--var`, the module call's argument) converted
 * to the variable's type, or its default, or Unknown with a warning that says how to give it; `local.x`,
 * resources, data sources and module calls are evaluated on first use and kept, and a reference back into one
 * being evaluated is the cycle Terraform refuses. Module outputs are read one at a time, as Terraform's graph
 * does, so two modules that use each other's outputs are not taken for a cycle.
 * https://developer.hashicorp.com/terraform/language/expressions/references
 */

import { Evaluator, type Host, Namespace, RefusedError, suggest } from "../eval/evaluator.js";
import { LIMITS, LimitExceeded } from "../eval/limits.js";
import { convert, readType, type TypeSpec } from "../eval/types.js";
import { newObject, type Place, unknown, type Value, type ValueObject } from "../eval/values.js";
import { type Attribute, attributeOf, type Block, type Expr, type Span } from "../hcl/ast.js";
import { type Expansion, expandBlock } from "./expand.js";
import type { TfFile } from "./files.js";
import { callModule } from "./module-call.js";
import type { Declared, ModuleConfig } from "./module-config.js";
import type { ConfigRun, Instance, Undecided } from "./run.js";

/** A module call's argument: evaluated on first read, in the caller's context. */
export interface Input {
  read(): { value: Value; place: Place };
}

export interface ModuleRunInit {
  address: string;
  keyPath: string[];
  depth: number;
  inputs?: Map<string, Input>;
  /** Where the call is written: the place of everything in a built-in module's own text. */
  anchor?: Place;
  /** The call's `count`/`for_each` no input decides. */
  undecided?: Undecided;
  builtin?: { label: string };
  /** The call's block, for "missing argument" errors. */
  callPlace?: Place;
}

type Memo = { state: "pending" } | { state: "done"; value: Value };

export class ModuleRun implements Host {
  private readonly memo = new Map<string, Memo>();
  private readonly expansions = new Map<string, Expansion>();
  private readonly children = new Map<string, { runs: ModuleRun[]; value: Value }>();

  constructor(
    readonly run: ConfigRun,
    readonly config: ModuleConfig,
    readonly init: ModuleRunInit,
  ) {
    const unsupported = [...(init.inputs?.keys() ?? [])].filter((name) => !config.variables.has(name));
    if (unsupported.length > 0) {
      const declared = [...config.variables.keys()];
      const shown = unsupported.map(
        (n) => `"${n}"${suggest(n, declared).startsWith(" (did") ? suggest(n, declared) : ""}`,
      );
      this.run.report(
        "error",
        "terraform/unsupported-argument",
        `${this.describe()} declares no variable ${shown.join(", ")}${declared.length === 0 ? " (it declares none)" : ""}: Terraform refuses ${unsupported.length === 1 ? "the argument" : "these arguments"}`,
        init.callPlace,
      );
    }
  }

  get builtin(): boolean {
    return this.init.builtin !== undefined;
  }

  /** `module.x` or `the root module`, for messages. */
  describe(): string {
    return this.init.address === "" ? "the root module" : this.init.address;
  }

  /** The address of something declared here (`module.a.azurerm_subnet.b`). */
  addressOf(local: string): string {
    return this.init.address === "" ? local : `${this.init.address}.${local}`;
  }

  /** A place in a built-in module's text stands for the module call. */
  mapPlace(place: Place): Place {
    const file = this.run.files.files[place.file];
    return file?.builtin && this.init.anchor ? this.init.anchor : place;
  }

  evaluator(file: TfFile, scope = new Map<string, Value>()): Evaluator {
    return new Evaluator(this, file.index, scope, this.run.budget);
  }

  /** Evaluates `expr`; what Terraform refuses is reported at its place and becomes Unknown. */
  evalTop(expr: Expr, file: TfFile, scope: Map<string, Value>, what: string): { value: Value; place: Place } {
    const ev = this.evaluator(file, scope);
    try {
      return ev.evalWithPlace(expr);
    } catch (error) {
      if (!(error instanceof RefusedError)) throw error;
      const place = this.mapPlace({ file: error.file, offset: error.span.start });
      this.run.report("error", "terraform/invalid-expression", `${what}: ${error.message}`, place);
      return { value: unknown(`${what} (refused)`), place };
    }
  }

  /**
   * Traversals followed to where their value was written (eval/evaluator originOf): `each`, dynamic-block
   * iterators, and, in a built-in module, `var` (whose values the caller wrote).
   */
  follows(root: string, scope: Map<string, Value>): boolean {
    return root === "each" || (this.builtin && root === "var") || scope.has(`\u0000iterator:${root}`);
  }

  // ---- Host ---------------------------------------------------------------------------------------------------

  root(name: string, span: Span): Value | Namespace {
    switch (name) {
      case "var":
      case "local":
      case "module":
      case "data":
      case "resource":
      case "path":
      case "terraform":
        return new Namespace(name);
      case "self":
        return unknown("self");
      case "each":
      case "count":
        throw new RefusedError(
          `${name} can be used only in a block with ${name === "each" ? "for_each" : "count"}`,
          span,
          -1,
        );
      default:
        return new Namespace("resourceType", name);
    }
  }

  member(ns: Namespace, name: string, span: Span, file = -1): Value | Namespace {
    switch (ns.kind) {
      case "var":
        return this.variable(name, span, file);
      case "local":
        return this.local(name, span);
      case "module":
        return this.moduleValue(name, span);
      case "data":
        return new Namespace("dataType", name);
      case "dataType":
        return this.resourceValue("data", ns.type, name, span);
      case "resource":
        return new Namespace("resourceType", name);
      case "resourceType":
        return this.resourceValue("managed", ns.type, name, span);
      case "path":
        if (name === "module") return this.run.modulePath(this.config.dir);
        if (name === "root" || name === "cwd") return ".";
        throw new RefusedError(`path has no attribute "${name}" (module, root and cwd)`, span, -1);
      case "terraform":
        if (name === "workspace") return "default";
        throw new RefusedError(`terraform has no attribute "${name}"`, span, -1);
    }
  }

  warn(code: string, message: string, place: Place): void {
    this.run.report("warning", code, message, this.mapPlace(place));
  }

  /** Where `var.name`'s value was given, for places followed into built-in modules. */
  variablePlace(name: string): Place | undefined {
    return this.init.inputs?.get(name)?.read().place;
  }

  // ---- declarations ---------------------------------------------------------------------------------------------

  private memoized(key: string, what: string, place: Place | undefined, compute: () => Value): Value {
    const known = this.memo.get(key);
    if (known?.state === "done") return known.value;
    if (known?.state === "pending") {
      this.run.report(
        "error",
        "terraform/cycle",
        `${what} refers to itself through a cycle of references; Terraform refuses it`,
        place,
      );
      return unknown(`${what} (a cycle)`);
    }
    if (++this.run.budget.depth > LIMITS.maxReferenceDepth * 8)
      throw new LimitExceeded(`references nested deeper than ${LIMITS.maxReferenceDepth * 8} levels`);
    this.memo.set(key, { state: "pending" });
    try {
      const value = compute();
      this.memo.set(key, { state: "done", value });
      return value;
    } finally {
      this.run.budget.depth--;
      if (this.memo.get(key)?.state === "pending") this.memo.delete(key);
    }
  }

  variable(name: string, span: Span, file = -1): Value {
    const decl = this.config.variables.get(name);
    return this.memoized(`var.${name}`, `var.${name}`, decl ? this.placeOfDecl(decl) : undefined, () => {
      if (!decl) return this.undeclaredVariable(name, span, file);
      const body = decl.node.body;
      const typeAttr = attributeOf(body, "type");
      const problems: string[] = [];
      const type: TypeSpec = typeAttr ? readType(typeAttr.expr, problems) : { kind: "any" };
      const nullable = attributeOf(body, "nullable");
      const notNullable = nullable?.expr.kind === "Literal" && nullable.expr.value === false;
      const defaultAttr = attributeOf(body, "default");
      let given: { value: Value; place?: Place } | undefined;
      if (this.init.address === "") {
        const root = this.run.rootValues.get(name);
        if (root) given = root;
      } else if (this.init.inputs?.has(name)) {
        given = this.init.inputs.get(name)!.read();
      }
      if (given && given.value === null && notNullable) given = undefined;
      if (!given) {
        if (defaultAttr) given = this.evalTop(defaultAttr.expr, decl.file, new Map(), `the default of var.${name}`);
        else if (this.init.address === "") {
          this.run.report(
            "warning",
            "terraform/variable-unknown",
            `variable "${name}" has no value and no default: what depends on it is Unknown; give it with --var ${name}=<value> or a .tfvars file`,
            this.placeOfDecl(decl),
          );
          return unknown(`var.${name}`);
        } else {
          this.run.report(
            "error",
            "terraform/missing-argument",
            `${this.describe()} needs the argument "${name}" (its variable has no default); Terraform refuses the call`,
            this.init.callPlace,
          );
          return unknown(`var.${name}`);
        }
      }
      const converted = convert(given.value, type, this.evaluator(decl.file));
      if (!converted.ok) {
        this.run.report(
          "error",
          "terraform/invalid-value",
          `var.${name}: ${converted.problem}`,
          given.place ?? this.placeOfDecl(decl),
        );
        return unknown(`var.${name}`);
      }
      return converted.value;
    });
  }

  /**
   * A reference to a variable no block declares: Terraform refuses it (once per name here, at the first
   * reference), and it is Unknown. At the root a value given with --var or a .tfvars is used, with a warning.
   */
  private undeclaredVariable(name: string, span: Span, file: number): Value {
    const given = this.init.address === "" ? this.run.rootValues.get(name) : undefined;
    if (given) {
      this.run.report(
        "warning",
        "terraform/undeclared-variable",
        `no variable block declares "${name}"; the value from ${given.origin} is used as given`,
        given.place,
      );
      return given.value;
    }
    const place = file >= 0 ? this.mapPlace({ file, offset: span.start }) : undefined;
    this.run.report(
      "error",
      "terraform/undeclared-variable",
      `var.${name} is not declared in ${this.describe()}${suggest(name, [...this.config.variables.keys()])}: Terraform refuses every reference to it; it is Unknown here${this.init.address === "" ? ` (give it with --var ${name}=<value> to read on)` : ""}`,
      place,
    );
    return unknown(`var.${name}`);
  }

  local(name: string, span: Span): Value {
    const decl = this.config.locals.get(name);
    if (!decl)
      throw new RefusedError(
        `there is no local value "${name}"${suggest(name, [...this.config.locals.keys()])}`,
        span,
        -1,
      );
    return this.memoized(
      `local.${name}`,
      `local.${name}`,
      this.placeOfDecl(decl),
      () => this.evalTop(decl.node.expr, decl.file, new Map(), `local.${name}`).value,
    );
  }

  output(name: string): Value {
    const decl = this.config.outputs.get(name);
    if (!decl) return unknown(`${this.addressOf(`output.${name}`)}`);
    return this.memoized(`output.${name}`, `${this.describe()} output "${name}"`, this.placeOfDecl(decl), () => {
      const value = attributeOf(decl.node.body, "value");
      return value ? this.evalTop(value.expr, decl.file, new Map(), `output "${name}"`).value : null;
    });
  }

  placeOfDecl(decl: Declared<Block | Attribute>): Place {
    const span = decl.node.kind === "Block" ? decl.node.typeSpan : decl.node.nameSpan;
    return this.mapPlace({ file: decl.file.index, offset: span.start });
  }

  // ---- resources and data sources ----------------------------------------------------------------------------

  /** The expansion of a resource or data block (its instances), made once. */
  expansion(mode: "managed" | "data", type: string, name: string, span: Span): Expansion {
    const key = `${mode}.${type}.${name}`;
    const known = this.expansions.get(key);
    if (known) return known;
    const decl = (mode === "managed" ? this.config.resources : this.config.data).get(`${type}.${name}`);
    if (!decl) {
      const names = [...(mode === "managed" ? this.config.resources : this.config.data).keys()];
      const what = mode === "managed" ? "resource" : "data source";
      throw new RefusedError(
        `there is no ${what} ${type}.${name} in ${this.describe()}${suggest(`${type}.${name}`, names)} (Terraform refuses the reference)`,
        span,
        -1,
      );
    }
    let result: Expansion | undefined;
    this.memoized(
      key,
      this.addressOf(mode === "data" ? `data.${type}.${name}` : `${type}.${name}`),
      this.placeOfDecl(decl),
      () => {
        result = expandBlock(this, mode, decl);
        return null;
      },
    );
    if (!result) {
      const value = unknown(`${type}.${name} (a cycle)`);
      return { kind: "single", instances: [], value, instanceKeys: [], scopes: [], collect: () => value };
    }
    this.expansions.set(key, result);
    return result;
  }

  private resourceValue(mode: "managed" | "data", type: string, name: string, span: Span): Value {
    return this.expansion(mode, type, name, span).value;
  }

  // ---- module calls -------------------------------------------------------------------------------------------

  private moduleValue(name: string, span: Span): Value {
    const known = this.children.get(name);
    if (known) return known.value;
    const decl = this.config.modules.get(name);
    if (!decl)
      throw new RefusedError(
        `there is no module "${name}" in ${this.describe()}${suggest(name, [...this.config.modules.keys()])}`,
        span,
        -1,
      );
    let made: { runs: ModuleRun[]; value: Value } | undefined;
    this.memoized(`module.${name}`, this.addressOf(`module.${name}`), this.placeOfDecl(decl), () => {
      made = callModule(this, name, decl);
      return null;
    });
    if (!made) return unknown(`module.${name} (a cycle)`);
    this.children.set(name, made);
    return made.value;
  }

  /** This module instance's outputs, each evaluated when first read. */
  outputsObject(): ValueObject {
    const out = newObject();
    for (const name of this.config.outputs.keys()) {
      Object.defineProperty(out, name, { enumerable: true, configurable: true, get: () => this.output(name) });
    }
    return out;
  }

  // ---- collecting --------------------------------------------------------------------------------------------

  /** Every resource instance of this module and the modules it calls, in declaration order. */
  collect(out: Instance[]): void {
    for (const decl of this.config.resources.values()) {
      const [type, name] = [decl.node.labels[0]!.value, decl.node.labels[1]!.value];
      out.push(...this.expansion("managed", type, name, decl.node).instances);
    }
    for (const decl of this.config.data.values()) {
      const [type, name] = [decl.node.labels[0]!.value, decl.node.labels[1]!.value];
      this.expansion("data", type, name, decl.node);
    }
    for (const name of this.config.modules.keys()) {
      this.moduleValue(name, this.config.modules.get(name)!.node);
      for (const child of this.children.get(name)?.runs ?? []) child.collect(out);
    }
  }
}

/** Both conditions must hold (a resource with its own undecided count, in a module call with one). */
export function combine(outer: Undecided | undefined, inner: Undecided | undefined): Undecided | undefined {
  if (!outer) return inner;
  if (!inner) return outer;
  return { reason: `${outer.reason} && ${inner.reason}`, place: inner.place };
}
