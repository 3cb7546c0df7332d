/**
 * @module ingest/arm/expression/values
 * The values ARM expressions compute with (JSON values), and the rules that keep them safe and honest:
 * property names are case-insensitive and read from own properties only (`__proto__` and `constructor` are
 * plain data), and an unresolved value travels as an unknown placeholder (model/unknown.ts) that every
 * function either carries through (string building) or turns into an Unknown result.
 */
import { isUnknown, unknownReason, unknownValue } from "../../../model/unknown.js";

export type Json = Record<string, unknown>;

/** Longest string an expression may build; ARM's own limits are far lower, this only stops runaway growth. */
export const MAX_STRING_LENGTH = 1_000_000;
/** Most items an expression may put in one array, and most nodes `string()` or `equals` may visit. */
export const MAX_ITEMS = 100_000;
/**
 * Deepest nesting the recursive walks here follow (the depth a file's JSON may have, ingest/json): a value
 * built deeper (a `reduce` that wraps its accumulator) is refused rather than overflowing the stack.
 */
export const MAX_VALUE_DEPTH = 1000;

function tooDeep(): ArmEvalError {
  return new ArmEvalError(
    `the value nests deeper than ${MAX_VALUE_DEPTH} levels (a limit of this reader)`,
    "arm/limit",
  );
}

/** An expression failed in a way Azure would refuse too (wrong argument type, bad index): an error diagnostic. */
export class ArmEvalError extends Error {
  constructor(
    message: string,
    readonly code = "arm/invalid-expression",
  ) {
    super(message);
  }
}

export function isPlainObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when `value` is an unknown placeholder string (or a string built from one). */
export function isUnknownValue(value: unknown): value is string {
  return typeof value === "string" && isUnknown(value);
}

/** The first unknown placeholder anywhere inside `value` (bounded walk), or undefined when fully known. */
export function findUnknown(value: unknown, budget = { left: 10_000 }, depth = 0): string | undefined {
  if (typeof value === "string") return isUnknown(value) ? value : undefined;
  if (typeof value !== "object" || value === null || --budget.left < 0) return undefined;
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  const items = Array.isArray(value) ? value : Object.values(value);
  for (const item of items) {
    const found = findUnknown(item, budget, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** An Unknown result caused by the placeholder `cause` (keeps the root cause's explanation). */
export function unknownFrom(cause: string): string {
  return unknownValue(unknownReason(cause));
}

/** ARM's type names, for messages and `type` checks (`int`, `string`, `bool`, `array`, `object`, `null`). */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "boolean") return "bool";
  return "string";
}

/** The own property `name` of an object, matched case-insensitively as ARM does; undefined when absent. */
export function getMember(obj: Json, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.toLowerCase() === lower) return obj[key];
  return undefined;
}

/** True when `obj` has the own property `name` (case-insensitive). */
export function hasMember(obj: Json, name: string): boolean {
  if (Object.hasOwn(obj, name)) return true;
  const lower = name.toLowerCase();
  return Object.keys(obj).some((key) => key.toLowerCase() === lower);
}

/** Sets an own data property, also for the key `__proto__` (which plain assignment would treat as the prototype). */
export function setOwn(obj: Json, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/**
 * Deep equality as ARM's `equals` sees it (case-sensitive strings, ordered arrays, unordered object keys).
 * Values shared inside a value (variables reused many times) could make a naive walk exponential: the walk
 * is bounded and refuses beyond MAX_ITEMS nodes.
 */
export function deepEquals(a: unknown, b: unknown, budget = { left: MAX_ITEMS }, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (--budget.left < 0) throw new ArmEvalError(`the values compared are larger than ${MAX_ITEMS} items`, "arm/limit");
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((item, i) => deepEquals(item, bb[i], budget, depth + 1));
  }
  const ka = Object.keys(a as Json);
  const kb = Object.keys(b as Json);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b as Json, k) && deepEquals((a as Json)[k], (b as Json)[k], budget, depth + 1))
  );
}

/**
 * A text that two values share exactly when `deepEquals` holds between them (object keys sorted, arrays in
 * order, each value tagged with its type), for sets and look-ups instead of pairwise comparison.
 */
export function valueKey(value: unknown, budget = { left: MAX_ITEMS }, depth = 0): string {
  if (value === null || value === undefined) return "n";
  if (typeof value === "string") return `s${JSON.stringify(value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value}${String(value)}`;
  if (typeof value !== "object") return `?${String(value)}`;
  if (--budget.left < 0) throw new ArmEvalError(`the values compared are larger than ${MAX_ITEMS} items`, "arm/limit");
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  if (Array.isArray(value)) return `[${value.map((v) => valueKey(v, budget, depth + 1)).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${valueKey((value as Json)[k], budget, depth + 1)}`).join(",")}}`;
}

/** Refuses an array longer than MAX_ITEMS (arrays doubled through variables would grow without end). */
export function boundedArray<T>(array: T[]): T[] {
  if (array.length > MAX_ITEMS)
    throw new ArmEvalError(`the expression builds an array of more than ${MAX_ITEMS} items`, "arm/limit");
  return array;
}

/** Refuses a value with more than MAX_ITEMS nodes (counting shared parts each time they appear). */
export function boundedSize<T>(value: T, budget = { left: MAX_ITEMS }, depth = 0): T {
  if (typeof value !== "object" || value === null) return value;
  if (--budget.left < 0)
    throw new ArmEvalError(`the expression builds a value larger than ${MAX_ITEMS} items`, "arm/limit");
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  for (const item of Array.isArray(value) ? value : Object.values(value)) boundedSize(item, budget, depth + 1);
  return value;
}

/**
 * A value as text the way ARM prints it inside `format()` and `string()`: booleans as `True`/`False`
 * (.NET formatting), arrays and objects as compact JSON, null as the empty string.
 */
export function toText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return String(value);
  return boundedString(JSON.stringify(boundedSize(value)));
}

/** Refuses a string that would exceed MAX_STRING_LENGTH. */
export function boundedString(text: string): string {
  if (text.length > MAX_STRING_LENGTH) {
    throw new ArmEvalError(`the expression builds a string longer than ${MAX_STRING_LENGTH} characters`, "arm/limit");
  }
  return text;
}

export function expectString(fn: string, value: unknown, position = 1): string {
  if (typeof value !== "string")
    throw new ArmEvalError(`${fn}() expects a string as argument ${position}, found ${typeName(value)}`);
  return value;
}

export function expectInt(fn: string, value: unknown, position = 1): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  throw new ArmEvalError(`${fn}() expects an integer as argument ${position}, found ${typeName(value)}`);
}

export function expectArray(fn: string, value: unknown, position = 1): unknown[] {
  if (!Array.isArray(value))
    throw new ArmEvalError(`${fn}() expects an array as argument ${position}, found ${typeName(value)}`);
  return value;
}

export function expectObject(fn: string, value: unknown, position = 1): Json {
  if (!isPlainObject(value))
    throw new ArmEvalError(`${fn}() expects an object as argument ${position}, found ${typeName(value)}`);
  return value;
}

export function expectBool(fn: string, value: unknown, position = 1): boolean {
  if (typeof value !== "boolean")
    throw new ArmEvalError(`${fn}() expects a bool as argument ${position}, found ${typeName(value)}`);
  return value;
}

export function expectArgs(fn: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
    throw new ArmEvalError(`${fn}() takes ${want} argument${want === "1" ? "" : "s"}, found ${args.length}`);
  }
}
