/**
 * @module ingest/arm/functions/logic
 * ARM's comparison, logical and numeric functions. `if` evaluates only the branch it takes, as ARM does;
 * with an Unknown condition the result is Unknown. `and`/`or` decide when a known argument decides
 * (`or(true, unknown)` is true) and are Unknown otherwise. Integer division truncates toward zero (.NET).
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-comparison
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-logical
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-numeric
 */
import {
  ArmEvalError,
  deepEquals,
  expectArgs,
  expectInt,
  findUnknown,
  isUnknownValue,
  typeName,
  unknownFrom,
} from "../expression/values.js";
import type { FunctionTable } from "./types.js";

function compare(fn: string, args: unknown[]): number {
  expectArgs(fn, args, 2);
  const [a, b] = args;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  throw new ArmEvalError(`${fn}() compares two integers or two strings, found ${typeName(a)} and ${typeName(b)}`);
}

function numbers(fn: string, args: unknown[]): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (list.length === 0) throw new ArmEvalError(`${fn}() needs at least one number`);
  return list.map((v, i) => {
    if (typeof v !== "number") throw new ArmEvalError(`${fn}() expects numbers, found ${typeName(v)} at ${i + 1}`);
    return v;
  });
}

/** The first number of `list` that `better` prefers to every other (list is never empty). */
function extreme(list: number[], better: (a: number, b: number) => boolean): number {
  let best = list[0]!;
  for (const v of list) if (better(v, best)) best = v;
  return best;
}

function arithmetic(fn: string, op: (a: number, b: number) => number) {
  return {
    fn: (args: unknown[]) => {
      expectArgs(fn, args, 2);
      const a = expectInt(fn, args[0]);
      const b = expectInt(fn, args[1], 2);
      const result = op(a, b);
      if (!Number.isSafeInteger(result)) throw new ArmEvalError(`${fn}(): the result overflows a 64-bit integer`);
      return result;
    },
  };
}

function logical(fn: string, decisive: boolean) {
  return {
    unknownAware: true,
    fn: (args: unknown[]) => {
      expectArgs(fn, args, 2, Number.POSITIVE_INFINITY);
      let unknown: string | undefined;
      for (const [i, a] of args.entries()) {
        if (isUnknownValue(a)) unknown ??= a;
        else if (typeof a !== "boolean")
          throw new ArmEvalError(`${fn}() expects bools, found ${typeName(a)} at ${i + 1}`);
        else if (a === decisive) return decisive;
      }
      return unknown ? unknownFrom(unknown) : !decisive;
    },
  };
}

export const LOGIC_FUNCTIONS: FunctionTable = {
  equals: {
    unknownAware: true,
    fn: (args) => {
      expectArgs("equals", args, 2);
      const unknown = findUnknown(args[0]) ?? findUnknown(args[1]);
      if (unknown) return unknownFrom(unknown);
      return deepEquals(args[0], args[1]);
    },
  },
  greater: { fn: (args) => compare("greater", args) > 0 },
  greaterorequals: { fn: (args) => compare("greaterOrEquals", args) >= 0 },
  less: { fn: (args) => compare("less", args) < 0 },
  lessorequals: { fn: (args) => compare("lessOrEquals", args) <= 0 },
  and: logical("and", false),
  or: logical("or", true),
  not: {
    fn: (args) => {
      expectArgs("not", args, 1);
      if (typeof args[0] !== "boolean") throw new ArmEvalError(`not() expects a bool, found ${typeName(args[0])}`);
      return !args[0];
    },
  },
  bool: {
    fn: (args) => {
      expectArgs("bool", args, 1);
      const v = args[0];
      if (typeof v === "boolean") return v;
      if (typeof v === "number") return v !== 0;
      if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
      throw new ArmEvalError(`bool() cannot convert ${typeName(v)} ${JSON.stringify(v)}`);
    },
  },
  true: { fn: () => true },
  false: { fn: () => false },
  if: {
    lazy: true,
    fn: (_args, ctx, call) => {
      expectArgs("if", call.args, 3);
      const condition = ctx.evaluate(call.args[0]!);
      if (isUnknownValue(condition)) return unknownFrom(condition);
      if (typeof condition !== "boolean")
        throw new ArmEvalError(`if() expects a bool condition, found ${typeName(condition)}`);
      return ctx.evaluate(call.args[condition ? 1 : 2]!);
    },
  },
  add: arithmetic("add", (a, b) => a + b),
  sub: arithmetic("sub", (a, b) => a - b),
  mul: arithmetic("mul", (a, b) => a * b),
  div: arithmetic("div", (a, b) => {
    if (b === 0) throw new ArmEvalError("div(): division by zero");
    return Math.trunc(a / b);
  }),
  mod: arithmetic("mod", (a, b) => {
    if (b === 0) throw new ArmEvalError("mod(): division by zero");
    return a % b;
  }),
  int: {
    fn: (args) => {
      expectArgs("int", args, 1);
      const v = args[0];
      if (typeof v === "number") return Math.trunc(v);
      if (typeof v === "string" && /^\s*[-+]?\d+\s*$/.test(v)) return Number.parseInt(v, 10);
      throw new ArmEvalError(`int() cannot convert ${typeName(v)} ${JSON.stringify(v)}`);
    },
  },
  float: {
    fn: (args) => {
      expectArgs("float", args, 1);
      const v = typeof args[0] === "string" ? Number(args[0]) : args[0];
      if (typeof v !== "number" || Number.isNaN(v))
        throw new ArmEvalError(`float() cannot convert ${typeName(args[0])}`);
      return v;
    },
  },
  // A loop, not a spread: an array of 100,000 numbers is more arguments than a call takes.
  min: { fn: (args) => extreme(numbers("min", args), (a, b) => a < b) },
  max: { fn: (args) => extreme(numbers("max", args), (a, b) => a > b) },
};
