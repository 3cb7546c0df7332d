/**
 * @module checks/util/rule-shadowing-reference
 * Checks layer: NSG-RULE-SHADOWED's analysis as it was first written, kept as the reference the region algorithm
 * (util/rule-shadowing) is tested and benchmarked against. It evaluates each rule's own flow box through the NSG
 * with engine/nsg `evaluateSet`, which partitions the box by the rules that decide each part, and reads the
 * answer off the parts. Exact, and plain enough to trust, but it enumerates pieces of the box: one NSG of 195
 * rules took 41 s (issue 17). Not used by the check; the decisions it encodes are in util/rule-shadowing's note.
 */
import type { CompiledNsg } from "../../engine/nsg/compiled.js";
import { isAllPorts } from "../../engine/nsg/ports.js";
import { evaluateSet } from "../../engine/nsg/sets.js";
import { type NormalizedRule, PORTLESS_PROTOCOLS } from "../../engine/nsg/types.js";
import { isExact, type Shadowing } from "./rule-shadowing.js";

/** The user rules of `nsg` that earlier rules shadow (or may shadow), both directions, by enumeration. */
export function shadowedRulesByEnumeration(nsg: CompiledNsg): Shadowing[] {
  const out: Shadowing[] = [];
  for (const direction of ["Inbound", "Outbound"] as const) {
    const { ordered } = nsg.direction(direction);
    const index = new Map(ordered.rules.map((r, i) => [r, i]));
    ordered.rules.forEach((rule, i) => {
      if (rule.isDefault || ordered.maybeOnly[i] || !isExact(rule)) return;
      const named = !isAllPorts(rule.sourcePorts.definite) || !isAllPorts(rule.destinationPorts.definite);
      const protocols = named ? rule.protocols.definite & ~PORTLESS_PROTOCOLS : rule.protocols.definite;
      const box = {
        protocols,
        sourceAddresses: rule.sourceAddresses.definite,
        sourcePorts: rule.sourcePorts.definite,
        destinationAddresses: rule.destinationAddresses.definite,
        destinationPorts: rule.destinationPorts.definite,
      };
      if (protocols === 0 || box.sourceAddresses.isEmpty() || box.destinationAddresses.isEmpty()) return;
      const { parts } = evaluateSet(nsg, direction, [box]);
      const covering = new Set<NormalizedRule>();
      const uncertain = new Set<NormalizedRule>();
      let maybe = false;
      for (const part of parts) {
        const candidates = part.decision.candidates;
        const own = candidates.indexOf(rule);
        // The rule decides this part itself, or nothing does: it is not shadowed.
        if (own === 0 || candidates.length === 0) return;
        if (own > 0) {
          // Only unresolved earlier rules may take the part before it.
          maybe = true;
          for (const c of candidates.slice(0, own)) uncertain.add(c);
          continue;
        }
        if (candidates.some((c) => (index.get(c) ?? 0) > i)) return;
        covering.add(candidates[candidates.length - 1]!);
        for (const c of candidates.slice(0, -1)) uncertain.add(c);
      }
      if (parts.length === 0) return;
      const order = (set: Set<NormalizedRule>) => [...set].sort((a, b) => index.get(a)! - index.get(b)!);
      out.push({
        rule,
        direction,
        kind: maybe ? "maybe" : "shadowed",
        covering: order(covering),
        uncertain: order(uncertain),
        portlessLeftOut: named && (rule.protocols.definite & PORTLESS_PROTOCOLS) !== 0,
      });
    });
  }
  return out;
}
