/**
 * @module engine/servicetags/resolver
 * The contract between address-valued text in the inputs (`*`, a CIDR, `Storage.WestEurope`, `VirtualNetwork`)
 * and the address sets the engine computes with. A resolver is made for one place in the topology (a subnet
 * or NIC), because the virtual tags `VirtualNetwork` and `Internet` differ from subnet to subnet.
 */
import type { AddressSet } from "../ip/address-set.js";

export type TagLookup =
  | { kind: "set"; set: AddressSet; /** What the text was understood as: `cidr`, `any`, `service-tag`, `virtual-tag`. */ as: string }
  | { kind: "unknown"; reason: string };

export interface TagResolver {
  /** Resolves one address text as an NSG rule or route would read it. */
  resolve(text: string): TagLookup;
}
