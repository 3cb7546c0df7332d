/**
 * @module checks/util/rule-shadowing
 * Checks layer, for NSG-RULE-SHADOWED: which user rules of a compiled NSG can never match because earlier rules
 * of the same direction decide every flow they cover (reference §1.3: first match by ascending priority). It is
 * exact set arithmetic, with no new math: a rule's own flow box (protocols × source addresses × source ports ×
 * destination addresses × destination ports) is evaluated through the NSG with engine/nsg `evaluateSet`, which
 * partitions it by the rules that decide each part. The rule is shadowed when every part is decided by rules
 * evaluated before it; if it decides any part itself, it is not.
 *
 * Decisions:
 * - A rule with unresolved parts (placeholders, unknown tags or ASGs, undecided virtual-tag addresses), an
 *   unresolved priority or a priority shared with another rule of its direction is skipped: its own flows or its
 *   place in the order are unknown, and guessing is not allowed.
 * - Earlier rules with unresolved parts may match first: when only they stand between the rule and its flows,
 *   the answer is "maybe" (the caller reports it as Unknown), never "shadowed".
 * - A rule that names ports (not `*`) is checked on its protocols that carry ports: how Azure matches port
 *   fields for ICMP, ESP and AH flows is not documented (reference §1.1), so those flows are left out and the
 *   result says so.
 * - A rule whose flow box is empty (an ASG with no members) matches nothing of its own; that is not shadowing.
 */
import type { CompiledNsg } from "../../engine/nsg/compiled.js";
import { isAllPorts } from "../../engine/nsg/ports.js";
import { evaluateSet } from "../../engine/nsg/sets.js";
import { type Direction, type NormalizedRule, PORTLESS_PROTOCOLS, type Tri } from "../../engine/nsg/types.js";
import type { NetworkSecurityGroup, Subnet } from "../../model/resources.js";
import type { Topology } from "../../model/topology.js";

/** The subnets where `nsg` applies: its own subnets and those of the NICs it is attached to (reference §1.3.4). */
export function subnetsWhereNsgApplies(topology: Topology, nsg: NetworkSecurityGroup): Subnet[] {
  const out = new Set(topology.subnetsWithNsg(nsg));
  for (const nic of topology.nics.values()) {
    if (topology.nsgs.get(nic.networkSecurityGroup?.id) !== nsg) continue;
    for (const c of nic.ipConfigurations) {
      const subnet = topology.subnets.get(c.subnet?.id);
      if (subnet) out.add(subnet);
    }
  }
  return [...out];
}

export interface Shadowing {
  rule: NormalizedRule;
  direction: Direction;
  /** `shadowed`: earlier rules decide every flow of the rule; `maybe`: they may, depending on unresolved rules. */
  kind: "shadowed" | "maybe";
  /** The earlier rules that decide its flows (first definite matches), in evaluation order. */
  covering: NormalizedRule[];
  /** Earlier rules with unresolved parts that may match its flows first, in evaluation order. */
  uncertain: NormalizedRule[];
  /** Its flows of protocols without ports were left out (the rule names ports). */
  portlessLeftOut: boolean;
}

function resolved<T>(t: Tri<T>, same: (a: T, b: T) => boolean): boolean {
  return same(t.definite, t.possible);
}

/** True when every field of the rule is known, so its flow box is exact. */
function isExact(r: NormalizedRule): boolean {
  const sets = (a: { equals(b: unknown): boolean }, b: unknown) => a.equals(b);
  const ports = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  return (
    r.unresolved.length === 0 &&
    r.access !== "Unknown" &&
    resolved(r.protocols, (a, b) => a === b) &&
    resolved(r.sourceAddresses, sets) &&
    resolved(r.destinationAddresses, sets) &&
    resolved(r.sourcePorts, ports) &&
    resolved(r.destinationPorts, ports)
  );
}

/** The user rules of `nsg` that earlier rules shadow (or may shadow), both directions. */
export function shadowedRules(nsg: CompiledNsg): Shadowing[] {
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
