/**
 * @module ingest/terraform/eval/evaluator
 * Ingest layer, Terraform: the static evaluator of HCL expressions, after Terraform's semantics
 * (developer.hashicorp.com/terraform/language/expressions): operators, conditionals, `for` expressions,
 * splats, templates with directives, and the built-in functions (functions.ts). Names outside the expression
 * (`var.x`, `local.y`, `azurerm_subnet.a`, `module.m`, `data.t.n`) are asked of a Host, which the
 * configuration (../config) implements lazily. An expression that Terraform would refuse throws RefusedError,
 * which `try()` and `can()` catch as Terraform does and the configuration turns into one diagnostic at its
 * place; a value no input decides is Unknown and stays Unknown through every operation that depends on it.
 */
import { isUnknown, unknownReason } from "../../../model/unknown.js";
import type { Expr, Span } from "../hcl/ast.js";
import { forValue, objectValue } from "./constructors.js";
import { callFunction } from "./functions.js";
import { LIMITS, LimitExceeded } from "./limits.js";
import { binaryOp, unaryOp } from "./operators.js";
import { suggest } from "./suggest.js";
import { templateValue } from "./templates.js";
import {
  computedAddress,
  isObjectValue,
  isSet,
  memberPlace,
  type Place,
  placeOf,
  setMemberPlace,
  setPlace,
  showValue,
  toBoolValue,
  toNumberValue,
  toStringValue,
  typeName,
  Unknown,
  undecidedCollectionReason,
  unknown,
  type Value,
  type ValueObject,
  valuesEqual,
} from "./values.js";

/** Something Terraform refuses; `span` is where, in the file being evaluated. */
export class RefusedError extends Error {
  constructor(
    message: string,
    readonly span: Span,
    readonly file: number,
  ) {
    super(message);
    this.name = "RefusedError";
  }
}

/** A name that is not a value by itself: `var`, `local`, `module`, `data`, a resource type. */
export class Namespace {
  constructor(
    readonly kind:
      | "var"
      | "local"
      | "module"
      | "data"
      | "dataType"
      | "resourceType"
      | "resource"
      | "path"
      | "terraform",
    readonly type = "",
  ) {}
}

export interface Host {
  /** A root name that the evaluator's own bindings do not hold. */
  root(name: string, span: Span, file: number): Value | Namespace;
  /** `ns.name` (`span` is in `file`). */
  member(ns: Namespace, name: string, span: Span, file: number): Value | Namespace;
  /** A warning at a place (an unsupported function, ...). */
  warn(code: string, message: string, place: Place): void;
  /** Where the value of `var.name` was written, when places are followed into it. */
  variablePlace?(name: string): Place | undefined;
  /** Whether a traversal from `root` is followed to where its value was written (eval `originOf`). */
  follows?(root: string, scope: Bindings): boolean;
  /** A place as it is to be cited (a built-in module's text stands for its call). */
  mapPlace?(place: Place): Place;
}

export type Bindings = Map<string, Value>;

/** Object keys in Terraform's iteration order: lexical. */
export function sortedKeys(o: ValueObject): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** What evaluators of one configuration share: the step budget and the nesting depth. */
export interface Budget {
  steps: number;
  depth: number;
}

export class Evaluator {
  constructor(
    readonly host: Host,
    /** Index of the file whose expressions this evaluates (for places and errors). */
    readonly file: number,
    readonly scope: Bindings = new Map(),
    readonly budget: Budget = { steps: 0, depth: 0 },
  ) {}

  /** The same host and budget in another file or with other bindings. */
  derive(file: number, scope: Bindings): Evaluator {
    return new Evaluator(this.host, file, scope, this.budget);
  }

  error(message: string, span: Span): never {
    throw new RefusedError(message, span, this.file);
  }

  place(span: Span): Place {
    const raw = { file: this.file, offset: span.start };
    return this.host.mapPlace?.(raw) ?? raw;
  }

  /** Where the value of `expr` was written: a followed traversal's member, a chosen branch, or `expr`. */
  placeOfExpr(expr: Expr): Place {
    return this.originOf(expr) ?? this.place(expr);
  }

  eval(expr: Expr): Value {
    const budget = this.budget;
    if (++budget.steps > LIMITS.maxSteps) throw new LimitExceeded(`more than ${LIMITS.maxSteps} evaluation steps`);
    if (++budget.depth > LIMITS.maxReferenceDepth * 8)
      throw new LimitExceeded(`expressions nested deeper than ${LIMITS.maxReferenceDepth * 8} levels`);
    try {
      const v = this.evalInner(expr);
      return v instanceof Namespace ? this.namespaceValue(v, expr) : v;
    } finally {
      budget.depth--;
    }
  }

  /** `eval`, and where the result was written (placeOfExpr). */
  evalWithPlace(expr: Expr): { value: Value; place: Place } {
    const value = this.eval(expr);
    return { value, place: this.placeOfExpr(expr) };
  }

  /** Where the value of a traversal rooted at a followed name was written (a member of an object). */
  private originOf(expr: Expr, depth = 0): Place | undefined {
    if (depth > 16) return undefined;
    if (expr.kind === "Paren") return this.originOf(expr.expr, depth + 1);
    if (expr.kind === "Conditional") {
      const cond = this.tryEval(expr.cond);
      if (cond === true || cond === false)
        return (
          this.originOf(cond ? expr.whenTrue : expr.whenFalse, depth + 1) ??
          this.place(cond ? expr.whenTrue : expr.whenFalse)
        );
      return undefined;
    }
    if (expr.kind === "Template" && expr.parts.length === 1 && expr.parts[0]!.kind === "interp")
      return this.originOf(expr.parts[0]!.expr, depth + 1);
    const steps: Expr[] = [];
    let e: Expr = expr;
    while (e.kind === "GetAttr" || e.kind === "Index") {
      steps.unshift(e);
      e = e.object;
    }
    if (e.kind !== "Variable" || steps.length === 0 || !(this.host.follows?.(e.name, this.scope) ?? false))
      return undefined;
    let container: Value | Namespace;
    try {
      container = this.evalInner(e);
      let found: Place | undefined;
      for (const step of steps) {
        if (container instanceof Namespace) {
          if (container.kind === "var" && step.kind === "GetAttr")
            found = this.host.variablePlace?.(step.name) ?? found;
          container = this.step(container, step);
          continue;
        }
        const key = step.kind === "GetAttr" ? step.name : step.kind === "Index" ? this.eval(step.key) : undefined;
        const k = typeof key === "number" ? key : typeof key === "string" ? key : undefined;
        if (k === undefined) return found;
        found = memberPlace(container, k) ?? found;
        container = this.step(container, step);
      }
      return placeOf(container) ?? found;
    } catch {
      return undefined;
    }
  }

  private step(container: Value | Namespace, step: Expr): Value | Namespace {
    if (step.kind === "GetAttr") return this.getAttr(container, step.name, step);
    if (step.kind === "Index") return this.index(container, this.eval(step.key), step);
    return unknown("?");
  }

  private namespaceValue(ns: Namespace, expr: Expr): Value {
    if (ns.kind === "path" || ns.kind === "terraform") this.error(`${ns.kind} needs an attribute`, expr);
    return unknown(ns.type || ns.kind);
  }

  private evalInner(expr: Expr): Value | Namespace {
    switch (expr.kind) {
      case "Literal":
        return expr.value;
      case "Template":
        return templateValue(this, expr.parts, expr);
      case "Variable": {
        if (this.scope.has(expr.name)) return this.scope.get(expr.name)!;
        return this.fromHost(() => this.host.root(expr.name, expr, this.file));
      }
      case "GetAttr":
        return this.getAttr(this.evalInner(expr.object), expr.name, expr);
      case "Index":
        return this.index(this.evalInner(expr.object), this.eval(expr.key), expr);
      case "Splat":
        return this.splat(expr.source, expr.each, expr);
      case "SplatItem":
        return this.scope.get("\u0000splat") ?? null;
      case "Paren":
        return this.eval(expr.expr);
      case "Tuple": {
        const out = expr.items.map((item) => this.eval(item));
        setPlace(out, this.place(expr));
        expr.items.forEach((item, i) => {
          setMemberPlace(out, i, placeOf(out[i]) ?? this.placeOfExpr(item));
        });
        return out;
      }
      case "Object":
        return objectValue(this, expr);
      case "Unary":
        return unaryOp(this, expr.op, this.eval(expr.operand), expr);
      case "Binary":
        return binaryOp(this, expr);
      case "Conditional":
        return this.conditional(expr);
      case "For":
        return forValue(this, expr);
      case "Call":
        return callFunction(this, expr);
    }
  }

  // ---- traversals -------------------------------------------------------------------------------------------

  /** A host call; its errors are placed in this evaluator's file. */
  private fromHost(fn: () => Value | Namespace): Value | Namespace {
    try {
      return fn();
    } catch (error) {
      if (error instanceof RefusedError && error.file < 0) throw new RefusedError(error.message, error.span, this.file);
      throw error;
    }
  }

  getAttr(container: Value | Namespace, name: string, span: Span): Value | Namespace {
    if (container instanceof Namespace) return this.fromHost(() => this.host.member(container, name, span, this.file));
    if (container instanceof Unknown) return container;
    if (typeof container === "string" && isUnknown(container)) return unknown(unknownReason(container));
    if (isObjectValue(container)) {
      if (Object.hasOwn(container, name)) return container[name]!;
      const computed = computedAddress(container);
      if (computed !== undefined) return unknown(`${computed.address}.${name} (${computed.why})`);
      this.error(`this object has no attribute "${name}"${suggest(name, Object.keys(container))}`, span);
    }
    if (Array.isArray(container) && !isSet(container)) {
      // `list.attr` on a list of objects is an error in Terraform 0.12+ (a splat is needed).
      this.error(`a ${typeName(container)} has no attribute "${name}" (use [*].${name} for each element)`, span);
    }
    if (container === null) this.error(`cannot read attribute "${name}" of null`, span);
    return this.error(`a ${typeName(container)} has no attribute "${name}"`, span);
  }

  index(container: Value | Namespace, key: Value, span: Span): Value | Namespace {
    if (container instanceof Namespace) {
      if (typeof key === "string") return this.fromHost(() => this.host.member(container, key, span, this.file));
      this.error("this name is not a collection", span);
    }
    if (container instanceof Unknown) return container;
    if (key instanceof Unknown) return key;
    if (container === null) this.error("cannot index null", span);
    if (Array.isArray(container)) {
      if (isSet(container)) this.error("a set cannot be indexed: convert it with tolist() first", span);
      const n = toNumberValue(key);
      if (n instanceof Unknown) return n;
      if (n === undefined || !Number.isInteger(n))
        this.error(`a list index must be a whole number, found ${showValue(key)}`, span);
      if (n < 0 || n >= container.length)
        this.error(`index ${n} is out of range: the ${typeName(container)} has ${container.length} element(s)`, span);
      return container[n]!;
    }
    if (isObjectValue(container)) {
      const k = toStringValue(key);
      if (k instanceof Unknown) return k;
      if (k === undefined) this.error(`a map key must be a string, found ${typeName(key)}`, span);
      if (isUnknown(k)) return unknown(unknownReason(k));
      if (Object.hasOwn(container, k)) return container[k]!;
      const computed = computedAddress(container);
      if (computed !== undefined) return unknown(`${computed.address}["${k}"] (${computed.why})`);
      this.error(`the key "${k}" is not in this map${suggest(k, Object.keys(container))}`, span);
    }
    if (typeof container === "string" && isUnknown(container)) return unknown(unknownReason(container));
    return this.error(`a ${typeName(container)} cannot be indexed`, span);
  }

  private splat(source: Expr, each: Expr, span: Span): Value {
    const value = this.eval(source);
    if (value instanceof Unknown) return value;
    const undecided = undecidedCollectionReason(value);
    if (undecided !== undefined) return unknown(undecided);
    if (value === null) return [];
    const items = Array.isArray(value) ? value : [value];
    this.checkSize(items.length, span);
    const inner = this.derive(this.file, new Map(this.scope));
    return items.map((item) => {
      inner.scope.set("\u0000splat", item);
      return inner.eval(each);
    });
  }

  // ---- collections --------------------------------------------------------------------------------------------

  checkSize(n: number, span: Span): void {
    if (n > LIMITS.maxElements)
      throw new LimitExceeded(
        `a collection of ${n} elements (more than ${LIMITS.maxElements}) at offset ${span.start}`,
      );
  }

  // ---- operators ----------------------------------------------------------------------------------------------

  private conditional(expr: Extract<Expr, { kind: "Conditional" }>): Value {
    const raw = this.eval(expr.cond);
    const cond = toBoolValue(raw);
    if (cond === undefined) this.error(`the condition must be a boolean, found ${showValue(raw)}`, expr.cond);
    if (cond instanceof Unknown) {
      // Both ways give the same known value: that is the value whatever the condition.
      const a = this.tryEval(expr.whenTrue);
      const b = this.tryEval(expr.whenFalse);
      if (a !== undefined && b !== undefined && valuesEqual(a, b) === true) return a;
      return cond;
    }
    return this.eval(cond ? expr.whenTrue : expr.whenFalse);
  }

  /** `eval`, or undefined when it throws an RefusedError. */
  tryEval(expr: Expr): Value | undefined {
    try {
      return this.eval(expr);
    } catch (error) {
      if (error instanceof RefusedError) return undefined;
      throw error;
    }
  }

  // ---- templates ----------------------------------------------------------------------------------------------
}

/** The key/value pairs a `for` expression or `for_each` iterates: index or key (lexical), or the element of a set. */
export function iterate(coll: Value): [Value, Value][] | undefined {
  if (undecidedCollectionReason(coll) !== undefined) return undefined;
  if (Array.isArray(coll)) return isSet(coll) ? coll.map((v) => [v, v]) : coll.map((v, i) => [i, v]);
  if (isObjectValue(coll)) return sortedKeys(coll).map((k) => [k, coll[k]!]);
  return undefined;
}

export { suggest };
