/**
 * @module engine/ip/intervals
 * Sets of integers as sorted, disjoint, non-adjacent closed intervals, stored flat: `[lo0, hi0, lo1, hi1, ...]`.
 * One implementation serves IPv4 (numbers, exact below 2^53) and IPv6 (bigints); the callers pass the
 * successor function so the arithmetic stays in the right type.
 */

type Num = number | bigint;

export interface IntervalOps<T extends Num> {
  next(value: T): T;
  prev(value: T): T;
}

export const numberOps: IntervalOps<number> = { next: (v) => v + 1, prev: (v) => v - 1 };
export const bigintOps: IntervalOps<bigint> = { next: (v) => v + 1n, prev: (v) => v - 1n };

/** Sorts and merges arbitrary `[lo, hi]` pairs into the canonical flat form. */
export function normalize<T extends Num>(pairs: [T, T][], ops: IntervalOps<T>): T[] {
  if (pairs.length === 0) return [];
  const sorted = pairs.filter(([lo, hi]) => lo <= hi).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: T[] = [];
  for (const [lo, hi] of sorted) {
    const n = out.length;
    if (n > 0 && lo <= ops.next(out[n - 1]!)) {
      if (hi > out[n - 1]!) out[n - 1] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

export function union<T extends Num>(a: T[], b: T[], ops: IntervalOps<T>): T[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let lo: T;
    let hi: T;
    if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) {
      lo = a[i]!;
      hi = a[i + 1]!;
      i += 2;
    } else {
      lo = b[j]!;
      hi = b[j + 1]!;
      j += 2;
    }
    const n = out.length;
    if (n > 0 && lo <= ops.next(out[n - 1]!)) {
      if (hi > out[n - 1]!) out[n - 1] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

export function intersect<T extends Num>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    // biome-ignore lint/complexity/useMathMinMax: T may be bigint, which Math.max does not take.
    const lo = a[i]! > b[j]! ? a[i]! : b[j]!;
    // biome-ignore lint/complexity/useMathMinMax: as above.
    const hi = a[i + 1]! < b[j + 1]! ? a[i + 1]! : b[j + 1]!;
    if (lo <= hi) out.push(lo, hi);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out;
}

export function subtract<T extends Num>(a: T[], b: T[], ops: IntervalOps<T>): T[] {
  if (b.length === 0 || a.length === 0) return a;
  const out: T[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i]!;
    const hi = a[i + 1]!;
    while (j < b.length && b[j + 1]! < lo) j += 2;
    let k = j;
    while (k < b.length && b[k]! <= hi) {
      if (b[k]! > lo) out.push(lo, ops.prev(b[k]!));
      const after = b[k + 1]!;
      if (after >= hi) {
        lo = ops.next(hi); // nothing left of this interval
        break;
      }
      lo = ops.next(after);
      k += 2;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return out;
}

/** Index of the interval holding `value`, or -1. Binary search. */
export function find<T extends Num>(a: T[], value: T): number {
  let lo = 0;
  let hi = a.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid * 2 + 1]! < value) lo = mid + 1;
    else if (a[mid * 2]! > value) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** True when every interval of `b` lies inside `a`. */
export function covers<T extends Num>(a: T[], b: T[]): boolean {
  for (let j = 0; j < b.length; j += 2) {
    const i = find(a, b[j]!);
    if (i < 0 || a[i * 2 + 1]! < b[j + 1]!) return false;
  }
  return true;
}

export function equal<T extends Num>(a: T[], b: T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
