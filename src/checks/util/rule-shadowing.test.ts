/**
 * NSG-RULE-SHADOWED's analysis against brute force: on random small NSGs, a rule is reported shadowed exactly when
 * it is not even a candidate for any flow of its own box ("maybe" when it is one only behind rules that may match
 * first), over a universe where every rule's addresses and ports are covered
 * (plus one outside address and one outside port, which stand for all the others), and the covering rules are
 * exactly the rules that decide those flows.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { context, nsg, rule } from "../../../test/helpers/nsg.js";
import { normalizeNsg } from "../../engine/nsg/compile.js";
import { compileNsg } from "../../engine/nsg/compiled.js";
import { ALL_PORTS, portHas } from "../../engine/nsg/ports.js";
import { addressHas } from "../../engine/nsg/reference.js";
import { type Direction, FLOW_PROTOCOLS, type Flow, type NormalizedRule } from "../../engine/nsg/types.js";
import { shadowedRules } from "./rule-shadowing.js";

const SRC = ["10.0.0.0/29", "10.0.0.0/30", "10.0.0.4/30", "10.0.0.2/31", "10.0.0.5/32", "*"];
const DST = ["10.0.1.0/29", "10.0.1.0/30", "10.0.1.4/31", "10.0.1.7/32", "*"];
const PORTS = ["*", "0-3", "4-7", "2-5", "3", "6"];
const ip = (a: number, b: number) => ((10 << 24) | (a << 8) | b) >>> 0;
const SRC_FLOWS = [...Array.from({ length: 8 }, (_, i) => ip(0, i)), 0xc0000201];
const DST_FLOWS = [...Array.from({ length: 8 }, (_, i) => ip(1, i)), 0xc0000202];
const PORT_FLOWS = [0, 1, 2, 3, 4, 5, 6, 7, 100];

const ruleArb = fc.record({
  protocol: fc.constantFrom("Tcp", "Udp", "*"),
  access: fc.constantFrom("Allow", "Deny"),
  direction: fc.constantFrom("Inbound", "Inbound", "Outbound"),
  sourceAddressPrefix: fc.constantFrom(...SRC),
  destinationAddressPrefix: fc.constantFrom(...DST),
  destinationPortRange: fc.constantFrom(...PORTS),
  sourcePortRange: fc.constantFrom("*", "*", "*", "0-1"),
});

function flowsOf(direction: Direction): Flow[] {
  const out: Flow[] = [];
  for (const source of SRC_FLOWS) {
    for (const destination of DST_FLOWS) {
      out.push({ direction, protocol: "Icmp", source, destination });
      for (const protocol of ["Tcp", "Udp"] as const) {
        for (const destinationPort of PORT_FLOWS) {
          for (const sourcePort of [0, 1, 100]) {
            out.push({ direction, protocol, source, destination, sourcePort, destinationPort });
          }
        }
      }
    }
  }
  return out;
}
const FLOWS = { Inbound: flowsOf("Inbound"), Outbound: flowsOf("Outbound") };

/** The flows of the universe in the rule's box (its protocols with ports only, when it names ports). */
function inBox(r: NormalizedRule, f: Flow): boolean {
  const named = !portHasAll(r.sourcePorts.definite) || !portHasAll(r.destinationPorts.definite);
  if (!(r.protocols.definite & (1 << FLOW_PROTOCOLS.indexOf(f.protocol)))) return false;
  if (f.protocol === "Icmp")
    return (
      !named &&
      addressHas(r.sourceAddresses.definite, f.source) &&
      addressHas(r.destinationAddresses.definite, f.destination)
    );
  return (
    addressHas(r.sourceAddresses.definite, f.source) &&
    addressHas(r.destinationAddresses.definite, f.destination) &&
    portHas(r.sourcePorts.definite, f.sourcePort!) &&
    portHas(r.destinationPorts.definite, f.destinationPort!)
  );
}
const portHasAll = (p: readonly number[]) => p.length === 2 && p[0] === ALL_PORTS[0] && p[1] === ALL_PORTS[1];

describe("rule shadowing = brute force over the universe", () => {
  it("shadowed exactly when no flow of the rule's box is decided by it; covering = the deciders", () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 9 }), (fields) => {
        const rules = fields.map((f, i) => rule({ ...f, name: `r${i}`, priority: 100 + 10 * i }));
        const compiled = compileNsg(normalizeNsg(nsg("n", rules), context()));
        const found = new Map(shadowedRules(compiled).map((s) => [s.rule.name, s]));
        for (const direction of ["Inbound", "Outbound"] as const) {
          for (const r of compiled.direction(direction).rules.filter((x) => !x.isDefault)) {
            const deciders = new Set<string>();
            let first = false;
            let later = false;
            for (const f of FLOWS[direction]) {
              if (!inBox(r, f)) continue;
              const { candidates } = compiled.evaluate(f);
              const at = candidates.indexOf(r);
              if (at === 0) first = true;
              else if (at > 0) later = true;
              else deciders.add(candidates[candidates.length - 1]!.name);
            }
            const s = found.get(r.name);
            const why = `${r.name} in ${JSON.stringify(fields)}`;
            expect(s?.kind === "shadowed", why).toBe(!first && !later);
            expect(s?.kind === "maybe", why).toBe(!first && later);
            if (s?.kind === "shadowed") expect(new Set(s.covering.map((c) => c.name))).toEqual(deciders);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
