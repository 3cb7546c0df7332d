/**
 * @module engine/servicetags/bundle
 * Engine layer: the compact form of the official Service Tags file that ships in data/service-tags/
 * (written by scripts/bundle-service-tags.mjs, described in data/service-tags/README.md). It keeps every
 * field of the file but stores each tag as one row and its prefixes as one space-joined string, which
 * halves the time JSON.parse needs; the prefixes are split only when a tag is first used.
 */
import { type CatalogRow, catalogFromRows, type ServiceTagCatalog, ServiceTagsFormatError } from "./catalog.js";

export const BUNDLE_FORMAT = "apim-netcheck/service-tags@1";

/** Column order of a bundle row. */
export const BUNDLE_COLUMNS = [
  "name",
  "id",
  "changeNumber",
  "region",
  "regionId",
  "platform",
  "systemService",
  "networkFeatures",
  "addressPrefixes",
] as const;

export type BundleRow = [
  name: string,
  id: string,
  changeNumber: number,
  region: string,
  regionId: number,
  platform: string,
  systemService: string,
  networkFeatures: string[] | null,
  addressPrefixes: string,
];

export interface ServiceTagBundle {
  format: typeof BUNDLE_FORMAT;
  /** The official file the bundle was made from (`ServiceTags_Public_20251028.json`). */
  sourceFile: string;
  /** Its date, `2025-10-28`. */
  date: string;
  cloud: string;
  changeNumber: number;
  columns: string[];
  values: BundleRow[];
}

/** Reads a decoded bundle into a catalog; throws ServiceTagsFormatError when it is not one. */
export function catalogFromBundle(bundle: unknown, where = "bundled service tags"): ServiceTagCatalog {
  const b = bundle as Partial<ServiceTagBundle> | null;
  if (!b || b.format !== BUNDLE_FORMAT)
    throw new ServiceTagsFormatError(where, `expected a bundle of format ${BUNDLE_FORMAT}`);
  if (JSON.stringify(b.columns) !== JSON.stringify(BUNDLE_COLUMNS) || !Array.isArray(b.values)) {
    throw new ServiceTagsFormatError(where, "the bundle's columns are not the ones this version reads");
  }
  const rows: CatalogRow[] = b.values.map((v) => ({
    name: v[0],
    id: v[1],
    changeNumber: v[2],
    region: v[3],
    regionId: v[4],
    platform: v[5],
    systemService: v[6],
    networkFeatures: v[7],
    prefixes: v[8],
  }));
  return catalogFromRows(
    { cloud: String(b.cloud), changeNumber: Number(b.changeNumber), date: b.date, source: `bundled:${b.sourceFile}` },
    rows,
  );
}
