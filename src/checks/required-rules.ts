/**
 * @module checks/required-rules
 * Checks layer: the NSG rules services document as required in their subnet (API Management, Azure Bastion,
 * Application Gateway v2), kept as data in data/nsg/required-rules.json with a Microsoft Learn source per
 * service (issue "Findings to trust and one fix engine": a required rule is never deleted). API Management's
 * rows are read from data/apim/requirements.json by id, so the two tables cannot drift. This module only types
 * and loads them, and says which apply where; it is static data shipped with the tool, not user input.
 */
import { createRequire } from "node:module";
import { REQUIREMENTS } from "./requirements.js";

/** One rule a service requires. */
export interface RequiredRule {
  /** `bastion/AllowGatewayManagerInbound`, `api-management/management`. */
  id: string;
  /** The service's name, for messages (`Azure Bastion`). */
  service: string;
  /** The name the docs give the rule, when they give one. */
  name?: string;
  direction: "Inbound" | "Outbound";
  /** As the docs' table writes it: a tag, `*` or `VirtualNetwork`. */
  source: string;
  destination: string;
  ports: string[];
  protocol: "Tcp" | "Udp" | "*";
  purpose: string;
  /** Microsoft Learn URLs. */
  sources: string[];
  /** The check that evaluates this requirement at an instance and fixes it (API Management rows). */
  check?: string;
}

export interface RequiredService {
  id: string;
  name: string;
  /** The dedicated subnet the service is deployed to, when Azure fixes its name; only its rows apply there. */
  subnetName?: string;
  sources: string[];
  rules: RequiredRule[];
}

interface RawRule extends Omit<RequiredRule, "id" | "service" | "sources" | "check"> {}

interface RawService {
  id: string;
  name: string;
  subnetName?: string;
  sources: string[];
  rules?: RawRule[];
  fromApimRequirements?: string[];
}

interface RawFile {
  sources: Record<string, string>;
  services: RawService[];
}

const load = createRequire(import.meta.url);
const RAW: RawFile = load("../../data/nsg/required-rules.json");

function service(raw: RawService): RequiredService {
  const sources = raw.sources.map((key) => RAW.sources[key] ?? key);
  const base = { service: raw.name, sources };
  const apim = (raw.fromApimRequirements ?? []).map((id): RequiredRule => {
    const row = REQUIREMENTS.nsgRules.find((r) => r.id === id);
    if (!row)
      throw new Error(`data/nsg/required-rules.json names API Management requirement ${id}, which is not in data/apim`);
    const { direction, source, destination, ports, protocol, purpose, check } = row;
    return { ...base, id: `${raw.id}/${id}`, direction, source, destination, ports, protocol, purpose, check };
  });
  const own = (raw.rules ?? []).map((r): RequiredRule => ({ ...base, ...r, id: `${raw.id}/${r.name}` }));
  return { id: raw.id, name: raw.name, subnetName: raw.subnetName, sources, rules: [...apim, ...own] };
}

/** Every service of the table, in its order. */
export const REQUIRED_SERVICES: readonly RequiredService[] = RAW.services.map(service);

/**
 * The required rules that apply where an NSG is attached (`subnetNames`: the names of its subnets; empty when it
 * is attached nowhere): at a subnet named for a service (AzureBastionSubnet), that service's rows; anywhere else,
 * the rows of the services without such a subnet.
 */
export function requiredRulesAt(subnetNames: readonly string[]): RequiredRule[] {
  const dedicated = (s: RequiredService, name: string) => s.subnetName?.toLowerCase() === name.toLowerCase();
  const out = new Set<RequiredRule>();
  for (const name of subnetNames.length > 0 ? subnetNames : [""]) {
    const owner = REQUIRED_SERVICES.find((s) => dedicated(s, name));
    for (const s of owner ? [owner] : REQUIRED_SERVICES.filter((x) => !x.subnetName))
      for (const r of s.rules) out.add(r);
  }
  return [...out];
}
