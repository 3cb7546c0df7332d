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
 * Compares computed rows with observed ones as multisets. `name` takes part only when the export carries a
 * name on some row, `disableBgpRoutePropagation` only when the export carries it on every row.
 */
export function compareEffectiveRoutes(computed: EffectiveRoute[], observed: EffectiveRoute[]): RouteComparison {
  const withName = observed.some((r) => r.name !== null && r.name !== undefined);
  const withBgpFlag = observed.length > 0 && observed.every((r) => typeof r.disableBgpRoutePropagation === "boolean");
  const pending = new Map<string, EffectiveRoute[]>();
  for (const row of observed) {
    const key = keyOf(row, withName, withBgpFlag);
    pending.set(key, [...(pending.get(key) ?? []), row]);
  }
  const matched: RouteComparison["matched"] = [];
  const onlyComputed: EffectiveRoute[] = [];
  for (const row of computed) {
    const bucket = pending.get(keyOf(row, withName, withBgpFlag));
    const twin = bucket?.shift();
    if (twin) matched.push({ computed: row, observed: twin });
    else onlyComputed.push(row);
  }
  const onlyObserved = [...pending.values()].flat();
  return { equal: onlyComputed.length === 0 && onlyObserved.length === 0, matched, onlyComputed, onlyObserved };
}
