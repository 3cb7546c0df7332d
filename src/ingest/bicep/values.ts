/**
 * @module ingest/bicep/values
 * Ingest layer, Bicep evaluation: the values the evaluator computes with. They are the ARM evaluator's JSON
 * values (src/ingest/arm/expression/values.ts: unknown placeholders, case-insensitive members), so that the ARM
 * function library applies unchanged, plus a few that stand for declarations: a resource (`vnet` in `vnet.id`),
 * a looped resource or module (`vnets[i]`), a module's outputs, an `import * as ns` namespace. Those become
 * JSON (a resource becomes its id) where they leave an expression. Also: the errors (what Bicep or Azure would
 * refuse), the limits, and member access with Bicep's rules (`.?` and `[?i]` give null, `[^i]` counts from the
 * end, a live resource's runtime-only properties are Unknown).
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/operators-access
 */
import { unknownValue } from "../../model/unknown.js";
import {
  ArmEvalError,
  getMember,
  hasMember,
  isPlainObject,
  isUnknownValue,
  typeName,
  unknownFrom,
} from "../arm/expression/values.js";
import { Lambda } from "../arm/functions/lambda.js";
import type { Expr, Range } from "./ast.js";
import { printExpr } from "./print.js";

export type { Json } from "../arm/expression/values.js";
export { isPlainObject, isUnknownValue, unknownFrom };

/** What Bicep's compiler or Azure would refuse: an error diagnostic at the expression, and an Unknown value. */
export class BicepError extends ArmEvalError {
  constructor(message: string, code = "bicep/invalid-expression") {
    super(message, code);
  }
}

/** A limit of ours was reached (hostile or runaway input): an error diagnostic, never a hang. */
export class BicepLimit extends BicepError {
  constructor(message: string) {
    super(message, "bicep/limit");
  }
}

/** What we do not evaluate offline: a warning at the expression, and an Unknown value. */
export class Unsupported extends Error {}

/** Where an error was raised (the innermost expression that raised it, and its file), kept beside the error. */
const raisedAt = new WeakMap<Error, { file: string; range: Range }>();

/** Records `range` of `file` as where `error` was raised, unless an inner expression did already. */
export function locateError(error: unknown, file: string, range: Range): void {
  if (error instanceof Error && !raisedAt.has(error)) raisedAt.set(error, { file, range });
}

export function errorPlace(error: Error): { file: string; range: Range } | undefined {
  return raisedAt.get(error);
}

/**
 * A value standing for a declaration (a resource, a module, their loops, outputs, an import namespace). The
 * evaluator asks it for members (`x.name`), elements (`x[i]`), children (`x::c`) and methods (`x.f()`).
 */
export abstract class SymbolValue {
  abstract describe(): string;
  member(name: string, _safe: boolean, _at: Expr): unknown {
    throw new BicepError(`${this.describe()} has no property '${name}'`);
  }
  element(_index: unknown, _safe: boolean, _at: Expr): unknown {
    throw new BicepError(`${this.describe()} cannot be indexed`);
  }
  child(name: string, _at: Expr): unknown {
    throw new BicepError(`${this.describe()} has no child resource '${name}'`);
  }
  method(name: string, _args: unknown[], _at: Expr): unknown {
    throw new BicepError(`${this.describe()} has no function '${name}'`);
  }
  /** The JSON this becomes where it leaves an expression (a resource: its id, as Bicep compiles it). */
  abstract toJson(): unknown;
}

/** A Bicep lambda (`x => …`): an ARM Lambda, so that ARM's map/filter/reduce/sort/... call it. */
export class BicepLambda extends Lambda {
  constructor(
    params: string[],
    private readonly invoke: (values: unknown[]) => unknown,
  ) {
    super(params, { kind: "null" });
  }

  override call(_ctx: unknown, values: unknown[]): unknown {
    return this.invoke(values);
  }
}

/** `value` as JSON: declarations become what they stand for; a lambda outside a function call is refused. */
export function materialize(value: unknown): unknown {
  if (value instanceof SymbolValue) return value.toJson();
  if (value instanceof Lambda)
    throw new BicepError("a lambda can only be an argument of a function (map, filter, ...)");
  return value;
}

// ------------------------------------------------------------------------------------------------ live state

/**
 * Objects that stand for a deployed resource's state (what `vnet.properties` reads at deployment): a property
 * they lack is set by Azure (an assigned address, a provisioning state), Unknown offline, not an error. The
 * value is the reason to give, or true for "set by Azure at deployment".
 */
const live = new WeakMap<object, string | true>();

export function markLive<T extends object>(obj: T, reason: string | true = true): T {
  live.set(obj, reason);
  return obj;
}

function liveMissing(target: object, at: Expr): string {
  const reason = live.get(target);
  const what = shorten(printExpr(at));
  return unknownValue(
    reason === true || reason === undefined ? `${what} is set by Azure at deployment` : `${what}: ${reason}`,
  );
}

/** Expression text for a reason or a message, kept to one short line. */
export function shorten(text: string, max = 120): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

// ------------------------------------------------------------------------------------------------- access

/**
 * `target.key` / `target[key]` with Bicep's rules. Names are matched case-insensitively as ARM does at
 * deployment; `safe` (`.?`, `[?i]`) gives null where the member is absent; `fromEnd` (`[^i]`) counts from the
 * end. What a live resource lacks is Unknown; what a plain object lacks is an error, as ARM's would be.
 */
export function access(target: unknown, key: unknown, safe: boolean, at: Expr, fromEnd = false): unknown {
  if (target instanceof SymbolValue) {
    return typeof key === "string" && !fromEnd ? target.member(key, safe, at) : target.element(key, safe, at);
  }
  if (isUnknownValue(target)) return unknownFrom(target);
  if (isUnknownValue(key)) return unknownFrom(key);
  if (target === null || target === undefined) {
    if (safe) return null;
    throw new BicepError(`cannot read ${describeKey(key)} of null in ${shorten(printExpr(at))}`);
  }
  if (Array.isArray(target)) {
    if (typeof key !== "number" || !Number.isInteger(key))
      throw new BicepError(`an array is indexed by an integer, found ${typeName(key)} in ${shorten(printExpr(at))}`);
    const index = fromEnd ? target.length - key : key;
    if (index >= 0 && index < target.length) {
      const found = target[index];
      if (live.has(target) && typeof found === "object" && found !== null && !live.has(found))
        markLive(found, live.get(target));
      return found;
    }
    if (safe) return null;
    if (live.has(target)) return liveMissing(target, at);
    throw new BicepError(`index ${key} is outside the array of ${target.length} in ${shorten(printExpr(at))}`);
  }
  if (isPlainObject(target)) {
    if (fromEnd) throw new BicepError(`'^' indexes arrays only, found an object in ${shorten(printExpr(at))}`);
    const name = String(key);
    if (hasMember(target, name)) {
      const found = getMember(target, name);
      if (live.has(target) && typeof found === "object" && found !== null && !live.has(found))
        markLive(found, live.get(target));
      return found;
    }
    if (safe) return null;
    if (live.has(target)) return liveMissing(target, at);
    throw new BicepError(`the property '${name}' does not exist in ${shorten(printExpr(at))}`);
  }
  if (safe) return null;
  throw new BicepError(`cannot read ${describeKey(key)} of a ${typeName(target)} in ${shorten(printExpr(at))}`);
}

function describeKey(key: unknown): string {
  return typeof key === "number" ? `[${key}]` : `'${String(key)}'`;
}
