/**
 * @module engine/servicetags/containing
 * Engine layer: the reverse look-up for explanations, "which service tags contain this address"
 * (`20.37.52.67` → `ApiManagement.AustraliaCentral`, `ApiManagement`, `AzureCloud.australiacentral`,
 * `AzureCloud`). The first question builds every tag's set once (about 0.15 s for the 3000 public tags) and
 * keeps them per catalog, most specific first; each question after that is a binary search per tag, and
 * answers are remembered.
 */
import { AddressSet, parseAddress } from "../ip/address-set.js";
import type { ServiceTagCatalog } from "./catalog.js";

interface TagIndex {
  /** Tags with their sets, smallest first (so regional tags come before their global tag). */
  tags: { name: string; set: AddressSet }[];
  answers: Map<string, string[]>;
}

const indexes = new WeakMap<ServiceTagCatalog, TagIndex>();
const MAX_REMEMBERED = 10_000;

/**
 * The tags of `catalog` that contain `address` (an IPv4 or IPv6 address, or a prefix: then the tags that
 * contain all of it), most specific first: fewest IPv4 addresses, then fewest prefixes, then file order.
 * Empty when none does or when the text is not an address.
 */
export function tagsContaining(catalog: ServiceTagCatalog, address: string): string[] {
  const index = indexOf(catalog);
  const key = address.trim().toLowerCase();
  const known = index.answers.get(key);
  if (known) return [...known];
  let answer: string[];
  if (parseAddress(key)) {
    answer = index.tags.filter((t) => t.set.has(key)).map((t) => t.name);
  } else {
    let wanted: AddressSet;
    try {
      wanted = AddressSet.parse(key);
    } catch {
      return [];
    }
    answer = index.tags.filter((t) => t.set.covers(wanted)).map((t) => t.name);
  }
  if (index.answers.size >= MAX_REMEMBERED) index.answers.clear();
  index.answers.set(key, answer);
  return [...answer];
}

function indexOf(catalog: ServiceTagCatalog): TagIndex {
  let index = indexes.get(catalog);
  if (!index) {
    const tags = catalog.names().map((name, order) => {
      const set = catalog.get(name)!;
      return { name, set, order, size: set.sizeV4(), width: set.v4.length + set.v6.length };
    });
    tags.sort((a, b) => a.size - b.size || a.width - b.width || a.order - b.order);
    index = { tags: tags.map(({ name, set }) => ({ name, set })), answers: new Map() };
    indexes.set(catalog, index);
  }
  return index;
}
