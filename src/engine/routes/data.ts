/**
 * @module engine/routes/data
 * Engine layer: the routing facts kept as dated data in `data/routes/` rather than in code, because Azure
 * changes them over time: the reserved prefixes Azure routes to None (reference §2.1, §2.11 O1) and the
 * service tag behind each service endpoint (§2.2). The JSON files are bundled with the package and loaded as
 * modules (the same relative path works from `src/` and from `dist/`).
 */
import { createRequire } from "node:module";

/** One dated set of reserved None prefixes. */
export interface ReservedProfile {
  id: string;
  /** When the set was documented or observed (`2023-05-27`, `2024-2025`). */
  date: string;
  /** Where the set comes from. */
  source: string;
  prefixes: string[];
}

interface ReservedFile {
  default: string;
  aliases: Record<string, string>;
  profiles: ReservedProfile[];
}

/** The service tag that holds a service endpoint's prefixes. */
export interface ServiceEndpointTag {
  tag: string;
  /** True when regional variants (`Storage.WestEurope`) exist and the endpoint's `locations` select them. */
  regional: boolean;
  /** `documented` or `inferred` (see the data file's comment). */
  confidence: string;
}

interface ServiceEndpointFile {
  source: string;
  services: Record<string, ServiceEndpointTag>;
}

const load = createRequire(import.meta.url);
const reserved = load("../../../data/routes/reserved-none-routes.json") as ReservedFile;
const endpoints = load("../../../data/routes/service-endpoint-tags.json") as ServiceEndpointFile;

/** Every reserved None profile, in file order. */
export function reservedProfiles(): readonly ReservedProfile[] {
  return reserved.profiles;
}

/** The id of the profile used when none is chosen (the newest observed set, §2.11 O1). */
export function defaultReservedProfileId(): string {
  return reserved.default;
}

/** A profile by id or alias (case-insensitive); undefined when there is none by that name. */
export function findReservedProfile(name?: string): ReservedProfile | undefined {
  const wanted = (name ?? reserved.default).toLowerCase();
  const id = Object.entries(reserved.aliases).find(([alias]) => alias.toLowerCase() === wanted)?.[1] ?? wanted;
  return reserved.profiles.find((p) => p.id.toLowerCase() === id.toLowerCase());
}

/** Accepted names for `--reserved-routes`: profile ids, then aliases. */
export function reservedProfileNames(): string[] {
  return [...reserved.profiles.map((p) => p.id), ...Object.keys(reserved.aliases)];
}

/** The tag of a service endpoint (`Microsoft.Storage` → Storage), case-insensitive; undefined when unknown. */
export function serviceEndpointTag(service: string): ServiceEndpointTag | undefined {
  const key = Object.keys(endpoints.services).find((k) => k.toLowerCase() === service.toLowerCase());
  return key ? endpoints.services[key] : undefined;
}
