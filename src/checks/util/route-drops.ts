/**
 * @module checks/util/route-drops
 * Checks layer: which of a set of destinations (a dependency's service tag, seen from an APIM subnet) the
 * subnet's effective routes drop, i.e. send to next hop None (reference §2.1-§2.5), and with which route. The set
 * is partitioned by deciding route (engine/reach routesForSet, the same lookup as `next-hop`).
 *
 * Decisions:
 * - The reserved None routes Azure puts in every subnet (RFC 1918 space, 100.64.0.0/10, some 25.x and Microsoft
 *   ranges; reference §2.1, §2.11 O1) are not counted: they are the same for every instance, nothing in the
 *   inputs causes them, and a tag that overlaps them (Internet does) is still reachable for APIM.
 * - A route whose next hop depends on an unresolved value makes the answer Unknown for the addresses it may
 *   cover; those reasons are returned, never dropped silently.
 * - The fix for a user route to None is a user route for the dependency's service tag with next hop Internet
 *   in the same route table: service-tag prefixes are longer than the usual 0.0.0.0/0 drop, so they win by
 *   longest prefix match (§2.5); it is offered only for tags Azure accepts in routes (`UDR` in networkFeatures).
 */
import { AddressSet } from "../../engine/ip/address-set.js";
import { routesForSet } from "../../engine/reach/route-set.js";
import type { ComputedRoute } from "../../engine/routes/index.js";
import type { Change } from "../../model/change.js";
import type { Subnet } from "../../model/resources.js";
import { type CheckContext, evidenceAt } from "../context.js";
import type { Evidence } from "../types.js";
import { routeChange } from "./fixes.js";

/** Destinations one route sends to None. */
export interface RouteDrop {
  row: ComputedRoute;
  set: AddressSet;
}

export interface RouteDrops {
  drops: RouteDrop[];
  /** Why the route answer may be wrong for part of the set (unresolved routes). */
  unknowns: string[];
  /** The part of the set that the reserved None routes take (not counted, see the module note). */
  reserved: AddressSet;
}

/** The parts of `set` that the effective routes of `subnet` send to None, by route (reserved routes aside). */
export function routeDrops(ctx: CheckContext, subnet: Subnet, set: AddressSet): RouteDrops {
  const drops: RouteDrop[] = [];
  const unknowns = new Set<string>();
  let reserved = AddressSet.EMPTY;
  for (const part of routesForSet(ctx.engine.routes(subnet), set)) {
    for (const u of part.hop.unknowns) unknowns.add(u);
    if (part.hop.nextHopType !== "None" || !part.row) continue;
    if (part.row.origin.kind === "reserved") reserved = reserved.union(part.set);
    else drops.push({ row: part.row, set: part.set });
  }
  return { drops, unknowns: [...unknowns], reserved };
}

/** `route table rt-apim, route Drop-All (0.0.0.0/0 → None)` or the system row's description. */
export function routeLabel(row: ComputedRoute): string {
  const o = row.origin;
  const what = `${row.route.addressPrefix.join(", ")} → ${row.route.nextHopType}`;
  if (o.kind === "user") return `route table ${o.routeTable.name}, route ${o.route.name} (${what})`;
  return `${row.route.source} route ${what} (${o.kind})`;
}

/** Evidence for one drop: the route with its place in the inputs, and the addresses it drops. */
export function dropEvidence(drop: RouteDrop): Evidence {
  const o = drop.row.origin;
  const src = o.kind === "user" ? o.route.src : undefined;
  const id = o.kind === "user" ? o.route.id : undefined;
  return evidenceAt("route", `${routeLabel(drop.row)} drops ${drop.set.toString()}`, src, id, drop.row.route);
}

/** A user route `tag → Internet` in the table of each user route that drops part of the set (see module note). */
export function tagRouteFix(ctx: CheckContext, drops: RouteDrop[], tag: string): Change[] {
  if (!ctx.catalog.networkFeatures(tag).includes("UDR")) return [];
  const tables = new Map<string, { id: string; name: string }>();
  for (const d of drops)
    if (d.row.origin.kind === "user") tables.set(d.row.origin.routeTable.id, d.row.origin.routeTable);
  if (tables.size !== 1 || drops.some((d) => d.row.origin.kind !== "user")) return [];
  const [table] = [...tables.values()];
  return [
    routeChange({
      routeTable: table!,
      name: `${tag.replace(/\./g, "-")}-via-Internet`,
      addressPrefix: tag,
      nextHopType: "Internet",
    }),
  ];
}
