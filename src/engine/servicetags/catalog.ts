/**
 * @module engine/servicetags/catalog
 * STUB — to be implemented (service-tags work). The contract other modules code against:
 * the official Service Tags file (`ServiceTags_Public_YYYYMMDD.json`) as address sets by tag name.
 */
import type { AddressSet } from "../ip/address-set.js";

export interface ServiceTagMeta {
  cloud: string;
  changeNumber: number;
  /** `2025-10-28`, from the file name when it carries one. */
  date?: string;
  /** The file the tags came from (`bundled:ServiceTags_Public_20251028.json` or a path). */
  source: string;
}

export interface ServiceTagCatalog {
  readonly meta: ServiceTagMeta;
  /** The addresses of a tag, case-insensitive (`Storage`, `storage.westeurope`); undefined when not a tag. */
  get(name: string): AddressSet | undefined;
  /** The tag's exact spelling in the file. */
  canonicalName(name: string): string | undefined;
  /** `networkFeatures` of the tag (`API`, `NSG`, `UDR`, `FW`). */
  networkFeatures(name: string): string[];
  /** Region of a regional tag (`westeurope`), undefined for global ones. */
  regionOf(name: string): string | undefined;
  /** Every tag name, in file order. */
  names(): string[];
}
