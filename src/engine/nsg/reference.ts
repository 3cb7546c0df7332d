/**
 * @module engine/nsg/reference
 * Engine layer: the reference NSG evaluator. It is the semantics written as plainly as possible: walk the
 * direction's rules in order (reference §1.3.2), test the 5-tuple field by field (§1.3.1), stop at the first
 * definite match, and remember the "maybe" matches met on the way. The compiled evaluator (compiled.ts) must
 * agree with it on every flow; the property tests check that. Not meant to be fast.
 */
import type { AddressSet } from "../ip/address-set.js";
import { find } from "../ip/intervals.js";
import { certainDecision, decide, type OrderedRules, orderRules } from "./order.js";
import { isAllPorts, portHas } from "./ports.js";
import {
  type Decision,
  FLOW_PROTOCOLS,
  type Flow,
  type IpValue,
  type NormalizedNsg,
  type NormalizedRule,
  PORTLESS_PROTOCOLS,
  type PortSet,
  type Tri,
} from "./types.js";

/** Match of one rule (or one dimension) against a flow. */
export type Match = "yes" | "maybe" | "no";

/** Membership of an IPv4 number or IPv6 bigint in an address set. */
export function addressHas(set: AddressSet, value: IpValue): boolean {
  return typeof value === "number" ? set.hasV4(value) : find(set.v6 as bigint[], value) >= 0;
}

function triMatch<T>(tri: Tri<T>, has: (set: T) => boolean): Match {
  if (has(tri.definite)) return "yes";
  return has(tri.possible) ? "maybe" : "no";
}

/**
 * A flow without a port (a portless protocol, or the port not given) definitely matches only a rule that
 * covers every port, and may match a rule that names any port: Azure's handling of port fields on ICMP rules
 * is not documented (MicrosoftDocs/azure-docs#51522 reports they act as ICMP types).
 */
function portMatch(tri: Tri<PortSet>, port: number | undefined): Match {
  if (port === undefined) return isAllPorts(tri.definite) ? "yes" : tri.possible.length > 0 ? "maybe" : "no";
  return triMatch(tri, (set) => portHas(set, port));
}

const RANK: Record<Match, number> = { no: 0, maybe: 1, yes: 2 };

/** Three-valued match of one rule against one flow (reference §1.3.1), ignoring its place in the order. */
export function matchRule(rule: NormalizedRule, flow: Flow): Match {
  const bit = 1 << FLOW_PROTOCOLS.indexOf(flow.protocol);
  const portless = (bit & PORTLESS_PROTOCOLS) !== 0;
  const parts: Match[] = [
    triMatch(rule.protocols, (mask) => (mask & bit) !== 0),
    triMatch(rule.sourceAddresses, (set) => addressHas(set, flow.source)),
    triMatch(rule.destinationAddresses, (set) => addressHas(set, flow.destination)),
    portMatch(rule.sourcePorts, portless ? undefined : flow.sourcePort),
    portMatch(rule.destinationPorts, portless ? undefined : flow.destinationPort),
  ];
  let worst: Match = "yes";
  for (const p of parts) if (RANK[p] < RANK[worst]) worst = p;
  return worst;
}

/** Decides one flow against rules already in evaluation order. */
export function evaluateOrdered(ordered: OrderedRules, flow: Flow): Decision {
  const maybes: NormalizedRule[] = [];
  for (let i = 0; i < ordered.rules.length; i++) {
    const rule = ordered.rules[i]!;
    let match = matchRule(rule, flow);
    if (match === "yes" && ordered.maybeOnly[i]) match = "maybe";
    if (match === "no") continue;
    if (match === "yes") return maybes.length === 0 ? certainDecision(rule) : decide(maybes, rule, noteOf(ordered));
    maybes.push(rule);
  }
  return decide(maybes, undefined, noteOf(ordered));
}

function noteOf(ordered: OrderedRules): (rule: NormalizedRule) => string {
  return (rule) => ordered.orderNotes[ordered.rules.indexOf(rule)] ?? "";
}

/**
 * The reference evaluator for an NSG (or a bare rule list): orders each direction once and returns a function
 * that decides flows by linear first match.
 */
export function referenceEvaluator(nsg: NormalizedNsg | readonly NormalizedRule[]): (flow: Flow) => Decision {
  const rules = "rules" in nsg ? nsg.rules : nsg;
  const inbound = orderRules(rules, "Inbound");
  const outbound = orderRules(rules, "Outbound");
  return (flow) => evaluateOrdered(flow.direction === "Inbound" ? inbound : outbound, flow);
}
