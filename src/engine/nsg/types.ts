/**
 * @module engine/nsg/types
 * Engine layer: the vocabulary of NSG evaluation. A security rule from the model is normalized once into
 * three-valued sets per match dimension (protocol, source/destination address, source/destination port), so
 * that the reference and compiled evaluators read the same thing. "Three-valued" means every dimension has a
 * *definite* set (values the rule certainly matches) and a *possible* set (values it may match when an input
 * could not be resolved); definite ⊆ possible. Flows are IP flow verify's 5-tuple (reference §4.1) or, for
 * set-valued questions, a box of sets.
 */

import type { SecurityRule } from "../../model/resources.js";
import type { SourceRef } from "../../model/source.js";
import type { AddressSet } from "../ip/address-set.js";

/** Protocols a flow can carry, in bit order (bit i of a protocol mask is FLOW_PROTOCOLS[i]). */
export const FLOW_PROTOCOLS = ["Tcp", "Udp", "Icmp", "Esp", "Ah"] as const;
export type FlowProtocol = (typeof FLOW_PROTOCOLS)[number];
/** A set of protocols as a bit mask over FLOW_PROTOCOLS. */
export type ProtocolMask = number;
export const ALL_PROTOCOLS: ProtocolMask = (1 << FLOW_PROTOCOLS.length) - 1;

/** Protocols without ports. How Azure matches their rules' port fields is uncertain (see compile.ts). */
export const PORTLESS_PROTOCOLS: ProtocolMask = 0b11100;

/** An address as the hot path wants it: a number for IPv4, a bigint for IPv6. */
export type IpValue = number | bigint;

export type Direction = "Inbound" | "Outbound";
export type Access = "Allow" | "Deny";
/** A verdict; `Unknown` when the inputs do not determine it (never guessed, style.md). */
export type Verdict = Access | "Unknown";

/** Flat, sorted, disjoint `[lo, hi, lo, hi, ...]` port intervals within 0-65535. */
export type PortSet = readonly number[];

/** One concrete flow: IP flow verify's 5-tuple plus direction (reference §4.1). */
export interface Flow {
  direction: Direction;
  protocol: FlowProtocol;
  source: IpValue;
  /** Undefined for protocols without ports, or when the port is not given (see compile.ts on how it matches). */
  sourcePort?: number;
  destination: IpValue;
  destinationPort?: number;
}

/** A definite and a possible value of one match dimension; definite ⊆ possible. */
export interface Tri<T> {
  definite: T;
  possible: T;
}

/** A security rule in evaluation form. */
export interface NormalizedRule {
  /** The model rule it came from. */
  rule: SecurityRule;
  name: string;
  /** Network Watcher form: `securityRules/<name>` or `defaultSecurityRules/<name>` (reference §4.1). */
  ruleName: string;
  isDefault: boolean;
  /** NaN when unresolved. */
  priority: number;
  /** `Unknown` when the text is unresolved or not an Azure value. */
  access: Verdict;
  /** `Unknown` when unresolved: the rule is then considered in both directions, as a "maybe". */
  direction: Direction | "Unknown";
  protocols: Tri<ProtocolMask>;
  sourceAddresses: Tri<AddressSet>;
  destinationAddresses: Tri<AddressSet>;
  sourcePorts: Tri<PortSet>;
  destinationPorts: Tri<PortSet>;
  /** True when the rule can only ever "maybe" match (unresolved priority or direction). */
  alwaysMaybe: boolean;
  /** Service tags named in the singular prefix fields, as written (for the platform-address exemption). */
  tags: string[];
  /** Why parts of the rule are unresolved, one sentence each; empty when fully resolved. */
  unresolved: string[];
  src: SourceRef;
}

/** An NSG's rules in evaluation form (user rules first, then the default rules). */
export interface NormalizedNsg {
  id: string;
  name: string;
  src: SourceRef;
  rules: NormalizedRule[];
}

/**
 * The outcome of first-match evaluation within one NSG and direction.
 * - certain: exactly one rule decides (`rule`), `candidates` is `[rule]`.
 * - uncertain: `candidates` lists, in evaluation order, every rule that may decide: the "maybe" rules met before
 *   the first definite match, then that definite match. `access` is their common access when they all agree,
 *   otherwise `Unknown`; `rule` is then undefined.
 */
export interface Decision {
  access: Verdict;
  certain: boolean;
  rule?: NormalizedRule;
  candidates: readonly NormalizedRule[];
  /** Why the decision is uncertain (the unresolved parts of the candidates); absent when certain. */
  reason?: string;
}

/** A product of sets: every combination of its fields is one flow. */
export interface FlowBox {
  protocols: ProtocolMask;
  sourceAddresses: AddressSet;
  sourcePorts: PortSet;
  destinationAddresses: AddressSet;
  destinationPorts: PortSet;
}

/** A set-valued question: every flow in `boxes` (usually one box) in one direction. */
export interface FlowSet extends FlowBox {
  direction: Direction;
}

/** Flows of one set-valued question that the same rule(s) decide. */
export interface SetPart {
  decision: Decision;
  boxes: FlowBox[];
}

/**
 * The answer over a set of flows.
 * - `verdict`: Allow when every part allows; Deny when any part is denied (even if others are allowed:
 *   then `partial` is true); otherwise Unknown (some part unknown, none denied).
 * - `partial`: the parts disagree; `allowed`, `denied` and `unknown` list the boxes of each kind.
 */
export interface SetDecision {
  verdict: Verdict;
  partial: boolean;
  parts: SetPart[];
  allowed: FlowBox[];
  denied: FlowBox[];
  unknown: FlowBox[];
  /** Set when the verdict cannot be derived from the parts (an empty flow set). */
  reason?: string;
}
