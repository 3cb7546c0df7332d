/**
 * @module ingest/arm/functions/lambda
 * ARM's lambda functions, which Bicep emits for `filter`, `map`, `reduce`, `sort`, `toObject`, `mapValues`
 * and `groupBy`: `lambda('x', body)` is a value that these functions call with `lambdaVariables('x')` bound.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda
 */
import type { Expr } from "../expression/parse.js";
import {
  ArmEvalError,
  expectArgs,
  expectArray,
  expectObject,
  expectString,
  isUnknownValue,
  type Json,
  setOwn,
  typeName,
  unknownFrom,
} from "../expression/values.js";
import type { FunctionContext, FunctionTable } from "./types.js";

/** A lambda value: parameter names and the body to evaluate with them bound. */
export class Lambda {
  constructor(
    readonly params: string[],
    readonly body: Expr,
  ) {}

  call(ctx: FunctionContext, values: unknown[]): unknown {
    const bindings: Record<string, unknown> = {};
    this.params.forEach((p, i) => {
      bindings[p] = values[i];
    });
    return ctx.withLambda(bindings, () => ctx.evaluate(this.body));
  }
}

function lambdaArg(fn: string, value: unknown, position: number, arity: number): Lambda {
  if (!(value instanceof Lambda))
    throw new ArmEvalError(`${fn}() expects a lambda as argument ${position}, found ${typeName(value)}`);
  if (value.params.length < arity) throw new ArmEvalError(`${fn}(): the lambda needs ${arity} parameter(s)`);
  return value;
}

function keyOf(fn: string, value: unknown): string {
  if (typeof value !== "string")
    throw new ArmEvalError(`${fn}(): the key lambda must return a string, found ${typeName(value)}`);
  return value;
}

function predicate(fn: string, value: unknown): boolean | string {
  if (isUnknownValue(value)) return value;
  if (typeof value !== "boolean")
    throw new ArmEvalError(`${fn}(): the lambda must return a bool, found ${typeName(value)}`);
  return value;
}

export const LAMBDA_FUNCTIONS: FunctionTable = {
  lambda: {
    lazy: true,
    fn: (_args, ctx, call) => {
      if (call.args.length < 1) throw new ArmEvalError("lambda() needs a body");
      const params = call.args.slice(0, -1).map((a) => expectString("lambda", ctx.evaluate(a)));
      return new Lambda(params, call.args[call.args.length - 1]!);
    },
  },
  lambdavariables: {
    fn: (args, ctx) => {
      expectArgs("lambdaVariables", args, 1);
      return ctx.lambdaVariable(expectString("lambdaVariables", args[0]));
    },
  },
  filter: {
    fn: (args, ctx) => {
      expectArgs("filter", args, 2);
      const f = lambdaArg("filter", args[1], 2, 1);
      const out: unknown[] = [];
      for (const [i, item] of expectArray("filter", args[0]).entries()) {
        const keep = predicate("filter", f.call(ctx, [item, i]));
        if (typeof keep === "string") return unknownFrom(keep);
        if (keep) out.push(item);
      }
      return out;
    },
  },
  map: {
    fn: (args, ctx) => {
      expectArgs("map", args, 2);
      const f = lambdaArg("map", args[1], 2, 1);
      return expectArray("map", args[0]).map((item, i) => f.call(ctx, [item, i]));
    },
  },
  reduce: {
    fn: (args, ctx) => {
      expectArgs("reduce", args, 3);
      const f = lambdaArg("reduce", args[2], 3, 2);
      return expectArray("reduce", args[0]).reduce((acc, item, i) => f.call(ctx, [acc, item, i]), args[1]);
    },
  },
  sort: {
    fn: (args, ctx) => {
      expectArgs("sort", args, 2);
      const f = lambdaArg("sort", args[1], 2, 2);
      let unknown: string | undefined;
      const sorted = [...expectArray("sort", args[0])].sort((a, b) => {
        const less = predicate("sort", f.call(ctx, [a, b]));
        if (typeof less === "string") {
          unknown ??= less;
          return 0;
        }
        if (less) return -1;
        return predicate("sort", f.call(ctx, [b, a])) === true ? 1 : 0;
      });
      return unknown ? unknownFrom(unknown) : sorted;
    },
  },
  toobject: {
    fn: (args, ctx) => {
      expectArgs("toObject", args, 2, 3);
      const key = lambdaArg("toObject", args[1], 2, 1);
      const value = args.length > 2 ? lambdaArg("toObject", args[2], 3, 1) : undefined;
      const out: Json = {};
      for (const item of expectArray("toObject", args[0])) {
        const k = key.call(ctx, [item]);
        if (isUnknownValue(k)) return unknownFrom(k);
        setOwn(out, keyOf("toObject", k), value ? value.call(ctx, [item]) : item);
      }
      return out;
    },
  },
  mapvalues: {
    fn: (args, ctx) => {
      expectArgs("mapValues", args, 2);
      const f = lambdaArg("mapValues", args[1], 2, 1);
      const out: Json = {};
      for (const [k, v] of Object.entries(expectObject("mapValues", args[0]))) setOwn(out, k, f.call(ctx, [v]));
      return out;
    },
  },
  groupby: {
    fn: (args, ctx) => {
      expectArgs("groupBy", args, 2);
      const f = lambdaArg("groupBy", args[1], 2, 1);
      const out: Json = {};
      for (const item of expectArray("groupBy", args[0])) {
        const k = f.call(ctx, [item]);
        if (isUnknownValue(k)) return unknownFrom(k);
        const key = keyOf("groupBy", k);
        const group = (Object.hasOwn(out, key) ? out[key] : undefined) as unknown[] | undefined;
        if (group) group.push(item);
        else setOwn(out, key, [item]);
      }
      return out;
    },
  },
};
