/**
 * @module ingest/terraform/eval/values
 * Ingest layer, Terraform: the values the static evaluator computes. They are plain JavaScript values —
 * null, booleans, numbers, strings, arrays (lists, tuples and sets) and objects (maps and objects, without a
 * prototype, so that a key such as `__proto__` is only a key) — plus `Unknown`, a value no input decides (a
 * variable with no value, a data source, an attribute known only after apply), which carries its reason. A
 * string built from an unknown keeps the unknown's placeholder inside it (model/unknown), so that two names built
 * from the same unknown still compare equal, and a comparison with an unknown is Unknown, never false.
 * Where a container was written is kept beside it (`placeOf`, `memberPlace`): a finding then points at the
 * `.tf` line that wrote the value, even after the value went through a `for_each` or a module input.
 */
import { isUnknown, unknownReason, unknownValue } from "../../../model/unknown.js";

/** A place in a `.tf` or `.tfvars` file: the file's index in the run and an offset. */
export interface Place {
  file: number;
  offset: number;
}

/** A value no input decides. `reason` names it (`var.location`, `data.azurerm_subnet.x.id`). */
export class Unknown {
  constructor(readonly reason: string) {}
}

export type Value = null | boolean | number | string | Unknown | Value[] | ValueObject;
export interface ValueObject {
  [key: string]: Value;
}

export function isUnknownValue(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

/** Ids and names are split on `/`: a reason must not hold one, or an id built from it would not parse. */
export function unknown(reason: string): Unknown {
  return new Unknown(reason.replace(/\//g, "∕").slice(0, 300));
}

export function newObject(): ValueObject {
  return Object.create(null) as ValueObject;
}

export function isObjectValue(v: unknown): v is ValueObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

const sets = new WeakSet<Value[]>();

/** Marks an array as a set (from `toset`, a `set(...)` type): `for_each` gives each element as its own key. */
export function asSet(items: Value[]): Value[] {
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const item of items) {
    const key = typeof item === "string" ? `s${item}` : `j${stableKey(item)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  // Terraform orders a set of strings lexically.
  if (out.every((x) => typeof x === "string"))
    out.sort((a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0));
  sets.add(out);
  return out;
}

export function isSet(v: unknown): boolean {
  return Array.isArray(v) && sets.has(v);
}

function stableKey(v: Value): string {
  if (v instanceof Unknown) return unknownValue(v.reason);
  return JSON.stringify(v) ?? "null";
}

// ---- places -------------------------------------------------------------------------------------------------

// Places live on the containers themselves, under symbols: JSON, `for...in` and Object.keys do not see them, and a
// property read is much cheaper than a WeakMap of Maps (an estate has hundreds of thousands of members).
const PLACE = Symbol("place");
const MEMBERS = Symbol("member places");

type Placed = { [PLACE]?: Place; [MEMBERS]?: Record<string, Place> };

/** Records where the container `v` was written. */
export function setPlace(v: Value, place: Place | undefined): void {
  if (place && typeof v === "object" && v !== null && !(v instanceof Unknown) && (v as Placed)[PLACE] === undefined)
    (v as Placed)[PLACE] = place;
}

export function placeOf(v: unknown): Place | undefined {
  return typeof v === "object" && v !== null ? (v as Placed)[PLACE] : undefined;
}

/** Records where member `key` of the container `v` was written. */
export function setMemberPlace(v: Value, key: string | number, place: Place | undefined): void {
  if (!place || typeof v !== "object" || v === null || v instanceof Unknown) return;
  let map = (v as Placed)[MEMBERS];
  if (!map) {
    map = Object.create(null) as Record<string, Place>;
    (v as Placed)[MEMBERS] = map;
  }
  map[key] = place;
}

export function memberPlace(v: unknown, key: string | number): Place | undefined {
  return typeof v === "object" && v !== null ? (v as Placed)[MEMBERS]?.[key] : undefined;
}

/** Copies the places of `from`'s members onto `to` (merge, type conversion keep where a value was written). */
export function copyPlaces(from: Value, to: Value): void {
  if (typeof from !== "object" || from === null || from instanceof Unknown) return;
  setPlace(to, placeOf(from));
  const map = (from as Placed)[MEMBERS];
  if (map) for (const k of Object.keys(map)) setMemberPlace(to, k, map[k]);
}

// ---- known after apply ----------------------------------------------------------------------------------------

const computedBase = new WeakMap<object, { address: string; why: string }>();

/**
 * Marks `v` (a resource instance's attributes, one of its nested blocks, a module not read) so that an attribute
 * it does not hold reads as Unknown `<address>.<attribute> (<why>)` — computed by the provider, read from Azure —
 * not as an error.
 */
export function markComputed(v: ValueObject, address: string, why = "known after apply"): void {
  computedBase.set(v, { address, why });
}

export function computedAddress(v: unknown): { address: string; why: string } | undefined {
  return typeof v === "object" && v !== null ? computedBase.get(v) : undefined;
}

const undecidedCollections = new WeakMap<object, string>();

/**
 * Marks the instances of a resource or module whose `count` no input decides: indexing one works (the instance
 * is evaluated as if deployed, and marked undecided), but its length, and anything iterating it, is Unknown.
 */
export function markUndecidedCollection(v: Value[], reason: string): void {
  undecidedCollections.set(v, reason);
}

export function undecidedCollectionReason(v: unknown): string | undefined {
  return typeof v === "object" && v !== null ? undecidedCollections.get(v) : undefined;
}

// ---- reading --------------------------------------------------------------------------------------------------

/** The reasons of the unknowns in `v` (itself, or placeholders inside a string), for a result built from it. */
export function reasonsOf(v: Value): string[] {
  if (v instanceof Unknown) return [v.reason];
  if (typeof v === "string" && isUnknown(v)) return [unknownReason(v)];
  const undecided = undecidedCollectionReason(v);
  return undecided === undefined ? [] : [undecided];
}

/** True when `v` is unknown or a string holding a placeholder: its exact value is not known. */
export function isUndecided(v: Value): boolean {
  return v instanceof Unknown || (typeof v === "string" && isUnknown(v));
}

/** True when `v` holds an unknown anywhere (deep). */
export function containsUnknown(v: Value, budget = { n: 100_000 }): boolean {
  if (budget.n-- <= 0) return true;
  if (isUndecided(v)) return true;
  if (Array.isArray(v)) return v.some((x) => containsUnknown(x, budget));
  if (isObjectValue(v)) return Object.values(v).some((x) => containsUnknown(x, budget));
  return false;
}

/** The type name of a value, for messages (`string`, `number`, `object`, ...). */
export function typeName(v: Value): string {
  if (v === null) return "null";
  if (v instanceof Unknown) return "unknown";
  if (Array.isArray(v)) return isSet(v) ? "set" : "tuple";
  if (typeof v === "object") return "object";
  return typeof v;
}

/** A value written back as HCL-ish text, short, for messages. */
export function showValue(v: Value, max = 60): string {
  let text: string;
  if (v instanceof Unknown) text = `(unknown: ${v.reason})`;
  else if (typeof v === "string") text = JSON.stringify(v);
  else text = JSON.stringify(v, (_k, x) => (x instanceof Unknown ? `(unknown: ${x.reason})` : x)) ?? "null";
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `v` as a string for a template or a string argument: numbers and booleans convert as Terraform does. */
export function toStringValue(v: Value): string | Unknown | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof Unknown) return v;
  return undefined;
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** `v` as a number (`"10"` converts), or undefined. */
export function toNumberValue(v: Value): number | Unknown | undefined {
  if (typeof v === "number") return v;
  if (v instanceof Unknown) return v;
  if (typeof v === "string") {
    if (isUnknown(v)) return unknown(unknownReason(v));
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v.trim())) return Number(v);
  }
  return undefined;
}

/** `v` as a boolean (`"true"` converts), or undefined. */
export function toBoolValue(v: Value): boolean | Unknown | undefined {
  if (typeof v === "boolean") return v;
  if (v instanceof Unknown) return v;
  if (typeof v === "string") {
    if (isUnknown(v)) return unknown(unknownReason(v));
    if (v === "true") return true;
    if (v === "false") return false;
  }
  return undefined;
}

/** Deep equality as Terraform's `==`: Unknown when either side holds an unknown. */
export function valuesEqual(a: Value, b: Value): boolean | Unknown {
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  if (typeof a === "string" && typeof b === "string") {
    if (a === b) return true;
    if (isUnknown(a)) return unknown(unknownReason(a));
    if (isUnknown(b)) return unknown(unknownReason(b));
    return false;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    let pending: Unknown | undefined;
    for (let i = 0; i < a.length; i++) {
      const r = valuesEqual(a[i]!, b[i]!);
      if (r === false) return false;
      if (r instanceof Unknown) pending = r;
    }
    return pending ?? true;
  }
  if (isObjectValue(a) && isObjectValue(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    let pending: Unknown | undefined;
    for (const k of ka) {
      if (!Object.hasOwn(b, k)) return false;
      const r = valuesEqual(a[k]!, b[k]!);
      if (r === false) return false;
      if (r instanceof Unknown) pending = r;
    }
    return pending ?? true;
  }
  if (typeof a === "number" && typeof b === "string") return a === toNumberValue(b);
  if (typeof a === "string" && typeof b === "number") return toNumberValue(a) === b;
  return a === b;
}

/** Converts an evaluated value to the JSON the REST mapping hands on: unknowns become placeholder strings. */
export function toJson(v: Value, budget = { n: 1_000_000 }): unknown {
  if (budget.n-- <= 0) return unknownValue("value too large");
  if (v instanceof Unknown) return unknownValue(v.reason);
  if (Array.isArray(v)) {
    const out = v.map((x) => toJson(x, budget));
    copyPlaces(v, out as Value[]);
    return out;
  }
  if (isObjectValue(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = toJson(v[k]!, budget);
    copyPlaces(v, out as ValueObject);
    return out;
  }
  return v;
}
