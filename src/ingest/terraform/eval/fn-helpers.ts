/**
 * @module ingest/terraform/eval/fn-helpers
 * Ingest layer, Terraform: what the built-in functions (functions.ts and its fn-*.ts parts) share — reading
 * arguments with the type Terraform wants (a wrong one is refused), finding the unknown that makes a result
 * Unknown, `format` verbs, JSON, and regular expressions kept safe for a backtracking engine.
 */
import { createHash } from "node:crypto";
import { isUnknown, unknownValue } from "../../../model/unknown.js";
import { sortedKeys } from "./evaluator.js";
import { LIMITS } from "./limits.js";
import {
  containsUnknown,
  isObjectValue,
  isUndecided,
  newObject,
  reasonsOf,
  showValue,
  toBoolValue,
  toNumberValue,
  toStringValue,
  typeName,
  Unknown,
  unknown,
  type Value,
  type ValueObject,
} from "./values.js";

export type Fn = (args: Value[], ctx: FnContext) => Value;

export interface FnContext {
  name: string;
  fail(message: string): never;
}

export function arity(args: Value[], ctx: FnContext, min: number, max = min): void {
  if (args.length < min || args.length > max)
    ctx.fail(
      `takes ${min === max ? min : `${min} to ${max === Number.POSITIVE_INFINITY ? "any number of" : max}`} argument(s), got ${args.length}`,
    );
}

/** The first unknown among the arguments (a wholly unknown value or a string holding a placeholder). */
export function pending(args: Value[]): Unknown | undefined {
  for (const a of args) {
    const [reason] = reasonsOf(a);
    if (reason !== undefined) return unknown(reason);
  }
  return undefined;
}

/** The first unknown anywhere in the arguments. */
export function pendingDeep(args: Value[]): Unknown | undefined {
  for (const a of args) {
    if (!containsUnknown(a)) continue;
    return unknown(firstReason(a) ?? "a value inside the argument");
  }
  return undefined;
}

export function firstReason(v: Value): string | undefined {
  const [r] = reasonsOf(v);
  if (r !== undefined) return r;
  if (Array.isArray(v))
    for (const x of v) {
      const inner = firstReason(x);
      if (inner) return inner;
    }
  if (isObjectValue(v))
    for (const x of Object.values(v)) {
      const inner = firstReason(x);
      if (inner) return inner;
    }
  return undefined;
}

export function str(v: Value, ctx: FnContext, what = "argument"): string {
  const s = toStringValue(v);
  if (s === undefined || s instanceof Unknown) ctx.fail(`the ${what} must be a string, found ${typeName(v)}`);
  return s;
}

export function num(v: Value, ctx: FnContext, what = "argument"): number {
  const n = toNumberValue(v);
  if (n === undefined || n instanceof Unknown) ctx.fail(`the ${what} must be a number, found ${showValue(v)}`);
  return n;
}

export function list(v: Value, ctx: FnContext, what = "argument"): Value[] {
  if (Array.isArray(v)) return v;
  ctx.fail(`the ${what} must be a list, found ${typeName(v)}`);
}

export function obj(v: Value, ctx: FnContext, what = "argument"): ValueObject {
  if (isObjectValue(v)) return v;
  ctx.fail(`the ${what} must be a map or object, found ${typeName(v)}`);
}

/** Applies `fn` to the known text of `s`, leaving placeholders as they are. */
export function mapKnownText(s: string, fn: (t: string) => string): string {
  if (!isUnknown(s)) return fn(s);
  return s.replace(/([^<]+|<(?!unknown:)[^<]*)|(<unknown:[^>]*>)/g, (m, known: string | undefined) =>
    known !== undefined ? fn(m) : m,
  );
}

/** A JavaScript regular expression for an RE2 pattern; Unknown-worthy patterns are refused. */
export function regexOf(pattern: string, ctx: FnContext, flags = ""): RegExp {
  if (pattern.length > LIMITS.maxRegexPattern) ctx.fail("the pattern is too long to evaluate safely");
  // A repeated group that itself repeats can take exponential time in a backtracking engine (RE2 cannot).
  if (/\([^)]*[+*][^)]*\)[+*{]/.test(pattern))
    ctx.fail("the pattern nests repetitions, which is not evaluated offline");
  try {
    return new RegExp(pattern.replace(/\(\?P</g, "(?<"), flags);
  } catch (error) {
    ctx.fail(`invalid regular expression: ${(error as Error).message}`);
  }
}

export function hash(algorithm: string): Fn {
  return (args, ctx) => {
    arity(args, ctx, 1);
    const u = pending(args);
    if (u) return u;
    return createHash(algorithm).update(str(args[0]!, ctx), "utf8").digest("hex");
  };
}

export function flattenInto(v: Value, out: Value[], ctx: FnContext, depth: number): Unknown | undefined {
  if (depth > 64) ctx.fail("the list is nested too deeply");
  for (const item of list(v, ctx)) {
    if (item instanceof Unknown) return item;
    if (Array.isArray(item)) {
      const u = flattenInto(item, out, ctx, depth + 1);
      if (u) return u;
    } else {
      out.push(item);
      if (out.length > LIMITS.maxElements) ctx.fail(`the result has more than ${LIMITS.maxElements} elements`);
    }
  }
  return undefined;
}

/** `format` verbs: %s %d %f %t %v %q %%, with width and precision. */
export function formatString(fmt: string, args: Value[], ctx: FnContext): Value {
  let i = 0;
  let out = "";
  const re = /%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdftvqxXbeEgo%])/g;
  let last = 0;
  for (let m = re.exec(fmt); m; m = re.exec(fmt)) {
    out += fmt.slice(last, m.index);
    last = re.lastIndex;
    const verb = m[4]!;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (i >= args.length) ctx.fail(`not enough arguments for the format "${fmt}"`);
    const arg = args[i++]!;
    let piece: string;
    if (isUndecided(arg)) {
      if (verb !== "s" && verb !== "v") return unknown(reasonsOf(arg)[0]!);
      piece = arg instanceof Unknown ? unknownValue(arg.reason) : (arg as string);
    } else if (verb === "d") piece = String(Math.trunc(num(arg, ctx)));
    else if (verb === "f" || verb === "e" || verb === "g") {
      const n = num(arg, ctx);
      piece = verb === "f" ? n.toFixed(m[3] ? Number(m[3]) : 6) : String(n);
    } else if (verb === "t") {
      const b = toBoolValue(arg);
      if (typeof b !== "boolean") ctx.fail("%t needs a boolean");
      piece = String(b);
    } else if (verb === "q") piece = JSON.stringify(str(arg, ctx));
    else if (verb === "x" || verb === "X") {
      const n = num(arg, ctx);
      piece = Math.trunc(n).toString(16);
      if (verb === "X") piece = piece.toUpperCase();
    } else if (verb === "b") piece = Math.trunc(num(arg, ctx)).toString(2);
    else if (verb === "o") piece = Math.trunc(num(arg, ctx)).toString(8);
    else {
      const s = toStringValue(arg);
      piece = typeof s === "string" ? s : JSON.stringify(arg);
    }
    const width = m[2] ? Number(m[2]) : 0;
    if (width > 1000) ctx.fail("format width too large");
    const flags = m[1] ?? "";
    if (piece.length < width)
      piece = flags.includes("-")
        ? piece.padEnd(width)
        : flags.includes("0") && verb !== "s"
          ? piece.padStart(width, "0")
          : piece.padStart(width);
    out += piece;
    if (out.length > LIMITS.maxString) ctx.fail("the result is too long");
  }
  out += fmt.slice(last);
  return out;
}

export function jsonEncode(v: Value): string {
  if (v instanceof Unknown) return JSON.stringify(unknownValue(v.reason));
  if (Array.isArray(v)) return `[${v.map(jsonEncode).join(",")}]`;
  if (isObjectValue(v))
    return `{${sortedKeys(v)
      .map((k) => `${JSON.stringify(k)}:${jsonEncode(v[k]!)}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

export function fromJson(v: unknown, depth = 0): Value {
  if (depth > 200) throw new RangeError("the JSON is nested too deeply");
  if (Array.isArray(v)) return v.map((x) => fromJson(x, depth + 1));
  if (typeof v === "object" && v !== null) {
    const out = newObject();
    for (const [k, x] of Object.entries(v)) out[k] = fromJson(x, depth + 1);
    return out;
  }
  return v as Value;
}

// ---- the functions --------------------------------------------------------------------------------------------
