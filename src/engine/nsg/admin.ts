/**
 * @module engine/nsg/admin
 * Engine layer: Virtual Network Manager security admin rules as one layer evaluated before the NSGs (reference
 * part 2 §10.2, part 1 §1.3 item 7). The rules that apply at a place (admin-scope.ts) are normalized into the
 * NSG engine's three-valued rules, in one order: ascending admin priority (1-4096). The compiled NSG evaluator
 * (compiled.ts, sets.ts) then finds the first match for a flow or partitions a set of flows, and this module
 * turns its Decision into the admin outcome, which the NSG vocabulary lacks:
 * - `Deny`: dropped, the NSGs are never consulted;
 * - `AlwaysAllow`: delivered, the NSGs are skipped;
 * - `Continue`: an `Allow` rule matched, or none did: the NSGs decide.
 * Uncertain (a rule that only may apply, an unresolved field, an order Azure does not document) gives every
 * outcome that may happen; the layer combination (admin-layers.ts) is certain only when they all agree.
 * Ordering Azure leaves UNKNOWN (§10.2): equal priorities across collections or configurations, and rules of
 * several network managers at one place; such rules only "maybe" decide.
 */
import type { AdminAddressItem, SecurityAdminRule } from "../../model/avnm.js";
import type { SecurityRule } from "../../model/resources.js";
import { type SourceRef, syntheticSource } from "../../model/source.js";
import { isUnknown, unknownReason } from "../../model/unknown.js";
import { AddressSet } from "../ip/address-set.js";
import type { TagResolver } from "../servicetags/resolver.js";
import type { AdminEntry, AdminPlace } from "./admin-scope.js";
import { parseDirection, parseRuleProtocol, prefixText } from "./compile.js";
import { CompiledNsg } from "./compiled.js";
import { ALL_PORTS, NO_PORTS, parsePortText, portUnionAll } from "./ports.js";
import { evaluateSet } from "./sets.js";
import {
  ALL_PROTOCOLS,
  type Decision,
  type Direction,
  type Flow,
  type FlowBox,
  type NormalizedRule,
  type PortSet,
  type Tri,
} from "./types.js";

export type AdminAccess = "Allow" | "Deny" | "AlwaysAllow";
/** What the admin layer does with a flow. */
export type AdminOutcome = "Deny" | "AlwaysAllow" | "Continue";

/** An admin rule as answers cite it. */
export interface AdminRuleRef {
  /** The rule's name. */
  ruleName: string;
  id: string;
  access: AdminAccess | "Unknown";
  priority: number;
  networkManager: { name: string; id: string };
  securityAdminConfiguration: { name: string; id: string };
  ruleCollection: { name: string; id: string };
  src: SecurityAdminRule["src"];
}

/** One rule of the layer: the admin rule, its normalized form and what it does when it decides. */
export interface AdminLayerRule {
  entry: AdminEntry;
  normalized: NormalizedRule;
  access: AdminAccess | "Unknown";
  ref: AdminRuleRef;
}

/** The admin layer of one place, compiled. */
export interface AdminLayer {
  rules: AdminLayerRule[];
  /** The rules as an NSG for the compiled evaluator (no default rules: no match means Continue). */
  compiled: CompiledNsg;
  bySecurityRule: Map<SecurityRule, AdminLayerRule>;
  /** Set when Azure applies no admin rules at the place (then `rules` is empty). */
  notApplied?: string;
}

/** The admin layer's answer for a flow (or a part of a set of flows). */
export interface AdminDecision {
  /** Every outcome that may happen; one when certain. */
  outcomes: AdminOutcome[];
  certain: boolean;
  /** The deciding rule, when one certainly decides (absent when no rule matches: Continue). */
  rule?: AdminLayerRule;
  /** Every rule that may decide, in order, when uncertain. */
  candidates: AdminLayerRule[];
  /** A sentence: why it is uncertain, or that no admin rule matches. */
  reason?: string;
}

const MAYBE_ALL_ADDRESSES: Tri<AddressSet> = { definite: AddressSet.EMPTY, possible: AddressSet.ALL };
const MAYBE_ALL_PORTS: Tri<PortSet> = { definite: NO_PORTS, possible: ALL_PORTS };

/** `Allow` / `Deny` / `AlwaysAllow`, case-insensitive; undefined otherwise. */
export function parseAdminAccess(text: string): AdminAccess | undefined {
  const t = text.trim().toLowerCase();
  return t === "allow" ? "Allow" : t === "deny" ? "Deny" : t === "alwaysallow" ? "AlwaysAllow" : undefined;
}

/** An admin rule's protocol: `Any` (not `*`) or one protocol, case-insensitive (reference part 2 §10.1). */
export function parseAdminProtocol(text: string): number | undefined {
  return text.trim().toLowerCase() === "any" ? ALL_PROTOCOLS : parseRuleProtocol(text);
}

/** What the layer does when `access` decides. */
export function outcomeOf(access: AdminAccess): AdminOutcome {
  return access === "Allow" ? "Continue" : access;
}

function addressItem(
  item: AdminAddressItem,
  side: string,
  resolver: TagResolver,
  groupAddresses: (groupId: string) => AddressSet | { unknown: string },
  unresolved: string[],
): Tri<AddressSet> {
  const text = item.addressPrefix.trim();
  const type = item.addressPrefixType.trim().toLowerCase();
  if (isUnknown(text) || isUnknown(type)) {
    unresolved.push(`${side} ${text} (${item.addressPrefixType}) is unresolved (${unknownReason(text + type)})`);
    return MAYBE_ALL_ADDRESSES;
  }
  if (type === "ipprefix") {
    if (text === "*") return { definite: AddressSet.ALL, possible: AddressSet.ALL };
    const parsed = prefixText(text);
    if (parsed) {
      const set = AddressSet.fromPrefixes([parsed]);
      return { definite: set, possible: set };
    }
    unresolved.push(`${side} '${text}' is not an IP prefix`);
    return MAYBE_ALL_ADDRESSES;
  }
  if (type === "servicetag") {
    const lookup = resolver.resolve(text);
    if (lookup.kind === "unknown") {
      unresolved.push(`${side} service tag '${text}' is unknown: ${lookup.reason}`);
      return MAYBE_ALL_ADDRESSES;
    }
    if (lookup.maybe && !lookup.maybe.isEmpty()) {
      unresolved.push(`${side} ${text} may also hold ${lookup.maybe.toString()}: ${lookup.maybeReason ?? "undecided"}`);
      return { definite: lookup.set, possible: lookup.set.union(lookup.maybe) };
    }
    return { definite: lookup.set, possible: lookup.set };
  }
  if (type === "networkgroup") {
    const found = groupAddresses(text);
    if (found instanceof AddressSet) return { definite: found, possible: found };
    unresolved.push(`${side} network group ${text}: ${found.unknown}`);
    return MAYBE_ALL_ADDRESSES;
  }
  unresolved.push(`${side} addressPrefixType '${item.addressPrefixType}' is not IPPrefix, ServiceTag or NetworkGroup`);
  return MAYBE_ALL_ADDRESSES;
}

function addresses(
  items: AdminAddressItem[],
  side: string,
  resolver: TagResolver,
  groupAddresses: (groupId: string) => AddressSet | { unknown: string },
  unresolved: string[],
): Tri<AddressSet> {
  if (items.length === 0) {
    unresolved.push(`no ${side} given (what Azure does with an empty list is not documented)`);
    return MAYBE_ALL_ADDRESSES;
  }
  let definite = AddressSet.EMPTY;
  let possible = AddressSet.EMPTY;
  for (const item of items) {
    const tri = addressItem(item, side, resolver, groupAddresses, unresolved);
    definite = definite.union(tri.definite);
    possible = possible.union(tri.possible);
  }
  return { definite, possible };
}

function ports(items: string[], field: string, unresolved: string[]): Tri<PortSet> {
  if (items.length === 0) {
    unresolved.push(`${field} is empty (what Azure does with an empty list is not documented)`);
    return MAYBE_ALL_PORTS;
  }
  const sets: PortSet[] = [];
  let maybe = false;
  for (const item of items) {
    const parsed = isUnknown(item) ? undefined : parsePortText(item);
    if (parsed?.ok) sets.push(parsed.set);
    else {
      unresolved.push(`${field} holds '${item}'${parsed ? `: ${parsed.problem}` : ""}`);
      maybe = true;
    }
  }
  const set = sets.length === 0 ? NO_PORTS : portUnionAll(sets);
  return { definite: set, possible: maybe ? ALL_PORTS : set };
}

/** The NSG-engine rule a SecurityRule stands for, to carry the admin rule through the compiled evaluator. */
function carrier(rule: SecurityAdminRule): SecurityRule {
  return {
    id: rule.id,
    name: rule.name,
    type: rule.type,
    src: rule.src,
    protocol: rule.protocol,
    access: rule.access,
    priority: rule.priority,
    direction: rule.direction,
    isDefault: false,
  };
}

/** What the layer needs to read addresses at the place. */
export interface AdminContext {
  resolver: TagResolver;
  /** The addresses of a network group's members (for `addressPrefixType` NetworkGroup). */
  groupAddresses(groupId: string): AddressSet | { unknown: string };
}

/**
 * The rule after every admin rule, matching every flow: a flow that reaches it matched no admin rule and goes on
 * to the NSGs. A default rule, so that the NSG order puts it last whatever the admin priorities.
 */
function noAdminMatch(src: SourceRef): NormalizedRule {
  const rule: SecurityRule = {
    id: "<no admin rule matches>",
    name: "(no admin rule matches)",
    type: "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
    src,
    protocol: "*",
    access: "Allow",
    priority: 65000,
    direction: "*",
    isDefault: true,
  };
  const all = <T>(v: T): Tri<T> => ({ definite: v, possible: v });
  return {
    rule,
    name: rule.name,
    ruleName: rule.id,
    isDefault: true,
    priority: 65000,
    access: "Allow",
    direction: "Unknown",
    protocols: all(ALL_PROTOCOLS),
    sourceAddresses: all(AddressSet.ALL),
    destinationAddresses: all(AddressSet.ALL),
    sourcePorts: all(ALL_PORTS),
    destinationPorts: all(ALL_PORTS),
    alwaysMaybe: false,
    tags: [],
    unresolved: [],
    src,
  };
}

/** Compiles the admin rules of a place into one layer (see the module note on order). */
export function compileAdminLayer(place: AdminPlace, ctx: AdminContext): AdminLayer {
  const managers = new Set(place.entries.map((e) => e.manager.id.toLowerCase()));
  const priorities = [
    ...new Set(place.entries.map((e) => e.rule.priority).filter((p) => Number.isInteger(p) && p >= 1 && p <= 4096)),
  ].sort((a, b) => a - b);
  // Dense ranks as NSG priorities (100 + rank), so that the NSG order code sorts them and flags ties.
  const rank = new Map(priorities.map((p, i) => [p, 100 + i]));
  const rules: AdminLayerRule[] = place.entries.map((entry) => {
    const r = entry.rule;
    const unresolved: string[] = [];
    // A Default rule names a catalogue entry by `flag`; its fields are Azure's, read-only, and in no template.
    if (r.kind.toLowerCase() === "default" && r.protocol === "")
      unresolved.push(
        `Default rule ${r.name} (flag ${r.flag ?? "not given"}): its fields are Azure's catalogue, not in the inputs`,
      );
    const protocolMask = isUnknown(r.protocol) ? undefined : parseAdminProtocol(r.protocol);
    if (protocolMask === undefined) unresolved.push(`protocol '${r.protocol}' is not Tcp, Udp, Icmp, Esp, Ah or Any`);
    const parsedAccess = isUnknown(r.access) ? undefined : parseAdminAccess(r.access);
    if (!parsedAccess) unresolved.push(`access '${r.access}' is not Allow, Deny or AlwaysAllow`);
    const direction = (isUnknown(r.direction) ? undefined : parseDirection(r.direction)) ?? "Unknown";
    if (direction === "Unknown") unresolved.push(`direction '${r.direction}' is not Inbound or Outbound`);
    const placed = rank.get(r.priority);
    if (placed === undefined) unresolved.push(`priority ${r.priority} is not an integer from 1 to 4096`);
    if (managers.size > 1)
      unresolved.push("rules of several network managers apply here, and Azure does not document their order");
    unresolved.push(...entry.reasons);
    const normalized: NormalizedRule = {
      rule: carrier(r),
      name: r.name,
      // Unique per rule: set evaluation groups flows by the names of the deciding rules.
      ruleName: r.id,
      isDefault: false,
      priority: placed ?? Number.NaN,
      access: parsedAccess === "Deny" ? "Deny" : parsedAccess ? "Allow" : "Unknown",
      direction,
      protocols:
        protocolMask === undefined
          ? { definite: 0, possible: ALL_PROTOCOLS }
          : { definite: protocolMask, possible: protocolMask },
      sourceAddresses: addresses(r.sources, "sources", ctx.resolver, ctx.groupAddresses, unresolved),
      destinationAddresses: addresses(r.destinations, "destinations", ctx.resolver, ctx.groupAddresses, unresolved),
      sourcePorts: ports(r.sourcePortRanges, "sourcePortRanges", unresolved),
      destinationPorts: ports(r.destinationPortRanges, "destinationPortRanges", unresolved),
      alwaysMaybe: placed === undefined || direction === "Unknown" || entry.applies === "maybe" || managers.size > 1,
      tags: [],
      unresolved,
      src: r.src,
    };
    const access = parsedAccess ?? "Unknown";
    const ref: AdminRuleRef = {
      ruleName: r.name,
      id: r.id,
      access,
      priority: r.priority,
      networkManager: { name: entry.manager.name, id: entry.manager.id },
      securityAdminConfiguration: { name: entry.configuration.name, id: entry.configuration.id },
      ruleCollection: { name: entry.collection.name, id: entry.collection.id },
      src: r.src,
    };
    return { entry, normalized, access, ref };
  });
  const src = rules[0]?.ref.src ?? syntheticSource("security admin rules");
  const compiled = new CompiledNsg({
    id: "<security admin rules>",
    name: "security admin rules",
    src,
    rules: [...rules.map((r) => r.normalized), noAdminMatch(src)],
  });
  return {
    rules,
    compiled,
    bySecurityRule: new Map(rules.map((r) => [r.normalized.rule, r])),
    ...(place.notApplied ? { notApplied: place.notApplied } : {}),
  };
}

/** A rule's part in an uncertain decision: what it does if it is the one that decides. */
function ruleOutcomes(rule: AdminLayerRule): AdminOutcome[] {
  return rule.access === "Unknown" ? ["Deny", "AlwaysAllow", "Continue"] : [outcomeOf(rule.access)];
}

function whyMaybe(rule: AdminLayerRule): string {
  const why = rule.normalized.unresolved.filter((u) => u !== "");
  const text = why.length > 0 ? why.join("; ") : "the flow has no port to compare with the rule's port ranges";
  return `admin rule ${rule.ref.ruleName} (${rule.access}, priority ${rule.ref.priority}) may decide: ${text}`;
}

/**
 * The admin decision from the NSG evaluator's Decision over the layer's rules. The layer ends with a rule that
 * matches every flow (NO_ADMIN_MATCH, standing for "no admin rule matches: the NSGs decide"), so the last
 * candidate of a Decision is always the definite first match and the ones before it are "maybe" matches.
 */
export function adminDecisionOf(layer: AdminLayer, decision: Decision): AdminDecision {
  const of = (r: NormalizedRule) => layer.bySecurityRule.get(r.rule);
  const candidates = decision.candidates.map(of);
  if (decision.certain) {
    const rule = candidates[0];
    if (!rule)
      return { outcomes: ["Continue"], certain: true, candidates: [], reason: "no security admin rule matches" };
    if (rule.access !== "Unknown")
      return { outcomes: [outcomeOf(rule.access)], certain: true, rule, candidates: [rule] };
  }
  const outcomes = new Set<AdminOutcome>(candidates.flatMap((c) => (c ? ruleOutcomes(c) : ["Continue"])));
  const rules = candidates.filter((c): c is AdminLayerRule => c !== undefined);
  const reasons = rules.filter((c) => c.normalized.unresolved.length > 0 || c !== candidates.at(-1)).map(whyMaybe);
  if (candidates.at(-1) === undefined) reasons.push("If none of them applies, no admin rule decides and the NSGs do");
  return { outcomes: [...outcomes], certain: outcomes.size === 1, candidates: rules, reason: reasons.join(". ") };
}

/** Evaluates one flow through the admin layer. */
export function evaluateAdminFlow(layer: AdminLayer, flow: Flow): AdminDecision {
  if (layer.rules.length === 0) return { outcomes: ["Continue"], certain: true, candidates: [] };
  return adminDecisionOf(layer, layer.compiled.evaluate(flow));
}

/** Partitions a set of flows (one direction) by the admin decision that applies to them. */
export function evaluateAdminSet(
  layer: AdminLayer,
  direction: Direction,
  boxes: readonly FlowBox[],
): { decision: AdminDecision; boxes: FlowBox[] }[] {
  if (layer.rules.length === 0)
    return [{ decision: { outcomes: ["Continue"], certain: true, candidates: [] }, boxes: [...boxes] }];
  return evaluateSet(layer.compiled, direction, boxes).parts.map((part) => ({
    decision: adminDecisionOf(layer, part.decision),
    boxes: part.boxes,
  }));
}

/**
 * What the layer of a place assumes that no input states, one sentence each (for the run's list of assumptions):
 * the VNet inside each manager's scope, admin rules applied to the place (INFERRED for API Management subnets,
 * reference part 2 §10.3), and the rules' own assumptions.
 */
export function adminLayerAssumptions(layer: AdminLayer, placeName: string): string[] {
  const out = new Set<string>();
  for (const r of layer.rules) {
    out.add(
      `security admin rules of network manager ${r.entry.manager.name} apply to ${placeName}: its VNet is assumed inside the manager's networkManagerScopes (not compared), and admin rules are assumed applied to API Management subnets (reference part 2 §10.3, INFERRED)`,
    );
    for (const a of r.entry.assumptions) out.add(a);
  }
  return [...out];
}
