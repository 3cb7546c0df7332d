/**
 * @module checks/util/observed
 * Checks layer: where an observed fact belongs. An export names what it was taken from only through ids and
 * addresses (model/observed ObservedScope); this resolves them against the inputs to the subnet (and NIC) the
 * checks compare it with, or says in a sentence why it cannot, so that an export the checks cannot place is
 * reported as not compared, never dropped. Also the observed facts of one subnet, for checks that decide from
 * an observed fact where one exists.
 */
import { AddressSet } from "../../engine/ip/address-set.js";
import { nicWithAddress, subnetHolding } from "../../engine/reach/endpoint.js";
import { shortName } from "../../model/ids.js";
import { parsePrefix } from "../../model/ip.js";
import type { EffectiveRoute, ObservedEffectiveRoutes, ObservedScope } from "../../model/observed.js";
import type { NetworkInterface, Subnet } from "../../model/resources.js";
import { formatSource, type SourceRef } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { evidenceAt, finding } from "../context.js";
import type { MessageData } from "../messages.js";
import type { CheckMeta, Finding } from "../types.js";

/** The subnet (and NIC) an observed fact is about, and how that was read, or why it is Unknown. */
export type ObservedPlace = { subnet: Subnet; nic?: NetworkInterface; how: string } | { unknown: string };

/** Whether the topology found `item` by its path below the resource group, not by its whole id. */
function byName(item: { id: string }, id: string): boolean {
  return item.id.toLowerCase() !== id.toLowerCase();
}

const BY_NAME = ", found by its name below the resource group";

function nicSubnet(topology: Topology, nic: NetworkInterface): Subnet | undefined {
  const config = nic.ipConfigurations.find((c) => c.primary) ?? nic.ipConfigurations[0];
  return topology.subnets.get(config?.subnet?.id);
}

/**
 * The place `scope` names, in this order: the NIC (by id), the subnet (by id, an NSG association), the NIC whose
 * private IP is the request's VM-side address, the subnet whose prefix holds that address.
 */
export function placeOf(topology: Topology, scope: ObservedScope): ObservedPlace {
  if (scope.networkInterfaceId) {
    const id = scope.networkInterfaceId;
    const nic = topology.nics.get(id);
    const name = shortName(id);
    if (!nic) return { unknown: `it was taken from NIC ${name}, which is not in the inputs` };
    const subnet = nicSubnet(topology, nic);
    if (!subnet) return { unknown: `it was taken from NIC ${name}, whose subnet is not in the inputs` };
    return { subnet, nic, how: `taken from NIC ${nic.name}${byName(nic, id) ? BY_NAME : ""}` };
  }
  if (scope.subnetId) {
    const id = scope.subnetId;
    const subnet = topology.subnets.get(id);
    if (!subnet) return { unknown: `it applies at subnet ${shortName(id)}, which is not in the inputs` };
    return { subnet, how: `its association names subnet ${subnet.name}${byName(subnet, id) ? BY_NAME : ""}` };
  }
  if (scope.address) {
    const holder = nicWithAddress(topology, scope.address);
    if (holder?.subnet)
      return { subnet: holder.subnet, nic: holder.nic, how: `NIC ${holder.nic.name} has ${scope.address}` };
    const subnet = subnetHolding(topology, scope.address);
    if (subnet) return { subnet, how: `the request's address ${scope.address} is in subnet ${subnet.name}` };
    return { unknown: `no subnet in the inputs holds the request's address ${scope.address}` };
  }
  return { unknown: "the export does not say which NIC or subnet it was taken from (a bare az answer)" };
}

/** The observed effective-route tables that belong to `subnet`, each with how that was read. */
export function observedRoutesOf(
  topology: Topology,
  subnet: Subnet,
  all: ObservedEffectiveRoutes[],
): { export: ObservedEffectiveRoutes; how: string }[] {
  return all.flatMap((o) => {
    const place = placeOf(topology, o.scope);
    return "subnet" in place && place.subnet === subnet ? [{ export: o, how: place.how }] : [];
  });
}

/** The part of a set of addresses one observed row decides, by longest prefix among the Active rows. */
export interface ObservedPart {
  row: EffectiveRoute;
  /** Where the row is written. */
  src: SourceRef;
  set: AddressSet;
}

/**
 * How an observed table routes `set`: each Active row with the addresses it wins by longest prefix (rows of one
 * prefix length share them: ECMP, reference §2.11 O6), and the prefixes that are not CIDRs (Unknown).
 */
export function observedRouting(
  observed: ObservedEffectiveRoutes,
  set: AddressSet,
): { parts: ObservedPart[]; unreadable: string[] } {
  const unreadable: string[] = [];
  const rows = observed.routes.flatMap((row, i) => {
    if (row.state.toLowerCase() !== "active") return [];
    return row.addressPrefix.flatMap((text) => {
      const prefix = parsePrefix(text);
      if (!prefix) unreadable.push(text);
      return prefix ? [{ row, src: observed.rowSrc[i] ?? observed.src, prefix }] : [];
    });
  });
  const parts: ObservedPart[] = [];
  let remaining = set;
  const lengths = [...new Set(rows.map((r) => r.prefix.length + (r.prefix.version === 6 ? 1000 : 0)))];
  for (const length of lengths.sort((a, b) => b - a)) {
    const same = rows.filter((r) => r.prefix.length + (r.prefix.version === 6 ? 1000 : 0) === length);
    let won = AddressSet.EMPTY;
    for (const r of same) {
      const part = remaining.intersect(AddressSet.fromPrefixes([r.prefix]));
      if (part.isEmpty()) continue;
      parts.push({ row: r.row, src: r.src, set: part });
      won = won.union(part);
    }
    remaining = remaining.subtract(won);
  }
  return { parts, unreadable };
}

/**
 * Whether two resource ids (or `System Route`) name the same thing: equal ignoring case, or equal below the
 * resource group, since a template's ids carry a placeholder subscription and group.
 */
export function sameResourceId(a: string, b: string): boolean {
  const below = (id: string) => {
    const lower = id.trim().toLowerCase();
    const at = lower.indexOf("/providers/");
    return at >= 0 ? lower.slice(at) : lower;
  };
  return below(a) === below(b);
}

/**
 * The warning that an observed fact was not compared (no request, no place in the inputs, an Unknown computed
 * answer): Unknown, never a silent pass. `what` names the fact ("the next hop observed in f.json:3:1").
 */
export function notCompared(
  meta: CheckMeta,
  o: { src: SourceRef; scope: ObservedScope },
  what: string,
  messageId: string,
  why: string,
  data: MessageData = {},
): Finding {
  const where = formatSource(o.src);
  return finding(meta, {
    cannotTell: `whether ${what} matches the inputs`,
    messageId,
    data: { export: where, ...data },
    resource: o.scope.networkInterfaceId ?? o.scope.subnetId ?? where,
    src: o.src,
    evidence: [evidenceAt("unknown", why, o.src)],
  });
}
