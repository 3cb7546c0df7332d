/**
 * @module engine/servicetags/parts
 * Engine layer: the pieces a virtual tag (`VirtualNetwork`, `AzureLoadBalancer`, `Internet`) is made of, so
 * that a verdict can say why an address is or is not "VirtualNetwork" and cite the resource that made it
 * so. A value is three-valued: addresses surely in, addresses the inputs leave undecided (an unresolved
 * template value, a peering whose other half is not in the inputs, BGP routes nobody declared), and the rest.
 */

import { type AddressList, describeUnreadable } from "../../model/addresses.js";
import type { SourceRef } from "../../model/source.js";
import { AddressSet } from "../ip/address-set.js";

export type VirtualTagName = "VirtualNetwork" | "AzureLoadBalancer" | "Internet";

export type VirtualTagPartKind =
  | "vnet-address-space"
  | "peered-vnet"
  | "on-premises"
  | "vnet-to-vnet"
  | "assumed-gateway-routes"
  | "host-virtual-ip"
  | "udr-prefix"
  | "udr-service-tag"
  | "public-address-space"
  | "non-public-range"
  | "route-table"
  | "virtual-network";

/** One contribution to a virtual tag (or, for Internet, one range taken out of it). */
export interface VirtualTagPart {
  kind: VirtualTagPartKind;
  /** A sentence for explanations: "address space of the peered virtual network hub (peering spoke-to-hub)". */
  description: string;
  /** The resource that brings the part (VNet, peering, local network gateway, route), when one does. */
  resourceId?: string;
  src: SourceRef;
  set: AddressSet;
}

/** A contribution the inputs do not decide. */
export interface UndecidedPart extends Omit<VirtualTagPart, "set"> {
  /** The addresses concerned; undefined when they could be any address. */
  set?: AddressSet;
  /** `may-add`: these addresses may belong to the tag; `may-remove`: they may not belong after all. */
  effect: "may-add" | "may-remove";
}

/** Something considered and left out of the tag, with the reason (a peering that is only Initiated). */
export interface LeftOut {
  description: string;
  resourceId?: string;
  src: SourceRef;
}

export interface VirtualTagValue {
  tag: VirtualTagName;
  /** Addresses that surely belong to the tag. */
  set: AddressSet;
  /** Addresses whose membership the inputs leave undecided (disjoint from `set`): answer Unknown for them. */
  maybe: AddressSet;
  /** What the tag is made of. */
  parts: VirtualTagPart[];
  /** Ranges taken out of the parts (Internet only). */
  excluded: VirtualTagPart[];
  undecided: UndecidedPart[];
  leftOut: LeftOut[];
}

/** Work in progress for one tag. */
export class TagBuilder {
  readonly parts: VirtualTagPart[] = [];
  readonly excluded: VirtualTagPart[] = [];
  readonly undecided: UndecidedPart[] = [];
  readonly leftOut: LeftOut[] = [];

  constructor(readonly tag: VirtualTagName) {}

  /**
   * Adds the list's prefixes as one part; what is not known of it (values Unknown or invalid, a list that is
   * missing) becomes one undecided part: it could be any address.
   */
  addPrefixes(
    kind: VirtualTagPartKind,
    list: AddressList,
    description: string,
    src: SourceRef,
    resourceId?: string,
  ): void {
    const set = AddressSet.fromPrefixes(list.prefixes);
    if (!set.isEmpty()) this.parts.push({ kind, description, resourceId, src, set });
    if (!list.complete) {
      const why = list.missing ?? list.unreadable.map((v) => describeUnreadable("the prefix", v)).join(", ");
      this.undecided.push({ kind, description: `${description}: ${why}`, resourceId, src, effect: "may-add" });
    }
  }

  build(): VirtualTagValue {
    let base = AddressSet.EMPTY;
    for (const p of this.parts) base = base.union(p.set);
    for (const p of this.excluded) base = base.subtract(p.set);
    let mayAdd = AddressSet.EMPTY;
    let mayRemove = AddressSet.EMPTY;
    for (const u of this.undecided) {
      if (u.effect === "may-add") mayAdd = mayAdd.union(u.set ?? AddressSet.ALL);
      else mayRemove = mayRemove.union(u.set ?? AddressSet.ALL);
    }
    const set = base.subtract(mayRemove);
    const maybe = mayAdd.union(base.intersect(mayRemove)).subtract(set);
    return {
      tag: this.tag,
      set,
      maybe,
      parts: this.parts,
      excluded: this.excluded,
      undecided: this.undecided,
      leftOut: this.leftOut,
    };
  }
}

export interface Membership {
  /** `in`: surely in the tag; `out`: surely not; `unknown`: the inputs do not decide. */
  membership: "in" | "out" | "unknown";
  /** The parts that contain the address. */
  parts: VirtualTagPart[];
  /** The excluded ranges that contain it (why an address is not Internet). */
  excluded: VirtualTagPart[];
  /** The undecided parts that concern it. */
  undecided: UndecidedPart[];
}

/** Why `address` (an IP address) is or is not in the tag, part by part. */
export function explainMembership(value: VirtualTagValue, address: string): Membership {
  const one = AddressSet.parse(address);
  const hit = (s: AddressSet | undefined) => s === undefined || s.covers(one);
  return {
    membership: value.set.covers(one) ? "in" : value.maybe.covers(one) ? "unknown" : "out",
    parts: value.parts.filter((p) => hit(p.set)),
    excluded: value.excluded.filter((p) => hit(p.set)),
    undecided: value.undecided.filter((p) => hit(p.set)),
  };
}
