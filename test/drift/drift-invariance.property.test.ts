/**
 * Property (issue 14 item 6): the drift comparisons (effective routes, effective security rules) are multiset
 * comparisons in which row order and the case of enum values do not count. Reordering the observed rows and
 * changing the case of their enum values never changes what is only on each side (up to order); and a table
 * compared with a shuffled copy of itself is equal.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareRuleRows, type EffectiveRuleRow, ruleKey } from "../../src/checks/util/observed-nsg.js";
import { compareEffectiveRoutes } from "../../src/engine/routes/index.js";
import type { EffectiveRoute } from "../../src/model/observed.js";

const recase = (text: string, mask: number) =>
  [...text].map((c, i) => ((mask >> (i % 16)) & 1 ? c.toUpperCase() : c.toLowerCase())).join("");

const route: fc.Arbitrary<EffectiveRoute> = fc.record({
  name: fc.constantFrom(null),
  source: fc.constantFrom("Default", "User", "VirtualNetworkGateway"),
  state: fc.constantFrom("Active", "Invalid"),
  addressPrefix: fc.subarray(["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "192.168.0.0/16"], { minLength: 1 }),
  nextHopType: fc.constantFrom("VnetLocal", "Internet", "None", "VirtualAppliance", "VirtualNetworkGateway"),
  nextHopIpAddress: fc.subarray(["10.0.0.4", "10.255.0.12"]),
});

const rule: fc.Arbitrary<EffectiveRuleRow> = fc.record({
  name: fc.constantFrom("securityRules/a", "securityRules/b", "defaultSecurityRules/DenyAllInBound"),
  direction: fc.constantFrom("Inbound", "Outbound"),
  access: fc.constantFrom("Allow", "Deny"),
  priority: fc.constantFrom(100, 200, 65500),
  protocol: fc.constantFrom("Tcp", "Udp", "All", "*"),
  sourceAddressPrefixes: fc.subarray(["0.0.0.0/0", "*", "VirtualNetwork", "10.0.0.1"], { minLength: 1 }),
  destinationAddressPrefixes: fc.subarray(["0.0.0.0/0", "Internet", "10.0.0.0/24"], { minLength: 1 }),
  sourcePortRanges: fc.constantFrom(["*"], ["0-65535"]),
  destinationPortRanges: fc.constantFrom(["443"], ["443-443"], ["*"]),
  src: fc.constant({ file: "x.json", pointer: "", line: 1, column: 1 }),
});

/** A permutation of `xs` by sort keys, and every enum value re-cased by `mask`. */
function scramble<T>(xs: T[], keys: number[], mask: number, recaseRow: (x: T, mask: number) => T): T[] {
  return xs
    .map((x, i) => ({ x: recaseRow(x, mask + i), k: keys[i % Math.max(1, keys.length)] ?? 0 }))
    .sort((a, b) => a.k - b.k)
    .map((p) => p.x);
}

const recaseRoute = (r: EffectiveRoute, m: number): EffectiveRoute => ({
  ...r,
  source: recase(r.source, m),
  state: recase(r.state, m >> 1),
  nextHopType: recase(r.nextHopType, m >> 2),
});
const recaseRule = (r: EffectiveRuleRow, m: number): EffectiveRuleRow => ({
  ...r,
  direction: recase(r.direction, m),
  access: recase(r.access, m >> 1),
  protocol: recase(r.protocol, m >> 2),
});

const sortedBy = <T>(xs: T[], key: (x: T) => string) => xs.map(key).sort();
const routeKey = (r: EffectiveRoute) =>
  JSON.stringify([
    r.source.toLowerCase(),
    r.state.toLowerCase(),
    [...r.addressPrefix].sort(),
    r.nextHopType.toLowerCase(),
    [...r.nextHopIpAddress].sort(),
  ]);

describe("drift comparison invariance", () => {
  it("effective routes: reordering and re-casing the observed rows changes nothing", () => {
    fc.assert(
      fc.property(
        fc.array(route),
        fc.array(route),
        fc.array(fc.integer()),
        fc.nat(),
        (computed, observed, keys, mask) => {
          const a = compareEffectiveRoutes(computed, observed);
          const b = compareEffectiveRoutes(computed, scramble(observed, keys, mask, recaseRoute));
          expect(b.equal).toBe(a.equal);
          expect(sortedBy(b.onlyComputed, routeKey)).toEqual(sortedBy(a.onlyComputed, routeKey));
          expect(sortedBy(b.onlyObserved, routeKey)).toEqual(sortedBy(a.onlyObserved, routeKey));
          expect(compareEffectiveRoutes(computed, scramble(computed, keys, mask, recaseRoute)).equal).toBe(true);
        },
      ),
    );
  });

  it("effective security rules: reordering and re-casing the observed rules changes nothing", () => {
    fc.assert(
      fc.property(
        fc.array(rule),
        fc.array(rule),
        fc.array(fc.integer()),
        fc.nat(),
        (computed, observed, keys, mask) => {
          const a = compareRuleRows(computed, observed);
          const b = compareRuleRows(computed, scramble(observed, keys, mask, recaseRule));
          expect(b.equal).toBe(a.equal);
          expect(sortedBy(b.onlyComputed, ruleKey)).toEqual(sortedBy(a.onlyComputed, ruleKey));
          expect(sortedBy(b.onlyObserved, ruleKey)).toEqual(sortedBy(a.onlyObserved, ruleKey));
          expect(compareRuleRows(computed, scramble(computed, keys, mask, recaseRule)).equal).toBe(true);
        },
      ),
    );
  });

  it("a difference is seen: a row dropped from the observed side is only computed", () => {
    fc.assert(
      fc.property(fc.array(route, { minLength: 1 }), fc.nat(), (rows, i) => {
        const dropped = rows[i % rows.length]!;
        const observed = rows.filter((_, j) => j !== i % rows.length);
        const c = compareEffectiveRoutes(rows, observed);
        expect(c.equal).toBe(false);
        expect(c.onlyComputed.map(routeKey)).toEqual([routeKey(dropped)]);
        expect(c.onlyObserved).toEqual([]);
      }),
    );
  });
});
