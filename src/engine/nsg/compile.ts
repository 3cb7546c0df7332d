/**
 * @module engine/nsg/compile
 * Engine layer: turns a model SecurityRule into a NormalizedRule, three-valued per dimension. Anything we
 * cannot resolve (an unknown placeholder, an unknown service tag or ASG, a value Azure would refuse) widens the
 * rule's *possible* set without widening its *definite* set, so evaluation answers "maybe" there instead of
 * guessing (style.md: Unknown, never an empty set).
 *
 * Decisions where the reference is silent or uncertain (all visible in `unresolved` when they matter):
 * - Protocol `*` matches every flow protocol including Esp and Ah (reference §1.1 and §6 item 7 mark this
 *   UNCERTAIN; "it probably matches all protocols"). Protocol names are matched case-insensitively.
 * - Singular and plural forms of one field given together (or prefixes together with ASGs): Azure documents
 *   "one or the other" (Azure/azure-rest-api-specs#1591) but not what it does with both. The rule definitely
 *   matches what every form matches (intersection) and possibly matches what any form matches (union).
 * - No form given at all (Azure requires one): the rule possibly matches everything, definitely nothing.
 * - A value Azure would refuse (`any`, `10.0.0.0/33`, a tag in a plural list, port `70000`) makes that
 *   value "maybe everything": Azure would not deploy the rule, so its meaning is unknown. validate.ts reports it.
 * - Unresolved priority: the rule may sit anywhere in the order, so it is put first and can only "maybe" match.
 *   Unresolved direction: the rule "maybe" applies in both directions. Unresolved access: a decision by it is
 *   Unknown.
 */

import { parsePrefix } from "../../model/ip.js";
import type { NetworkSecurityGroup, ResourceRef, SecurityRule } from "../../model/resources.js";
import { isUnknown, unknownReason } from "../../model/unknown.js";
import { AddressSet } from "../ip/address-set.js";
import type { TagResolver } from "../servicetags/resolver.js";
import { ALL_PORTS, NO_PORTS, parsePortText, portIntersect, portSetEquals, portUnion, portUnionAll } from "./ports.js";
import {
  ALL_PROTOCOLS,
  type Direction,
  FLOW_PROTOCOLS,
  type NormalizedNsg,
  type NormalizedRule,
  type PortSet,
  type ProtocolMask,
  type Tri,
  type Verdict,
} from "./types.js";

/** What an ASG id stands for: its members' addresses, or why they are unknown. */
export type AsgLookup = AddressSet | { unknown: string };

/** What rule compilation needs from the place the NSG is evaluated for (a subnet or a NIC). */
export interface RuleContext {
  /** Resolves the singular address prefixes (`*`, CIDRs, service and virtual tags) for this place. */
  resolver: TagResolver;
  /** Addresses of the NIC IP configurations that are members of an ASG (reference §1.6). */
  asgAddresses(asgId: string): AsgLookup;
}

const MAYBE_ALL_ADDRESSES: Tri<AddressSet> = { definite: AddressSet.EMPTY, possible: AddressSet.ALL };
const MAYBE_ALL_PORTS: Tri<PortSet> = { definite: NO_PORTS, possible: ALL_PORTS };

/** Parses a protocol field (case-insensitive, reference §1.1); undefined when it is not an Azure value. */
export function parseRuleProtocol(text: string): ProtocolMask | undefined {
  const t = text.trim().toLowerCase();
  if (t === "*") return ALL_PROTOCOLS;
  const i = FLOW_PROTOCOLS.findIndex((p) => p.toLowerCase() === t);
  return i < 0 ? undefined : 1 << i;
}

/** `Allow` / `Deny`, case-insensitive; undefined otherwise. */
export function parseAccess(text: string): "Allow" | "Deny" | undefined {
  const t = text.trim().toLowerCase();
  return t === "allow" ? "Allow" : t === "deny" ? "Deny" : undefined;
}

/** `Inbound` / `Outbound`, case-insensitive; undefined otherwise. */
export function parseDirection(text: string): Direction | undefined {
  const t = text.trim().toLowerCase();
  return t === "inbound" ? "Inbound" : t === "outbound" ? "Outbound" : undefined;
}

/** Network Watcher's rule name form (reference §4.1). */
export function networkWatcherRuleName(rule: Pick<SecurityRule, "name" | "isDefault">): string {
  return `${rule.isDefault ? "defaultSecurityRules" : "securityRules"}/${rule.name}`;
}

/** parsePrefix behind a cheap shape test (tag names are common here and slow to reject). */
export function prefixText(text: string): ReturnType<typeof parsePrefix> {
  return /^\s*[0-9a-fA-F:.]+(?:\/\d+)?\s*$/.test(text) ? parsePrefix(text) : undefined;
}

function present(text: string | undefined): text is string {
  return typeof text === "string" && text.trim() !== "";
}

function describeValue(text: string): string {
  return isUnknown(text) ? `unresolved (${unknownReason(text)})` : `'${text}'`;
}

/** Intersection of the definite sets, union of the possible ones (see the module note on several forms). */
function combine<T>(forms: Tri<T>[], meet: (a: T, b: T) => T, join: (a: T, b: T) => T): Tri<T> {
  let out = forms[0]!;
  for (const f of forms.slice(1)) {
    out = { definite: meet(out.definite, f.definite), possible: join(out.possible, f.possible) };
  }
  return out;
}

function addressDimension(
  rule: SecurityRule,
  side: "source" | "destination",
  ctx: RuleContext,
  unresolved: string[],
  tags: string[],
): Tri<AddressSet> {
  const singular = side === "source" ? rule.sourceAddressPrefix : rule.destinationAddressPrefix;
  const plural = side === "source" ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes;
  const asgs = side === "source" ? rule.sourceApplicationSecurityGroups : rule.destinationApplicationSecurityGroups;
  const forms: Tri<AddressSet>[] = [];
  const names: string[] = [];
  if (present(singular)) {
    names.push(`${side}AddressPrefix`);
    forms.push(singularAddress(singular, side, ctx, unresolved, tags));
  }
  if (plural && plural.length > 0) {
    names.push(`${side}AddressPrefixes`);
    forms.push(pluralAddresses(plural, side, unresolved));
  }
  if (asgs && asgs.length > 0) {
    names.push(`${side}ApplicationSecurityGroups`);
    forms.push(asgAddresses(asgs, side, ctx, unresolved));
  }
  if (forms.length === 0) {
    unresolved.push(`no ${side} address given (Azure requires a prefix, a prefix list or ASGs)`);
    return MAYBE_ALL_ADDRESSES;
  }
  const out = combine(
    forms,
    (a, b) => a.intersect(b),
    (a, b) => a.union(b),
  );
  if (forms.length > 1 && !out.definite.equals(out.possible)) {
    unresolved.push(`${names.join(" and ")} are both given and differ; Azure documents one or the other`);
  }
  return out;
}

function singularAddress(
  text: string,
  side: string,
  ctx: RuleContext,
  unresolved: string[],
  tags: string[],
): Tri<AddressSet> {
  if (isUnknown(text)) {
    unresolved.push(`${side} address prefix is ${describeValue(text)}`);
    return MAYBE_ALL_ADDRESSES;
  }
  const lookup = ctx.resolver.resolve(text.trim());
  if (text.trim() !== "*" && !prefixText(text)) tags.push(text.trim());
  if (lookup.kind === "unknown") {
    unresolved.push(`${side} address prefix '${text}' is unknown: ${lookup.reason}`);
    return MAYBE_ALL_ADDRESSES;
  }
  // Addresses the inputs leave undecided for a virtual tag (a peering whose other half is not in the inputs)
  // match "maybe", never "no".
  if (lookup.maybe && !lookup.maybe.isEmpty()) {
    unresolved.push(
      `${side} ${text.trim()} may also hold ${lookup.maybe.toString()}: ${lookup.maybeReason ?? "undecided"}`,
    );
    return { definite: lookup.set, possible: lookup.set.union(lookup.maybe) };
  }
  return { definite: lookup.set, possible: lookup.set };
}

function pluralAddresses(items: string[], side: string, unresolved: string[]): Tri<AddressSet> {
  const prefixes = [];
  let maybe = false;
  for (const item of items) {
    const parsed = isUnknown(item) ? undefined : prefixText(item);
    if (parsed) {
      prefixes.push(parsed);
    } else {
      // Plural lists take IPs and CIDRs only; tags and `*` are refused (reference §1.1, §1.9).
      unresolved.push(`${side} address prefix list holds ${describeValue(item)}, not an IP or CIDR`);
      maybe = true;
    }
  }
  const set = AddressSet.fromPrefixes(prefixes);
  return { definite: set, possible: maybe ? AddressSet.ALL : set };
}

function asgAddresses(refs: ResourceRef[], side: string, ctx: RuleContext, unresolved: string[]): Tri<AddressSet> {
  let set = AddressSet.EMPTY;
  let maybe = false;
  for (const ref of refs) {
    const lookup: AsgLookup = isUnknown(ref.id) ? { unknown: describeValue(ref.id) } : ctx.asgAddresses(ref.id);
    if (lookup instanceof AddressSet) {
      set = set.union(lookup);
    } else {
      unresolved.push(`${side} application security group ${ref.id} members unknown: ${lookup.unknown}`);
      maybe = true;
    }
  }
  return { definite: set, possible: maybe ? AddressSet.ALL : set };
}

function portDimension(rule: SecurityRule, side: "source" | "destination", unresolved: string[]): Tri<PortSet> {
  const singular = side === "source" ? rule.sourcePortRange : rule.destinationPortRange;
  const plural = side === "source" ? rule.sourcePortRanges : rule.destinationPortRanges;
  const forms: Tri<PortSet>[] = [];
  if (present(singular)) forms.push(portValues([singular], `${side}PortRange`, unresolved));
  if (plural && plural.length > 0) forms.push(portValues(plural, `${side}PortRanges`, unresolved));
  if (forms.length === 0) {
    unresolved.push(`no ${side} port range given (Azure requires one)`);
    return MAYBE_ALL_PORTS;
  }
  const out = combine(forms, portIntersect, portUnion);
  if (forms.length > 1 && !portSetEquals(out.definite, out.possible)) {
    unresolved.push(
      `${side}PortRange and ${side}PortRanges are both given and differ; Azure documents one or the other`,
    );
  }
  return out;
}

function portValues(items: string[], field: string, unresolved: string[]): Tri<PortSet> {
  // The ranges are gathered and united once (one native sort, ports.ts portUnionAll): a union per item was
  // quadratic in the list's length (30,000 ranges took 34 s; issue 11 item 5).
  const sets: PortSet[] = [];
  let maybe = false;
  for (const item of items) {
    const parsed = isUnknown(item) ? undefined : parsePortText(item);
    if (parsed?.ok) {
      sets.push(parsed.set);
    } else {
      unresolved.push(`${field} holds ${describeValue(item)}${parsed ? `: ${parsed.problem}` : ""}`);
      maybe = true;
    }
  }
  const set: PortSet = sets.length === 0 ? NO_PORTS : sets.length === 1 ? sets[0]! : portUnionAll(sets);
  return { definite: set, possible: maybe ? ALL_PORTS : set };
}

/** Normalizes one security rule for evaluation at the place `ctx` describes. */
export function compileSecurityRule(rule: SecurityRule, ctx: RuleContext): NormalizedRule {
  const unresolved: string[] = [];
  const tags: string[] = [];
  let protocols: Tri<ProtocolMask>;
  const protocolMask = isUnknown(rule.protocol) ? undefined : parseRuleProtocol(rule.protocol ?? "");
  if (protocolMask === undefined) {
    unresolved.push(`protocol is ${describeValue(String(rule.protocol))}`);
    protocols = { definite: 0, possible: ALL_PROTOCOLS };
  } else {
    protocols = { definite: protocolMask, possible: protocolMask };
  }
  const access: Verdict = (isUnknown(rule.access) ? undefined : parseAccess(rule.access ?? "")) ?? "Unknown";
  if (access === "Unknown") unresolved.push(`access is ${describeValue(String(rule.access))}`);
  const direction = (isUnknown(rule.direction) ? undefined : parseDirection(rule.direction ?? "")) ?? "Unknown";
  if (direction === "Unknown") unresolved.push(`direction is ${describeValue(String(rule.direction))}`);
  // A user rule's priority outside 100-4096 is refused by Azure (reference §1.1): where it would go is Unknown.
  const inRange = rule.isDefault || (Number.isInteger(rule.priority) && rule.priority >= 100 && rule.priority <= 4096);
  const priorityKnown = Number.isFinite(rule.priority) && inRange;
  if (!Number.isFinite(rule.priority))
    unresolved.push("priority is unresolved, so the rule's place in the order is unknown");
  else if (!inRange)
    unresolved.push(
      `priority ${rule.priority} is not an integer from 100 to 4096 (Azure refuses it), so the rule's place in the order is unknown`,
    );
  return {
    rule,
    name: rule.name,
    ruleName: networkWatcherRuleName(rule),
    isDefault: rule.isDefault,
    priority: rule.priority,
    access,
    direction,
    protocols,
    sourceAddresses: addressDimension(rule, "source", ctx, unresolved, tags),
    destinationAddresses: addressDimension(rule, "destination", ctx, unresolved, tags),
    sourcePorts: portDimension(rule, "source", unresolved),
    destinationPorts: portDimension(rule, "destination", unresolved),
    alwaysMaybe: !priorityKnown || direction === "Unknown",
    tags,
    unresolved,
    src: rule.src,
  };
}

/** Normalizes every rule of an NSG (user rules, then the six default rules, reference §1.2). */
export function normalizeNsg(nsg: NetworkSecurityGroup, ctx: RuleContext): NormalizedNsg {
  return {
    id: nsg.id,
    name: nsg.name,
    src: nsg.src,
    rules: [...nsg.securityRules, ...nsg.defaultSecurityRules].map((r) => compileSecurityRule(r, ctx)),
  };
}
