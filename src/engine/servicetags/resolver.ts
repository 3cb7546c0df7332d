/**
 * @module engine/servicetags/resolver
 * The contract between address-valued text in the inputs (`*`, a CIDR, `Storage.WestEurope`, `VirtualNetwork`)
 * and the address sets the engine computes with. A resolver is made for one place in the topology (a subnet
 * or NIC), because the virtual tags `VirtualNetwork` and `Internet` differ from subnet to subnet.
 * Application security groups are not addresses and are not resolved here (the NSG engine handles them).
 */

import { parsePrefix } from "../../model/ip.js";
import { isUnknown, unknownReason } from "../../model/unknown.js";
import { AddressSet } from "../ip/address-set.js";
import type { ServiceTagCatalog } from "./catalog.js";
import type { VirtualTagValue } from "./parts.js";
import type { VirtualTags } from "./virtual.js";

export type TagLookup =
  | {
      kind: "set";
      /** The addresses that surely match. */
      set: AddressSet;
      /** What the text was understood as: `cidr`, `any`, `service-tag`, `virtual-tag`, `extra`. */
      as: string;
      /**
       * Addresses the inputs leave undecided (virtual tags only, e.g. a peering whose other half is not in
       * the inputs): a flow from or to one of them matches Unknown, not "no". Disjoint from `set`.
       */
      maybe?: AddressSet;
      /** Why `maybe` is not empty, in a sentence. */
      maybeReason?: string;
      /** The tag's canonical spelling (`Storage.WestEurope`) when the text was a tag. */
      name?: string;
      /** The virtual tag's parts, for explanations. */
      virtual?: VirtualTagValue;
    }
  | { kind: "unknown"; reason: string };

export interface TagResolver {
  /**
   * Resolves one address text as an NSG rule or route would read it. (A route's own `0.0.0.0/0` covers
   * IPv4 only; route code parses CIDR prefixes itself and comes here for service tags.)
   */
  resolve(text: string): TagLookup;
}

export interface ResolverExtras {
  /** More names with their sets (what-if tags, tests), matched case-insensitively before the catalog. */
  tags?: Record<string, AddressSet>;
}

const VIRTUAL: Record<string, keyof Omit<VirtualTags, "subnetId" | "vnetId">> = {
  virtualnetwork: "virtualNetwork",
  azureloadbalancer: "azureLoadBalancer",
  internet: "internet",
};

/**
 * A resolver over `catalog` for the place whose virtual tags are `virtualTags` (virtual.ts); without them the
 * virtual tags resolve to Unknown. Answers are cached per resolver.
 */
export function resolverFor(
  catalog: ServiceTagCatalog,
  virtualTags?: VirtualTags,
  extras?: ResolverExtras,
): TagResolver {
  const cache = new Map<string, TagLookup>();
  const extra = new Map(Object.entries(extras?.tags ?? {}).map(([k, v]) => [k.toLowerCase(), { name: k, set: v }]));
  const compute = (text: string): TagLookup => {
    if (text === "") return { kind: "unknown", reason: "the address is empty" };
    if (isUnknown(text))
      return { kind: "unknown", reason: `the address is an unresolved value (${unknownReason(text)})` };
    // `*` is every IPv4 and IPv6 address. The docs write the default rules (stored as `*`) with 0.0.0.0/0
    // and effective-rule output renders `*` as 0.0.0.0/0 (reference §1.1, §4.4), so we read 0.0.0.0/0 in a
    // rule as `*` too, IPv6 included; `::/0` stays the IPv6 half alone.
    if (text === "*" || text === "0.0.0.0/0") return { kind: "set", set: AddressSet.ALL, as: "any" };
    const prefix = parsePrefix(text);
    if (prefix) return { kind: "set", set: AddressSet.fromPrefixes([prefix]), as: "cidr" };
    const lower = text.toLowerCase();
    const virtualKey = VIRTUAL[lower];
    if (virtualKey) {
      if (!virtualTags) {
        return { kind: "unknown", reason: `${text} depends on the subnet it is used from, and none is known here` };
      }
      const value = virtualTags[virtualKey];
      const undecided = value.undecided.map((u) => u.description);
      return {
        kind: "set",
        set: value.set,
        as: "virtual-tag",
        name: value.tag,
        virtual: value,
        ...(value.maybe.isEmpty() ? {} : { maybe: value.maybe, maybeReason: undecided.join("; ") }),
      };
    }
    const added = extra.get(lower);
    if (added) return { kind: "set", set: added.set, as: "extra", name: added.name };
    const set = catalog.get(text);
    if (set) return { kind: "set", set, as: "service-tag", name: catalog.canonicalName(text) };
    return { kind: "unknown", reason: `${JSON.stringify(text)} is not a service tag in ${catalog.meta.source}` };
  };
  return {
    resolve(text: string): TagLookup {
      const key = text.trim();
      let answer = cache.get(key);
      if (!answer) {
        answer = compute(key);
        cache.set(key, answer);
      }
      return answer;
    },
  };
}
