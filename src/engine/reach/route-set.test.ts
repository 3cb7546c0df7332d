import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadRouteFixture, testCatalog } from "../../../test/helpers/routes.js";
import { formatAddress } from "../../model/ip.js";
import { AddressSet } from "../ip/address-set.js";
import { effectiveRoutes, nextHop } from "../routes/index.js";
import { routesForSet } from "./route-set.js";

describe("routesForSet", () => {
  const topology = loadRouteFixture("docs-udr-routing-example.json");
  const subnet = topology.findSubnet("Virtual-network-1/Subnet1")!;
  const table = effectiveRoutes(topology, subnet, testCatalog());

  it("partitions a set exactly, and every address gets the same answer as next-hop", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 8, max: 32 })), {
          minLength: 1,
          maxLength: 5,
        }),
        (raw) => {
          const set = AddressSet.parse(...raw.map(([a, len]) => `${formatAddress(4, BigInt(a))}/${len}`));
          const parts = routesForSet(table, set);
          // The parts cover the set and do not overlap.
          const union = parts.reduce((u, p) => u.union(p.set), AddressSet.EMPTY);
          expect(union.equals(set)).toBe(true);
          for (let i = 0; i < parts.length; i++)
            for (let j = i + 1; j < parts.length; j++) expect(parts[i]!.set.overlaps(parts[j]!.set)).toBe(false);
          // Probe the ends of each part against next-hop.
          for (const part of parts) {
            for (let k = 0; k < part.set.v4.length; k += 2) {
              for (const v of [part.set.v4[k]!, part.set.v4[k + 1]!]) {
                expect(nextHop(table, formatAddress(4, BigInt(v))).row).toBe(part.row);
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the §2.10 example: Virtual-network-2's ranges from Subnet1 are dropped by the user None routes", () => {
    const parts = routesForSet(table, AddressSet.parse("10.1.0.0/16", "10.2.0.0/16"));
    expect(parts.map((p) => [p.hop.nextHopType, p.hop.routeName])).toEqual([
      ["None", "ToVNet2-1-Drop"],
      ["None", "ToVNet2-2-Drop"],
    ]);
  });
});
