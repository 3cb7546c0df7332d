import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAddress, parseAddress, parsePrefix } from "../../model/ip.js";
import { nextHop } from "./next-hop.js";
import { selectRoutes } from "./select.js";
import { PrefixTrie, toWords } from "./trie.js";
import type { ComputedRoute, EffectiveRouteTable, RouteOrigin } from "./types.js";

/** Origins of every kind, with the tie classes of §2.4 and §2.5. */
const ORIGINS: RouteOrigin[] = [
  { kind: "user", routeTable: { id: "rt", name: "rt" }, route: { id: "r", name: "r" } },
  {
    kind: "user",
    routeTable: { id: "rt", name: "rt" },
    route: { id: "t", name: "t" },
    serviceTag: "Storage.WestEurope",
  },
  { kind: "user", routeTable: { id: "rt", name: "rt" }, route: { id: "c", name: "c" }, serviceTag: "AzureCloud" },
  { kind: "vnet", vnet: { id: "v", name: "v" } },
  { kind: "peering", peering: { id: "p", name: "p" }, remoteVnet: { id: "w", name: "w" }, global: false },
  { kind: "serviceEndpoint", service: "Microsoft.Storage", tags: ["Storage"], subnet: { id: "s", name: "s" } },
  { kind: "gateway", gateway: { id: "g", name: "g" } },
  { kind: "internet" },
  { kind: "reserved", profile: "x" },
];

const PROTECTED = new Set(["vnet", "peering", "serviceEndpoint"]);
const GATEWAY = new Set(["gateway", "assumption"]);

/** The oracle's own preference order at one prefix (§2.5): lower wins. */
function rank(origin: RouteOrigin): number {
  if (origin.kind === "user") return origin.serviceTag ? (origin.serviceTag.startsWith("AzureCloud") ? 4 : 1) : 0;
  if (PROTECTED.has(origin.kind)) return 10;
  if (GATEWAY.has(origin.kind)) return 20;
  return 30;
}

/**
 * Linear scan: every prefix of every row that holds the address; gateway candidates go when a protected route
 * holds it too; then the longest prefix, the best rank, the first row.
 */
function scan(rows: ComputedRoute[], version: 4 | 6, value: bigint): number {
  const hits: { index: number; length: number; rank: number; kind: string }[] = [];
  rows.forEach((row, index) => {
    for (const p of row.prefixes) {
      if (p.version === version && p.first <= value && value <= p.last) {
        hits.push({ index, length: p.length, rank: rank(row.origin), kind: row.origin.kind });
      }
    }
  });
  const shielded = hits.some((h) => PROTECTED.has(h.kind));
  const usable = hits.filter((h) => !(shielded && GATEWAY.has(h.kind)));
  let best: (typeof usable)[number] | undefined;
  for (const h of usable) {
    if (
      !best ||
      h.length > best.length ||
      (h.length === best.length && (h.rank < best.rank || (h.rank === best.rank && h.index < best.index)))
    ) {
      best = h;
    }
  }
  return best ? best.index : -1;
}

// Few distinct high bits so that random prefixes nest and collide often.
const v4Prefix = fc
  .tuple(
    fc.constantFrom(0, 10, 20, 192),
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 32 }),
  )
  .map(([a, b, c, len]) => parsePrefix(`${a}.${b}.${c}.${(c * 7) & 255}/${len}`)!);
const v6Prefix = fc
  .tuple(
    fc.constantFrom("2001:db8", "2603:1000", "fd00"),
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 0, max: 128 }),
  )
  .map(([head, n, len]) => parsePrefix(`${head}:${n}::${n * 3}/${len}`)!);

const rowArb = fc
  .tuple(
    fc.constantFrom(...ORIGINS),
    fc.array(fc.oneof({ weight: 4, arbitrary: v4Prefix }, { weight: 1, arbitrary: v6Prefix }), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(
    ([origin, prefixes]): ComputedRoute => ({
      origin,
      prefixes,
      route: {
        name: null,
        source: "Default",
        state: "Active",
        addressPrefix: prefixes.map((p) => p.canonical),
        nextHopType: origin.kind,
        nextHopIpAddress: [],
      },
    }),
  );

function tableOf(routes: ComputedRoute[]): EffectiveRouteTable {
  selectRoutes(routes);
  const ref = { id: "x", name: "x" };
  return {
    subnet: ref,
    vnet: ref,
    routes,
    reservedProfile: { id: "x", date: "" },
    assumptions: [],
    unknowns: [],
    uncertain: [],
  };
}

describe("next hop: trie against a linear longest-prefix scan (property)", () => {
  it("agrees on random tables and addresses, IPv4 and IPv6", () => {
    const destination = fc.oneof(
      fc
        .tuple(
          fc.constantFrom(0, 10, 20, 192),
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 0, max: 255 }),
          fc.integer({ min: 0, max: 255 }),
        )
        .map((o) => o.join(".")),
      fc.integer({ min: 0, max: 0xffffffff }).map((n) => formatAddress(4, BigInt(n))),
      fc
        .tuple(
          fc.constantFrom("2001:db8", "2603:1000", "fd00"),
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 0, max: 65535 }),
        )
        .map(([head, n, tail]) => `${head}:${n}::${tail.toString(16)}`),
    );
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 0, maxLength: 40 }),
        fc.array(destination, { minLength: 1, maxLength: 30 }),
        (rows, destinations) => {
          const table = tableOf(rows);
          for (const d of destinations) {
            const parsed = parseAddress(d)!;
            const expected = scan(rows, parsed.version, parsed.value);
            const got = nextHop(table, d).row;
            expect(got ? rows.indexOf(got) : -1).toBe(expected);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("PrefixTrie", () => {
  it("finds the longest prefix, and a later entry at the same prefix replaces the earlier", () => {
    const trie = new PrefixTrie(32);
    const add = (text: string, entry: number) => {
      const p = parsePrefix(text)!;
      trie.insert(toWords(4, p.first), p.length, entry);
    };
    const at = (ip: string) => trie.longestV4(Number(parseAddress(ip)!.value));
    expect(at("10.1.2.3")).toBe(-1);
    add("0.0.0.0/0", 0);
    add("10.0.0.0/8", 1);
    add("10.1.0.0/16", 2);
    add("10.1.2.3/32", 3);
    add("10.0.0.0/8", 4);
    expect([at("10.1.2.3"), at("10.1.2.4"), at("10.2.0.0"), at("11.0.0.1")]).toEqual([3, 2, 4, 0]);
  });

  it("matches IPv6 down to /128", () => {
    const trie = new PrefixTrie(128);
    const p = parsePrefix("2001:db8::1/128")!;
    trie.insert(toWords(6, p.first), 128, 7);
    expect(trie.longestWords(toWords(6, parseAddress("2001:db8::1")!.value))).toBe(7);
    expect(trie.longestWords(toWords(6, parseAddress("2001:db8::2")!.value))).toBe(-1);
  });

  it("answers no route (None, source Unknown) for an address no prefix holds", () => {
    const table = tableOf([]);
    expect(nextHop(table, "2001:db8::1")).toMatchObject({
      nextHopType: "None",
      source: "Unknown",
      routeTableId: "System Route",
    });
    expect(() => nextHop(table, "not-an-ip")).toThrow(RangeError);
  });
});
