/**
 * @module model/arrays
 * Array helpers for collections whose size the input decides: a spread (`push(...xs)`, `Math.max(...xs)`)
 * passes every item as an argument and throws a RangeError past about 120,000 of them (issue 11: a template
 * whose copy loops make 160,000 subnets ended in "internal error"). These loop instead.
 */

/** Appends every item of `items` to `target` (in place) and returns `target`. */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`, or `empty` when there are none (as `Math.max` with a floor, without the spread). */
export function maxOf(values: Iterable<number>, empty = Number.NEGATIVE_INFINITY): number {
  let best: number | undefined;
  for (const v of values) if (best === undefined || v > best || Number.isNaN(v)) best = v;
  return best ?? empty;
}

/** The smallest of `values`, or `empty` when there are none. */
export function minOf(values: Iterable<number>, empty = Number.POSITIVE_INFINITY): number {
  let best: number | undefined;
  for (const v of values) if (best === undefined || v < best || Number.isNaN(v)) best = v;
  return best ?? empty;
}
