/**
 * @module ingest/resources/fields
 * Typed reading of resource JSON with diagnostics: a field of the wrong type is reported with its location
 * (never a crash), and unresolved values pass through as unknown placeholders.
 */
import type { DiagnosticBag } from "../../model/diagnostics.js";
import type { ResourceRef } from "../../model/resources.js";
import type { SourceRef } from "../../model/source.js";
import { howToGive, isUnknown, unknownReason, unknownValue } from "../../model/unknown.js";
import { LazySource, type Locator } from "../locator.js";

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The property bag of a resource or sub-resource: REST and templates nest it under `properties`; `az`
 * output flattens it into the object itself. Either way the same fields come back.
 */
export function propsOf(node: Json): Json {
  return isObject(node.properties) ? node.properties : node;
}

/** Case-insensitive property read (ARM property names are case-insensitive; exports vary). */
export function field(obj: Json, name: string): unknown {
  // A plain property read first (inline-cached by the engine); own-ness is checked only on a hit, so that
  // `constructor` and other inherited names are never taken for fields.
  const value = obj[name];
  if (value !== undefined && Object.hasOwn(obj, name)) return value;
  // Compared without building lower-case copies: this runs for every optional field of every rule.
  for (const key in obj) {
    if (key.length === name.length && key !== name && sameIgnoringCase(key, name) && Object.hasOwn(obj, key))
      return obj[key];
  }
  return undefined;
}

/** ASCII case-insensitive equality (property names are ASCII), allocation-free. */
function sameIgnoringCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && (x | 32) !== (y | 32)) return false;
    if (x !== y && ((x | 32) < 97 || (x | 32) > 122)) return false;
  }
  return true;
}

export class FieldReader {
  constructor(
    readonly locator: Locator,
    readonly diags: DiagnosticBag,
  ) {}

  /** Where `node` is written (`fallback` when it is not an input node), resolved on first read. */
  where(node: unknown, fallback: SourceRef): SourceRef {
    return typeof node === "object" && node !== null ? new LazySource(this.locator, node, fallback) : fallback;
  }

  string(obj: Json, name: string, at: SourceRef): string | undefined {
    const value = field(obj, name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    this.diags.error("input/wrong-type", `${name} must be a string, found ${kind(value)}`, this.where(value, at));
    return unknownValue(`${name} of the wrong type`);
  }

  number(obj: Json, name: string, at: SourceRef): number | undefined {
    const value = field(obj, name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number") return value;
    if (typeof value === "string" && isUnknown(value)) return Number.NaN;
    if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value);
    this.diags.error("input/wrong-type", `${name} must be a number, found ${kind(value)}`, this.where(value, at));
    return Number.NaN;
  }

  boolean(obj: Json, name: string, at: SourceRef): boolean | undefined {
    const value = field(obj, name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "boolean") return value;
    if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
    if (typeof value === "string" && isUnknown(value)) {
      this.diags.warning("input/unknown-value", `${name} is not known (${value}); assuming false`, at);
      return undefined;
    }
    this.diags.error("input/wrong-type", `${name} must be true or false, found ${kind(value)}`, this.where(value, at));
    return undefined;
  }

  stringArray(obj: Json, name: string, at: SourceRef): string[] | undefined {
    const value = field(obj, name);
    if (value === undefined || value === null) return undefined;
    // A single string stands for a list of one; an Unknown one stays Unknown (readers of addresses say so).
    if (typeof value === "string") return [value];
    if (!Array.isArray(value)) {
      this.diags.error("input/wrong-type", `${name} must be an array of strings, found ${kind(value)}`, at);
      return undefined;
    }
    const out: string[] = [];
    for (const item of value) {
      if (typeof item === "string") out.push(item);
      else
        this.diags.error(
          "input/wrong-type",
          `${name} items must be strings, found ${kind(item)}`,
          this.where(value, at),
        );
    }
    return out;
  }

  /**
   * The reason when field `name` is an Unknown placeholder where a list or an object belongs (`securityRules`
   * built from a parameter with no value): a template Azure accepts once its values are given, not a wrong type.
   */
  unknownOf(obj: Json, name: string): string | undefined {
    const value = field(obj, name);
    return typeof value === "string" && isUnknown(value) ? unknownReason(value) : undefined;
  }

  /** Says, once at its place, that what an Unknown list or object holds is not modelled, and how to give it. */
  private unknownContainer(name: string, value: string, at: SourceRef): void {
    const reason = unknownReason(value);
    const give = howToGive(reason);
    this.diags.warning(
      "input/unknown-value",
      `${name} is Unknown (${reason}): what it holds is not modelled, and verdicts that depend on it are Unknown${give ? ` (give it with ${give})` : ""}`,
      at,
    );
  }

  objectArray(obj: Json, name: string, at: SourceRef): Json[] {
    const value = field(obj, name);
    if (value === undefined || value === null) return [];
    if (typeof value === "string" && isUnknown(value)) {
      this.unknownContainer(name, value, at);
      return [];
    }
    if (!Array.isArray(value)) {
      this.diags.error("input/wrong-type", `${name} must be an array, found ${kind(value)}`, this.where(value, at));
      return [];
    }
    const out: Json[] = [];
    for (const item of value) {
      if (isObject(item)) out.push(item);
      else
        this.diags.error(
          "input/wrong-type",
          `${name} items must be objects, found ${kind(item)}`,
          this.where(value, at),
        );
    }
    return out;
  }

  object(obj: Json, name: string, at: SourceRef): Json | undefined {
    const value = field(obj, name);
    if (value === undefined || value === null) return undefined;
    if (isObject(value)) return value;
    if (typeof value === "string" && isUnknown(value)) {
      this.unknownContainer(name, value, at);
      return undefined;
    }
    this.diags.error("input/wrong-type", `${name} must be an object, found ${kind(value)}`, this.where(value, at));
    return undefined;
  }

  /** `{ "id": "..." }` (or a bare id string, which some exports and Terraform give). */
  ref(obj: Json, name: string, at: SourceRef): ResourceRef | undefined {
    const value = field(obj, name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return { id: value };
    if (isObject(value)) {
      const id = field(value, "id");
      if (typeof id === "string") return { id };
    }
    this.diags.error("input/wrong-type", `${name} must be a reference { "id": ... }`, this.where(value, at));
    return undefined;
  }

  refArray(obj: Json, name: string, at: SourceRef): ResourceRef[] {
    if (field(obj, name) === undefined) return [];
    return this.objectArray(obj, name, at)
      .map((item) => field(item, "id"))
      .filter((id): id is string => typeof id === "string")
      .map((id) => ({ id }));
  }
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`.slice(0, 60);
}
