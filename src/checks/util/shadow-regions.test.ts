/**
 * The box arithmetic of util/shadow-regions against plain sets of points: over a universe of five protocols and
 * five atoms per dimension (3,125 flows), `minus`, `subtract`, `coalesce`, `meet` and `overlaps` on random boxes
 * and regions hold exactly the flows set arithmetic says, a region's boxes stay disjoint, and `leftOver` (with
 * the CutIndex behind it) says a region has a flow outside the cuts exactly when it has one.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Box,
  CutIndex,
  coalesce,
  isEmptyBox,
  leftOver,
  meet,
  minus,
  overlaps,
  subtract,
} from "./shadow-regions.js";

const ATOMS = 5;
const boxArb: fc.Arbitrary<Box> = fc.record({
  p: fc.nat({ max: 31 }),
  d: fc
    .tuple(...Array.from({ length: 4 }, () => fc.nat({ max: (1 << ATOMS) - 1 })))
    .map((xs) => xs.map((x) => Uint32Array.of(x))),
});

/** Every flow of the box, as a number. */
function points(b: Box): number[] {
  const out: number[] = [];
  for (let p = 0; p < 5; p++) {
    if (!(b.p & (1 << p))) continue;
    for (let a = 0; a < ATOMS ** 4; a++) {
      const digits = [0, 1, 2, 3].map((k) => Math.floor(a / ATOMS ** k) % ATOMS);
      if (digits.every((v, k) => b.d[k]![0]! & (1 << v))) out.push(p * ATOMS ** 4 + a);
    }
  }
  return out;
}

/** The flows of a region, failing when two of its boxes share one. */
function regionPoints(region: readonly Box[]): Set<number> {
  const out = new Set<number>();
  for (const b of region) {
    for (const x of points(b)) {
      if (out.has(x)) throw new Error(`two boxes of the region hold flow ${x}`);
      out.add(x);
    }
  }
  return out;
}

/** A region made the way rule-shadowing makes them: one box with boxes cut out of it. */
const regionArb = fc
  .tuple(boxArb, fc.array(boxArb, { maxLength: 8 }))
  .map(([start, cuts]) => cuts.reduce((region, c) => subtract(region, c), isEmptyBox(start) ? [] : [start]));

describe("shadow-regions box arithmetic = sets of flows", () => {
  it("minus, meet and overlaps", () => {
    fc.assert(
      fc.property(boxArb, boxArb, (a, b) => {
        const pa = new Set(points(a));
        const pb = new Set(points(b));
        const both = [...pa].filter((x) => pb.has(x));
        expect(regionPoints(minus(a, b))).toEqual(new Set([...pa].filter((x) => !pb.has(x))));
        expect(new Set(points(meet(a, b)))).toEqual(new Set(both));
        expect(overlaps(a, b)).toBe(both.length > 0);
        expect(isEmptyBox(a)).toBe(pa.size === 0);
      }),
      { numRuns: 300 },
    );
  });

  it("subtract and coalesce keep exactly the flows of the region less the cut", () => {
    fc.assert(
      fc.property(regionArb, boxArb, (region, cut) => {
        const before = regionPoints(region);
        const cutPoints = new Set(points(cut));
        const after = subtract(region, cut);
        const expected = new Set([...before].filter((x) => !cutPoints.has(x)));
        expect(regionPoints(after)).toEqual(expected);
        if (after.length > 0) {
          const merged = coalesce(after);
          expect(merged.length).toBeLessThanOrEqual(after.length);
          expect(regionPoints(merged)).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("leftOver: some flow of the region is in none of the cuts before `below`", () => {
    // Small boxes, so that many cuts are needed to cover a region and every path (greedy, subtraction) is taken.
    const smallArb: fc.Arbitrary<Box> = boxArb.map((b) => ({
      p: b.p | 1,
      d: b.d.map((x) => Uint32Array.of(x[0]! | 1)),
    }));
    fc.assert(
      fc.property(regionArb, fc.array(smallArb, { maxLength: 40 }), fc.nat({ max: 40 }), (region, cuts, below) => {
        const covered = new Set(cuts.slice(0, below).flatMap(points));
        const expected = [...regionPoints(region)].some((x) => !covered.has(x));
        expect(leftOver(region, new CutIndex(cuts, [ATOMS, ATOMS, ATOMS, ATOMS]), below)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
