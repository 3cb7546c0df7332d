/**
 * @module engine/peering/state
 * Whether a VNet peering carries traffic, derived from both halves as Azure does (reference §3.2): the first
 * half alone is `Initiated`, both halves make it `Connected`, a half whose remote half was deleted is
 * `Disconnected`; VNets with overlapping address spaces cannot be peered. Traffic flows only when Connected.
 */

import { type AddressList, incompleteReason, peeringRemoteSpace, vnetAddressSpace } from "../../model/addresses.js";
import { idKey, providerKey, sameResource } from "../../model/ids.js";
import type { VirtualNetwork, VirtualNetworkPeering } from "../../model/resources.js";
import type { Topology } from "../../model/topology.js";
import { AddressSet } from "../ip/address-set.js";

export interface PeeringStatus {
  peering: VirtualNetworkPeering;
  local: VirtualNetwork;
  /** The remote VNet when an input declares it. */
  remote?: VirtualNetwork;
  /** The remote half (the peering on the remote VNet pointing back), when declared. */
  remoteHalf?: VirtualNetworkPeering;
  state: "Connected" | "Initiated" | "Disconnected" | "Unknown";
  /** Why the state is not Connected, in a sentence; empty when Connected. */
  reason: string;
  /** True when the two VNets are in different regions (VNetGlobalPeering). */
  global: boolean;
  /** The remote address ranges this half would route to. */
  remotePrefixes: AddressList;
  /**
   * Other facts worth saying about this half, one sentence each: an export whose state disagrees with the one
   * derived here, flags that change the VirtualNetwork tag or forwarded traffic (reference §3.2).
   */
  notes: string[];
}

/**
 * The known part of a VNet's address space as a set (what holds an address for certain; a prefix that is
 * Unknown or invalid adds nothing here, and the peering state below says Unknown where it matters).
 */
export function vnetAddressSet(vnet: VirtualNetwork): AddressSet {
  return AddressSet.fromPrefixes(vnetAddressSpace(vnet).prefixes);
}

/** The status of one peering half, with notes on its flags. */
export function peeringStatus(
  topology: Topology,
  local: VirtualNetwork,
  peering: VirtualNetworkPeering,
): PeeringStatus {
  const status = derivedStatus(topology, local, peering);
  const notes: string[] = [];
  const declared = peering.peeringState;
  if (status.remote && declared && declared !== status.state) {
    notes.push(`the input reports peeringState ${declared}; the declared halves imply ${status.state}`);
  }
  if (!peering.allowVirtualNetworkAccess) {
    // The flag only narrows the VirtualNetwork tag; routes stay [PEER-MANAGE, reference §3.2].
    notes.push(
      `allowVirtualNetworkAccess is false: ${status.remote?.name ?? "the peer"} is not in ${local.name}'s VirtualNetwork tag`,
    );
  }
  if (peering.useRemoteGateways && status.remoteHalf && !status.remoteHalf.allowGatewayTransit) {
    notes.push(
      "useRemoteGateways is set but the remote half does not allow gateway transit, so no gateway routes arrive",
    );
  }
  return { ...status, notes };
}

/** Per VNet, the index of the first peering to each remote id (exact key and provider key), with what it was built from. */
interface PeeringIndex {
  list: readonly VirtualNetworkPeering[];
  length: number;
  byId: Map<string, number>;
  byProvider: Map<string, number>;
}
const peeringIndexes = new WeakMap<VirtualNetwork, PeeringIndex>();

/**
 * The first peering of `vnet` whose remote is `remoteId` (as `sameResource` compares ids), by an index built once
 * per VNet: a hub's hundreds of peerings were scanned, each id parsed, for every spoke's question (issue 17).
 * The index is rebuilt when the VNet's peering list is replaced or grows.
 */
function peeringTo(vnet: VirtualNetwork, remoteId: string): VirtualNetworkPeering | undefined {
  const list = vnet.virtualNetworkPeerings;
  let index = peeringIndexes.get(vnet);
  if (!index || index.list !== list || index.length !== list.length) {
    index = { list, length: list.length, byId: new Map(), byProvider: new Map() };
    list.forEach((p, i) => {
      const id = p.remoteVirtualNetwork?.id;
      if (!id) return;
      if (!index!.byId.has(idKey(id))) index!.byId.set(idKey(id), i);
      if (!index!.byProvider.has(providerKey(id))) index!.byProvider.set(providerKey(id), i);
    });
    peeringIndexes.set(vnet, index);
  }
  const at = Math.min(
    index.byId.get(idKey(remoteId)) ?? Number.POSITIVE_INFINITY,
    index.byProvider.get(providerKey(remoteId)) ?? Number.POSITIVE_INFINITY,
  );
  return Number.isFinite(at) ? list[at] : undefined;
}

function derivedStatus(
  topology: Topology,
  local: VirtualNetwork,
  peering: VirtualNetworkPeering,
): Omit<PeeringStatus, "notes"> {
  const remoteId = peering.remoteVirtualNetwork?.id;
  const remote = remoteId ? topology.vnets.get(remoteId) : undefined;
  const base = {
    peering,
    local,
    remote,
    global: !!(remote?.location && local.location && normRegion(remote.location) !== normRegion(local.location)),
    remotePrefixes: peeringRemoteSpace(peering, remote),
  };
  if (!remoteId) return { ...base, state: "Unknown", reason: "the peering names no remote virtual network" };
  if (!remote) {
    // Only an export can tell us the state of a peering whose remote VNet we cannot see.
    const declared = peering.peeringState;
    if (declared === "Connected" || declared === "Initiated" || declared === "Disconnected") {
      return { ...base, state: declared, reason: declared === "Connected" ? "" : `the export reports ${declared}` };
    }
    return {
      ...base,
      state: "Unknown",
      reason: `the remote virtual network ${remoteId} is not in the inputs, so the other half cannot be checked`,
    };
  }
  const remoteHalf = peeringTo(remote, local.id);
  const overlap = vnetAddressSet(local).intersect(vnetAddressSet(remote));
  if (!overlap.isEmpty()) {
    return {
      ...base,
      remoteHalf,
      state: "Initiated",
      reason: `the address spaces overlap (${overlap.toString()}); Azure refuses to connect overlapping virtual networks`,
    };
  }
  // Whether the spaces overlap (and so whether Azure connects them) cannot be told when one is not wholly known.
  const unread = [local, remote].map((v) => ({ v, space: vnetAddressSpace(v) })).find((x) => !x.space.complete);
  if (unread) {
    return {
      ...base,
      remoteHalf,
      state: "Unknown",
      reason: `${incompleteReason(unread.space, `the address space of ${unread.v.name}`)}, so whether it overlaps the other side (Azure then refuses the peering) is not known`,
    };
  }
  if (!remoteHalf) {
    const state = peering.peeringState === "Disconnected" ? "Disconnected" : "Initiated";
    return {
      ...base,
      state,
      reason: `${remote.name} has no peering back to ${local.name}; a peering carries traffic only when both halves exist`,
    };
  }
  return { ...base, remoteHalf, state: "Connected", reason: "" };
}

/**
 * The status of the first half of `vnet` whose remote VNet (as the topology resolves it) is `remote`: the entry
 * of peeringsOf that `find` would give, without deriving the status of every other half (a hub's hundreds, for
 * every backend behind its firewall: issue 17).
 */
export function peeringStatusTo(
  topology: Topology,
  vnet: VirtualNetwork,
  remote: VirtualNetwork,
): PeeringStatus | undefined {
  const half = vnet.virtualNetworkPeerings.find((p) => {
    const r = topology.vnets.get(p.remoteVirtualNetwork?.id);
    return r !== undefined && sameResource(r.id, remote.id);
  });
  return half && peeringStatus(topology, vnet, half);
}

/** All peering halves of a VNet with their status. */
export function peeringsOf(topology: Topology, vnet: VirtualNetwork): PeeringStatus[] {
  return vnet.virtualNetworkPeerings.map((p) => peeringStatus(topology, vnet, p));
}

function normRegion(region: string): string {
  return region.replace(/\s+/g, "").toLowerCase();
}
