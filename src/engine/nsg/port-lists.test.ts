/**
 * Property tests: a rule's port list is compiled on ranges (gathered and normalized once, issue 11 item 5) and
 * must mean what enumerating its ports one by one means: a port is in the compiled set exactly when some item of
 * the list names it; an unreadable item makes the possible set every port and leaves the definite set to the rest.
 * Also: the hand-written IPv4 fast path of model/ip reads exactly what ipaddr.js's four-part decimal form reads.
 */
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { context, rule } from "../../../test/helpers/nsg.js";
import { parseAddress, parsePrefix } from "../../model/ip.js";
import { isUnknown, unknownValue } from "../../model/unknown.js";
import { compileSecurityRule } from "./compile.js";
import { MAX_PORT, NO_PORTS, parsePortText, portHas, portSet, portUnion, portUnionAll } from "./ports.js";

const CTX = context({}, {});

/** Port texts over a small universe (so ranges overlap and touch), with a few at the top of the domain. */
const port = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: MAX_PORT - 3, max: MAX_PORT }));
const item = fc.oneof(
  { weight: 4, arbitrary: port.map(String) },
  { weight: 4, arbitrary: fc.tuple(port, port).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`) },
  { weight: 1, arbitrary: fc.constantFrom("*", " 7 - 9 ", "70000", "9-3", "x", unknownValue("ports")) },
);

/** The reference, port by port: does some readable item name `port`? And is some item unreadable? */
function reference(items: string[]): { has: (port: number) => boolean; unreadable: boolean } {
  const ranges: [number, number][] = [];
  let unreadable = false;
  for (const text of items) {
    const parsed = isUnknown(text) ? undefined : parsePortText(text);
    if (parsed?.ok) ranges.push([parsed.set[0]!, parsed.set[1]!]);
    else unreadable = true;
  }
  return { has: (port) => ranges.some(([lo, hi]) => lo <= port && port <= hi), unreadable };
}

describe("port lists compiled on ranges", () => {
  it("match the enumerating reference port by port", () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 12 }), (items) => {
        const compiled = compileSecurityRule(
          rule({ destinationPortRange: undefined, destinationPortRanges: items }),
          CTX,
        ).destinationPorts;
        const ref = reference(items);
        // Every port of the universe and its neighbours, plus the domain's ends.
        const probes = new Set<number>([0, MAX_PORT]);
        for (let p = 0; p <= 42; p++) probes.add(p);
        for (let p = MAX_PORT - 5; p <= MAX_PORT; p++) probes.add(p);
        const wrong = [...probes].filter(
          (p) =>
            portHas(compiled.definite, p) !== ref.has(p) ||
            portHas(compiled.possible, p) !== (ref.unreadable || ref.has(p)),
        );
        expect(wrong).toEqual([]);
        // The sets are normalized: sorted, disjoint, not touching.
        for (const set of [compiled.definite, compiled.possible]) {
          expect(set.every((v, i) => i === 0 || (i % 2 === 1 ? v >= set[i - 1]! : v > set[i - 1]! + 1))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("portUnionAll equals the unions one by one", () => {
    const range = fc.tuple(port, port).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]);
    const set = fc.array(range, { maxLength: 4 }).map((pairs) => portSet(pairs));
    fc.assert(
      fc.property(fc.array(set, { maxLength: 8 }), (sets) => {
        expect(portUnionAll(sets)).toEqual(sets.reduce((a, b) => portUnion(a, b), NO_PORTS));
      }),
      { numRuns: 500 },
    );
  });

  it("a list of 30,000 ranges compiles to the same set as its union", () => {
    const items = Array.from({ length: 30_000 }, (_, i) => `${2 * i}-${2 * i}`);
    const set = compileSecurityRule(rule({ destinationPortRange: undefined, destinationPortRanges: items }), CTX)
      .destinationPorts.definite;
    expect(set.length).toBe(60_000);
    expect(portHas(set, 59_998)).toBe(true);
    expect(portHas(set, 59_999)).toBe(false);
  });
});

describe("IPv4 fast path of model/ip", () => {
  const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom("00", "01", "256", "", "1a"));
  const text = fc.oneof(
    fc.array(octet, { minLength: 3, maxLength: 5 }).map((parts) => parts.join(".")),
    fc.string({ maxLength: 12 }),
  );

  it("reads exactly ipaddr.js's four-part decimal addresses, to the same value", () => {
    fc.assert(
      fc.property(text, (t) => {
        const trimmed = t.trim();
        const parsed = parseAddress(t);
        if (ipaddr.IPv4.isValidFourPartDecimal(trimmed)) {
          const b = ipaddr.IPv4.parse(trimmed).octets;
          expect(parsed).toEqual({
            version: 4,
            value: BigInt(((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!),
          });
        } else {
          expect(parsed?.version).not.toBe(4);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("parses a prefix text once and shares the frozen value", () => {
    const a = parsePrefix("10.1.2.0/24");
    expect(a).toBe(parsePrefix("10.1.2.0/24"));
    expect(Object.isFrozen(a)).toBe(true);
    expect(parsePrefix("10.1.2.0/33")).toBeUndefined();
  });
});
