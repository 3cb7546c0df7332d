/**
 * @module checks/util/rule-fixes
 * Checks layer: the change to an existing NSG security rule that a finding asks for: the rule declared again
 * whole with the change (a PUT of a rule sets all its properties), or deleted. Used by NSG-RULE-SHADOWED and
 * NSG-RULE-INVALID; the fix engine (checks/fix) writes them in every form.
 */

import type { Change } from "../../model/change.js";
import type { NetworkSecurityGroup, SecurityRule } from "../../model/resources.js";
import { isUnknown } from "../../model/unknown.js";
import { deleteRule, restateRule } from "../fix/build.js";

/** The fields of a rule a fix may change. */
export type RuleChange = Partial<
  Pick<
    SecurityRule,
    | "priority"
    | "protocol"
    | "description"
    | "sourceAddressPrefix"
    | "destinationAddressPrefix"
    | "sourcePortRange"
    | "sourcePortRanges"
    | "destinationPortRange"
    | "destinationPortRanges"
    | "sourceAddressPrefixes"
    | "destinationAddressPrefixes"
  >
>;

/** The change that declares `rule` again with `change` applied; none when the rule cannot be restated. */
export function changeRuleChanges(nsg: NetworkSecurityGroup, rule: SecurityRule, change: RuleChange): Change[] {
  if (isUnknown(rule.name)) return [];
  const c = restateRule(nsg, rule, change);
  return c ? [c] : [];
}

/** The change that deletes a rule (the template forms leave it to the user: only az and `fix` can delete). */
export function deleteRuleChanges(nsg: NetworkSecurityGroup, rule: SecurityRule): Change[] {
  return [deleteRule(nsg, rule)];
}

/**
 * The free priority (100-4096, unique per direction) nearest to `wanted`, the later one on a tie: for a rule
 * whose priority Azure refuses (out of range, or shared with another rule of its direction). Undefined when
 * every priority is taken.
 */
export function nearestFreePriority(taken: Iterable<number>, wanted: number): number | undefined {
  const used = new Set(taken);
  const start = Math.min(4096, Math.max(100, Math.round(Number.isFinite(wanted) ? wanted : 100)));
  for (let d = 0; d <= 3996; d++) {
    for (const p of [start + d, start - d]) if (p >= 100 && p <= 4096 && !used.has(p)) return p;
  }
  return undefined;
}
