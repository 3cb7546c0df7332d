/**
 * @module checks/nsg/nsg-rule-unmatchable
 * NSG-RULE-UNMATCHABLE: a rule that no traffic can match where its NSG is attached. An NSG filters the traffic of
 * the subnets and NICs it is attached to (reference §1.3.4): an outbound rule matches traffic that leaves them,
 * so its source must hold one of their addresses; an inbound rule matches traffic that reaches them, so its
 * destination must. A rule whose side holds none of those addresses never matches, whatever the priorities:
 * `Storage` as the source of an outbound rule (Storage's addresses are Azure's, never a subnet's), a CIDR of
 * another subnet. `VirtualNetwork` and `*` hold the subnet and always can. The addresses of each place are the
 * subnet's prefixes (a NIC's address is in its subnet), or, when those are Unknown, every address the subnet
 * could have (the VNet's space); the rule's side is resolved at the place (virtual tags differ by subnet).
 * Skipped, never guessed: rules with unresolved values, sides that hold no address at all (an ASG without
 * members), NSGs attached nowhere (nothing to compare with), and rules that can match at one of the places.
 *
 * When the rule is an API Management requirement written with source and destination reversed (outbound from
 * `Storage` to `VirtualNetwork` on 443 for the Storage dependency, apim-requirements §1.1), the finding says so and
 * its fix declares the rule again as meant: source and destination swapped, everything else kept.
 */
import { parseDirection } from "../../engine/nsg/compile.js";
import type { NormalizedRule } from "../../engine/nsg/types.js";
import type { NetworkSecurityGroup, SecurityRule, Subnet } from "../../model/resources.js";
import { type CheckContext, defineCheck, evidenceAt, finding } from "../context.js";
import { type NsgRequirement, REQUIREMENTS, sourcesOf } from "../requirements.js";
import type { CheckMeta, Evidence, Finding } from "../types.js";
import { subnetAddresses } from "../util/nsg-flows.js";
import { changeRuleChanges } from "../util/rule-fixes.js";
import { writtenFor } from "../util/rule-requirements.js";
import { subnetsWhereNsgApplies } from "../util/rule-shadowing.js";

/** What every finding says first: the rule, the side that holds none of the places' addresses, and the places. */
const HEAD =
  "NSG {{nsg}}: {{direction}} rule {{rule}} (priority {{priority}}, {{access}}) can never match: its {{side}} {{value}} " +
  "holds no address of {{subnets}}, and an {{direction}} rule matches only traffic {{toFrom}} the subnets and NICs the " +
  "NSG is attached to.";

const meta: CheckMeta = {
  id: "NSG-RULE-UNMATCHABLE",
  name: "nsg-rule-unmatchable",
  title: "An NSG rule matches no traffic where its NSG is attached",
  severity: "warning",
  category: "nsg",
  summary:
    "The source of this outbound rule, or the destination of this inbound rule, holds no address of the subnets and NICs the NSG is attached to, so the rule never matches.",
  references: [
    "https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works",
    "https://learn.microsoft.com/azure/virtual-network/service-tags-overview",
    "https://learn.microsoft.com/azure/api-management/virtual-network-reference",
  ],
  messages: {
    unmatchable: `${HEAD} Delete it, or correct its {{side}} if it was meant for traffic of this NSG's subnets.`,
    reversed:
      `${HEAD} It looks like API Management's {{requiredDirection}} rule for {{purpose}}, {{protocol}} {{ports}} from ` +
      "{{requiredSource}} to {{requiredDestination}}, written with source and destination reversed; the fix declares it " +
      "again as meant: source {{fixedSource}}, destination {{fixedDestination}}, the same ports.",
  },
};

/** One place where the rule cannot match: the subnet, its addresses, and why they may be a superset. */
interface Miss {
  place: Subnet;
  addresses: string;
  unknown?: string;
}

/** The places where `rule` cannot match, or undefined when it can match somewhere or cannot be judged. */
function misses(ctx: CheckContext, nsg: NetworkSecurityGroup, rule: SecurityRule, places: Subnet[]) {
  const direction = parseDirection(rule.direction);
  if (!direction) return undefined;
  const out: Miss[] = [];
  let normalized: NormalizedRule | undefined;
  for (const place of places) {
    // The order only, not the bitset tables: this check reads one rule's fields (issue 17).
    const r = ctx.engine
      .compileNsg(nsg, place)
      .ordered(direction)
      .rules.find((x) => x.rule === rule);
    if (!r) return undefined;
    const side = direction === "Inbound" ? r.destinationAddresses : r.sourceAddresses;
    if (!side.definite.equals(side.possible) || side.possible.isEmpty()) return undefined;
    const own = subnetAddresses(place, ctx.topology.vnetOf(place));
    if (!side.possible.intersect(own.set).isEmpty()) return undefined;
    normalized = r;
    out.push({ place, addresses: own.set.toString(), ...(own.unknown ? { unknown: own.unknown } : {}) });
  }
  return normalized && { rule: normalized, direction, out };
}

/** The API Management requirement `r` is, written with source and destination reversed. */
function reversedRequirement(r: NormalizedRule): NsgRequirement | undefined {
  return REQUIREMENTS.nsgRules.find((row) => row.source !== row.destination && writtenFor(r, row, true));
}

const sideText = (one?: string, many?: string[]) => one ?? many?.join(", ") ?? "its application security groups";

function report(
  ctx: CheckContext,
  nsg: NetworkSecurityGroup,
  rule: SecurityRule,
  found: NonNullable<ReturnType<typeof misses>>,
): Finding {
  const { rule: r, direction, out } = found;
  const inbound = direction === "Inbound";
  const side = inbound ? "destination" : "source";
  const value = inbound
    ? sideText(rule.destinationAddressPrefix, rule.destinationAddressPrefixes)
    : sideText(rule.sourceAddressPrefix, rule.sourceAddressPrefixes);
  const where = out.map((m) => `${ctx.topology.vnetOf(m.place)?.name ?? "?"}/${m.place.name} (${m.addresses})`);
  const head = {
    nsg: nsg.name,
    direction: direction.toLowerCase(),
    rule: r.ruleName,
    priority: r.priority,
    access: r.access,
    side,
    value,
    subnets: `subnet${where.length > 1 ? "s" : ""} ${where.join(", ")}`,
    toFrom: inbound ? "to" : "from",
  };
  const row = reversedRequirement(r);
  const evidence: Evidence[] = [
    evidenceAt("nsg-rule", `never matches: ${r.ruleName} (${side} ${value})`, rule.src, rule.id),
    ...out.map((m) =>
      evidenceAt(
        "place",
        `attached at subnet ${m.place.name}: ${m.addresses}${m.unknown ? ` (${m.unknown}: every address it could have)` : ""}`,
        m.place.src,
        m.place.id,
      ),
    ),
  ];
  if (!row) {
    return finding(meta, { messageId: "unmatchable", data: head, resource: rule.id, src: rule.src, evidence });
  }
  const swapped = {
    sourceAddressPrefix: rule.destinationAddressPrefix,
    destinationAddressPrefix: rule.sourceAddressPrefix,
  };
  evidence.push(
    evidenceAt(
      "requirement",
      `API Management requires ${row.direction.toLowerCase()} ${row.source} -> ${row.destination} ${row.ports.join(", ")}: ${sourcesOf(row).join("; ")}`,
      undefined,
      undefined,
      { id: row.id },
    ),
  );
  return finding(meta, {
    messageId: "reversed",
    data: {
      ...head,
      requiredDirection: row.direction.toLowerCase(),
      purpose: row.purpose,
      protocol: row.protocol.toUpperCase(),
      ports: row.ports.join(", "),
      requiredSource: row.source,
      requiredDestination: row.destination,
      fixedSource: swapped.sourceAddressPrefix ?? "",
      fixedDestination: swapped.destinationAddressPrefix ?? "",
    },
    resource: rule.id,
    src: rule.src,
    evidence,
    changes: changeRuleChanges(nsg, rule, swapped),
  });
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const nsg of ctx.model.networkSecurityGroups) {
      const places = subnetsWhereNsgApplies(ctx.topology, nsg);
      if (places.length === 0) continue;
      for (const rule of nsg.securityRules) {
        const found = misses(ctx, nsg, rule, places);
        if (found) out.push(report(ctx, nsg, rule, found));
      }
    }
    return out;
  },
});
