/**
 * @module checks/util/shadow-fixes
 * Checks layer, for NSG-RULE-SHADOWED: what a rule that can never match is, and the fix it gets, under one rule
 * (issue "Findings to trust and one fix engine"): a fix never grants more than the finding needs.
 *
 * - A rule written for a documented requirement (checks/required-rules: API Management, Azure Bastion,
 *   Application Gateway v2) is never deleted. When the rules that hide it allow the traffic the requirement needs,
 *   it is harmless: an info that says so, and no fix. When one of them denies part of it, it is a warning; the fix
 *   declares the rule again, narrowed to the requirement, at a free priority right ahead of the first rule that
 *   denies and after every other rule and fix of the direction (PriorityBook.nextJustBefore), and only when the
 *   rule, so placed, leaves no other rule hidden (the NSG is evaluated again with the change). An API Management
 *   requirement whose own check already adds a rule for it in this NSG gets that fix only: two would hide one
 *   another.
 * - Any other hidden rule is deleted: it decides no flow, so deleting it changes none. It is never moved up: an
 *   allow moved ahead of a deny opens what the deny closes (the landing zone's `default-allow-rdp`, TCP 3389 from
 *   anywhere, behind a deny-all), and a deny moved ahead of an allow closes what it opens; the finding needs
 *   neither. The message says what a move would do, for the user to decide.
 */
import { type CompiledNsg, type Direction, type NormalizedRule, setDecisions } from "../../engine/nsg/index.js";
import type { Change } from "../../model/change.js";
import type { NetworkSecurityGroup, SecurityRule, Subnet } from "../../model/resources.js";
import { type CheckContext, evidenceAt } from "../context.js";
import { type RequiredRule, requiredRulesAt } from "../required-rules.js";
import type { Evidence, Severity } from "../types.js";
import { changeRuleChanges, deleteRuleChanges } from "./rule-fixes.js";
import { namesTag, narrowedTo, neededBox, neededText, writtenFor } from "./rule-requirements.js";
import { type Shadowing, shadowedRules } from "./rule-shadowing.js";

/** The rule hidden at one place where the NSG applies. */
export interface ShadowHit {
  place: Subnet | undefined;
  s: Shadowing;
}

/** What the finding adds to its message, and its severity, evidence and fix. */
export interface ShadowJudgement {
  severity: Severity;
  text: string;
  evidence: Evidence[];
  changes: Change[];
}

const names = (rules: Iterable<NormalizedRule>) => [...new Set([...rules].map((r) => r.ruleName))].join(" and ");

/** `TCP 3389 from * to *`: the rule's own flows as written. */
function writtenFlows(r: SecurityRule): string {
  const side = (one?: string, many?: string[]) => one ?? many?.join(", ") ?? "its ASGs";
  const ports = r.destinationPortRange ?? r.destinationPortRanges?.join(", ") ?? "*";
  const protocol = r.protocol === "*" ? "any protocol" : r.protocol.toUpperCase();
  const wide = ["*", "0.0.0.0/0"].includes(r.sourceAddressPrefix ?? "");
  return `${protocol} ${ports} from ${side(r.sourceAddressPrefix, r.sourceAddressPrefixes)}${wide && r.direction.toLowerCase() === "inbound" ? ", the Internet included," : ""} to ${side(r.destinationAddressPrefix, r.destinationAddressPrefixes)}`;
}

function deleted(
  nsg: NetworkSecurityGroup,
  rule: SecurityRule,
  s: Shadowing,
  covering: NormalizedRule[],
): ShadowJudgement {
  const opposite = [...new Set(covering.filter((c) => c.access !== s.rule.access).map((c) => c.ruleName))];
  const allow = s.rule.access === "Allow";
  const they = opposite.length > 1 ? `they ${allow ? "deny" : "allow"}` : `it ${allow ? "denies" : "allows"}`;
  const move = opposite.length
    ? ` Moving it ahead of ${opposite.join(" and ")} would ${allow ? "allow" : "deny"} what ${they} now (${writtenFlows(rule)}): the fix does not, because this finding does not ask for that; move it by hand if it is meant.`
    : "";
  return {
    severity: "warning",
    text: `${move} The fix deletes it, which changes no flow${s.portlessLeftOut ? " with ports" : ""}.`,
    evidence: [],
    changes: deleteRuleChanges(nsg, rule),
  };
}

/** How the hidden rule's share of the requirements is decided at each place. */
function neededDecisions(ctx: CheckContext, nsg: NetworkSecurityGroup, hits: ShadowHit[], rows: RequiredRule[]) {
  const allowing = new Set<NormalizedRule>();
  const denying = new Set<NormalizedRule>();
  let undecided = false;
  for (const { place, s } of hits) {
    for (const d of setDecisions(ctx.engine.compileNsg(nsg, place), s.direction, [neededBox(s.rule, rows)])) {
      if (!d.certain || !d.rule) undecided = true;
      else (d.access === "Allow" ? allowing : denying).add(d.rule);
    }
  }
  return { allowing, denying, undecided };
}

/** The fix another check already gives for one of the rows in this NSG (a new rule naming its tag). */
function otherCheckFix(ctx: CheckContext, nsg: NetworkSecurityGroup, rows: RequiredRule[]): string | undefined {
  for (const row of rows) {
    if (!row.check) continue;
    for (const f of ctx.findingsOf?.([row.check]) ?? []) {
      for (const c of f.changes ?? []) {
        if (c.op !== "create" || !c.resource.type.toLowerCase().endsWith("/securityrules")) continue;
        const p = c.resource.properties;
        const far = String(row.direction === "Inbound" ? p.sourceAddressPrefix : p.destinationAddressPrefix);
        if (
          c.resource.names[0] === nsg.name &&
          p.direction === row.direction &&
          namesTag(far, row.direction === "Inbound" ? row.source : row.destination)
        )
          return `${row.check} reports that denial with a fix that adds ${c.resource.names.at(-1)} (priority ${p.priority}), which allows it; this rule is then redundant, and kept`;
      }
    }
  }
  return undefined;
}

/** The names of the rules shadowed in one direction of a compiled NSG. */
function hiddenIn(compiled: CompiledNsg, direction: Direction): Set<string> {
  return new Set(shadowedRules(compiled, [direction]).flatMap((x) => (x.kind === "shadowed" ? [x.rule.name] : [])));
}

/** hiddenIn for the NSGs as the inputs have them, worked out once per reading and direction. */
const hiddenBefore = new WeakMap<CompiledNsg, Partial<Record<Direction, Set<string>>>>();

function hiddenAsWritten(compiled: CompiledNsg, direction: Direction): Set<string> {
  let known = hiddenBefore.get(compiled);
  if (!known) {
    known = {};
    hiddenBefore.set(compiled, known);
  }
  known[direction] ??= hiddenIn(compiled, direction);
  return known[direction];
}

/**
 * True when `rule` changed by `change` is seen again at every place, and no other rule gets hidden. Only the
 * rule's direction is judged again (the other one's rules are not touched by the change), and only the changed
 * rule is normalized again (EngineContext.compileNsgWith).
 */
function leavesOthersVisible(
  ctx: CheckContext,
  nsg: NetworkSecurityGroup,
  rule: SecurityRule,
  direction: Direction,
  change: Partial<SecurityRule>,
  places: (Subnet | undefined)[],
): boolean {
  const rules = nsg.securityRules.map((r) => (r === rule ? { ...r, ...change } : r));
  return places.every((place) => {
    const before = hiddenAsWritten(ctx.engine.compileNsg(nsg, place), direction);
    const after = hiddenIn(ctx.engine.compileNsgWith(nsg, place, rules), direction);
    return [...after].every((name) => name !== rule.name && before.has(name));
  });
}

function requiredJudgement(
  ctx: CheckContext,
  nsg: NetworkSecurityGroup,
  rule: SecurityRule,
  hits: ShadowHit[],
  rows: RequiredRule[],
): ShadowJudgement {
  const s = hits[0]!.s;
  const needed = neededText(s.rule, neededBox(s.rule, rows));
  const what = ` It is a rule ${rows[0]!.service} requires, for ${[...new Set(rows.map((r) => r.purpose))].join(" and ")}; it is kept, never deleted.`;
  const evidence = rows.map((r) =>
    evidenceAt(
      "requirement",
      `${r.service} requires ${r.direction.toLowerCase()} ${r.protocol === "*" ? "any protocol" : r.protocol.toUpperCase()} ${r.ports.join(", ")} ${r.direction === "Inbound" ? `from ${r.source}` : `to ${r.destination}`}: ${r.purpose} (${r.sources.join(", ")})`,
      undefined,
      undefined,
      { id: r.id, sources: r.sources },
    ),
  );
  const { allowing, denying, undecided } = neededDecisions(ctx, nsg, hits, rows);
  if (denying.size === 0) {
    const why = undecided
      ? `Whether the rules that hide it allow that traffic (${needed}) cannot be decided (Unknown).`
      : `It is harmless: ${names(allowing)} already allow${allowing.size > 1 ? "" : "s"} that traffic (${needed}).`;
    return { severity: "info", text: `${what} ${why}`, evidence, changes: [] };
  }
  const first = [...denying].sort((a, b) => a.priority - b.priority)[0]!;
  const head = `${what} ${names(denying)} den${denying.size > 1 ? "y" : "ies"} that traffic (${needed}), which ${rows[0]!.service} needs.`;
  const other = otherCheckFix(ctx, nsg, rows);
  if (other) return { severity: "warning", text: `${head} ${other}.`, evidence, changes: [] };
  const narrowed = narrowedTo(s.rule, rows);
  const places = hits.map((h) => h.place);
  const priority = ctx.priorities.nextJustBefore(nsg, s.direction, first.priority, (p) =>
    leavesOthersVisible(ctx, nsg, rule, s.direction, { ...narrowed, priority: p }, places),
  );
  if (priority === undefined) {
    const why = ` No fix: no free priority right ahead of ${first.ruleName} lets it match without hiding another rule.`;
    return { severity: "warning", text: `${head}${why}`, evidence, changes: [] };
  }
  const cut = Object.keys(narrowed).length ? `, narrowed to that traffic` : "";
  return {
    severity: "warning",
    text: `${head} The fix moves it to priority ${priority}, right ahead of ${first.ruleName}${cut}.`,
    evidence,
    changes: changeRuleChanges(nsg, rule, { ...narrowed, priority }),
  };
}

/**
 * The judgement of a rule hidden wherever the NSG applies (`hits`: one per place, `covering`: every rule that
 * decides its flows first), as the module note says.
 */
export function judgeShadowed(
  ctx: CheckContext,
  nsg: NetworkSecurityGroup,
  rule: SecurityRule,
  hits: ShadowHit[],
  covering: NormalizedRule[],
): ShadowJudgement {
  const placeNames = hits.flatMap((h) => (h.place ? [h.place.name] : []));
  const rows = requiredRulesAt(placeNames).filter((row) => hits.every((h) => writtenFor(h.s.rule, row)));
  return rows.length > 0 ? requiredJudgement(ctx, nsg, rule, hits, rows) : deleted(nsg, rule, hits[0]!.s, covering);
}
