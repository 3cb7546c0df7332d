/**
 * @module engine/reach/endpoint
 * Engine layer: the two ends of a question ("from the APIM subnet to 10.2.1.10", "from ApiManagement to
 * vnet-apim/snet-apim"). An end is either one address, placed in the topology when a subnet holds it (then the
 * NSGs of that subnet, and of the NIC that owns the address, apply), or a set of addresses outside the inputs'
 * subnets (a service tag or a CIDR), which only the other end's NSGs can judge.
 */

import { describeUnreadable, subnetPrefixes } from "../../model/addresses.js";
import { formatAddress, parseAddress, parsePrefix } from "../../model/ip.js";
import type { NetworkInterface, Subnet } from "../../model/resources.js";
import { formatSource } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { AddressSet } from "../ip/address-set.js";
import type { TagResolver } from "../servicetags/resolver.js";

export type Endpoint =
  | {
      kind: "address";
      address: string;
      /** The subnet holding the address, when the inputs declare one. */
      subnet?: Subnet;
      /** The NIC whose IP configuration has this private address. */
      nic?: NetworkInterface;
      label: string;
    }
  | {
      kind: "set";
      /** What the user wrote: a CIDR or a tag name; tags are resolved from the other end's place. */
      text: string;
      label: string;
    };

export type EndpointParse = { ok: true; endpoint: Endpoint } | { ok: false; problem: string };

/** The address Azure gives the first resource in a subnet: the network address + 4 (the first four are reserved). */
export function firstUsableAddress(subnet: Subnet): string | undefined {
  const [first] = subnetPrefixes(subnet).values;
  if (first?.kind !== "prefix") return undefined;
  const prefix = first.prefix;
  const candidate = prefix.first + 4n;
  return candidate <= prefix.last ? formatAddress(prefix.version, candidate) : undefined;
}

/**
 * Per IP version, per prefix length (longest first), the subnets by network number (the address shifted right
 * by the host bits); of two subnets with one prefix, the first in the topology's order, as a scan keeps it.
 */
type PrefixIndex = Record<4 | 6, { length: number; shift: bigint; byNetwork: Map<bigint, Subnet> }[]>;

/**
 * One index per topology's subnet map: a backend's subnet was found by scanning every subnet, once per backend
 * and instance, which grew with the square of the estate (issue 17). The map is never changed once built (a
 * what-if builds a new topology), so the index lives as long as it does.
 */
const prefixIndexes = new WeakMap<object, PrefixIndex>();

function prefixIndex(topology: Topology): PrefixIndex {
  let index = prefixIndexes.get(topology.subnets);
  if (!index) {
    const built: PrefixIndex = { 4: [], 6: [] };
    for (const subnet of topology.subnets.values()) {
      for (const prefix of subnetPrefixes(subnet).prefixes) {
        const lists = built[prefix.version];
        let list = lists.find((l) => l.length === prefix.length);
        if (!list) {
          const shift = BigInt((prefix.version === 4 ? 32 : 128) - prefix.length);
          list = { length: prefix.length, shift, byNetwork: new Map() };
          lists.push(list);
        }
        const network = prefix.first >> list.shift;
        if (!list.byNetwork.has(network)) list.byNetwork.set(network, subnet);
      }
    }
    for (const lists of [built[4], built[6]]) lists.sort((a, b) => b.length - a.length);
    index = built;
    prefixIndexes.set(topology.subnets, index);
  }
  return index;
}

/** The subnet whose prefix holds `address` (most specific wins when inputs overlap). */
export function subnetHolding(topology: Topology, address: string): Subnet | undefined {
  const parsed = parseAddress(address);
  if (!parsed) return undefined;
  for (const list of prefixIndex(topology)[parsed.version]) {
    const subnet = list.byNetwork.get(parsed.value >> list.shift);
    if (subnet) return subnet;
  }
  return undefined;
}

/** The NIC that has `address` as a private IP, with its IP configuration's subnet. */
export function nicWithAddress(
  topology: Topology,
  address: string,
): { nic: NetworkInterface; subnet?: Subnet } | undefined {
  for (const nic of topology.nics.values()) {
    for (const config of nic.ipConfigurations) {
      if (config.privateIPAddress === address) return { nic, subnet: topology.subnets.get(config.subnet?.id) };
    }
  }
  return undefined;
}

function subnetLabel(topology: Topology, subnet: Subnet): string {
  return `${topology.vnetOf(subnet)?.name ?? "?"}/${subnet.name}`;
}

/** Reads an endpoint as the CLI takes it: an IP, `vnet/subnet`, a CIDR, or a service tag. */
export function parseEndpoint(topology: Topology, text: string): EndpointParse {
  const trimmed = text.trim();
  if (parseAddress(trimmed)) {
    const owner = nicWithAddress(topology, trimmed);
    const subnet = owner?.subnet ?? subnetHolding(topology, trimmed);
    const where = owner
      ? ` (${owner.nic.name}${subnet ? `, ${subnetLabel(topology, subnet)}` : ""})`
      : subnet
        ? ` (${subnetLabel(topology, subnet)})`
        : "";
    return {
      ok: true,
      endpoint: { kind: "address", address: trimmed, subnet, nic: owner?.nic, label: `${trimmed}${where}` },
    };
  }
  if (parsePrefix(trimmed)) return { ok: true, endpoint: { kind: "set", text: trimmed, label: trimmed } };
  if (trimmed.includes("/")) {
    const subnet = topology.findSubnet(trimmed);
    if (!subnet)
      return {
        ok: false,
        problem: `no subnet ${trimmed} in the inputs (write vnet/subnet, an IP, a CIDR or a service tag)`,
      };
    const address = firstUsableAddress(subnet);
    if (!address) {
      // The question cannot be asked of an address the subnet may not have: name the value and its place.
      const [first] = subnetPrefixes(subnet).values;
      const why =
        first && first.kind !== "prefix"
          ? `${describeUnreadable("its first address prefix", first)} (${formatSource(first.src)})`
          : (subnetPrefixes(subnet).missing ?? "it has no address for a unit");
      return { ok: false, problem: `subnet ${trimmed} has no known address: ${why}` };
    }
    return {
      ok: true,
      endpoint: { kind: "address", address, subnet, label: `${subnetLabel(topology, subnet)} (${address})` },
    };
  }
  if (/^[A-Za-z][A-Za-z0-9.]*$/.test(trimmed))
    return { ok: true, endpoint: { kind: "set", text: trimmed, label: trimmed } };
  return { ok: false, problem: `${trimmed} is not an IP address, vnet/subnet, CIDR or service tag` };
}

/** The addresses of a set endpoint, resolved from the place of the other end. */
export function endpointAddresses(
  endpoint: Endpoint,
  resolver: TagResolver,
): { set: AddressSet; note?: string } | { unknown: string } {
  if (endpoint.kind === "address") return { set: AddressSet.parse(endpoint.address) };
  const lookup = resolver.resolve(endpoint.text);
  if (lookup.kind === "unknown") return { unknown: `${endpoint.text}: ${lookup.reason}` };
  const note =
    lookup.maybe && !lookup.maybe.isEmpty()
      ? `${endpoint.text} may also hold ${lookup.maybe.toString()} (${lookup.maybeReason ?? "undecided"})`
      : undefined;
  return { set: lookup.set, note };
}
