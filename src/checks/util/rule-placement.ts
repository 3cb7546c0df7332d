/**
 * @module checks/util/rule-placement
 * Checks layer: where a new NSG rule that a fix adds goes, so that the fixes of one run fit together (issue
 * "Findings to trust and one fix engine", item 2: priorities chosen so that no fix hides another rule or
 * another fix). The rule must come before the rule it has to beat; among the gaps between the rules and the
 * fixes of the run before that one, it takes the first (nearest to it) where, wherever the NSG applies, the NSG
 * with every rule added so far and this one hides no rule that was seen before, this one included (found by
 * the fix proof: a client Internet 443 rule at 130 hid the Traffic Manager rule another fix added at 150).
 * When every gap hides some rule, that is because the new rule covers it whole and must come first: a rule
 * that then can never match decides no flow, so the fix deletes it too (a deny of exactly the traffic the fix
 * allows); a rule a service documents as required is never deleted, and then no fix is placed.
 */
import type { NormalizedRule } from "../../engine/nsg/index.js";
import { portIntersect } from "../../engine/nsg/ports.js";
import type { Change } from "../../model/change.js";
import type { NetworkSecurityGroup, SecurityRule, Subnet } from "../../model/resources.js";
import type { CheckContext } from "../context.js";
import { requiredRulesAt } from "../required-rules.js";
import { freePriorityBefore, type NsgRuleSpec, nsgRuleChange, type PriorityBook } from "./fixes.js";
import { deleteRuleChanges } from "./rule-fixes.js";
import { writtenFor } from "./rule-requirements.js";
import { shadowedRules, subnetsWhereNsgApplies } from "./rule-shadowing.js";

/** Where a new rule goes: its priority, and the rules of the NSG it leaves unable to match (to delete). */
export interface RulePlace {
  priority: number;
  hides: SecurityRule[];
}

/** The free priority of each gap below `before`, nearest to `before` first (the book's choice first). */
function candidates(taken: Set<number>, before: number): number[] {
  const first = freePriorityBefore(taken, before);
  const out = first === undefined ? [] : [first];
  const bounds = [...taken].filter((p) => Number.isFinite(p) && p < Math.min(before, 4097)).sort((a, b) => b - a);
  let top = Math.min(before, 4097);
  for (const low of [...bounds, 99]) {
    const p = low < top - 1 ? freePriorityBefore(taken, top, low) : undefined;
    if (p !== undefined && !out.includes(p)) out.push(p);
    top = low;
  }
  return out;
}

/** True when two rules of one direction can match one flow (what they definitely match). */
function overlap(a: NormalizedRule, b: NormalizedRule): boolean {
  return (
    (a.protocols.definite & b.protocols.definite) !== 0 &&
    a.sourceAddresses.definite.overlaps(b.sourceAddresses.definite) &&
    a.destinationAddresses.definite.overlaps(b.destinationAddresses.definite) &&
    portIntersect(a.sourcePorts.definite, b.sourcePorts.definite).length > 0 &&
    portIntersect(a.destinationPorts.definite, b.destinationPorts.definite).length > 0
  );
}

/** The rules hidden at `place` in `nsg` with `rules` as its user rules, by lower-case name. */
function hiddenAt(
  ctx: CheckContext,
  nsg: NetworkSecurityGroup,
  rules: SecurityRule[],
  place: Subnet | undefined,
): Map<string, NormalizedRule> {
  const compiled =
    rules.length === nsg.securityRules.length
      ? ctx.engine.compileNsg(nsg, place)
      : ctx.engine.compileNsgWith(nsg, place, rules);
  return new Map(
    shadowedRules(compiled).flatMap((s) =>
      s.kind === "shadowed" ? [[s.rule.name.toLowerCase(), s.rule] as const] : [],
    ),
  );
}

/**
 * The rules hidden at `place` once `placed` is added to `base` that were not hidden before: only the rule
 * itself and the later rules it overlaps can change (a rule hides only rules after it that it overlaps).
 */
function newlyHidden(
  ctx: CheckContext,
  nsg: NetworkSecurityGroup,
  base: SecurityRule[],
  placed: SecurityRule,
  place: Subnet | undefined,
): Map<string, NormalizedRule> {
  const name = placed.name.toLowerCase();
  const direction = placed.direction.toLowerCase() === "inbound" ? "Inbound" : "Outbound";
  const compiled = ctx.engine.compileNsgWith(nsg, place, [...base, placed]);
  const own = compiled.ordered(direction).rules.find((r) => r.name.toLowerCase() === name);
  if (!own) return new Map();
  const near = (r: NormalizedRule) =>
    r === own || (!r.isDefault && r.direction === own.direction && r.priority > own.priority && overlap(r, own));
  // Only the placed rule's direction can change (near holds no rule of the other one).
  const after = new Map(
    shadowedRules(compiled, [direction]).flatMap((s) =>
      s.kind === "shadowed" && near(s.rule) ? [[s.rule.name.toLowerCase(), s.rule] as const] : [],
    ),
  );
  if (after.size === 0) return after;
  const before = hiddenAt(ctx, nsg, base, place);
  for (const key of before.keys()) after.delete(key);
  return after;
}

/**
 * The place of `rule` (its priority is chosen here) in `nsg`, ahead of the rule at `before`, given the rules
 * fixes of this run already add (`added`); undefined when there is none (see the module note).
 */
export function placeRule(
  ctx: CheckContext,
  nsg: NetworkSecurityGroup,
  rule: Omit<SecurityRule, "priority">,
  before: number,
  added: SecurityRule[],
): RulePlace | undefined {
  const direction = rule.direction.toLowerCase();
  const same = (r: SecurityRule) => r.direction.toLowerCase() === direction;
  const taken = new Set([...nsg.securityRules, ...added].filter(same).map((r) => r.priority));
  const places: (Subnet | undefined)[] = subnetsWhereNsgApplies(ctx.topology, nsg);
  if (places.length === 0) places.push(undefined);
  const base = [...nsg.securityRules, ...added];
  let fallback: RulePlace | undefined;
  for (const priority of candidates(taken, before)) {
    const placed = { ...rule, priority } as SecurityRule;
    const hidden = new Map<string, NormalizedRule>();
    for (const place of places) for (const [k, r] of newlyHidden(ctx, nsg, base, placed, place)) hidden.set(k, r);
    if (hidden.size === 0) return { priority, hides: [] };
    if (fallback || hidden.has(rule.name.toLowerCase())) continue;
    // Rules it covers whole, and must: deleted with the fix, unless one is a fix of this run or required.
    const hides = nsg.securityRules.filter((r) => hidden.has(r.name.toLowerCase()));
    const rows = requiredRulesAt(places.flatMap((p) => (p ? [p.name] : [])));
    const required = [...hidden.values()].some((r) => rows.some((row) => writtenFor(r, row)));
    if (hides.length === hidden.size && !required) fallback = { priority, hides };
  }
  return fallback;
}

/**
 * The changes that add the rule `spec` describes ahead of the rule at `before`, placed as the module note says
 * (with the deletion of each rule it leaves unable to match), its priority taken in the run's book. Empty when
 * it cannot be placed.
 */
export function placedRuleChanges(
  ctx: CheckContext,
  spec: Omit<NsgRuleSpec, "priority">,
  before: number,
  book: PriorityBook = ctx.priorities,
): Change[] {
  const draft = nsgRuleChange({ ...spec, priority: 0 });
  if (draft.op !== "create") return [];
  const rule = {
    ...draft.resource.properties,
    id: draft.resource.id,
    name: spec.name,
    type: draft.resource.type,
    src: spec.nsg.src,
    isDefault: false,
  } as unknown as SecurityRule;
  const place = placeRule(ctx, spec.nsg, rule, before, book.added(spec.nsg, spec.direction));
  if (!place) return [];
  book.add(spec.nsg, { ...rule, priority: place.priority });
  return [
    nsgRuleChange({ ...spec, priority: place.priority }),
    ...place.hides.flatMap((hidden) => deleteRuleChanges(spec.nsg, hidden)),
  ];
}
