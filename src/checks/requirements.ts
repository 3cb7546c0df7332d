/**
 * @module checks/requirements
 * Checks layer: API Management's network requirements, kept as data in data/apim/requirements.json with the
 * source of each row (issue "APIM check pack": requirements are data, not code). This module only types and
 * loads them; it is static data shipped with the tool, not user input.
 */
import { createRequire } from "node:module";

export type Need = "required" | "optional" | "absent";
export type Platform = "stv1" | "stv2";

export interface NsgRequirement {
  id: string;
  direction: "Inbound" | "Outbound";
  /** A service tag as written in the docs' table (`ApiManagement`, `VirtualNetwork`, `Storage`). */
  source: string;
  destination: string;
  ports: string[];
  protocol: "Tcp" | "Udp";
  purpose: string;
  modes: ("External" | "Internal")[];
  multiRegionOnly?: boolean;
  multiUnitOnly?: boolean;
  need: Partial<Record<Platform, Need>>;
  /** Service endpoint that lets this dependency bypass a forced tunnel (reference apim-requirements §2.2). */
  serviceEndpoint?: string;
  check: string;
  sources: string[];
}

export interface ApimRequirements {
  sources: Record<string, string>;
  nsgRules: NsgRequirement[];
  v2: {
    integrationDelegation: string;
    injectionDelegation: string;
    minimumPrefixLength: number;
    recommendedPrefixLength: number;
    sources: string[];
  };
  tiers: { classicInjection: string[]; v2Injection: string[]; v2Integration: string[]; noVnet: string[] };
  subnetSizing: {
    azureReserved: number;
    addressesPerUnit: Record<string, number>;
    internalLoadBalancer: number;
    minimumPrefixLength: number;
    sources: string[];
    /** Premium v2 injection sizing (inject-vnet-v2); integration documents only minimum and recommended sizes. */
    v2Injection?: {
      azureReserved: number;
      addressesPerUnit: number;
      internalLoadBalancer: number;
      maxUnits: number;
      sources: string[];
    };
  };
}

const load = createRequire(import.meta.url);

/** The bundled requirements table. */
export const REQUIREMENTS: ApimRequirements = load("../../data/apim/requirements.json");

/** Rows of the table that a check evaluates. */
export function requirementsFor(check: string): NsgRequirement[] {
  return REQUIREMENTS.nsgRules.filter((r) => r.check === check);
}

/** The documentation behind a row, as `S1: <where>` lines. */
export function sourcesOf(row: { sources: string[] }): string[] {
  return row.sources.map((key) => `${key}: ${REQUIREMENTS.sources[key] ?? "see apim-requirements.md"}`);
}
