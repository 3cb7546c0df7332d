/**
 * @module checks/util/tiers
 * Checks layer: which network settings a tier can have, read from the `tiers` table of
 * data/apim/requirements.json (apim-requirements §4, S28): classic injection (External / Internal) on Developer
 * and Premium; v2 injection on Premium v2; v2 outbound integration on Standard v2 and Premium v2; none on
 * Consumption, Basic, Standard and Basic v2. SKU names compare case-insensitively, as ARM does.
 */
import { isUnknown } from "../../model/unknown.js";
import { REQUIREMENTS } from "../requirements.js";

export interface TierSupport {
  /** The SKU name as written (`StandardV2`). */
  name: string;
  /** How the docs write it (`Standard v2`). */
  display: string;
  known: boolean;
  classicInjection: boolean;
  v2Injection: boolean;
  v2Integration: boolean;
  isV2: boolean;
}

function has(list: string[], name: string): boolean {
  return list.some((x) => x.toLowerCase() === name.toLowerCase());
}

/** What `skuName` supports; `known` is false for a name the table does not list (or an unresolved one). */
export function tierSupport(skuName: string): TierSupport {
  const t = REQUIREMENTS.tiers;
  const all = [...t.classicInjection, ...t.v2Injection, ...t.v2Integration, ...t.noVnet];
  const v2Injection = has(t.v2Injection, skuName);
  const v2Integration = has(t.v2Integration, skuName);
  return {
    name: skuName,
    display: skuName.replace(/V2$/i, " v2"),
    known: !isUnknown(skuName) && has(all, skuName),
    classicInjection: has(t.classicInjection, skuName),
    v2Injection,
    v2Integration,
    isV2: /v2$/i.test(skuName),
  };
}

/** The tiers that can have a setting, as the docs write them, for messages (`Developer or Premium`). */
export function tiersWith(setting: "classicInjection" | "v2Injection" | "v2Integration"): string {
  const names = REQUIREMENTS.tiers[setting].map((n) => n.replace(/V2$/i, " v2"));
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}` : (names[0] ?? "none");
}
