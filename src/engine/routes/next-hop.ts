/**
 * @module engine/routes/next-hop
 * Engine layer: the next hop of a destination address from a subnet, as Network Watcher's `nextHop` answers
 * it (reference §4.2), by longest prefix match through a trie built once per table. The trie holds, for each
 * prefix, the rows selection made win there (engine/routes/select); gateway prefixes that VNet, peering or
 * service endpoint routes cover never win (§2.5 rule 3), so the longest match is the answer.
 */
import { parseAddress, parseIpv4 } from "../../model/ip.js";
import { type PrefixEntry, selectRoutes } from "./select.js";
import { PrefixTrie, toWords } from "./trie.js";
import type { ComputedRoute, EffectiveRouteTable, NextHopResult } from "./types.js";

/** What Network Watcher prints as routeTableId for any route that is not a user route (§4.2). */
export const SYSTEM_ROUTE = "System Route";

class RouteLookup {
  readonly trie4 = new PrefixTrie(32);
  readonly trie6 = new PrefixTrie(128);
  readonly results: NextHopResult[];

  constructor(table: EffectiveRouteTable, entries: PrefixEntry[]) {
    this.results = entries.map((entry, i) => {
      const trie = entry.prefix.version === 4 ? this.trie4 : this.trie6;
      trie.insert(toWords(entry.prefix.version, entry.prefix.first), entry.prefix.length, i);
      return Object.freeze(resultOf(table.routes[entry.winners[0]!]!));
    });
  }
}

function resultOf(row: ComputedRoute): NextHopResult {
  const user = row.origin.kind === "user" ? row.origin : undefined;
  return {
    nextHopType: row.route.nextHopType,
    nextHopIpAddress: row.route.nextHopIpAddress[0] ?? "",
    routeTableId: user ? user.routeTable.id : SYSTEM_ROUTE,
    routeName: user ? user.route.name : null,
    source: row.route.source,
    row,
    unknowns: [],
  };
}

const NO_ROUTE: NextHopResult = Object.freeze({
  nextHopType: "None",
  nextHopIpAddress: "",
  routeTableId: SYSTEM_ROUTE,
  routeName: null,
  source: "Unknown",
  unknowns: [],
});

const lookups = new WeakMap<EffectiveRouteTable, RouteLookup>();

function lookupOf(table: EffectiveRouteTable): RouteLookup {
  let lookup = lookups.get(table);
  if (!lookup) {
    lookup = new RouteLookup(table, selectRoutes(table.routes, false));
    lookups.set(table, lookup);
  }
  return lookup;
}

/** Adds the unresolved routes that may cover the destination (the answer may then be wrong). */
function withUnknowns(
  table: EffectiveRouteTable,
  result: NextHopResult,
  has: (p: { version: number; first: bigint; last: bigint }) => boolean,
): NextHopResult {
  if (table.uncertain.length === 0) return result;
  const unknowns = table.uncertain.filter((u) => u.covers === "all" || u.covers.some(has)).map((u) => u.reason);
  return unknowns.length === 0 ? result : { ...result, unknowns };
}

/**
 * The next hop from the subnet of `table` to an IPv4 address given as an unsigned 32-bit number (the hot path
 * of flow and path traces). The result is shared between calls: do not modify it.
 */
export function nextHopV4(table: EffectiveRouteTable, address: number): NextHopResult {
  const lookup = lookupOf(table);
  const entry = lookup.trie4.longestV4(address);
  const result = entry < 0 ? NO_ROUTE : lookup.results[entry]!;
  if (table.uncertain.length === 0) return result;
  const value = BigInt(address);
  return withUnknowns(table, result, (p) => p.version === 4 && p.first <= value && value <= p.last);
}

/**
 * The next hop from the subnet of `table` to `destination` (IPv4 or IPv6 text). When no route matches (an IPv6
 * address in an IPv4-only VNet), the answer is None with source Unknown. Throws RangeError when `destination`
 * is not an IP address (callers validate user input first).
 */
export function nextHop(table: EffectiveRouteTable, destination: string): NextHopResult {
  const v4 = parseIpv4(destination);
  if (v4 >= 0) return nextHopV4(table, v4);
  const parsed = parseAddress(destination);
  if (!parsed) throw new RangeError(`not an IP address: ${destination}`);
  if (parsed.version === 4) return nextHopV4(table, Number(parsed.value));
  const lookup = lookupOf(table);
  const entry = lookup.trie6.longestWords(toWords(6, parsed.value));
  const result = entry < 0 ? NO_ROUTE : lookup.results[entry]!;
  return withUnknowns(table, result, (p) => p.version === 6 && p.first <= parsed.value && parsed.value <= p.last);
}
