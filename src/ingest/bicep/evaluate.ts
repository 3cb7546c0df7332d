/**
 * @module ingest/bicep/evaluate
 * Ingest layer, Bicep evaluation: expressions. Each node of the syntax tree is evaluated to the JSON value Azure
 * would see, with the semantics Bicep compiles to (an operator is the ARM function it becomes: `==` is
 * `equals`, `&&` is `and`, `c ? a : b` is `if`, `a ?? b` is `coalesce`, `'${x}'` is `format`), so that a Bicep
 * expression and its ARM form give the same value, Unknown placeholders included (src/model/unknown.ts:
 * comparisons with an Unknown are Unknown, string building keeps the placeholder inside the text). Objects and
 * arrays are recorded against the node they come from (locator.ts). Calls are in functions.ts.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/operators
 */
import { boundedArray, boundedString, setOwn, toText } from "../arm/expression/values.js";
import type { ArrayExpr, BinaryExpr, Expr, ForExpr, IfExpr, ObjectExpr, StringExpr, UnaryExpr } from "./ast.js";
import type { Env } from "./env.js";
import { armFunction, callFunction, callMethod } from "./functions.js";
import { printExpr } from "./print.js";
import { MAX_DEPTH, MAX_LOOP } from "./run.js";
import {
  access,
  BicepError,
  BicepLambda,
  BicepLimit,
  isPlainObject,
  isUnknownValue,
  type Json,
  locateError,
  materialize,
  SymbolValue,
  shorten,
  unknownFrom,
} from "./values.js";

/** Evaluates `expr` in `env`. Throws BicepError where Bicep or Azure would refuse it (the caller reports). */
export function evaluate(expr: Expr, env: Env): unknown {
  const run = env.scope.run;
  if (--run.steps < 0) throw new BicepLimit("the evaluation takes too many steps; the rest is Unknown");
  if (++run.depth > MAX_DEPTH) {
    run.depth--;
    throw new BicepLimit(`the evaluation nests more than ${MAX_DEPTH} deep`);
  }
  const value = evaluateNode(expr, env);
  run.depth--;
  return value;
}

/** Evaluates `expr` to JSON (a resource reference becomes its id). */
export function evaluateJson(expr: Expr, env: Env): unknown {
  return materialize(evaluate(expr, env));
}

function evaluateNode(expr: Expr, env: Env): unknown {
  switch (expr.kind) {
    case "StringExpr":
      return expr.parts.length === 1 ? expr.parts[0] : interpolate(expr, env);
    case "IntExpr":
      return expr.value;
    case "BoolExpr":
      return expr.value;
    case "NullExpr":
      return null;
    case "ArrayExpr":
      return array(expr, env);
    case "ObjectExpr":
      return object(expr, env);
    case "IdentExpr":
      return env.lookup(expr.name, expr);
    case "MemberExpr": {
      const target = evaluate(expr.object, env);
      return guarded(env, expr, () => access(target, expr.name.name, expr.safe, expr));
    }
    case "IndexExpr": {
      const target = evaluate(expr.object, env);
      const key = evaluateJson(expr.index, env);
      return guarded(env, expr, () => access(target, key, expr.safe, expr, expr.fromEnd));
    }
    case "ResourceAccessExpr": {
      const target = evaluate(expr.object, env);
      if (!(target instanceof SymbolValue))
        throw new BicepError(`'::' reads a child resource of a resource, found ${shorten(printExpr(expr.object))}`);
      return guarded(env, expr, () => target.child(expr.name.name, expr));
    }
    case "CallExpr":
      return callFunction(expr, env);
    case "MethodCallExpr": {
      const target = evaluate(expr.object, env);
      const args = expr.args.map((a) => evaluate(a, env));
      return guarded(env, expr, () => callMethod(target, expr, args, env));
    }
    case "NonNullExpr":
      return evaluate(expr.expr, env);
    case "ParenExpr":
      return evaluate(expr.expr, env);
    case "UnaryExpr":
      return unary(expr, env);
    case "BinaryExpr":
      return binary(expr, env);
    case "TernaryExpr": {
      const condition = evaluateJson(expr.condition, env);
      if (isUnknownValue(condition)) return unknownFrom(condition);
      if (typeof condition !== "boolean")
        throw located(env, new BicepError(`a condition must be a bool, found ${describe(condition)}`), expr.condition);
      return evaluate(condition ? expr.whenTrue : expr.whenFalse, env);
    }
    case "LambdaExpr": {
      const names = expr.params.map((p) => p.name);
      return new BicepLambda(names, (values) =>
        evaluateJson(expr.body, env.bind(new Map(names.map((n, i) => [n, values[i] ?? null])))),
      );
    }
    case "ForExpr":
      return loop(expr, env);
  }
}

/** Runs `fn`, recording `at` as where an error it raises was raised (unless an inner expression did). */
function guarded<T>(env: Env, at: Expr, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    locateError(error, env.scope.file, at.range);
    throw error;
  }
}

function located(env: Env, error: BicepError, at: { range: Expr["range"] }): BicepError {
  locateError(error, env.scope.file, at.range);
  return error;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `${typeof value === "number" ? "int" : typeof value} ${shorten(JSON.stringify(value), 40)}`;
}

/** `'a${x}b'`: ARM's `format('a{0}b', x)`, which keeps an Unknown placeholder inside the text. */
function interpolate(expr: StringExpr, env: Env): string {
  let text = "";
  for (const part of expr.parts) {
    text += typeof part === "string" ? part : toText(evaluateJson(part, env));
    boundedString(text);
  }
  return text;
}

/**
 * Expressions whose values record their own origin (object and array literals, loops), or are not objects:
 * a value made elsewhere (a function's result, a variable) is recorded at the expression that gives it.
 */
const LITERALS = new Set<Expr["kind"]>([
  "ObjectExpr",
  "ArrayExpr",
  "ForExpr",
  "StringExpr",
  "IntExpr",
  "BoolExpr",
  "NullExpr",
]);

function array(expr: ArrayExpr, env: Env): unknown {
  const out: unknown[] = [];
  const { locator } = env.scope.run;
  for (const item of expr.items) {
    if (item.kind === "SpreadExpr") {
      const spread = evaluateJson(item.expr, env);
      if (isUnknownValue(spread)) return unknownFrom(spread);
      if (!Array.isArray(spread))
        throw located(env, new BicepError(`'...' in an array spreads an array, found ${describe(spread)}`), item.expr);
      for (const v of spread) out.push(v);
      boundedArray(out);
    } else {
      const value = evaluateJson(item, env);
      if (!LITERALS.has(item.kind)) locator.record(value, env, item);
      out.push(value);
    }
  }
  boundedArray(out);
  locator.recordNew(out, env, expr);
  return out;
}

/** An object literal; `{ ...x, a: 1 }` is ARM's `shallowMerge([x, {a: 1}])` (later members win). */
export function object(expr: ObjectExpr, env: Env, skip?: ReadonlySet<string>): Json | string {
  const out: Json = {};
  const { locator } = env.scope.run;
  for (const member of expr.members) {
    if (member.kind === "ObjectProperty") {
      const key = member.key.kind === "Identifier" ? member.key.name : evaluateJson(member.key, env);
      if (typeof key !== "string")
        throw located(env, new BicepError(`an object key must be a string, found ${describe(key)}`), member.key);
      if (skip?.has(key)) continue;
      const value = evaluateJson(member.value, env);
      if (!LITERALS.has(member.value.kind)) locator.record(value, env, member.value);
      setOwn(out, key, value);
    } else if (member.kind === "SpreadExpr") {
      const spread = evaluateJson(member.expr, env);
      if (spread === null) continue;
      // An Unknown spread: which keys it adds cannot be told, so the whole object is Unknown.
      if (isUnknownValue(spread)) return unknownFrom(spread);
      if (!isPlainObject(spread))
        throw located(
          env,
          new BicepError(`'...' in an object spreads an object, found ${describe(spread)}`),
          member.expr,
        );
      for (const [k, v] of Object.entries(spread)) if (!skip?.has(k)) setOwn(out, k, v);
    }
    // Child resources in a resource body are declarations, evaluated by resources.ts.
  }
  locator.recordNew(out, env, expr);
  return out;
}

function unary(expr: UnaryExpr, env: Env): unknown {
  const value = evaluateJson(expr.operand, env);
  if (isUnknownValue(value)) return unknownFrom(value);
  if (expr.operator === "!") {
    if (typeof value !== "boolean")
      throw located(env, new BicepError(`'!' negates a bool, found ${describe(value)}`), expr);
    return !value;
  }
  if (typeof value !== "number")
    throw located(env, new BicepError(`'-' negates an int, found ${describe(value)}`), expr);
  return value === 0 ? 0 : -value;
}

/** The ARM function each binary operator compiles to. */
const OPERATOR_FUNCTIONS: Partial<Record<BinaryExpr["operator"], string>> = {
  "*": "mul",
  "/": "div",
  "%": "mod",
  "+": "add",
  "-": "sub",
  "<": "less",
  "<=": "lessOrEquals",
  ">": "greater",
  ">=": "greaterOrEquals",
  "==": "equals",
};

function binary(expr: BinaryExpr, env: Env): unknown {
  const op = expr.operator;
  if (op === "&&" || op === "||") return logical(expr, env, op === "||");
  const left = evaluateJson(expr.left, env);
  if (op === "??") {
    // coalesce(a, b): b only when a is null (an Unknown a stays Unknown).
    return left === null || left === undefined ? evaluateJson(expr.right, env) : left;
  }
  const right = evaluateJson(expr.right, env);
  return guarded(env, expr, () => {
    switch (op) {
      case "!=": {
        const eq = armFunction("equals", [left, right], env, expr, true);
        return isUnknownValue(eq) ? eq : !eq;
      }
      case "=~":
      case "!~": {
        if (isUnknownValue(left)) return unknownFrom(left);
        if (isUnknownValue(right)) return unknownFrom(right);
        if (typeof left !== "string" || typeof right !== "string")
          throw new BicepError(`'${op}' compares two strings, found ${describe(left)} and ${describe(right)}`);
        const same = left.toLowerCase() === right.toLowerCase();
        return op === "=~" ? same : !same;
      }
      default:
        return armFunction(OPERATOR_FUNCTIONS[op]!, [left, right], env, expr, true);
    }
  });
}

/** `a && b` / `a || b`: ARM's `and`/`or`, deciding as soon as a known operand decides (so `b` may not be read). */
function logical(expr: BinaryExpr, env: Env, decisive: boolean): unknown {
  const left = evaluateJson(expr.left, env);
  if (left === decisive) return decisive;
  if (!isUnknownValue(left) && typeof left !== "boolean")
    throw located(env, new BicepError(`'${expr.operator}' combines bools, found ${describe(left)}`), expr.left);
  const right = evaluateJson(expr.right, env);
  if (right === decisive) return decisive;
  if (!isUnknownValue(right) && typeof right !== "boolean")
    throw located(env, new BicepError(`'${expr.operator}' combines bools, found ${describe(right)}`), expr.right);
  if (isUnknownValue(left)) return unknownFrom(left);
  if (isUnknownValue(right)) return unknownFrom(right);
  return !decisive;
}

/**
 * The items of a loop (`[for (x, i) in xs: body]`, `[for x in xs: if (c) {…}]`), each evaluated with its
 * item and index bound; at most 800, as ARM allows a copy loop. An Unknown list makes an Unknown value.
 */
export function loopItems(expr: ForExpr, env: Env): { items: unknown[]; envs: Env[] } | { unknown: string } {
  const iterable = evaluateJson(expr.iterable, env);
  if (isUnknownValue(iterable)) return { unknown: unknownFrom(iterable) };
  if (!Array.isArray(iterable))
    throw located(env, new BicepError(`a loop goes over an array, found ${describe(iterable)}`), expr.iterable);
  if (iterable.length > MAX_LOOP)
    throw located(
      env,
      new BicepError(
        `a loop makes at most ${MAX_LOOP} items (ARM's copy limit), this one ${iterable.length}`,
        "bicep/loop-count",
      ),
      expr.iterable,
    );
  env.scope.run.spend(iterable.length);
  const envs = iterable.map((item, index) => {
    const locals = new Map<string, unknown>([[expr.item.name, item]]);
    if (expr.index) locals.set(expr.index.name, index);
    return env.bind(locals);
  });
  return { items: iterable, envs };
}

function loop(expr: ForExpr, env: Env): unknown {
  const expanded = loopItems(expr, env);
  if ("unknown" in expanded) {
    env.scope.run.report(
      "warning",
      "bicep/unknown-loop",
      `the loop goes over an Unknown list (${expanded.unknown}); its value is Unknown`,
      env.scope.file,
      expr.iterable.range,
    );
    return expanded.unknown;
  }
  const out: unknown[] = [];
  const { locator } = env.scope.run;
  for (const itemEnv of expanded.envs) {
    const body = expr.body;
    if (body.kind === "IfExpr") {
      const keep = filterCondition(body, itemEnv);
      if (typeof keep === "string") return unknownFrom(keep);
      if (!keep) continue;
      const value = object(body.body, itemEnv);
      out.push(value);
    } else {
      const value = evaluateJson(body, itemEnv);
      if (!LITERALS.has(body.kind)) locator.record(value, env, body);
      out.push(value);
    }
  }
  locator.recordNew(out, env, expr);
  return out;
}

/** An `if (c)` of a loop body or a resource: true, false, or the Unknown placeholder's reason. */
export function filterCondition(body: IfExpr, env: Env): boolean | string {
  const condition = evaluateJson(body.condition, env);
  if (isUnknownValue(condition)) return condition;
  if (typeof condition !== "boolean")
    throw located(env, new BicepError(`an if condition must be a bool, found ${describe(condition)}`), body.condition);
  return condition;
}
