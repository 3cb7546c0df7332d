/**
 * @module engine/nsg/order
 * Engine layer: the two pieces of NSG semantics both evaluators share, so that they cannot drift apart:
 * - the evaluation order of one direction: user rules by ascending priority, then the default rules
 *   (reference §1.3.2); a rule of unresolved direction takes part in both directions (as a "maybe");
 * - how a run of "maybe" matches ended by a definite match becomes a Decision (three-valued first match).
 */
import type { Decision, Direction, NormalizedRule } from "./types.js";

/** One direction's rules in evaluation order. */
export interface OrderedRules {
  direction: Direction;
  rules: NormalizedRule[];
  /** Per rule: it can only "maybe" match (unresolved priority or direction, or a priority shared with another rule). */
  maybeOnly: boolean[];
  /** Per rule: why it is maybe-only, for messages ("" when it is not). */
  orderNotes: string[];
}

function sortKey(rule: NormalizedRule): number {
  // An unresolved priority, or one Azure refuses (outside 100-4096), may be anywhere, so the rule goes first and
  // only ever "maybe" matches (compile.ts).
  const p = rule.priority;
  const placed = Number.isFinite(p) && (rule.isDefault || (Number.isInteger(p) && p >= 100 && p <= 4096));
  return placed ? p : Number.NEGATIVE_INFINITY;
}

/** The rules that apply to `direction`, in the order Azure evaluates them (reference §1.3.2). */
export function orderRules(rules: readonly NormalizedRule[], direction: Direction): OrderedRules {
  const applicable = rules.filter((r) => r.direction === direction || r.direction === "Unknown");
  // Default rules (65000 and above) always run after user rules (reference §1.3.2); Array.sort is stable.
  const sorted = [...applicable].sort(
    (a, b) => Number(a.isDefault) - Number(b.isDefault) || sortKey(a) - sortKey(b) || 0,
  );
  const counts = new Map<string, number>();
  const keyOf = (r: NormalizedRule) => `${r.isDefault}:${r.priority}`;
  for (const r of sorted) if (Number.isFinite(r.priority)) counts.set(keyOf(r), (counts.get(keyOf(r)) ?? 0) + 1);
  const orderNotes = sorted.map((r) => {
    if (r.alwaysMaybe) return r.unresolved.find((u) => u.startsWith("priority") || u.startsWith("direction")) ?? "";
    // Azure refuses two rules with the same priority and direction (reference §1.9), so their order is unknown.
    if ((counts.get(keyOf(r)) ?? 0) > 1) return `priority ${r.priority} is shared with another ${direction} rule`;
    return "";
  });
  return {
    direction,
    rules: sorted,
    maybeOnly: orderNotes.map((n, i) => n !== "" || sorted[i]!.alwaysMaybe),
    orderNotes,
  };
}

/** The Decision when `rule` is the first rule that matches at all (and matches definitely). */
export function certainDecision(rule: NormalizedRule): Decision {
  return {
    access: rule.access,
    certain: true,
    rule,
    candidates: [rule],
    ...(rule.access === "Unknown" ? { reason: `${rule.ruleName}: ${rule.unresolved.join("; ")}` } : {}),
  };
}

/** The Decision when no rule matches, not even a "maybe" (only possible when default rules are unresolved). */
export const NO_MATCH: Decision = Object.freeze({
  access: "Unknown",
  certain: false,
  candidates: [],
  reason: "no rule matches the flow (the default rules could not be resolved)",
});

/**
 * Combines the "maybe" rules met in order (`maybes`) and the first definite match (`decider`, if any) into a
 * Decision. Every one of them may be the rule that decides; the access is known only when they all agree.
 * `orderNote(rule)` tells why a rule is maybe-only (empty when it is maybe because of its fields).
 */
export function decide(
  maybes: readonly NormalizedRule[],
  decider: NormalizedRule | undefined,
  orderNote: (rule: NormalizedRule) => string,
): Decision {
  if (maybes.length === 0) return decider ? certainDecision(decider) : NO_MATCH;
  const candidates = decider ? [...maybes, decider] : [...maybes];
  const first = candidates[0]!.access;
  const agree = decider !== undefined && first !== "Unknown" && candidates.every((c) => c.access === first);
  const reasons = maybes.map((r) => {
    const why = [...new Set([...r.unresolved, orderNote(r)])].filter((s) => s !== "");
    const text = why.length > 0 ? why.join("; ") : "the flow has no port to compare with the rule's port ranges";
    return `${r.ruleName} (${r.access}) may match: ${text}`;
  });
  if (!decider) reasons.push("no rule definitely matches after them");
  return { access: agree ? first : "Unknown", certain: false, candidates, reason: reasons.join(". ") };
}
