/**
 * @module engine/routes/select
 * Engine layer: route selection (reference §2.5, §2.11). Longest prefix match decides between different
 * prefixes; at one prefix, User beats the system routes of the VNet, its peers and its service endpoints,
 * which beat VirtualNetworkGateway (BGP; ExpressRoute before VPN and Route Server), which beats the other
 * Default routes (Internet, None). A gateway
 * route never takes addresses that a VNet, peering or service endpoint route covers, even when longer.
 * Losers stay as Invalid, except the rows real Azure drops (§2.11 O3, O4).
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route
 */

import { minOf } from "../../model/arrays.js";
import type { ParsedPrefix } from "../../model/ip.js";
import { AddressSet } from "../ip/address-set.js";
import type { ComputedRoute } from "./types.js";
import { userTieRank } from "./user.js";

/** What a candidate is for the BGP exception of §2.5 rule 3. */
export const RouteClass = {
  Other: 0,
  /** VnetLocal, peering and service endpoint routes: BGP never overrides them. */
  Protected: 1,
  /** Source VirtualNetworkGateway (static local network gateway prefixes, BGP, assumed). */
  Gateway: 2,
} as const;
export type RouteClass = (typeof RouteClass)[keyof typeof RouteClass];

/** Preference at one prefix; lower wins. User tie ranks (CIDR, regional tag, ...) take 0-4. */
export function preferenceOf(row: ComputedRoute): { rank: number; cls: RouteClass } {
  const o = row.origin;
  switch (o.kind) {
    case "user":
      return { rank: userTieRank(o.serviceTag), cls: RouteClass.Other };
    case "vnet":
    case "peering":
    case "serviceEndpoint":
    case "privateEndpoint":
      return { rank: 10, cls: RouteClass.Protected };
    case "gateway":
    case "assumption":
      // ExpressRoute is preferred over VPN and Route Server routes of the same prefix (§2.5 rule 5; part 2 §7.4 rule 6).
      return { rank: o.expressRoute ? 19 : 20, cls: RouteClass.Gateway };
    case "routeServer":
      return { rank: 20, cls: RouteClass.Gateway };
    default:
      return { rank: 30, cls: RouteClass.Other };
  }
}

/** One prefix of the table with the rows that win there, as the trie stores it. */
export interface PrefixEntry {
  prefix: ParsedPrefix;
  /** Indexes (into the table's rows) of the rows that win at this prefix; the first decides next hops. */
  winners: number[];
}

/**
 * The rows that real Azure drops, by §2.11: a winning 0.0.0.0/0 to VirtualAppliance (user) or from the gateway
 * removes the reserved None rows (O3); any gateway 0.0.0.0/0 removes the Default Internet row (O4).
 * Returns the rows kept and, when a case is undocumented, the assumption made.
 */
export function dropReplacedRows(rows: ComputedRoute[]): { rows: ComputedRoute[]; assumption?: string } {
  const defaults = rows.filter((r) => r.prefixes.some((p) => p.version === 4 && p.length === 0));
  if (defaults.length === 0) return { rows };
  const best = minOf(defaults.map((r) => preferenceOf(r).rank));
  const winners = defaults.filter((r) => preferenceOf(r).rank === best);
  const gatewayDefault = defaults.some((r) => preferenceOf(r).cls === RouteClass.Gateway);
  const dropsReserved = winners.some(
    (r) =>
      preferenceOf(r).cls === RouteClass.Gateway ||
      (r.origin.kind === "user" && r.route.nextHopType === "VirtualAppliance"),
  );
  let assumption: string | undefined;
  const undocumented = winners.find(
    (r) => r.origin.kind === "user" && !["VirtualAppliance", "None"].includes(r.route.nextHopType),
  );
  if (undocumented && !dropsReserved) {
    assumption = `a user 0.0.0.0/0 to ${undocumented.route.nextHopType} is taken to keep the reserved None routes (published outputs show only VirtualAppliance and None)`;
  }
  const kept = rows.filter((r) => {
    if (dropsReserved && r.origin.kind === "reserved") return false;
    if (gatewayDefault && r.origin.kind === "internet" && r.prefixes[0]?.version === 4) return false;
    return true;
  });
  return { rows: kept, assumption };
}

function isInvalidatedEndpoint(row: ComputedRoute): boolean {
  return row.origin.kind === "privateEndpoint" && row.origin.invalidatedBy !== undefined;
}

/** A map key for a prefix: a number for IPv4 (cheap, exact below 2^53), text for IPv6. */
function keyOf(p: ParsedPrefix): number | string {
  return p.version === 4 ? Number(p.first) * 64 + p.length : `${p.first}/${p.length}`;
}

/**
 * Returns the prefix entries for lookups and, with `apply`, sets each row's state: Active when it wins at one
 * of its prefixes at least (a tag route may win at some and lose at others), otherwise Invalid.
 */
export function selectRoutes(rows: ComputedRoute[], apply = true): PrefixEntry[] {
  const prefs = rows.map(preferenceOf);
  const groups = new Map<number | string, { prefix: ParsedPrefix; members: number[] }>();
  const protectedPrefixes: ParsedPrefix[] = [];
  rows.forEach((row, index) => {
    const { cls } = prefs[index]!;
    for (const prefix of row.prefixes) {
      const key = keyOf(prefix);
      let group = groups.get(key);
      if (!group) {
        group = { prefix, members: [] };
        groups.set(key, group);
      }
      if (group.members[group.members.length - 1] !== index) group.members.push(index);
      if (cls === RouteClass.Protected) protectedPrefixes.push(prefix);
    }
  });
  const covered = AddressSet.fromPrefixes(protectedPrefixes);
  // A gateway route wholly inside VNet, peering or service endpoint ranges never carries traffic (§2.5 rule 3).
  // A private endpoint's /32 taken by a shorter user route (part 2 §9.3 rule B) carries nothing either.
  const shadowed = (i: number, prefix: ParsedPrefix) =>
    (prefs[i]!.cls === RouteClass.Gateway && covered.covers(AddressSet.fromPrefixes([prefix]))) ||
    isInvalidatedEndpoint(rows[i]!);
  const active = new Set<number>();
  const entries: PrefixEntry[] = [];
  for (const { prefix, members } of groups.values()) {
    const live = members.filter((i) => !shadowed(i, prefix));
    if (live.length === 0) continue;
    let best = Number.POSITIVE_INFINITY;
    for (const i of live) best = Math.min(best, prefs[i]!.rank);
    const winners = live.filter((i) => prefs[i]!.rank === best);
    for (const i of winners) active.add(i);
    entries.push({ prefix, winners });
  }
  if (apply) {
    rows.forEach((row, index) => {
      row.route.state = active.has(index) ? "Active" : "Invalid";
    });
  }
  return entries;
}
