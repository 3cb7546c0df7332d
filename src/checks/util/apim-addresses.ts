/**
 * @module checks/util/apim-addresses
 * Checks layer: how many subnet addresses an API Management placement takes, from the sizing table of
 * data/apim/requirements.json: classic tiers (apim-requirements §3.1, S7/S8) per unit (Premium 2, Developer 1)
 * plus 1 for the internal load balancer in Internal mode, at least /29; Premium v2 injection (§1.5, S14) 2 per
 * unit plus the load balancer, at most 30 units, at least /27; v2 integration (S15) only at least /27.
 */

import type { ApimPlacement } from "../placements.js";
import { REQUIREMENTS } from "../requirements.js";
import { tierSupport } from "./tiers.js";

export interface AddressDemand {
  /** Addresses the placement takes now. */
  base: number;
  /** What one more unit would add (0 when the tier cannot scale out further). */
  perUnit: number;
  /** The longest prefix allowed (29 for classic tiers, 27 for v2). */
  minimumPrefixLength: number;
  /** How `base` was counted, for evidence (empty when nothing is counted). */
  text: string;
}

const SIZING = REQUIREMENTS.subnetSizing;

function perUnitOf(tier: string): number | undefined {
  const key = Object.keys(SIZING.addressesPerUnit).find((k) => k.toLowerCase() === tier.toLowerCase());
  return key ? SIZING.addressesPerUnit[key] : undefined;
}

/** The addresses `p` takes in its subnet; undefined when its tier cannot have its mode (APIM-SKU-VNET's case). */
export function addressDemand(p: ApimPlacement): AddressDemand | undefined {
  const tier = tierSupport(p.service.sku.name);
  const ilb = p.mode === "Internal" ? SIZING.internalLoadBalancer : 0;
  const perUnit = perUnitOf(tier.name);
  if (p.kind === "classic-injection" && tier.classicInjection && perUnit !== undefined) {
    return {
      base: p.units * perUnit + ilb,
      // The Developer tier has one unit and no scale-out (S8).
      perUnit: tier.name.toLowerCase() === "developer" ? 0 : perUnit,
      minimumPrefixLength: SIZING.minimumPrefixLength,
      text: `${p.units} ${tier.display} unit(s) × ${perUnit}${ilb ? " + 1 internal load balancer" : ""}`,
    };
  }
  const v2 = SIZING.v2Injection;
  if (p.kind === "v2-injection" && tier.v2Injection && v2) {
    return {
      base: p.units * v2.addressesPerUnit + v2.internalLoadBalancer,
      perUnit: p.units < v2.maxUnits ? v2.addressesPerUnit : 0,
      minimumPrefixLength: REQUIREMENTS.v2.minimumPrefixLength,
      text: `${p.units} unit(s) × ${v2.addressesPerUnit} + 1 internal load balancer`,
    };
  }
  if (p.kind === "v2-integration" && tier.v2Integration) {
    return { base: 0, perUnit: 0, minimumPrefixLength: REQUIREMENTS.v2.minimumPrefixLength, text: "" };
  }
  return undefined;
}
