/**
 * @module engine/reach/route-set
 * Engine layer: where a whole set of destinations goes from a subnet (a service tag such as Storage, a peered
 * VNet's range). The set is cut at every route prefix boundary of the effective table, so that within each
 * piece one route decides; each piece is then asked of the same longest-prefix-match lookup `next-hop` uses,
 * and the pieces are grouped by the route that decided. Exact, and it cannot disagree with `next-hop`.
 */

import { formatAddress } from "../../model/ip.js";
import { AddressSet } from "../ip/address-set.js";
import {
  type ComputedRoute,
  type EffectiveRouteTable,
  type NextHopResult,
  nextHop,
  nextHopV4,
} from "../routes/index.js";

export interface RoutedPart {
  /** The next hop answer shared by every address of `set`. */
  hop: NextHopResult;
  row?: ComputedRoute;
  set: AddressSet;
}

function boundaries<T extends number | bigint>(table: EffectiveRouteTable, version: 4 | 6, toT: (v: bigint) => T): T[] {
  const points = new Set<T>();
  for (const row of table.routes) {
    for (const p of row.prefixes) {
      if (p.version !== version) continue;
      points.add(toT(p.first));
      points.add(toT(p.last + 1n));
    }
  }
  return [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Splits `set` by the route that decides each of its addresses, in the order the routes are first met. */
export function routesForSet(table: EffectiveRouteTable, set: AddressSet): RoutedPart[] {
  // Grouped by deciding row (answers for one row may be distinct objects when they carry unknowns).
  const groups = new Map<
    ComputedRoute | undefined,
    { hop: NextHopResult; v4: [number, number][]; v6: [bigint, bigint][] }
  >();
  const group = (hop: NextHopResult) => {
    let g = groups.get(hop.row);
    if (!g) {
      g = { hop, v4: [], v6: [] };
      groups.set(hop.row, g);
    }
    return g;
  };
  const cuts4 = boundaries(table, 4, Number);
  for (let i = 0; i < set.v4.length; i += 2) {
    let lo = set.v4[i]!;
    const hi = set.v4[i + 1]!;
    let k = upperBound(cuts4, lo);
    while (lo <= hi) {
      const end = k < cuts4.length && cuts4[k]! - 1 < hi ? cuts4[k]! - 1 : hi;
      group(nextHopV4(table, lo)).v4.push([lo, end]);
      lo = end + 1;
      k++;
    }
  }
  const cuts6 = boundaries(table, 6, (v) => v);
  for (let i = 0; i < set.v6.length; i += 2) {
    let lo = set.v6[i]!;
    const hi = set.v6[i + 1]!;
    let k = upperBound(cuts6, lo);
    while (lo <= hi) {
      const end = k < cuts6.length && cuts6[k]! - 1n < hi ? cuts6[k]! - 1n : hi;
      group(nextHop(table, formatAddress(6, lo))).v6.push([lo, end]);
      lo = end + 1n;
      k++;
    }
  }
  return [...groups.values()].map((g) => ({
    hop: g.hop,
    row: g.hop.row,
    set: AddressSet.fromIntervals(mergeSorted(g.v4, 1), mergeSorted(g.v6, 1n)),
  }));
}

/** Index of the first cut greater than `value`. */
function upperBound<T extends number | bigint>(cuts: T[], value: T): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mergeSorted<T extends number | bigint>(pairs: [T, T][], one: T): T[] {
  const out: T[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    // biome-ignore lint/suspicious/noExplicitAny: T is number or bigint; + works on both alike.
    if (n > 0 && lo <= (out[n - 1]! as any) + one) out[n - 1] = hi;
    else out.push(lo, hi);
  }
  return out;
}
