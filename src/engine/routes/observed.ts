/**
 * @module engine/routes/observed
 * Engine layer: an observed effective-route export against the table we compute for its subnet, with Azure's
 * rows on each side (multisets, compare.ts) and the reserved-route profiles under which the two would be equal
 * (reference §2.11 O1: the reserved None rows are dated and regional, the likeliest cause of a difference). One
 * piece of code for the `routes` command and the DRIFT-ROUTES check.
 */
import type { EffectiveRoute, ObservedEffectiveRoutes } from "../../model/network.js";
import type { Subnet } from "../../model/resources.js";
import { formatSource } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { compareEffectiveRoutes } from "./compare.js";
import { reservedProfiles } from "./data.js";
import { effectiveRoutes, toEffectiveRouteJson } from "./effective.js";
import type { RouteTagCatalog } from "./system.js";
import type { EffectiveRouteTable } from "./types.js";

/** One export compared with the computed table: Azure's rows on each side, and the profiles that would match. */
export interface ObservedComparison {
  /** The export's place (file:line:col). */
  export: string;
  target: string | null;
  equal: boolean;
  /** Rows we compute that the export lacks, and rows of the export we do not compute (multisets). */
  onlyComputed: EffectiveRoute[];
  onlyObserved: EffectiveRoute[];
  /** Reserved-route profiles under which the computed table equals the export (§2.11 O1). */
  equalWithReservedRoutes: string[];
}

/** A row as the route tables print it: source, state, prefixes, next hop type and address. */
export function effectiveRouteText(r: EffectiveRoute): string {
  const ip = r.nextHopIpAddress.length > 0 ? ` ${r.nextHopIpAddress.join(", ")}` : "";
  return `${r.source} ${r.state} ${r.addressPrefix.join(", ")} ${r.nextHopType}${ip}`;
}

/** One export compared with `table`, the computed table of `subnet`. */
export function compareObservedTable(
  topology: Topology,
  subnet: Subnet,
  catalog: RouteTagCatalog,
  table: EffectiveRouteTable,
  observed: ObservedEffectiveRoutes,
): ObservedComparison {
  const result = compareEffectiveRoutes(toEffectiveRouteJson(table).value, observed.routes);
  const fits = result.equal
    ? []
    : reservedProfiles()
        .filter((p) => p.id !== table.reservedProfile.id)
        .filter((p) => {
          const other = effectiveRoutes(topology, subnet, catalog, { reservedRoutes: p.id });
          return compareEffectiveRoutes(toEffectiveRouteJson(other).value, observed.routes).equal;
        })
        .map((p) => p.id);
  return {
    export: formatSource(observed.src),
    target: observed.target ?? null,
    equal: result.equal,
    onlyComputed: result.onlyComputed,
    onlyObserved: result.onlyObserved,
    equalWithReservedRoutes: fits,
  };
}

/** Each effective-route export among the inputs compared with the computed table (as multisets). */
export function compareObserved(
  topology: Topology,
  subnet: Subnet,
  catalog: RouteTagCatalog,
  table: EffectiveRouteTable,
  observed: ObservedEffectiveRoutes[],
): ObservedComparison[] {
  return observed.map((o) => compareObservedTable(topology, subnet, catalog, table, o));
}
