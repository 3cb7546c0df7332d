/**
 * @module engine/servicetags/catalog
 * Engine layer: the official Service Tags file (`ServiceTags_Public_YYYYMMDD.json`, shape in
 * apim-requirements §5.1) as address sets by tag name. Two pure constructors: one over the official JSON
 * (validated, with a typed error the CLI prints as one line) and one over the compact bundle shipped in
 * data/service-tags/ (see bundle.ts). Address sets are built on first use of a tag and cached, so that
 * loading the catalog costs only the reading of the file.
 */
import { InputError } from "../../model/diagnostics.js";
import type { AddressSet } from "../ip/address-set.js";
import { parsePrefixList } from "./prefix-list.js";

export interface ServiceTagMeta {
  cloud: string;
  changeNumber: number;
  /** `2025-10-28`, from the file name when it carries one. */
  date?: string;
  /** The file the tags came from (`bundled:ServiceTags_Public_20251028.json` or a path). */
  source: string;
}

/** One `values[]` entry of the file, as written (networkFeatures may be null in the official file). */
export interface ServiceTagEntry {
  name: string;
  id: string;
  /** Azure's internal region name (`westeurope`, but also `centralfrance`, `germanywc`); "" for global tags. */
  region: string;
  /** 0 for global tags. */
  regionId: number;
  systemService: string;
  networkFeatures: string[] | null;
  changeNumber?: number;
  platform?: string;
  addressPrefixes: readonly string[];
}

export interface ServiceTagCatalog {
  readonly meta: ServiceTagMeta;
  /** The addresses of a tag, case-insensitive (`Storage`, `storage.westeurope`); undefined when not a tag. */
  get(name: string): AddressSet | undefined;
  /** The tag's exact spelling in the file. */
  canonicalName(name: string): string | undefined;
  /** `networkFeatures` of the tag (`API`, `NSG`, `UDR`, `FW`); [] when the file gives none (null). */
  networkFeatures(name: string): string[];
  /** Region of a regional tag as the file writes it (`westeurope`), undefined for global ones. */
  regionOf(name: string): string | undefined;
  /** Every tag name, in file order. */
  names(): string[];
  /** The whole entry of a tag, as the file gives it; undefined when not a tag. */
  entry(name: string): ServiceTagEntry | undefined;
  /**
   * The regional variant of a tag for an ARM location (`ApiManagement` + `West Europe` →
   * `ApiManagement.WestEurope`; `AzureCloud` + `francecentral` → `AzureCloud.centralfrance`). The file's
   * region names are not always ARM's, so locations are matched through the region id that the other tags'
   * names reveal. Undefined when the tag has no variant for that region.
   */
  regionalName(tag: string, location: string): string | undefined;
}

/** A `--service-tags` file (or the bundle) that is not in the Service Tags shape; one line for the CLI. */
export class ServiceTagsFormatError extends InputError {
  constructor(
    readonly source: string,
    readonly detail: string,
    /** Line and column when the problem has a place in the file (`file:line:col:` then leads the message). */
    at?: { line: number; column: number },
  ) {
    super(
      `${source}${at ? `:${at.line}:${at.column}` : ""}: not a Service Tags file: ${detail}`,
      at ? { file: source, pointer: "", ...at } : undefined,
      "input/not-service-tags",
    );
    this.name = "ServiceTagsFormatError";
  }
}

/** `service tags: Public, changeNumber 375, 2025-10-28`, the line outputs show. */
export function describeServiceTags(meta: ServiceTagMeta): string {
  return `service tags: ${meta.cloud}, changeNumber ${meta.changeNumber}${meta.date ? `, ${meta.date}` : ""}`;
}

/** `2025-10-28` from `.../ServiceTags_Public_20251028.json`; undefined when the name carries no date. */
export function dateFromFileName(file: string): string | undefined {
  const base = file.split(/[\\/]/).pop() ?? file;
  const match = /_(\d{4})(\d{2})(\d{2})(?:\.[^.]*)*$/.exec(base);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}

/** A tag as the catalog holds it: prefixes may stay one space-joined string until the tag is used. */
export interface CatalogRow extends Omit<ServiceTagEntry, "addressPrefixes"> {
  prefixes: readonly string[] | string;
}

/** Builds the catalog over rows already checked (by validation or by the bundle's test). */
export function catalogFromRows(meta: ServiceTagMeta, rows: CatalogRow[], sets?: AddressSet[]): ServiceTagCatalog {
  return new Catalog(meta, rows, sets);
}

/**
 * Reads the official file's JSON (already parsed) into a catalog. Checks the shape the engine relies on
 * (apim-requirements §5.1) and every prefix; throws ServiceTagsFormatError naming the first problem.
 */
export function catalogFromServiceTagsJson(json: unknown, source: string): ServiceTagCatalog {
  const problems: string[] = [];
  const fail = (detail: string): never => {
    throw new ServiceTagsFormatError(source, detail);
  };
  if (!isRecord(json)) fail(`expected a JSON object with "cloud", "changeNumber" and "values"`);
  const top = json as Record<string, unknown>;
  if (!Array.isArray(top.values)) fail(`"values" is ${top.values === undefined ? "missing" : "not an array"}`);
  if (typeof top.cloud !== "string") fail(`"cloud" is missing or not a string`);
  if (typeof top.changeNumber !== "number" || !Number.isInteger(top.changeNumber)) {
    fail(`"changeNumber" is missing or not an integer`);
  }
  const values = top.values as unknown[];
  if (values.length === 0) fail(`"values" is empty`);
  const rows: CatalogRow[] = [];
  const sets: AddressSet[] = [];
  const seen = new Set<string>();
  values.forEach((value, i) => {
    const row = readEntry(value, `values[${i}]`, problems);
    if (!row) return;
    const key = row.name.toLowerCase();
    if (seen.has(key)) problems.push(`values[${i}]: the tag ${row.name} appears twice`);
    seen.add(key);
    const parsed = parsePrefixList(row.prefixes as string[]);
    if (typeof parsed === "number") {
      problems.push(
        `values[${i}].properties.addressPrefixes[${parsed}]: ${JSON.stringify(row.prefixes[parsed])} is not a CIDR prefix`,
      );
      return;
    }
    rows.push(row);
    sets.push(parsed);
  });
  if (problems.length > 0) {
    fail(problems.length === 1 ? problems[0]! : `${problems[0]} (and ${problems.length - 1} more problems)`);
  }
  const meta: ServiceTagMeta = {
    cloud: top.cloud as string,
    changeNumber: top.changeNumber as number,
    date: dateFromFileName(source),
    source,
  };
  return new Catalog(meta, rows, sets);
}

function readEntry(value: unknown, at: string, problems: string[]): CatalogRow | undefined {
  if (!isRecord(value)) return void problems.push(`${at}: expected an object`);
  const { name, id, properties: p } = value;
  if (typeof name !== "string" || name.length === 0) return void problems.push(`${at}.name: missing or not a string`);
  if (!isRecord(p)) return void problems.push(`${at}.properties: missing or not an object`);
  const prefixes = p.addressPrefixes;
  if (!Array.isArray(prefixes) || prefixes.some((x) => typeof x !== "string")) {
    return void problems.push(`${at}.properties.addressPrefixes: missing or not an array of strings`);
  }
  const features = p.networkFeatures ?? null;
  if (features !== null && (!Array.isArray(features) || features.some((x) => typeof x !== "string"))) {
    return void problems.push(`${at}.properties.networkFeatures: not an array of strings`);
  }
  const region = p.region ?? "";
  const regionId = p.regionId ?? 0;
  if (typeof region !== "string") return void problems.push(`${at}.properties.region: not a string`);
  if (typeof regionId !== "number") return void problems.push(`${at}.properties.regionId: not a number`);
  return {
    name,
    id: typeof id === "string" ? id : name,
    region,
    regionId,
    systemService: typeof p.systemService === "string" ? p.systemService : "",
    networkFeatures: features as string[] | null,
    changeNumber: typeof p.changeNumber === "number" ? p.changeNumber : undefined,
    platform: typeof p.platform === "string" ? p.platform : undefined,
    prefixes: prefixes as string[],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Location and region names compared without case, spaces, dashes or underscores. */
function regionKey(text: string): string {
  return text.replace(/[\s_-]/g, "").toLowerCase();
}

class Catalog implements ServiceTagCatalog {
  private readonly index = new Map<string, number>();
  private readonly sets: (AddressSet | undefined)[];
  private regionIds: Map<string, number> | undefined;

  constructor(
    readonly meta: ServiceTagMeta,
    private readonly rows: CatalogRow[],
    sets?: AddressSet[],
  ) {
    rows.forEach((row, i) => {
      this.index.set(row.name.toLowerCase(), i);
    });
    this.sets = sets ?? new Array(rows.length);
  }

  private at(name: string): number | undefined {
    return this.index.get(name.trim().toLowerCase());
  }

  get(name: string): AddressSet | undefined {
    const i = this.at(name);
    if (i === undefined) return undefined;
    let set = this.sets[i];
    if (!set) {
      const parsed = parsePrefixList(this.prefixesOf(i));
      // Rows reach here only after validation (or the bundle's own test), so a bad prefix is a bug.
      if (typeof parsed === "number")
        throw new ServiceTagsFormatError(this.meta.source, `bad prefix in ${this.rows[i]!.name}`);
      set = parsed;
      this.sets[i] = set;
    }
    return set;
  }

  private prefixesOf(i: number): readonly string[] {
    const row = this.rows[i]!;
    if (typeof row.prefixes === "string") row.prefixes = row.prefixes.length > 0 ? row.prefixes.split(" ") : [];
    return row.prefixes as readonly string[];
  }

  canonicalName(name: string): string | undefined {
    const i = this.at(name);
    return i === undefined ? undefined : this.rows[i]!.name;
  }

  networkFeatures(name: string): string[] {
    const i = this.at(name);
    return i === undefined ? [] : [...(this.rows[i]!.networkFeatures ?? [])];
  }

  regionOf(name: string): string | undefined {
    const i = this.at(name);
    const region = i === undefined ? "" : this.rows[i]!.region;
    return region.length > 0 ? region : undefined;
  }

  names(): string[] {
    return this.rows.map((r) => r.name);
  }

  entry(name: string): ServiceTagEntry | undefined {
    const i = this.at(name);
    if (i === undefined) return undefined;
    const { prefixes: _prefixes, ...rest } = this.rows[i]!;
    return { ...rest, addressPrefixes: this.prefixesOf(i) };
  }

  regionalName(tag: string, location: string): string | undefined {
    const base = this.canonicalName(tag);
    if (!base) return undefined;
    const direct = this.canonicalName(`${base}.${regionKey(location)}`);
    if (direct) return direct;
    this.regionIds ??= this.buildRegionIds();
    const regionId = this.regionIds.get(regionKey(location));
    if (regionId === undefined) return undefined;
    const prefix = `${base.toLowerCase()}.`;
    return this.rows.find((r) => r.regionId === regionId && r.name.toLowerCase().startsWith(prefix))?.name;
  }

  /** Region id by every name a region goes by in the file: tag suffixes (`FranceCentral`) and region fields. */
  private buildRegionIds(): Map<string, number> {
    const ids = new Map<string, number>();
    for (const row of this.rows) {
      if (!row.region || !row.regionId) continue;
      const dot = row.name.indexOf(".");
      if (dot > 0 && !ids.has(regionKey(row.name.slice(dot + 1))))
        ids.set(regionKey(row.name.slice(dot + 1)), row.regionId);
      if (!ids.has(regionKey(row.region))) ids.set(regionKey(row.region), row.regionId);
    }
    return ids;
  }
}
