/**
 * @module checks/util/observed-nsg
 * Checks layer: an NSG's rules as `az network nic list-effective-nsg` would print them, against the effective
 * security rules an export shows for that NSG, compared as multisets (like effective routes, engine/routes
 * compare). Azure prints rules normalised (reference §4.4, §2.11 O9): names prefixed `securityRules/` or
 * `defaultSecurityRules/`, `*` addresses as `0.0.0.0/0`, `*` ports as `0-65535` and single ports as `n-n`,
 * protocol `*` as `All`; singular and plural fields both filled. Both sides are brought to that form, enum
 * values compared case-insensitively and lists as sets. A rule with application security groups is printed
 * with addresses the inputs cannot tell, so it is left out on both sides and named as not compared.
 */
import {
  type AsgLookup,
  type CompiledNsg,
  type NsgLayers,
  networkWatcherRuleName,
  prepareNsg,
} from "../../engine/nsg/index.js";
import { multisetDifference } from "../../engine/routes/index.js";
import { shortName } from "../../model/ids.js";
import { parsePrefix } from "../../model/ip.js";
import type { ObservedEffectiveNsg, ObservedSecurityRule } from "../../model/observed.js";
import type { NetworkSecurityGroup, SecurityRule, Subnet } from "../../model/resources.js";
import { formatSource, type SourceRef } from "../../model/source.js";
import type { CheckContext } from "../context.js";

/** One rule in the printed form, with where it is written. */
export interface EffectiveRuleRow {
  name: string;
  direction: string;
  access: string;
  priority: number | null;
  protocol: string;
  sourceAddressPrefixes: string[];
  destinationAddressPrefixes: string[];
  sourcePortRanges: string[];
  destinationPortRanges: string[];
  src: SourceRef;
}

export interface NsgComparison {
  equal: boolean;
  onlyComputed: EffectiveRuleRow[];
  onlyObserved: EffectiveRuleRow[];
  /** Rule names left out on both sides (application security groups). */
  notCompared: string[];
}

function address(text: string): string {
  const t = text.trim();
  if (t === "*" || t.toLowerCase() === "any") return "0.0.0.0/0";
  return parsePrefix(t)?.canonical ?? t.toLowerCase();
}

function port(text: string): string {
  const t = text.trim();
  if (t === "*") return "0-65535";
  return /^\d+$/.test(t) ? `${t}-${t}` : t;
}

function protocol(text: string): string {
  const t = text.trim().toLowerCase();
  return t === "*" || t === "all" ? "all" : t;
}

function listOf(one: string | undefined, many: string[] | undefined): string[] {
  return [...new Set([...(one ? [one] : []), ...(many ?? [])])];
}

/** A rule of the model in the printed form. */
export function computedRow(rule: SecurityRule): EffectiveRuleRow {
  return {
    name: networkWatcherRuleName(rule),
    direction: rule.direction,
    access: rule.access,
    priority: Number.isFinite(rule.priority) ? rule.priority : null,
    protocol: rule.protocol,
    sourceAddressPrefixes: listOf(rule.sourceAddressPrefix, rule.sourceAddressPrefixes),
    destinationAddressPrefixes: listOf(rule.destinationAddressPrefix, rule.destinationAddressPrefixes),
    sourcePortRanges: listOf(rule.sourcePortRange, rule.sourcePortRanges),
    destinationPortRanges: listOf(rule.destinationPortRange, rule.destinationPortRanges),
    src: rule.src,
  };
}

/** An observed rule in the same shape. */
export function observedRow(rule: ObservedSecurityRule): EffectiveRuleRow {
  const { expandedSourceAddressPrefix: _s, expandedDestinationAddressPrefix: _d, ...row } = rule;
  return row;
}

/** The comparison key: every field in Azure's printed form, lists as sorted sets, enum values in lower case. */
export function ruleKey(r: EffectiveRuleRow): string {
  const set = (xs: string[], f: (x: string) => string) => [...new Set(xs.map(f))].sort();
  return JSON.stringify([
    r.name.trim().toLowerCase(),
    r.direction.trim().toLowerCase(),
    r.access.trim().toLowerCase(),
    r.priority,
    protocol(r.protocol),
    set(r.sourceAddressPrefixes, address),
    set(r.destinationAddressPrefixes, address),
    set(r.sourcePortRanges, port),
    set(r.destinationPortRanges, port),
  ]);
}

/** A row as a line: name, direction, access, priority, protocol, source and destination with ports. */
export function ruleText(r: EffectiveRuleRow): string {
  const side = (a: string[], p: string[]) => `${a.join(",") || "-"}:${p.join(",") || "-"}`;
  return `${r.name} ${r.direction} ${r.access} ${r.priority ?? "?"} ${r.protocol} ${side(r.sourceAddressPrefixes, r.sourcePortRanges)} -> ${side(r.destinationAddressPrefixes, r.destinationPortRanges)}`;
}

/** Multiset difference of two row lists by `ruleKey`. */
export function compareRuleRows(
  computed: EffectiveRuleRow[],
  observed: EffectiveRuleRow[],
): Omit<NsgComparison, "notCompared"> {
  const { onlyComputed, onlyObserved } = multisetDifference(computed, observed, ruleKey);
  return { equal: onlyComputed.length === 0 && onlyObserved.length === 0, onlyComputed, onlyObserved };
}

/** An NSG of the model (its rules and the six defaults) against the effective rules observed for it. */
export function compareNsgRules(nsg: NetworkSecurityGroup, observed: ObservedSecurityRule[]): NsgComparison {
  const rules = [...nsg.securityRules, ...nsg.defaultSecurityRules];
  const withAsgs = rules.filter(
    (r) => (r.sourceApplicationSecurityGroups?.length ?? 0) + (r.destinationApplicationSecurityGroups?.length ?? 0) > 0,
  );
  const skipped = new Set(withAsgs.map((r) => networkWatcherRuleName(r).toLowerCase()));
  const computed = rules.map(computedRow).filter((r) => !skipped.has(r.name.toLowerCase()));
  const seen = observed.map(observedRow).filter((r) => !skipped.has(r.name.trim().toLowerCase()));
  return { ...compareRuleRows(computed, seen), notCompared: withAsgs.map((r) => networkWatcherRuleName(r)) };
}

function field<K extends string>(singular: K, values: string[]): Record<K, string> | Record<`${K}s`, string[]> {
  return (values.length === 1 ? { [singular]: values[0] } : { [`${singular}s`]: values }) as
    | Record<K, string>
    | Record<`${K}s`, string[]>;
}

const NO_ASGS = (): AsgLookup => ({ unknown: "an observed rule names no application security group" });

/** An observed rule as a rule of the model: the prefix off its name, `All` as `*`, the printed fields as written. */
export function ruleFromObserved(nsgId: string, rule: ObservedSecurityRule): SecurityRule {
  const isDefault = /^defaultSecurityRules\//i.test(rule.name);
  const name = rule.name.replace(/^(default)?securityRules\//i, "");
  return {
    id: `${nsgId}/${isDefault ? "defaultSecurityRules" : "securityRules"}/${name}`,
    name,
    type: "Microsoft.Network/networkSecurityGroups/securityRules",
    src: rule.src,
    protocol: protocol(rule.protocol) === "all" ? "*" : rule.protocol,
    // Tag names as printed (not Azure's expansion): they resolve through the same Service Tags file as the
    // requirements they are checked against.
    // One value in the singular field, several in the plural one, as Azure takes them (tags only singular).
    ...field("sourceAddressPrefix", rule.sourceAddressPrefixes),
    ...field("destinationAddressPrefix", rule.destinationAddressPrefixes),
    ...field("sourcePortRange", rule.sourcePortRanges),
    ...field("destinationPortRange", rule.destinationPortRanges),
    access: rule.access,
    priority: rule.priority ?? Number.NaN,
    direction: rule.direction,
    isDefault,
  };
}

const compiledObserved = new WeakMap<ObservedEffectiveNsg, Map<string, CompiledNsg>>();

/**
 * The subnet layer as Azure runs it, from an effective-NSG export whose entry is associated with `subnet`: the
 * observed rules compiled for the subnet, under the NSG's id (fixes edit the NSG of the inputs) and a name that
 * says where it was observed, so every finding that cites it says so. The other layers stay as computed; the
 * layers unchanged when no export has the subnet.
 */
export function withObservedSubnet(ctx: CheckContext, subnet: Subnet, layers: NsgLayers): NsgLayers {
  for (const observed of ctx.model.observed.effectiveNsgs) {
    for (const group of observed.groups) {
      const at = group.association.subnetId ? ctx.topology.subnets.get(group.association.subnetId) : undefined;
      if (at !== subnet || !group.networkSecurityGroupId) continue;
      const known = ctx.topology.nsgs.get(group.networkSecurityGroupId);
      const id = known?.id ?? group.networkSecurityGroupId;
      const byPlace = compiledObserved.get(group) ?? new Map<string, CompiledNsg>();
      compiledObserved.set(group, byPlace);
      const key = ctx.engine.placeKey(subnet);
      let compiled = byPlace.get(key);
      if (!compiled) {
        const rules = group.rules.map((r) => ruleFromObserved(id, r));
        const nsg: NetworkSecurityGroup = {
          id,
          name: `${known?.name ?? shortName(id)} as observed in ${formatSource(group.src)}`,
          type: "Microsoft.Network/networkSecurityGroups",
          src: group.src,
          securityRules: rules.filter((r) => !r.isDefault),
          defaultSecurityRules: rules.filter((r) => r.isDefault),
        };
        compiled = prepareNsg(nsg, { resolver: ctx.engine.resolver(subnet), asgAddresses: NO_ASGS });
        byPlace.set(key, compiled);
      }
      return { ...layers, subnet: { scopeId: subnet.id, nsg: compiled } };
    }
  }
  return layers;
}
