/**
 * @module ingest/arm/expression/evaluate
 * Evaluates one parsed ARM expression against a FunctionContext (the template being evaluated). Property
 * and index access follow ARM: names are case-insensitive, `?.` gives null where the value is absent, and
 * an absent property is an error, except on a `reference()` result, whose runtime-only properties (an
 * assigned IP address, a provisioning state) are Unknown offline.
 */

import { unknownValue } from "../../../model/unknown.js";
import { isListFunction } from "../functions/deployment.js";
import { lookupFunction } from "../functions/index.js";
import type { FunctionContext } from "../functions/types.js";
import type { Expr } from "./parse.js";
import { printExpression } from "./parse.js";
import { ArmEvalError, getMember, hasMember, isPlainObject, isUnknownValue, typeName, unknownFrom } from "./values.js";

/** Objects that stand for live resources: a property they lack is Unknown, not an error. */
const liveObjects = new WeakSet<object>();

/** Marks `obj` (a `reference()` result) as a live resource's state. */
export function markLive<T extends object>(obj: T): T {
  liveObjects.add(obj);
  return obj;
}

/** Evaluates `expr`; throws ArmEvalError where Azure would refuse the expression. */
export function evaluateExpr(expr: Expr, ctx: FunctionContext): unknown {
  ctx.step?.();
  switch (expr.kind) {
    case "string":
    case "number":
    case "boolean":
      return expr.value;
    case "null":
      return null;
    case "call":
      return call(expr, ctx);
    case "property":
      return access(evaluateExpr(expr.target, ctx), expr.name, expr.safe, expr);
    case "index":
      return access(evaluateExpr(expr.target, ctx), evaluateExpr(expr.index, ctx), expr.safe, expr);
  }
}

function call(expr: Extract<Expr, { kind: "call" }>, ctx: FunctionContext): unknown {
  if (expr.name.includes(".")) {
    const args = expr.args.map((a) => evaluateExpr(a, ctx));
    const result = ctx.userFunction(expr.name, args);
    if (!result) throw new ArmEvalError(`the template declares no function '${expr.name}'`, "arm/unknown-function");
    return result.value;
  }
  const spec = lookupFunction(expr.name);
  if (!spec) {
    if (isListFunction(expr.name)) return ctx.unsupported(`${expr.name}()`, "it reads the live resource");
    throw new ArmEvalError(`'${expr.name}' is not an ARM template function`, "arm/unknown-function");
  }
  if (spec.lazy) return spec.fn([], ctx, expr);
  const args = expr.args.map((a) => evaluateExpr(a, ctx));
  if (!spec.unknownAware) {
    const unknown = args.find(isUnknownValue);
    if (unknown !== undefined) return unknownFrom(unknown);
  }
  const result = spec.fn(args, ctx, expr);
  ctx.produced?.(expr.name, result);
  return result;
}

function access(target: unknown, key: unknown, safe: boolean, expr: Expr): unknown {
  if (isUnknownValue(target)) return unknownFrom(target);
  if (isUnknownValue(key)) return unknownFrom(key);
  if (target === null || target === undefined) {
    if (safe) return null;
    throw new ArmEvalError(`cannot read ${describeKey(key)} of null in ${printExpression(expr)}`);
  }
  if (Array.isArray(target)) {
    if (liveObjects.has(target) && typeof key === "number" && key >= target.length) {
      return unknownValue(`${printExpression(expr)} is set by Azure at deployment`);
    }
    if (typeof key !== "number" || !Number.isInteger(key)) {
      throw new ArmEvalError(`an array is indexed by an integer, found ${typeName(key)} in ${printExpression(expr)}`);
    }
    if (key >= 0 && key < target.length) return target[key];
    if (safe) return null;
    throw new ArmEvalError(`index ${key} is outside the array of ${target.length} in ${printExpression(expr)}`);
  }
  if (isPlainObject(target)) {
    const name = String(key);
    if (hasMember(target, name)) {
      const found = getMember(target, name);
      // What a live resource holds is live too (its nested runtime-only fields are Unknown as well).
      if (liveObjects.has(target) && typeof found === "object" && found !== null) liveObjects.add(found);
      return found;
    }
    if (safe) return null;
    if (liveObjects.has(target)) return unknownValue(`${printExpression(expr)} is set by Azure at deployment`);
    throw new ArmEvalError(`the property '${name}' does not exist in ${printExpression(expr)}`);
  }
  throw new ArmEvalError(`cannot read ${describeKey(key)} of a ${typeName(target)} in ${printExpression(expr)}`);
}

function describeKey(key: unknown): string {
  return typeof key === "number" ? `[${key}]` : `'${String(key)}'`;
}
