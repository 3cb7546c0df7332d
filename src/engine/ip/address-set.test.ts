import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIpv4, parsePrefix } from "../../model/ip.js";
import { AddressSet } from "./address-set.js";

// Reference: plain JS sets over a small universe (addresses 10.0.0.0 - 10.0.0.63), where every operation
// can be checked address by address.
const BASE = 0x0a000000;
const UNIVERSE = 64;
const prefixArb = fc
  .tuple(fc.integer({ min: 0, max: UNIVERSE - 1 }), fc.integer({ min: 26, max: 32 }))
  .map(([offset, length]) => {
    const p = parsePrefix(`10.0.0.${offset}/${length}`)!;
    return p.canonical;
  });
const setArb = fc.array(prefixArb, { maxLength: 6 });

function members(set: AddressSet): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < UNIVERSE; i++) if (set.hasV4(BASE + i)) out.add(i);
  return out;
}
function build(prefixes: string[]): AddressSet {
  return prefixes.length ? AddressSet.parse(...prefixes) : AddressSet.EMPTY;
}

describe("AddressSet against a plain set reference", () => {
  it("union, intersection, difference, covers agree with set arithmetic", () => {
    fc.assert(
      fc.property(setArb, setArb, (a, b) => {
        const A = build(a);
        const B = build(b);
        const ma = members(A);
        const mb = members(B);
        expect(members(A.union(B))).toEqual(new Set([...ma, ...mb]));
        expect(members(A.intersect(B))).toEqual(new Set([...ma].filter((x) => mb.has(x))));
        expect(members(A.subtract(B))).toEqual(new Set([...ma].filter((x) => !mb.has(x))));
        expect(A.covers(B)).toBe([...mb].every((x) => ma.has(x)));
        expect(build(A.toCidrs()).equals(A)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("prefix parsing", () => {
  it("rejects what Azure refuses: a prefix length over 32", () => {
    expect(parsePrefix("10.0.0.0/33")).toBeUndefined();
    expect(parsePrefix("10.0.0.256/24")).toBeUndefined();
    expect(parsePrefix("any")).toBeUndefined();
  });
  it("flags host bits (50.206.209.68/27, refused by Azure in azure-powershell#4557)", () => {
    const p = parsePrefix("50.206.209.68/27")!;
    expect(p.hostBitsSet).toBe(true);
    expect(p.canonical).toBe("50.206.209.64/27");
  });
  it("parses IPv6", () => {
    const set = AddressSet.parse("2603:1020:206:402::140/124");
    expect(set.has("2603:1020:206:402::14f")).toBe(true);
    expect(set.has("2603:1020:206:402::150")).toBe(false);
    expect(set.toCidrs()).toEqual(["2603:1020:206:402::140/124"]);
  });
  it("parses dotted quads on the fast path", () => {
    expect(parseIpv4("168.63.129.16")).toBe(0xa83f8110);
    expect(parseIpv4("10.0.0")).toBe(-1);
    expect(parseIpv4("10.0.0.01")).toBe(-1);
    expect(parseIpv4("255.255.255.255")).toBe(0xffffffff);
  });
  it("complements", () => {
    const s = AddressSet.parse("0.0.0.0/1").complement();
    expect(s.has("128.0.0.1")).toBe(true);
    expect(s.has("1.1.1.1")).toBe(false);
  });
});
