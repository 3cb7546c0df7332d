/**
 * @module engine/peering/state
 * Whether a VNet peering carries traffic, derived from both halves as Azure does (reference §3.2): the first
 * half alone is `Initiated`, both halves make it `Connected`, a half whose remote half was deleted is
 * `Disconnected`; VNets with overlapping address spaces cannot be peered. Traffic flows only when Connected.
 */

import { sameResource } from "../../model/ids.js";
import type { VirtualNetwork, VirtualNetworkPeering } from "../../model/resources.js";
import type { Topology } from "../../model/topology.js";
import { AddressSet } from "../ip/address-set.js";
import { parsePrefix } from "../../model/ip.js";

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
  remotePrefixes: string[];
  /**
   * Other facts worth saying about this half, one sentence each: an export whose state disagrees with the one
   * derived here, flags that change the VirtualNetwork tag or forwarded traffic (reference §3.2).
   */
  notes: string[];
}

/** The address space of a VNet as a set (unparseable prefixes are skipped; validation reports them). */
export function vnetAddressSet(vnet: VirtualNetwork): AddressSet {
  const prefixes = vnet.addressSpace.addressPrefixes.map((p) => parsePrefix(p)).filter((p) => p !== undefined);
  return AddressSet.fromPrefixes(prefixes);
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
    remotePrefixes: remote?.addressSpace.addressPrefixes ?? peering.remoteAddressSpace?.addressPrefixes ?? [],
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
  const remoteHalf = remote.virtualNetworkPeerings.find(
    (p) => p.remoteVirtualNetwork && sameResource(p.remoteVirtualNetwork.id, local.id),
  );
  const overlap = vnetAddressSet(local).intersect(vnetAddressSet(remote));
  if (!overlap.isEmpty()) {
    return {
      ...base,
      remoteHalf,
      state: "Initiated",
      reason: `the address spaces overlap (${overlap.toString()}); Azure refuses to connect overlapping virtual networks`,
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

/** All peering halves of a VNet with their status. */
export function peeringsOf(topology: Topology, vnet: VirtualNetwork): PeeringStatus[] {
  return vnet.virtualNetworkPeerings.map((p) => peeringStatus(topology, vnet, p));
}

function normRegion(region: string): string {
  return region.replace(/\s+/g, "").toLowerCase();
}
