/**
 * model/arrays: the loops that replace spreads agree with Math.max, Math.min and push(...) wherever those
 * work, and keep working past the arguments a call takes (issue 11).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appendAll, maxOf, minOf } from "./arrays.js";

describe("model/arrays", () => {
  it("maxOf and minOf agree with Math.max and Math.min (NaN and the empty list included)", () => {
    const numbers = fc.array(fc.oneof(fc.double(), fc.integer(), fc.constant(Number.NaN)), { maxLength: 50 });
    fc.assert(
      fc.property(numbers, (xs) => {
        expect(maxOf(xs)).toBe(Math.max(...xs));
        expect(minOf(xs)).toBe(Math.min(...xs));
      }),
    );
  });

  it("appendAll agrees with push(...) and keeps the target", () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.array(fc.integer()), (a, b) => {
        const expected = [...a];
        expected.push(...b);
        const target = [...a];
        expect(appendAll(target, b)).toBe(target);
        expect(target).toEqual(expected);
      }),
    );
  });

  it("past the arguments a call takes (200,000 items)", () => {
    const many = Array.from({ length: 200_000 }, (_, i) => i);
    expect(maxOf(many)).toBe(199_999);
    expect(minOf(many)).toBe(0);
    expect(appendAll([-1], many)).toHaveLength(200_001);
  });
});
