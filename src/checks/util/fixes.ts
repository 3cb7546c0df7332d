/**
 * @module checks/util/fixes
 * Checks layer: the two fixes many checks ask for — a new NSG rule, a new route — as changes for the fix engine
 * (checks/fix), and the priorities new rules take: free ones, ahead of the rule they must beat, and never the
 * same twice in one run (a PriorityBook per run), so that the fixes of one run fit together.
 */

import type { Change } from "../../model/change.js";
import type { NetworkSecurityGroup, SecurityRule } from "../../model/resources.js";
import { addRoute, addRule } from "../fix/build.js";

export interface NsgRuleSpec {
  nsg: NetworkSecurityGroup;
  name: string;
  priority: number;
  direction: "Inbound" | "Outbound";
  access: "Allow" | "Deny";
  protocol: string;
  sourceAddressPrefix: string;
  destinationAddressPrefix: string;
  /** One port, a range, or several (plural form is used when more than one). */
  destinationPorts: string[];
  description?: string;
}

/** The change that adds one NSG security rule. */
export function nsgRuleChange(spec: NsgRuleSpec): Change {
  const ports = spec.destinationPorts;
  return addRule(spec.nsg, spec.name, {
    ...(spec.description ? { description: spec.description } : {}),
    protocol: spec.protocol,
    sourcePortRange: "*",
    ...(ports.length === 1 ? { destinationPortRange: ports[0]! } : { destinationPortRanges: ports }),
    sourceAddressPrefix: spec.sourceAddressPrefix,
    destinationAddressPrefix: spec.destinationAddressPrefix,
    access: spec.access,
    priority: spec.priority,
    direction: spec.direction,
  });
}

export interface RouteSpec {
  routeTable: { id: string; name: string };
  name: string;
  addressPrefix: string;
  nextHopType: string;
  nextHopIpAddress?: string;
}

/** The change that adds one user-defined route. */
export function routeChange(spec: RouteSpec): Change {
  return addRoute(spec.routeTable, {
    name: spec.name,
    addressPrefix: spec.addressPrefix,
    nextHopType: spec.nextHopType,
    ...(spec.nextHopIpAddress ? { nextHopIpAddress: spec.nextHopIpAddress } : {}),
  });
}

/**
 * The priority for a new rule that must take effect before the rule at `beforePriority` (Azure: 100-4096,
 * unique per direction). Any free priority below the deciding rule works, because no rule below it matched
 * the flow. Before a user rule: the highest free one below it, preferring multiples of 10 (it disturbs the
 * least). Before a default rule (65000+): the next multiple of 10 after the last user rule, so the new rule
 * reads as one more of the user's own. Only priorities above `after` are taken (none by default). Undefined
 * when every such priority is taken.
 */
export function freePriorityBefore(taken: Iterable<number>, beforePriority: number, after = 99): number | undefined {
  const used = new Set([...taken].filter((p) => Number.isFinite(p)));
  if (beforePriority > 4096) {
    const last = Math.max(90, after, ...used);
    for (let p = last + 10 - (last % 10); p <= 4096; p += 10) if (!used.has(p)) return p;
  }
  const top = Math.min(beforePriority - 1, 4096);
  const floor = Math.max(100, after + 1);
  for (let p = top - (top % 10); p >= floor; p -= 10) if (!used.has(p)) return p;
  for (let p = top; p >= floor; p--) if (!used.has(p)) return p;
  return undefined;
}

/** Priorities handed out to fixes in one run, so that two fixes for one NSG never take the same one. */
export class PriorityBook {
  private readonly taken = new Map<string, Set<number>>();
  /** The rules fixes of this run add, by NSG and direction (checks/util/rule-placement places more among them). */
  private readonly rules = new Map<string, SecurityRule[]>();

  /** The rules fixes of this run add to `nsg` in `direction`. */
  added(nsg: NetworkSecurityGroup, direction: string): SecurityRule[] {
    return this.rules.get(`${nsg.id.toLowerCase()}|${direction.toLowerCase()}`) ?? [];
  }

  /** Takes the priority of `rule`, which a fix adds to `nsg` (placed by checks/util/rule-placement). */
  add(nsg: NetworkSecurityGroup, rule: SecurityRule): void {
    const key = `${nsg.id.toLowerCase()}|${rule.direction.toLowerCase()}`;
    this.takenIn(nsg, rule.direction).add(rule.priority);
    this.rules.set(key, [...(this.rules.get(key) ?? []), rule]);
  }

  private takenIn(nsg: NetworkSecurityGroup, direction: string): Set<number> {
    const key = `${nsg.id.toLowerCase()}|${direction.toLowerCase()}`;
    let set = this.taken.get(key);
    if (!set) {
      set = new Set(
        nsg.securityRules.filter((r) => r.direction.toLowerCase() === direction.toLowerCase()).map((r) => r.priority),
      );
      this.taken.set(key, set);
    }
    return set;
  }

  /**
   * A free priority right ahead of `before` and after every rule and fix of the direction that comes before
   * it, so that a rule put there overtakes nothing but the rule at `before` and those after it (a fix placed
   * there cannot hide another rule or another fix that comes first). Taken only when `accept` takes it (the
   * caller checks what the rule does there); undefined when the gap is full or `accept` refuses.
   */
  nextJustBefore(
    nsg: NetworkSecurityGroup,
    direction: string,
    before: number,
    accept: (priority: number) => boolean = () => true,
  ): number | undefined {
    const set = this.takenIn(nsg, direction);
    const after = Math.max(99, ...[...set].filter((p) => p < before));
    const p = freePriorityBefore(set, before, after);
    if (p === undefined || !accept(p)) return undefined;
    set.add(p);
    return p;
  }
}

/**
 * The changes of several causes as one fix, applied together. A cause with no change (one no configuration
 * fixes) adds nothing; the renderers leave out a form that cannot express every change, since a merged fix that
 * leaves one cause unfixed would not fix the finding.
 */
export function mergeChanges(lists: Change[][]): Change[] {
  return lists.flat();
}
