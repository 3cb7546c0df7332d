/**
 * @module engine/routes/user
 * Engine layer: the routes of a subnet's route table (source User). A route's addressPrefix is a CIDR or a
 * service tag; a tag route becomes one row holding every prefix of the tag. Next hop types are printed in
 * Azure's spelling whatever the input's case.
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#user-defined
 */

import { describeUnreadable, routeDestination, routeDestinationKey, routeNextHopIp } from "../../model/addresses.js";
import { canonicalMember, NEXT_HOP_TYPES } from "../../model/enums.js";
import type { Route, RouteTable } from "../../model/resources.js";
import { formatSource } from "../../model/source.js";
import { isUnknown } from "../../model/unknown.js";
import { named, type RouteSink, type RouteTagCatalog } from "./system.js";

/** `RouteNextHopType` of the REST API (reference §2.3), in Azure's spelling. */
export const USER_NEXT_HOP_TYPES = NEXT_HOP_TYPES;

/** The next hop type in Azure's spelling, or undefined when it is not one a route may use. */
export function canonicalNextHopType(text: string): string | undefined {
  return canonicalMember(NEXT_HOP_TYPES, text);
}

/**
 * The tie order between routes with exactly the same prefix inside the User source (reference §2.4): an
 * explicit CIDR beats every tag; then regional tags, top-level tags, `AzureCloud.<region>`, `AzureCloud`.
 * Lower is preferred.
 */
export function userTieRank(serviceTag: string | undefined): number {
  if (!serviceTag) return 0;
  const cloud = serviceTag.toLowerCase().startsWith("azurecloud");
  const regional = serviceTag.includes(".");
  if (cloud) return regional ? 3 : 4;
  return regional ? 1 : 2;
}

/**
 * The routes of `table` Azure would refuse, by reason (reference part 2 §12): two routes with the same prefix
 * (RouteConflict), a next hop IP that is missing, forbidden by the type or not an address. What they decide is
 * Unknown, so they give no row; the sink is told which destinations they may cover.
 */
function refusedRoutes(table: RouteTable): Map<Route, string> {
  const out = new Map<Route, string>();
  const byPrefix = new Map<string, Route[]>();
  for (const route of table.routes) {
    const key = routeDestinationKey(route);
    if (key !== undefined) byPrefix.set(key, [...(byPrefix.get(key) ?? []), route]);
    const type = isUnknown(route.nextHopType) ? undefined : canonicalNextHopType(route.nextHopType);
    const ip = routeNextHopIp(route);
    if (type === "VirtualAppliance" && !ip) out.set(route, "VirtualAppliance without nextHopIpAddress");
    else if (type && type !== "VirtualAppliance" && ip) out.set(route, `a next hop IP with next hop type ${type}`);
    else if (ip?.kind === "invalid") out.set(route, `next hop IP '${ip.text}' ${ip.problem}`);
  }
  for (const [key, routes] of byPrefix) {
    if (routes.length < 2) continue;
    const names = routes.map((r) => r.name).join(" and ");
    for (const r of routes) out.set(r, `routes ${names} have the same prefix ${key} (RouteConflict)`);
  }
  return out;
}

/** Adds one row per route of `table`. `ipv6`: the VNet has IPv6 ranges, so tag routes keep IPv6 prefixes. */
export function userRows(table: RouteTable, catalog: RouteTagCatalog, ipv6: boolean, sink: RouteSink): void {
  const refused = refusedRoutes(table);
  for (const route of table.routes) {
    const where = () => `route ${table.name}/${route.name} (${formatSource(route.src)})`;
    const type = isUnknown(route.nextHopType) ? undefined : canonicalNextHopType(route.nextHopType);
    const destination = routeDestination(route);
    const parsed = destination.kind === "prefix" ? destination.prefix : undefined;
    const covers = parsed ? [parsed] : "all";
    if (!type) {
      sink.unknown(
        `${where()}: next hop type ${route.nextHopType} is not one Azure accepts or could not be resolved`,
        covers,
      );
      continue;
    }
    const why = refused.get(route);
    if (why) {
      sink.unknown(`${where()}: Azure refuses this route (${why}), so where it sends traffic is Unknown`, covers);
      continue;
    }
    const ip = routeNextHopIp(route);
    // An Unknown next hop IP leaves the next hop type known: the route is a row (where it sends traffic is the
    // appliance, whatever its address), and the table lists the address as Unknown. What reads the address
    // itself (which appliance, in which VNet) finds no address and says so.
    if (ip?.kind === "unknown") sink.unknown(`${where()}: the next hop IP address is Unknown (${ip.reason})`);
    const hops = type === "VirtualAppliance" && ip?.kind === "prefix" ? [ip.text.trim()] : [];
    const origin = { kind: "user" as const, routeTable: named(table), route: named(route) };
    const base = { name: route.name, source: "User", state: "Active", nextHopType: type, nextHopIpAddress: hops };
    if (destination.kind === "prefix") {
      sink.add({ ...base, addressPrefix: [destination.prefix.canonical] }, origin, [destination.prefix]);
      continue;
    }
    if (destination.kind !== "tag") {
      sink.unknown(`${where()}: ${describeUnreadable("the address prefix", destination)}`, "all");
      continue;
    }
    // Not a CIDR: a service tag (reference §2.4, "Service tags for user-defined routes").
    const set = catalog.get(destination.tag);
    if (!set) {
      sink.unknown(`${where()}: ${destination.tag} is neither a CIDR nor a service tag in the catalog`, "all");
      continue;
    }
    const prefixes = set.toCidrs().filter((c) => ipv6 || !c.includes(":"));
    sink.add({ ...base, addressPrefix: prefixes }, { ...origin, serviceTag: destination.tag });
  }
}
