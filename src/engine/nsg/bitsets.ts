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

/** Builds a RowStore incrementally, deduplicating rows. */
export class RowBuilder {
  private readonly index = new Map<string, number>();
  private readonly defWords: number[] = [];
  private readonly possWords: number[] = [];

  constructor(readonly words: number) {}

  /** Adds (or finds) the row `def`/`poss`; returns its offset. */
  add(def: Uint32Array, poss: Uint32Array): number {
    const key = `${def.join(",")}|${poss.join(",")}`;
    const known = this.index.get(key);
    if (known !== undefined) return known;
    const offset = this.defWords.length;
    for (let w = 0; w < this.words; w++) {
      this.defWords.push(def[w]!);
      this.possWords.push(poss[w]!);
    }
    this.index.set(key, offset);
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

function setBits(bits: Uint32Array, words: number, rule: number, from: number, to: number): void {
  const word = rule >>> 5;
  const mask = (1 << (rule & 31)) >>> 0;
  for (let k = from; k <= to; k++) bits[k * words + word] = (bits[k * words + word]! | mask) >>> 0;
}

/**
 * Builds one dimension over the domain [min, max] from each rule's interval sets (rule i = bit i), adding
 * its rows to `rows`.
 */
export function buildDimension<T extends number | bigint>(
  perRule: readonly RuleIntervals<T>[],
  min: T,
  max: T,
  ops: IntervalOps<T>,
  rows: RowBuilder,
): Dimension<T> {
  const cuts = new Set<T>([min]);
  for (const r of perRule) {
    for (const flat of [r.def, r.poss]) {
      for (let i = 0; i < flat.length; i += 2) {
        cuts.add(flat[i]!);
        if (flat[i + 1]! < max) cuts.add(ops.next(flat[i + 1]!));
      }
    }
  }
  const starts = [...cuts].sort(compare);
  const words = rows.words;
  const def = new Uint32Array(starts.length * words);
  const poss = new Uint32Array(starts.length * words);
  const endIndex = (hi: T) => (hi >= max ? starts.length - 1 : locate(starts, ops.next(hi)) - 1);
  perRule.forEach((r, rule) => {
    for (let i = 0; i < r.def.length; i += 2)
      setBits(def, words, rule, locate(starts, r.def[i]!), endIndex(r.def[i + 1]!));
    for (let i = 0; i < r.poss.length; i += 2) {
      setBits(poss, words, rule, locate(starts, r.poss[i]!), endIndex(r.poss[i + 1]!));
    }
  });
  const mergedStarts: T[] = [];
  const offsets: number[] = [];
  for (let k = 0; k < starts.length; k++) {
    const offset = rows.add(def.subarray(k * words, (k + 1) * words), poss.subarray(k * words, (k + 1) * words));
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
