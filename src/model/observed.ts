/**
 * @module model/observed
 * What Azure printed about a deployed network, kept as observed fact beside the model of what was written: an
 * effective route table, the effective NSGs of a NIC, an IP flow verify answer and a next hop answer (reference
 * §4.1–4.4). Checks decide from an observed fact where one exists for the subnet and report where it and the
 * computed answer disagree (drift). What an export was taken from is only what the export itself says (ids
 * and addresses in a REST request or in an NSG's association); the checks resolve it against the inputs and say
 * Unknown where it names nothing they hold.
 */
import type { SourceRef } from "./source.js";

/** One row of `az network nic show-effective-route-table` (flat, arrays for prefixes and next hops). */
export interface EffectiveRoute {
  name: string | null;
  source: string;
  state: string;
  addressPrefix: string[];
  nextHopType: string;
  nextHopIpAddress: string[];
  disableBgpRoutePropagation?: boolean;
}

/**
 * What an export says it was taken from, as written. Each field is set only when the export holds it: a REST
 * example's request (`networkInterfaceName`, `targetNicResourceId`, `targetResourceId`, `localIPAddress`), an
 * effective NSG's `association`. An `az` CLI answer usually holds none of them.
 */
export interface ObservedScope {
  networkInterfaceId?: string;
  subnetId?: string;
  /** The VM (`targetResourceId`); the model holds no VMs, so it only helps as a name in messages. */
  virtualMachineId?: string;
  /** The VM-side address of the request (IP flow verify's `localIPAddress`, next hop's `sourceIPAddress`). */
  address?: string;
}

/** An effective-route export given as observed fact, to be compared with what we compute. */
export interface ObservedEffectiveRoutes {
  /** NIC or subnet id it was taken from when the input says (often it does not). */
  target?: string;
  scope: ObservedScope;
  routes: EffectiveRoute[];
  /** Where each row is written, parallel to `routes`. */
  rowSrc: SourceRef[];
  src: SourceRef;
}

/** One rule of an effective NSG as Azure prints it (`name` prefixed `securityRules/` or `defaultSecurityRules/`). */
export interface ObservedSecurityRule {
  name: string;
  protocol: string;
  access: string;
  priority: number | null;
  direction: string;
  /** The singular and plural fields together (Azure fills both), as printed. */
  sourceAddressPrefixes: string[];
  destinationAddressPrefixes: string[];
  sourcePortRanges: string[];
  destinationPortRanges: string[];
  /** The CIDRs behind a service tag, when printed (null for literal prefixes). */
  expandedSourceAddressPrefix?: string[];
  expandedDestinationAddressPrefix?: string[];
  src: SourceRef;
}

/** One applied NSG of a NIC's effective NSGs: which NSG, where it is associated, and its rules. */
export interface ObservedEffectiveNsg {
  networkSecurityGroupId?: string;
  association: { subnetId?: string; networkInterfaceId?: string; networkManagerId?: string };
  rules: ObservedSecurityRule[];
  src: SourceRef;
}

/** An `az network nic list-effective-nsg` / REST `effectiveNetworkSecurityGroups` export. */
export interface ObservedEffectiveNsgs {
  target?: string;
  scope: ObservedScope;
  groups: ObservedEffectiveNsg[];
  src: SourceRef;
}

/** The 5-tuple IP flow verify was asked about (reference §4.1: local is the VM side whatever the direction). */
export interface IpFlowVerifyRequest {
  direction: string;
  protocol: string;
  localIPAddress: string;
  localPort?: string;
  remoteIPAddress: string;
  remotePort?: string;
}

/** An IP flow verify answer (`az network watcher test-ip-flow`), with its request when the input holds it. */
export interface ObservedIpFlow {
  request?: IpFlowVerifyRequest;
  scope: ObservedScope;
  access: string;
  /** Absent when no security rule matched (reference §4.1). */
  ruleName?: string;
  ruleId?: string;
  src: SourceRef;
}

/** A next hop answer (`az network watcher show-next-hop`), with its request when the input holds it. */
export interface ObservedNextHop {
  request?: { sourceIPAddress: string; destinationIPAddress: string };
  scope: ObservedScope;
  nextHopType: string;
  nextHopIpAddress?: string;
  /** A route table id when a user route decided, the literal `System Route` otherwise (reference §4.2). */
  routeTableId?: string;
  src: SourceRef;
}

/** How many observed facts a model's `observed` lists hold (an export counts each table, answer or region once). */
export function observedCount(observed: Record<string, readonly unknown[]>): number {
  let n = 0;
  for (const list of Object.values(observed)) n += list.length;
  return n;
}
