/**
 * @module engine/nsg/ports
 * Engine layer: port sets of NSG rules. Azure takes, per port field, `*`, one integer in 0-65535, or a range
 * `low-high` (reference §1.1); the plural fields hold a list of such values. Anything else is refused with
 * `SecurityRuleInvalidPortRange` (Azure/azure-cli#23499, hashicorp/terraform-provider-azurerm#659: a comma list
 * in a singular field is refused). Sets are flat interval arrays so the interval helpers of engine/ip apply.
 */
import { find, intersect, normalize, numberOps, subtract, union } from "../ip/intervals.js";
import type { PortSet } from "./types.js";

export const MAX_PORT = 65535;
export const ALL_PORTS: PortSet = Object.freeze([0, MAX_PORT]);
export const NO_PORTS: PortSet = Object.freeze([]);

/** The parse of one port text: a set, or why Azure would refuse it. */
export type PortParse = { ok: true; set: PortSet } | { ok: false; problem: string };

const PORT_TEXT = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/;

/**
 * Parses by text, once: validation and compilation both read every port field of every rule, and estates repeat
 * the same few hundred texts (issue 17). The results (and their sets) are frozen and shared; bounded.
 */
const portMemo = new Map<string, PortParse>();

/** Parses `*`, `N` or `lo-hi` (one value of a port field). */
export function parsePortText(text: string): PortParse {
  let parsed = portMemo.get(text);
  if (!parsed) {
    const fresh = parsePortTextOnce(text);
    parsed = Object.freeze(fresh.ok ? { ok: true as const, set: Object.freeze(fresh.set) } : fresh);
    if (portMemo.size >= 100_000) portMemo.clear();
    portMemo.set(text, parsed);
  }
  return parsed;
}

function parsePortTextOnce(text: string): PortParse {
  if (text.trim() === "*") return { ok: true, set: ALL_PORTS };
  const m = PORT_TEXT.exec(text);
  if (!m) return { ok: false, problem: "not an integer or an integer range with '-'" };
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo > MAX_PORT || hi > MAX_PORT) return { ok: false, problem: "outside 0-65535" };
  if (lo > hi) return { ok: false, problem: "range start above its end" };
  return { ok: true, set: [lo, hi] };
}

/** A port set from `[lo, hi]` pairs (any order, overlaps allowed). */
export function portSet(pairs: [number, number][]): PortSet {
  return normalize(pairs, numberOps);
}

/**
 * The union of many port sets in one pass: every range encoded as one number (start * 65536 + end), sorted
 * natively, then merged. A rule's port list of 30,000 ranges is one sort, never a union per item nor a comparator
 * over pair arrays (issue 11 item 5: port sets are computed on ranges, never port by port).
 */
export function portUnionAll(sets: readonly PortSet[]): PortSet {
  let size = 0;
  for (const set of sets) size += set.length >>> 1;
  const keys = new Float64Array(size);
  let n = 0;
  for (const set of sets) for (let i = 0; i < set.length; i += 2) keys[n++] = set[i]! * 65536 + set[i + 1]!;
  keys.sort();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const lo = Math.floor(keys[i]! / 65536);
    const hi = keys[i]! - lo * 65536;
    const last = out.length - 1;
    if (last > 0 && lo <= out[last]! + 1) {
      if (hi > out[last]!) out[last] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

export function portUnion(a: PortSet, b: PortSet): PortSet {
  return union(a as number[], b as number[], numberOps);
}

export function portIntersect(a: PortSet, b: PortSet): PortSet {
  return intersect(a as number[], b as number[]);
}

export function portSubtract(a: PortSet, b: PortSet): PortSet {
  return subtract(a as number[], b as number[], numberOps);
}

export function portHas(set: PortSet, port: number): boolean {
  return find(set as number[], port) >= 0;
}

export function isAllPorts(set: PortSet): boolean {
  return set.length === 2 && set[0] === 0 && set[1] === MAX_PORT;
}

export function portSetEquals(a: PortSet, b: PortSet): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** `*`, `443`, `80, 1000-2000`: the form Azure prints. */
export function formatPortSet(set: PortSet): string {
  if (isAllPorts(set)) return "*";
  if (set.length === 0) return "(none)";
  const parts: string[] = [];
  for (let i = 0; i < set.length; i += 2) parts.push(set[i] === set[i + 1] ? `${set[i]}` : `${set[i]}-${set[i + 1]}`);
  return parts.join(", ");
}
