/**
 * @module ingest/bicep/params
 * Ingest layer, Bicep evaluation: parameter declarations. What a value given from outside must be (its declared
 * type, read through `type` declarations and literal unions), and the checks Azure makes when it deploys:
 * `@allowed` (every item, for an array, as ARM's allowedValues), a literal union type, `@minValue`/`@maxValue`,
 * `@minLength`/`@maxLength`. A value outside is an error, as ARM's `arm/parameter-not-allowed`; a value of the
 * wrong type too. `name=value` text from the command line is converted to the declared type as `az` does.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/parameters
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/parameter-decorators
 */

import type { SourceRef } from "../../model/source.js";
import { deepEquals, findUnknown, typeName } from "../arm/expression/values.js";
import type { SuppliedParameter } from "../arm/parameters.js";
import type { Decorator, Expr, ParamDecl, TypeDecl, TypeExpr } from "./ast.js";

/** A value given for a parameter from outside the file, with where it was written. */
export interface Supplied {
  value: unknown;
  origin: SuppliedParameter["kind"];
  /** The file that gave it (a parameters file, a .bicepparam file, the calling .bicep file). */
  file?: string;
  src?: SourceRef;
  /**
   * Where the value at `src` was itself passed from (a module's caller that passes on its own parameter), nearest
   * first; worked out when asked (locator.ts `passedFrom`).
   */
  passedFrom?: () => SourceRef[];
  /** `name=value` text, converted to the declared type when used. */
  text?: boolean;
}

/** What a parameter's declared type says about its values. */
export interface ParamShape {
  /** `string`, `int`, `bool`, `array`, `object`, or `any` when we do not check. */
  primitive: "string" | "int" | "bool" | "array" | "object" | "any";
  nullable: boolean;
  secure: boolean;
  /** Literal values the type allows (`'a' | 'b'`), when it is a union of literals. */
  literals?: unknown[];
}

const PRIMITIVES: Record<string, ParamShape["primitive"]> = {
  string: "string",
  int: "int",
  bool: "bool",
  array: "array",
  object: "object",
  securestring: "string",
  secureobject: "object",
};

/** The decorator `@name(…)` of a declaration (namespace `sys.` allowed). */
export function decorator(decorators: readonly Decorator[], name: string): Decorator | undefined {
  return decorators.find((d) => d.name.name === name && (d.namespace === null || d.namespace.name === "sys"));
}

/** The shape of a declared type; `types` are the file's own `type` declarations. */
export function shapeOf(type: TypeExpr, types: ReadonlyMap<string, TypeDecl>, seen = new Set<string>()): ParamShape {
  switch (type.kind) {
    case "TypeRef": {
      const name = type.name.name;
      const primitive =
        type.namespace === null || type.namespace.name === "sys" ? PRIMITIVES[name.toLowerCase()] : undefined;
      if (primitive) return { primitive, nullable: false, secure: name.toLowerCase().startsWith("secure") };
      const decl = type.namespace === null ? types.get(name) : undefined;
      if (decl && !seen.has(name)) {
        seen.add(name);
        const shape = shapeOf(decl.value, types, seen);
        return decorator(decl.decorators, "secure") ? { ...shape, secure: true } : shape;
      }
      return { primitive: "any", nullable: false, secure: false };
    }
    case "NullableType":
      return { ...shapeOf(type.base, types, seen), nullable: true };
    case "NonNullableType":
      return { ...shapeOf(type.base, types, seen), nullable: false };
    case "ParenType":
      return shapeOf(type.inner, types, seen);
    case "ArrayType":
    case "TupleType":
      return { primitive: "array", nullable: false, secure: false };
    case "ObjectType":
      return { primitive: "object", nullable: false, secure: false };
    case "LiteralType": {
      const value = literalValue(type.value);
      return { primitive: primitiveOf(value), nullable: value === null, secure: false, literals: [value] };
    }
    case "UnaryType":
      return shapeOf(type.operand, types, seen);
    case "UnionType": {
      const members = type.members.map((m) => shapeOf(m, types, seen));
      const nullable = members.some((m) => m.nullable);
      const literals = members.every((m) => m.literals) ? members.flatMap((m) => m.literals!) : undefined;
      const kinds = new Set(members.map((m) => m.primitive));
      const primitive = kinds.size === 1 ? [...kinds][0]! : "any";
      return { primitive, nullable, secure: false, ...(literals ? { literals } : {}) };
    }
    default:
      return { primitive: "any", nullable: false, secure: false };
  }
}

function literalValue(expr: Expr): unknown {
  switch (expr.kind) {
    case "StringExpr":
      return expr.parts.length === 1 ? expr.parts[0] : undefined;
    case "IntExpr":
    case "BoolExpr":
      return expr.value;
    case "NullExpr":
      return null;
    default:
      return undefined;
  }
}

function primitiveOf(value: unknown): ParamShape["primitive"] {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "int";
  if (typeof value === "boolean") return "bool";
  return "any";
}

/** The checks a parameter's value must pass, from its decorators (evaluated) and its type. */
export interface ParamChecks {
  allowed?: unknown[];
  minValue?: number;
  maxValue?: number;
  minLength?: number;
  maxLength?: number;
}

/** One problem with a parameter's value: an error, as Azure refuses the deployment. */
export interface ParamProblem {
  code: string;
  message: string;
}

/** The problems of `value` for the parameter `decl` (none for an Unknown value). */
export function checkValue(decl: ParamDecl, shape: ParamShape, checks: ParamChecks, value: unknown): ParamProblem[] {
  const name = decl.name.name;
  if (value === null || value === undefined || findUnknown(value) !== undefined) return [];
  const problems: ParamProblem[] = [];
  const have = typeName(value);
  if (shape.primitive !== "any" && have !== shape.primitive) {
    problems.push({
      code: "bicep/parameter-type",
      message: `parameter '${name}' is declared ${shape.primitive} but its value is ${have}`,
    });
    return problems;
  }
  const shown = (v: unknown) => (shape.secure ? "(secure)" : JSON.stringify(v));
  const allowed = checks.allowed ?? shape.literals;
  if (allowed) {
    const items = Array.isArray(value) && !allowed.some((a) => Array.isArray(a)) ? value : [value];
    const outside = items.filter((item) => !allowed.some((a) => deepEquals(a, item)));
    if (outside.length > 0)
      problems.push({
        code: "bicep/parameter-not-allowed",
        message: `parameter '${name}' is ${shown(value)}, which is not one of its allowed values ${JSON.stringify(allowed)}`,
      });
  }
  if (typeof value === "number") {
    if (checks.minValue !== undefined && value < checks.minValue)
      problems.push({
        code: "bicep/parameter-range",
        message: `parameter '${name}' is ${value}, below its @minValue(${checks.minValue})`,
      });
    if (checks.maxValue !== undefined && value > checks.maxValue)
      problems.push({
        code: "bicep/parameter-range",
        message: `parameter '${name}' is ${value}, above its @maxValue(${checks.maxValue})`,
      });
  }
  if (typeof value === "string" || Array.isArray(value)) {
    const length = value.length;
    if (checks.minLength !== undefined && length < checks.minLength)
      problems.push({
        code: "bicep/parameter-range",
        message: `parameter '${name}' has length ${length}, below its @minLength(${checks.minLength})`,
      });
    if (checks.maxLength !== undefined && length > checks.maxLength)
      problems.push({
        code: "bicep/parameter-range",
        message: `parameter '${name}' has length ${length}, above its @maxLength(${checks.maxLength})`,
      });
  }
  return problems;
}

/** The type as text, for `inventory` (`string`, `int`, `subnetType[]`, …). */
export function typeText(shape: ParamShape): string {
  return shape.secure ? `secure${shape.primitive}` : shape.primitive;
}
