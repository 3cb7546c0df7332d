/**
 * @module checks/util/subnet
 * Checks layer, shared by the subnet checks (APIM-SUBNET-SIZE, APIM-SUBNET-DELEGATION, APIM-SKU-VNET): how many
 * addresses a subnet has once Azure has taken its five, what it is delegated to, a free prefix of a given size
 * in its virtual network, and the change of its delegations (the subnet restated whole: a PUT of a subnet
 * replaces it, and a subnet without its NSG would detach the NSG).
 */
import { AddressSet } from "../../engine/ip/address-set.js";
import { incompleteReason, subnetPrefixes, vnetAddressSpace } from "../../model/addresses.js";
import type { Change } from "../../model/change.js";
import { formatAddress } from "../../model/ip.js";
import type { Subnet, VirtualNetwork } from "../../model/resources.js";
import { restateSubnet } from "../fix/build.js";

/** Azure takes the first four addresses and the last of every subnet prefix (reference §3.1, S7). */
export const AZURE_RESERVED = 5;

export interface SubnetCapacity {
  /** IPv4 prefixes of the subnet, as written. */
  prefixes: string[];
  /** Addresses of all IPv4 prefixes. */
  total: number;
  /** Addresses left once Azure has reserved its five per prefix. */
  usable: number;
  /** The longest (smallest) prefix length, for messages (`/28`). */
  prefixLength: number;
  /** Set when a prefix could not be read: the size is then unknown. */
  unknown?: string;
}

/** The IPv4 size of `subnet`; `unknown` names the prefix that could not be read. */
export function subnetCapacity(subnet: Subnet): SubnetCapacity {
  const list = subnetPrefixes(subnet);
  const out: SubnetCapacity = { prefixes: [], total: 0, usable: 0, prefixLength: 0 };
  const unknown = incompleteReason(list, `the address prefix of ${subnet.name}`);
  if (unknown) return { ...out, unknown };
  for (const value of list.values) {
    if (value.kind !== "prefix" || value.prefix.version !== 4) continue;
    const p = value.prefix;
    const size = 2 ** (32 - p.length);
    out.prefixes.push(value.text);
    out.total += size;
    out.usable += Math.max(0, size - AZURE_RESERVED);
    out.prefixLength = Math.max(out.prefixLength, p.length);
  }
  if (out.prefixes.length === 0) return { ...out, unknown: `subnet ${subnet.name} has no IPv4 prefix` };
  return out;
}

/** The smallest prefix length whose subnet (after Azure's five) holds `addresses`. */
export function prefixLengthFor(addresses: number): number {
  let length = 29;
  while (length > 8 && 2 ** (32 - length) - AZURE_RESERVED < addresses) length--;
  return length;
}

/** The services `subnet` is delegated to (`Microsoft.Web/serverFarms`). */
export function delegationServices(subnet: Subnet): string[] {
  return subnet.delegations.map((d) => d.serviceName).filter((s) => s.length > 0);
}

/** True when `a` and `b` name the same delegation service (Azure compares them case-insensitively). */
export function sameService(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The addresses of every subnet of `vnet` but `except`; undefined when one of them is not wholly known (a
 * free block could then be taken).
 */
function usedAddresses(vnet: VirtualNetwork, except?: Subnet): AddressSet | undefined {
  const prefixes = [];
  for (const s of vnet.subnets) {
    if (s === except) continue;
    const list = subnetPrefixes(s);
    if (!list.complete) return undefined;
    prefixes.push(...list.prefixes);
  }
  return AddressSet.fromPrefixes(prefixes);
}

/** The VNet's address space, or undefined when a part of it is unknown. */
function addressSpace(vnet: VirtualNetwork): AddressSet | undefined {
  const space = vnetAddressSpace(vnet);
  return space.complete ? AddressSet.fromPrefixes(space.prefixes) : undefined;
}

/**
 * A prefix of `length` for `subnet` inside its VNet's address space that overlaps no other subnet: the
 * subnet grown in place when the larger block around it is free, else the first free block. Undefined when
 * there is none (or the address space is unknown).
 */
export function largerPrefix(subnet: Subnet, vnet: VirtualNetwork, length: number): string | undefined {
  const space = addressSpace(vnet);
  const used = usedAddresses(vnet, subnet);
  if (!space || !used) return undefined;
  const fits = (text: string) => {
    const set = AddressSet.parse(text);
    return space.covers(set) && !used.overlaps(set);
  };
  const [first] = subnetPrefixes(subnet).values;
  const own = first?.kind === "prefix" ? first.prefix : undefined;
  if (own?.version === 4) {
    const block = 2n ** BigInt(32 - length);
    const grown = `${formatAddress(4, own.first - (own.first % block))}/${length}`;
    if (fits(grown)) return grown;
  }
  const step = 2n ** BigInt(32 - length);
  for (const p of vnetAddressSpace(vnet).prefixes) {
    if (p.version !== 4 || p.length > length) continue;
    // Bounded: stop after 100,000 candidates (a /8 searched for /29 blocks would be 2^21).
    let tries = 0;
    for (let first = p.first; first + step - 1n <= p.last && tries < 100_000; first += step, tries++) {
      const candidate = `${formatAddress(4, first)}/${length}`;
      if (fits(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * The first of `lengths` (each shorter than the subnet's own `current` length) for which `largerPrefix` finds
 * room, with that prefix; undefined when none does.
 */
export function growTarget(
  subnet: Subnet,
  vnet: VirtualNetwork | undefined,
  lengths: number[],
  current: number,
): { length: number; prefix: string } | undefined {
  for (const length of lengths) {
    const prefix = vnet && length < current ? largerPrefix(subnet, vnet, length) : undefined;
    if (prefix) return { length, prefix };
  }
  return undefined;
}

/** The change that sets the delegations of `subnet` to `delegations` (empty: remove them all). */
export function subnetDelegationChanges(subnet: Subnet, vnet: VirtualNetwork, delegations: string[]): Change[] {
  return [restateSubnet(vnet, subnet, { delegations })];
}
