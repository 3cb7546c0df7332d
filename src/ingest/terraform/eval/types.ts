/**
 * @module ingest/terraform/eval/types
 * Ingest layer, Terraform: variable type constraints and the conversion of a value to them
 * (developer.hashicorp.com/terraform/language/expressions/type-constraints). Conversion is what gives module
 * inputs their shape: an `object({...})` keeps only its attributes, an `optional(type, default)` attribute that
 * is absent or null takes its default, `set(...)` removes duplicates, and primitives convert (`"10"` to a
 * number). Azure Verified Modules lean on it: a rule map of 16 optional fields becomes objects every field of
 * which can be read. A value that does not convert is a refusal Terraform would make.
 */
import type { Expr } from "../hcl/ast.js";
import type { Evaluator } from "./evaluator.js";
import {
  asSet,
  copyPlaces,
  isObjectValue,
  memberPlace,
  newObject,
  placeOf,
  setMemberPlace,
  setPlace,
  toBoolValue,
  toNumberValue,
  toStringValue,
  typeName,
  Unknown,
  type Value,
} from "./values.js";

export type TypeSpec =
  | { kind: "any" }
  | { kind: "string" | "number" | "bool" }
  | { kind: "list" | "set" | "map"; element: TypeSpec }
  | { kind: "object"; attributes: Map<string, { type: TypeSpec; optional: boolean; default?: Expr }> }
  | { kind: "tuple"; elements: TypeSpec[] };

const ANY: TypeSpec = { kind: "any" };

/** Reads a type constraint expression; an expression that is not one is `any` with a problem. */
export function readType(expr: Expr, problems: string[]): TypeSpec {
  if (expr.kind === "Variable") {
    if (expr.name === "string" || expr.name === "number" || expr.name === "bool" || expr.name === "any")
      return { kind: expr.name };
    if (expr.name === "list" || expr.name === "set" || expr.name === "map") return { kind: expr.name, element: ANY };
    problems.push(`unknown type "${expr.name}"`);
    return ANY;
  }
  if (expr.kind === "Call") {
    const [first, second] = expr.args;
    switch (expr.name) {
      case "list":
      case "set":
      case "map":
        return { kind: expr.name, element: first ? readType(first, problems) : ANY };
      case "tuple":
        return {
          kind: "tuple",
          elements: first?.kind === "Tuple" ? first.items.map((e) => readType(e, problems)) : [],
        };
      case "object": {
        const attributes = new Map<string, { type: TypeSpec; optional: boolean; default?: Expr }>();
        if (first?.kind === "Object") {
          for (const item of first.items) {
            const name = item.key.kind === "Literal" ? String(item.key.value) : undefined;
            if (name === undefined) continue;
            const v = item.value;
            if (v.kind === "Call" && v.name === "optional") {
              attributes.set(name, {
                type: v.args[0] ? readType(v.args[0], problems) : ANY,
                optional: true,
                default: v.args[1],
              });
            } else {
              attributes.set(name, { type: readType(v, problems), optional: false });
            }
          }
        }
        return { kind: "object", attributes };
      }
      case "optional":
        return first ? readType(first, problems) : ANY;
      default:
        problems.push(`unknown type constructor "${expr.name}"`);
        return second ? ANY : ANY;
    }
  }
  problems.push("not a type constraint");
  return ANY;
}

export type Converted = { ok: true; value: Value } | { ok: false; problem: string };

const ok = (value: Value): Converted => ({ ok: true, value });
const refuse = (problem: string): Converted => ({ ok: false, problem });

/** Converts `v` to `type`, or says what Terraform would refuse (with the path of the offending value). */
export function convert(v: Value, type: TypeSpec, ev: Evaluator, path = ""): Converted {
  if (v instanceof Unknown || type.kind === "any" || v === null) return ok(v);
  const at = path ? ` at ${path}` : "";
  switch (type.kind) {
    case "string": {
      const s = toStringValue(v);
      return s === undefined ? refuse(`a string is needed${at}, found ${typeName(v)}`) : ok(s);
    }
    case "number": {
      const n = toNumberValue(v);
      return n === undefined ? refuse(`a number is needed${at}, found ${typeName(v)}`) : ok(n);
    }
    case "bool": {
      const b = toBoolValue(v);
      return b === undefined ? refuse(`a bool is needed${at}, found ${typeName(v)}`) : ok(b);
    }
    case "list":
    case "set": {
      if (!Array.isArray(v)) return refuse(`a ${type.kind} is needed${at}, found ${typeName(v)}`);
      const out: Value[] = [];
      for (let i = 0; i < v.length; i++) {
        const c = convert(v[i]!, type.element, ev, `${path}[${i}]`);
        if (!c.ok) return c;
        out.push(c.value);
        setMemberPlace(out, out.length - 1, memberPlace(v, i) ?? placeOf(v[i]));
      }
      const result = type.kind === "set" ? asSet(out) : out;
      copyPlaces(v, result);
      return ok(result);
    }
    case "map": {
      if (!isObjectValue(v)) return refuse(`a map is needed${at}, found ${typeName(v)}`);
      const out = newObject();
      for (const k of Object.keys(v)) {
        const c = convert(v[k]!, type.element, ev, `${path}["${k}"]`);
        if (!c.ok) return c;
        out[k] = c.value;
        setMemberPlace(out, k, memberPlace(v, k));
      }
      setPlace(out, placeOf(v));
      return ok(out);
    }
    case "object": {
      if (!isObjectValue(v)) return refuse(`an object is needed${at}, found ${typeName(v)}`);
      const out = newObject();
      for (const [name, attr] of type.attributes) {
        const given = Object.hasOwn(v, name);
        if (!given && !attr.optional) return refuse(`the attribute "${name}" is required${at}`);
        let value: Value = given ? v[name]! : null;
        // An optional attribute that is absent or null takes its default.
        if (value === null && attr.default) value = ev.eval(attr.default);
        const c = convert(value, attr.type, ev, `${path}.${name}`);
        if (!c.ok) return c;
        out[name] = c.value;
        setMemberPlace(out, name, memberPlace(v, name));
      }
      setPlace(out, placeOf(v));
      return ok(out);
    }
    case "tuple": {
      if (!Array.isArray(v)) return refuse(`a tuple is needed${at}, found ${typeName(v)}`);
      const out: Value[] = [];
      for (let i = 0; i < v.length; i++) {
        const c = convert(v[i]!, type.elements[i] ?? ANY, ev, `${path}[${i}]`);
        if (!c.ok) return c;
        out.push(c.value);
      }
      copyPlaces(v, out);
      return ok(out);
    }
  }
}
