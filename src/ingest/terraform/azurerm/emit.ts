/**
 * @module ingest/terraform/azurerm/emit
 * Ingest layer, Terraform: the small vocabulary the resource mappings (network.ts, services.ts) are written in.
 * An instance's arguments are read as the REST API wants them — strings, numbers, booleans, lists, `{ id }`
 * references — with a value no input decides turned into its placeholder (model/unknown), and an empty string
 * or an empty list read as not set (a plan writes `""` and `[]` for every unset argument, a `.tf` file writes
 * nothing; both mean the same). Each REST object and member written records where its value came from
 * (eval/values places), which the locator (../locator.ts) answers with.
 */
import { unknownValue } from "../../../model/unknown.js";
import {
  isObjectValue,
  memberPlace,
  type Place,
  placeOf,
  setMemberPlace,
  setPlace,
  toJson,
  Unknown,
  type Value,
  type ValueObject,
} from "../eval/values.js";

export type Json = Record<string, unknown>;

/** An instance being mapped: its arguments and where each was written. */
export class Args {
  constructor(
    readonly value: ValueObject,
    readonly place: Place,
    readonly address: string,
  ) {}

  has(name: string): boolean {
    const v = this.value[name];
    return v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);
  }

  raw(name: string): Value | undefined {
    return Object.hasOwn(this.value, name) ? this.value[name] : undefined;
  }

  /** Where argument `name` was written (the instance when it was not). */
  at(name: string): Place {
    return memberPlace(this.value, name) ?? this.place;
  }

  str(name: string): string | undefined {
    return asString(this.raw(name));
  }

  num(name: string): number | string | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "number") return v;
    if (v instanceof Unknown) return unknownValue(v.reason);
    if (typeof v === "string") return /^-?\d+$/.test(v) ? Number(v) : v;
    return undefined;
  }

  bool(name: string): boolean | string | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === "boolean") return v;
    if (v instanceof Unknown) return unknownValue(v.reason);
    if (v === "true" || v === "false") return v === "true";
    return typeof v === "string" ? v : undefined;
  }

  /** A list of strings (a set or list argument); a placeholder string when the list is Unknown. */
  strings(name: string): string[] | string | undefined {
    return asStrings(this.raw(name));
  }

  /** The nested blocks (or list-of-objects attribute) `name`, as Args of their own. */
  blocks(name: string): Args[] {
    const v = this.raw(name);
    if (!Array.isArray(v)) return [];
    return v
      .filter(isObjectValue)
      .map((b, i) => new Args(b, placeOf(b) ?? memberPlace(v, i) ?? this.at(name), `${this.address}.${name}[${i}]`));
  }

  /** The first nested block `name`, if any. */
  block(name: string): Args | undefined {
    return this.blocks(name)[0];
  }

  /** True when the blocks `name` are Unknown (a `dynamic` block over an unknown collection). */
  unknownBlocks(name: string): string | undefined {
    const v = this.raw(name);
    return v instanceof Unknown ? unknownValue(v.reason) : undefined;
  }
}

export function asString(v: Value | undefined): string | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Unknown) return unknownValue(v.reason);
  return undefined;
}

export function asStrings(v: Value | undefined): string[] | string | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Unknown) return unknownValue(v.reason);
  if (typeof v === "string") return v === "" ? undefined : [v];
  if (!Array.isArray(v)) return undefined;
  const out = v.map((x) => asString(x)).filter((x): x is string => x !== undefined);
  return out.length === 0 ? undefined : out;
}

/** A REST object placed at `place`. */
export function obj(place: Place): Json {
  const o: Json = {};
  setPlace(o as ValueObject, place);
  return o;
}

/** Sets `o[key]` (when `value` is set), recording where it came from. */
export function put(o: Json, key: string, value: unknown, place: Place): void {
  if (value === undefined) return;
  o[key] = value;
  setMemberPlace(o as ValueObject, key, place);
}

/** `{ id }` for a reference argument (or a placeholder id when it is Unknown). */
export function ref(id: string | undefined, place: Place): Json | undefined {
  if (id === undefined) return undefined;
  const r = obj(place);
  put(r, "id", id, place);
  return r;
}

/** An argument copied as JSON (unknowns as placeholders), with its places. */
export function json(v: Value | undefined): unknown {
  return v === undefined ? undefined : toJson(v);
}

/** `Enabled`/`Disabled` for a boolean argument (a placeholder stays). */
export function enabled(v: boolean | string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "boolean") return v ? "Enabled" : "Disabled";
  return v;
}

/** Azure stores a region as lower-case letters and digits (`West Europe` is `westeurope`). */
export function region(v: string | undefined): string | undefined {
  if (v === undefined || v.includes("<unknown:")) return v;
  return v.toLowerCase().replace(/\s+/g, "");
}
