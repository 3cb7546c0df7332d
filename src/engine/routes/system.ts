/**
 * @module engine/routes/system
 * Engine layer: the system routes Azure gives a subnet (source Default): one VnetLocal row per range of the
 * VNet, 0.0.0.0/0 to Internet, the reserved None rows of the chosen dated profile adjusted for the VNet's own
 * ranges, one row per range of each Connected peer, and one row per service endpoint of the subnet.
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#system-routes
 */

import { type AddressList, describeUnreadable, vnetAddressSpace } from "../../model/addresses.js";
import { type ParsedPrefix, parsePrefix } from "../../model/ip.js";
import type { EffectiveRoute } from "../../model/network.js";
import type { Subnet, VirtualNetwork } from "../../model/resources.js";
import type { SourceRef } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { isUnknown } from "../../model/unknown.js";
import type { AddressSet } from "../ip/address-set.js";
import { peeringsOf } from "../peering/state.js";
import { type ReservedProfile, serviceEndpointTag } from "./data.js";
import type { NamedRef, RouteOrigin } from "./types.js";

/** The narrow part of the service tag catalog routes need (a full ServiceTagCatalog fits). */
export interface RouteTagCatalog {
  get(name: string): AddressSet | undefined;
  /** The regional variant of a tag for an ARM location, when the catalog can say (region names differ). */
  regionalName?(tag: string, location: string): string | undefined;
}

/** Collects rows, assumptions and unknowns while a table is built. */
export interface RouteSink {
  /** Adds a row; `parsed`, when the caller has them, are the parsed `route.addressPrefix` (saves parsing again). */
  add(route: Omit<EffectiveRoute, "disableBgpRoutePropagation">, origin: RouteOrigin, parsed?: ParsedPrefix[]): void;
  assume(sentence: string): void;
  /**
   * Something that could not be resolved. `covers`: the destinations whose next hop it may change (a route
   * whose prefix is unknown may cover any of them); absent when it changes no next hop type.
   */
  unknown(sentence: string, covers?: ParsedPrefix[] | "all"): void;
}

/** A resource as a NamedRef (id, short name, declaration). */
export function named(resource: { id: string; name: string; src?: SourceRef }): NamedRef {
  return { id: resource.id, name: resource.name, src: resource.src };
}

/**
 * The prefixes of `list`, reporting what is not known of it (an Unknown or invalid value, a list that is
 * missing): such a value could be any address, so it may change any next hop.
 */
export function knownPrefixes(list: AddressList, what: string, sink: RouteSink): readonly ParsedPrefix[] {
  if (list.missing !== undefined) sink.unknown(`${what}: ${list.missing}`, "all");
  for (const bad of list.unreadable) sink.unknown(`${what}: ${describeUnreadable("the prefix", bad)}`, "all");
  return list.prefixes;
}

/** A system row (source Default, Active) as `az` prints it. */
export function defaultRow(prefixes: string[], nextHopType: string, nextHopIpAddress: string[] = []) {
  return { name: null, source: "Default", state: "Active", addressPrefix: prefixes, nextHopType, nextHopIpAddress };
}

/**
 * The VnetLocal rows and the reserved None rows. A reserved prefix equal to a VNet range becomes that range's
 * VnetLocal row; one strictly inside a VNet range is removed; a VNet range inside a reserved prefix leaves both
 * (longest prefix decides, §2.1 and §2.11 O2).
 */
export function vnetAndReservedRows(vnet: VirtualNetwork, profile: ReservedProfile, sink: RouteSink): void {
  const ranges = knownPrefixes(vnetAddressSpace(vnet), `address space of ${vnet.name} (its VnetLocal routes)`, sink);
  for (const range of ranges)
    sink.add(defaultRow([range.canonical], "VnetLocal"), { kind: "vnet", vnet: named(vnet) }, [range]);
  sink.add(defaultRow(["0.0.0.0/0"], "Internet"), { kind: "internet" });
  if (ranges.some((r) => r.version === 6)) {
    // Dual-stack VNets also get ::/0 to Internet; the reserved profiles are IPv4 only.
    sink.add(defaultRow(["::/0"], "Internet"), { kind: "internet" });
  }
  for (const text of profile.prefixes) {
    const reserved = parsePrefix(text)!;
    const covered = ranges.some((r) => r.version === 4 && r.first <= reserved.first && r.last >= reserved.last);
    if (covered) continue;
    sink.add(defaultRow([reserved.canonical], "None"), { kind: "reserved", profile: profile.id }, [reserved]);
  }
}

/**
 * One row per address range of each Connected peer: VNetPeering in one region, VNetGlobalPeering across
 * regions. Peerings that are not Connected carry no traffic and add no routes (§3.2); ranges of peers of peers
 * never appear (peering is not transitive).
 */
export function peeringRows(topology: Topology, vnet: VirtualNetwork, sink: RouteSink): void {
  for (const status of peeringsOf(topology, vnet)) {
    if (status.state === "Unknown") {
      const ranges = status.remotePrefixes.prefixes;
      sink.unknown(
        `peering ${status.peering.name} of ${vnet.name}: ${status.reason}; its routes are left out`,
        ranges.length > 0 && status.remotePrefixes.complete ? [...ranges] : "all",
      );
      continue;
    }
    if (status.state !== "Connected") continue;
    const remoteVnet: NamedRef = status.remote
      ? named(status.remote)
      : { id: status.peering.remoteVirtualNetwork?.id ?? "", name: status.peering.remoteVirtualNetwork?.id ?? "" };
    if (!status.remote) {
      sink.assume(
        `peering ${status.peering.name}: the remote ranges are taken from the export (remote VNet not in the inputs)`,
      );
    }
    const type = status.global ? "VNetGlobalPeering" : "VNetPeering";
    for (const range of knownPrefixes(status.remotePrefixes, `peering ${status.peering.name}`, sink)) {
      sink.add(defaultRow([range.canonical], type), {
        kind: "peering",
        peering: named(status.peering),
        remoteVnet,
        global: status.global,
      });
    }
  }
}

/**
 * One row per service endpoint of the subnet, holding every IPv4 prefix of the service's tag (regional tags
 * when the endpoint lists locations). Only this subnet gets it; peers never do (§2.11 O7). Service endpoints
 * are IPv4 only.
 */
export function serviceEndpointRows(
  subnet: Subnet,
  vnet: VirtualNetwork,
  catalog: RouteTagCatalog,
  sink: RouteSink,
): void {
  for (const endpoint of subnet.serviceEndpoints) {
    const mapping = serviceEndpointTag(endpoint.service);
    const origin = { kind: "serviceEndpoint" as const, service: endpoint.service, subnet: named(subnet) };
    if (!mapping) {
      sink.unknown(
        `service endpoint ${endpoint.service} on ${subnet.name}: its service tag is not known, so its route is left out`,
      );
      continue;
    }
    const locations = (endpoint.locations ?? []).filter((l) => l !== "*" && !isUnknown(l));
    let tags = [mapping.tag];
    if (mapping.regional && locations.length > 0) {
      tags = locations.map((l) => catalog.regionalName?.(mapping.tag, l) ?? `${mapping.tag}.${l.replace(/\s+/g, "")}`);
    } else if (mapping.regional) {
      sink.assume(
        `service endpoint ${endpoint.service} on ${vnet.name}/${subnet.name} lists no locations: all of ${mapping.tag} is used`,
      );
    }
    if (mapping.confidence !== "documented") {
      sink.assume(`service endpoint ${endpoint.service} is taken to route the ${mapping.tag} tag (inferred pairing)`);
    }
    let set: AddressSet | undefined;
    for (const tag of tags) {
      const found = catalog.get(tag);
      if (!found) {
        sink.unknown(`service endpoint ${endpoint.service}: service tag ${tag} is not in the service tag catalog`);
        continue;
      }
      set = set ? set.union(found) : found;
    }
    if (!set) continue;
    const v4 = set.toCidrs().filter((c) => !c.includes(":"));
    if (v4.length > 0) sink.add(defaultRow(v4, "VirtualNetworkServiceEndpoint"), { ...origin, tags });
  }
}
