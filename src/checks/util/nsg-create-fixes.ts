/**
 * @module checks/util/nsg-create-fixes
 * Checks layer: the fix for a subnet without an NSG, as changes: a new NSG holding the rules the instance
 * needs (the required rows of data/apim/requirements.json for its mode, platform and regions, apim-requirements
 * §1.1-§1.3; for the v2 tiers the outbound Storage rule of §1.5) and its association with the subnet, which is
 * restated with every property it has now, because a subnet PUT replaces the whole subnet.
 */

import type { Change } from "../../model/change.js";
import type { Subnet, VirtualNetwork } from "../../model/resources.js";
import { newNsgForSubnet } from "../fix/build.js";
import type { ApimPlacement } from "../placements.js";
import { type NsgRequirement, REQUIREMENTS } from "../requirements.js";
import { v2OutboundRows } from "./dependency-rows.js";
import { fixRuleName } from "./nsg-flows.js";

/** One rule of the new NSG, in ARM's shape. */
export interface NewRule {
  name: string;
  properties: {
    description: string;
    protocol: string;
    sourcePortRange: string;
    destinationPortRange?: string;
    destinationPortRanges?: string[];
    sourceAddressPrefix: string;
    destinationAddressPrefix: string;
    access: "Allow";
    priority: number;
    direction: "Inbound" | "Outbound";
  };
}

/**
 * The rows a new NSG for the placement must allow: required ones for its mode, platform and regions, and in
 * External mode client HTTP too: a subnet without an NSG lets clients in on 80, and a new NSG that closed it
 * would break HTTP clients for a fix that does not ask for that (APIM-INBOUND-CLIENT would report it; found by
 * the fix proof).
 */
export function requiredRows(p: ApimPlacement): NsgRequirement[] {
  if (p.kind === "v2-injection" || p.kind === "v2-integration") return v2OutboundRows("APIM-SUBNET-NSG-MISSING");
  return REQUIREMENTS.nsgRules.filter(
    (r) =>
      (r.need[p.platform] === "required" || (r.id === "client-http" && p.mode === "External")) &&
      r.modes.includes(p.mode as "External" | "Internal") &&
      (!r.multiRegionOnly || p.multiRegion),
  );
}

/** The rows as NSG rules, numbered from 100 by tens in each direction (in the docs' order). */
export function newRules(rows: NsgRequirement[]): NewRule[] {
  const next = { Inbound: 100, Outbound: 100 };
  return rows.map((r) => {
    const priority = next[r.direction];
    next[r.direction] += 10;
    return {
      name: fixRuleName(r, r.ports),
      properties: {
        description: r.purpose.slice(0, 140),
        protocol: r.protocol,
        sourcePortRange: "*",
        ...(r.ports.length === 1 ? { destinationPortRange: r.ports[0] } : { destinationPortRanges: r.ports }),
        sourceAddressPrefix: r.source,
        destinationAddressPrefix: r.destination,
        access: "Allow",
        priority,
        direction: r.direction,
      },
    };
  });
}

/**
 * The changes that create the NSG `name` with `rules` and associate it with the subnet (the subnet restated with
 * every property it has now, since a PUT replaces it whole).
 */
export function newNsgChanges(vnet: VirtualNetwork, subnet: Subnet, name: string, rules: NewRule[]): Change[] {
  return newNsgForSubnet(vnet, subnet, name, rules);
}
