/**
 * @module engine/nsg/bitsets
 * Engine layer: the data structure behind the compiled evaluator. One match dimension (protocol, a port, an
 * address family of an address) is cut into elementary intervals at every boundary of every rule's sets;
 * inside one interval every rule matches all values or none. Each interval points at a row: two bitsets of
 * `words` 32-bit words, bit i for the i-th rule in evaluation order, one for definite and one for possible
 * matches. Identical rows are stored once and neighbouring intervals with the same row are merged, so lookups
 * binary-search few boundaries and set-valued evaluation can group intervals by row.
 */
import type { IntervalOps } from "../ip/intervals.js";

/** Rows of one dimension: definite and possible bitsets at the same offsets. */
export interface RowStore {
  words: number;
  def: Uint32Array;
  poss: Uint32Array;
}

/** One dimension over one integer domain: interval starts and the row offset of each interval. */
export interface Dimension<T extends number | bigint> {
  /** Sorted interval starts; the first is the domain minimum. Interval k ends before starts[k + 1]. */
  starts: T[];
  /** Row offset (index into RowStore.def / .poss) of each interval. */
  offsets: Int32Array;
  /** Domain maximum (the last interval ends there). */
  max: T;
}

/** Builds a RowStore incrementally, deduplicating rows (hashed, then compared word by word). */
export class RowBuilder {
  /** Row offsets by hash: one offset, or a list when hashes collide (rare: no array per row for the GC). */
  private readonly index = new Map<number, number | number[]>();
  private readonly defWords: number[] = [];
  private readonly possWords: number[] = [];

  constructor(readonly words: number) {}

  private same(offset: number, def: Uint32Array, poss: Uint32Array): boolean {
    for (let w = 0; w < this.words; w++) {
      if (this.defWords[offset + w] !== def[w] || this.possWords[offset + w] !== poss[w]) return false;
    }
    return true;
  }

  /** Adds (or finds) the row `def`/`poss`; returns its offset. */
  add(def: Uint32Array, poss: Uint32Array): number {
    let hash = 0x811c9dc5;
    for (let w = 0; w < this.words; w++) {
      hash = Math.imul(hash ^ def[w]!, 0x01000193);
      hash = Math.imul(hash ^ poss[w]!, 0x01000193);
    }
    const bucket = this.index.get(hash);
    if (typeof bucket === "number" && this.same(bucket, def, poss)) return bucket;
    if (typeof bucket === "object") for (const offset of bucket) if (this.same(offset, def, poss)) return offset;
    const offset = this.defWords.length;
    for (let w = 0; w < this.words; w++) {
      this.defWords.push(def[w]!);
      this.possWords.push(poss[w]!);
    }
    if (bucket === undefined) this.index.set(hash, offset);
    else if (typeof bucket === "number") this.index.set(hash, [bucket, offset]);
    else bucket.push(offset);
    return offset;
  }

  finish(): RowStore {
    return { words: this.words, def: Uint32Array.from(this.defWords), poss: Uint32Array.from(this.possWords) };
  }
}

/** Per rule, its definite and possible sets in one dimension as flat `[lo, hi, ...]` intervals. */
export interface RuleIntervals<T> {
  def: readonly T[];
  poss: readonly T[];
}

function compare<T extends number | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Index of the interval holding `value`: the last k with starts[k] <= value. */
export function locate<T extends number | bigint>(starts: readonly T[], value: T): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Toggle events of one kind, bucketed by interval index (counting sort): rule `rules[i]` flips at interval
 * `at[i]`. A rule's ranges are disjoint, so flipping its bit at the first interval of each range and again
 * after the last one leaves it set exactly inside its ranges. The interval indices of one interval list are found
 * once however many rules share it (a service tag's thousands of ranges, resolved once per place: issue 17).
 */
function toggles<T extends number | bigint>(
  perRule: readonly (readonly T[])[],
  starts: readonly T[],
  indicesOf: (flat: readonly T[]) => Int32Array,
  indices: Map<readonly T[], Int32Array>,
): { first: Int32Array; rules: Int32Array } {
  const count = new Int32Array(starts.length + 1);
  const events: number[] = [];
  perRule.forEach((flat, rule) => {
    if (flat.length === 0) return;
    let at = indices.get(flat);
    if (!at) {
      at = indicesOf(flat);
      indices.set(flat, at);
    }
    for (let i = 0; i < at.length; i += 2) {
      const from = at[i]!;
      const after = at[i + 1]!;
      events.push(from, rule);
      count[from]!++;
      if (after < starts.length) {
        events.push(after, rule);
        count[after]!++;
      }
    }
  });
  const first = new Int32Array(starts.length + 1);
  for (let k = 0; k < starts.length; k++) first[k + 1] = first[k]! + count[k]!;
  const fill = first.slice();
  const rules = new Int32Array(events.length / 2);
  for (let i = 0; i < events.length; i += 2) rules[fill[events[i]!]!++] = events[i + 1]!;
  return { first, rules };
}

/**
 * Per interval of `flat`, the index of the elementary interval it starts in and the index just after the one it
 * ends in. A list with many intervals (a service tag's) walks the starts once, as both are sorted, instead of two
 * binary searches per interval (issue 17); a short one is searched.
 */
function intervalIndices<T extends number | bigint>(
  flat: readonly T[],
  starts: readonly T[],
  max: T,
  ops: IntervalOps<T>,
): Int32Array {
  const at = new Int32Array(flat.length);
  const endIndex = (hi: T, find: (value: T) => number) => (hi >= max ? starts.length - 1 : find(ops.next(hi)) - 1);
  if (flat.length * 16 < starts.length) {
    const search = (value: T) => locate(starts, value);
    for (let i = 0; i < flat.length; i += 2) {
      at[i] = search(flat[i]!);
      at[i + 1] = endIndex(flat[i + 1]!, search) + 1;
    }
    return at;
  }
  // The values asked for only grow (intervals sorted, disjoint, non-adjacent): the last k with starts[k] <= value.
  let k = 0;
  const walk = (value: T) => {
    while (k + 1 < starts.length && starts[k + 1]! <= value) k++;
    return k;
  };
  for (let i = 0; i < flat.length; i += 2) {
    at[i] = walk(flat[i]!);
    at[i + 1] = endIndex(flat[i + 1]!, walk) + 1;
  }
  return at;
}

function flip(bits: Uint32Array, ev: { first: Int32Array; rules: Int32Array }, k: number): void {
  for (let e = ev.first[k]!; e < ev.first[k + 1]!; e++) {
    const rule = ev.rules[e]!;
    bits[rule >>> 5] = (bits[rule >>> 5]! ^ (1 << (rule & 31))) >>> 0;
  }
}

/**
 * The distinct interval starts of a dimension, sorted: the domain minimum, each range's start and the value after
 * each range's end. An interval list shared by several rules (one service tag's set) is read once, and each list
 * adds one ascending run, which the array sort merges instead of sorting afresh (a Set and a full sort of a
 * tag's ranges per rule dominated compilation: issue 17; 30,000 port ranges: issue 11 item 5).
 */
function sortedStarts<T extends number | bigint>(
  perRule: readonly RuleIntervals<T>[],
  min: T,
  max: T,
  ops: IntervalOps<T>,
): T[] {
  const seen = new Set<readonly T[]>();
  const cuts: T[] = [min];
  for (const r of perRule) {
    for (const flat of [r.def, r.poss]) {
      if (flat.length === 0 || seen.has(flat)) continue;
      seen.add(flat);
      for (let i = 0; i < flat.length; i += 2) {
        cuts.push(flat[i]!);
        if (flat[i + 1]! < max) cuts.push(ops.next(flat[i + 1]!));
      }
    }
  }
  // Numbers sort natively in a typed array (a comparator per comparison was a fifth of compiling: issue 17).
  const sorted =
    typeof min === "number"
      ? (Float64Array.from(cuts as number[]).sort() as unknown as ArrayLike<T>)
      : cuts.sort(compare);
  const out: T[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i]!);
  return out;
}

/**
 * Builds one dimension over the domain [min, max] from each rule's interval sets (rule i = bit i), adding
 * its rows to `rows`. One sweep over the intervals keeps the running bitsets, so the cost is the number of
 * intervals times the row width plus the number of rule ranges.
 */
export function buildDimension<T extends number | bigint>(
  perRule: readonly RuleIntervals<T>[],
  min: T,
  max: T,
  ops: IntervalOps<T>,
  rows: RowBuilder,
): Dimension<T> {
  const starts = sortedStarts(perRule, min, max, ops);
  const indicesOf = (flat: readonly T[]) => intervalIndices(flat, starts, max, ops);
  // Possible bits = definite bits, plus the possible sets of the rules whose two sets differ ("extra").
  const differs = (r: RuleIntervals<T>) =>
    r.def !== r.poss && (r.def.length !== r.poss.length || r.def.some((v, i) => v !== r.poss[i]));
  const indices = new Map<readonly T[], Int32Array>();
  const defEvents = toggles(
    perRule.map((r) => r.def),
    starts,
    indicesOf,
    indices,
  );
  const extraEvents = toggles(
    perRule.map((r) => (differs(r) ? r.poss : [])),
    starts,
    indicesOf,
    indices,
  );
  const words = rows.words;
  const def = new Uint32Array(words);
  const extra = new Uint32Array(words);
  const poss = new Uint32Array(words);
  const mergedStarts: T[] = [];
  const offsets: number[] = [];
  for (let k = 0; k < starts.length; k++) {
    flip(def, defEvents, k);
    flip(extra, extraEvents, k);
    for (let w = 0; w < words; w++) poss[w] = (def[w]! | extra[w]!) >>> 0;
    const offset = rows.add(def, poss);
    if (offsets.length > 0 && offsets[offsets.length - 1] === offset) continue;
    mergedStarts.push(starts[k]!);
    offsets.push(offset);
  }
  return { starts: mergedStarts, offsets: Int32Array.from(offsets), max };
}

/** Index of the lowest set bit of a non-zero 32-bit word. */
export function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}
