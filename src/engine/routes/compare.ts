/**
 * @module engine/routes/compare
 * Engine layer: computed effective routes against an observed export (`az network nic
 * show-effective-route-table`), compared as multisets, since Azure's row order is not stable (reference §2.11
 * O8) and duplicate rows are real (O6). Fields the export leaves out (older exports have no `name` or
 * `disableBgpRoutePropagation`) are not compared; next hop types are compared case-insensitively.
 */

import { parsePrefix } from "../../model/ip.js";
import type { EffectiveRoute } from "../../model/network.js";

/** The outcome of a comparison: rows found on both sides, and rows only one side has. */
export interface RouteComparison {
  equal: boolean;
  matched: { computed: EffectiveRoute; observed: EffectiveRoute }[];
  /** Rows we compute that the export does not show. */
  onlyComputed: EffectiveRoute[];
  /** Rows the export shows that we do not compute. */
  onlyObserved: EffectiveRoute[];
}

function canonicalPrefix(text: string): string {
  return parsePrefix(text)?.canonical ?? text.trim().toLowerCase();
}

/** The comparison key of a row; `withName` / `withBgpFlag` say whether those fields take part. */
function keyOf(route: EffectiveRoute, withName: boolean, withBgpFlag: boolean): string {
  return JSON.stringify([
    route.source.toLowerCase(),
    route.state.toLowerCase(),
    [...route.addressPrefix].map(canonicalPrefix).sort(),
    route.nextHopType.toLowerCase(),
    [...route.nextHopIpAddress].map((ip) => ip.trim().toLowerCase()).sort(),
    withName ? (route.name ?? null) : 0,
    withBgpFlag ? (route.disableBgpRoutePropagation ?? false) : 0,
  ]);
}

/**
 * Two lists compared as multisets under `key`: the pairs with equal keys (each row used once) and the rows left
 * on each side, in their lists' order. The one multiset comparison of the drift checks (routes, NSG rules).
 */
export function multisetDifference<T>(
  computed: readonly T[],
  observed: readonly T[],
  key: (row: T) => string,
): { matched: { computed: T; observed: T }[]; onlyComputed: T[]; onlyObserved: T[] } {
  const pending = new Map<string, T[]>();
  for (const row of observed) {
    const k = key(row);
    const bucket = pending.get(k);
    if (bucket) bucket.push(row);
    else pending.set(k, [row]);
  }
  const matched: { computed: T; observed: T }[] = [];
  const onlyComputed: T[] = [];
  for (const row of computed) {
    const twin = pending.get(key(row))?.shift();
    if (twin !== undefined) matched.push({ computed: row, observed: twin });
    else onlyComputed.push(row);
  }
  return { matched, onlyComputed, onlyObserved: [...pending.values()].flat() };
}

/**
 * Compares computed rows with observed ones as multisets. `name` takes part only when the export carries a
 * name on some row, `disableBgpRoutePropagation` only when the export carries it on every row.
 */
export function compareEffectiveRoutes(computed: EffectiveRoute[], observed: EffectiveRoute[]): RouteComparison {
  const withName = observed.some((r) => r.name !== null && r.name !== undefined);
  const withBgpFlag = observed.length > 0 && observed.every((r) => typeof r.disableBgpRoutePropagation === "boolean");
  const { matched, onlyComputed, onlyObserved } = multisetDifference(computed, observed, (r) =>
    keyOf(r, withName, withBgpFlag),
  );
  return { equal: onlyComputed.length === 0 && onlyObserved.length === 0, matched, onlyComputed, onlyObserved };
}
