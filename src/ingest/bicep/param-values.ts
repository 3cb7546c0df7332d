/**
 * @module ingest/bicep/param-values
 * Ingest layer, Bicep evaluation: the value of one parameter of a file evaluation, by precedence — a value given
 * from outside (converted to the declared type when it is `name=value` text), else the default, else null for a
 * nullable type, else Unknown with a warning naming `-p name=…` (an error for a module whose caller omits it,
 * as Bicep refuses the call) — then the checks Azure makes on it (params.ts), each an error at the value.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/parameters
 */
import type { SourceRef } from "../../model/source.js";
import { unknownValue } from "../../model/unknown.js";
import { convertText, type ParameterOriginKind } from "../arm/parameters.js";
import type { ParamDecl, Range, TypeDecl } from "./ast.js";
import type { Env } from "./env.js";
import { evaluateJson } from "./evaluate.js";
import { sourceAt } from "./locator.js";
import {
  checkValue,
  decorator,
  type ParamChecks,
  type ParamShape,
  type Supplied,
  shapeOf,
  typeText,
} from "./params.js";
import type { Run } from "./run.js";

/** A parameter's value and where it came from, for `inventory`. */
export interface ParamOutcome {
  name: string;
  type: string;
  value: unknown;
  origin: ParameterOriginKind;
  file?: string;
  src: SourceRef;
  secure: boolean;
}

/** What resolving a parameter needs from its file evaluation. */
export interface ParamContext {
  readonly file: string;
  readonly run: Run;
  readonly env: Env;
  readonly types: ReadonlyMap<string, TypeDecl>;
  readonly isModule: boolean;
  readonly paramsComplete: boolean;
  guard<T>(at: { range: Range }, fn: () => T, fallback: T): T;
}

/** The value of parameter `decl`, given `given` from outside (or nothing). */
export function resolveParam(ctx: ParamContext, decl: ParamDecl, given: Supplied | undefined): ParamOutcome {
  const outcome = chooseValue(ctx, decl, given);
  for (const problem of checkValue(decl, shapeOf(decl.type, ctx.types), checksOf(ctx, decl), outcome.value))
    ctx.run.reportAt("error", problem.code, problem.message, outcome.src);
  return outcome;
}

function chooseValue(ctx: ParamContext, decl: ParamDecl, given: Supplied | undefined): ParamOutcome {
  const name = decl.name.name;
  const shape = shapeOf(decl.type, ctx.types);
  const declSrc = sourceAt(ctx.file, decl.name.range);
  let outcome: ParamOutcome;
  if (given && given.value !== null && given.value !== undefined) {
    let value: unknown = given.value;
    if (given.text && typeof value === "string") {
      const text = value;
      const type = shape.primitive === "any" ? "string" : shape.primitive;
      value = ctx.guard(decl, () => convertText(name, text, type), unknownValue(`parameters('${name}')`));
    }
    outcome = {
      name,
      type: typeText(shape),
      value,
      origin: given.origin,
      file: given.file,
      src: given.src ?? declSrc,
      secure: isSecure(decl, shape),
    };
  } else if (decl.default) {
    const expr = decl.default;
    const value = ctx.guard(expr, () => evaluateJson(expr, ctx.env), unknownValue(`parameters('${name}')`));
    outcome = { name, type: typeText(shape), value, origin: "default", src: declSrc, secure: isSecure(decl, shape) };
  } else if (shape.nullable) {
    outcome = {
      name,
      type: typeText(shape),
      value: null,
      origin: "default",
      src: declSrc,
      secure: isSecure(decl, shape),
    };
  } else {
    if (ctx.isModule && ctx.paramsComplete)
      ctx.run.report(
        "error",
        "bicep/missing-module-parameter",
        `the module's caller gives no value for its required parameter '${name}'`,
        ctx.file,
        decl.name.range,
      );
    else
      ctx.run.report(
        "warning",
        "bicep/unknown-parameter",
        `parameter '${name}' has no value and no default; values that use it are Unknown (give it with -p ${name}=...)`,
        ctx.file,
        decl.name.range,
      );
    outcome = {
      name,
      type: typeText(shape),
      value: unknownValue(`parameters('${name}')`),
      origin: "unknown",
      src: declSrc,
      secure: isSecure(decl, shape),
    };
  }
  return outcome;
}

function checksOf(ctx: ParamContext, decl: ParamDecl): ParamChecks {
  const out: ParamChecks = {};
  const read = (name: string) => {
    const d = decorator(decl.decorators, name);
    const arg = d?.args?.[0];
    return arg ? ctx.guard(arg, () => evaluateJson(arg, ctx.env), undefined) : undefined;
  };
  const allowed = read("allowed");
  if (Array.isArray(allowed)) out.allowed = allowed;
  for (const key of ["minValue", "maxValue", "minLength", "maxLength"] as const) {
    const v = read(key);
    if (typeof v === "number") out[key] = v;
  }
  return out;
}

function isSecure(decl: ParamDecl, shape: ParamShape): boolean {
  return shape.secure || decorator(decl.decorators, "secure") !== undefined;
}
