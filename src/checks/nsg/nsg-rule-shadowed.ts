/**
 * @module checks/nsg/nsg-rule-shadowed
 * NSG-RULE-SHADOWED: a user rule that can never match, because rules evaluated before it (lower priority numbers,
 * same direction) decide every flow it covers (reference §1.3: first match wins). Worst when the hidden rule has
 * the opposite access: an allow that was meant to open a port does nothing. Exact (util/rule-shadowing). An NSG
 * is evaluated for each subnet it is attached to (directly or through a NIC), because VirtualNetwork, Internet
 * and AzureLoadBalancer differ by subnet; an NSG attached nowhere is evaluated without them. What a rule hidden
 * everywhere gets (a delete, never a move up; a required rule explained, never deleted) is decided in
 * util/shadow-fixes.
 */

import type { CompiledNsg } from "../../engine/nsg/compiled.js";
import type { NormalizedRule } from "../../engine/nsg/types.js";
import type { SecurityRule, Subnet } from "../../model/resources.js";
import { type CheckContext, defineCheck, evidenceAt, finding } from "../context.js";
import type { CheckMeta, Finding } from "../types.js";
import { type Shadowing, shadowedRules, subnetsWhereNsgApplies } from "../util/rule-shadowing.js";
import { judgeShadowed } from "../util/shadow-fixes.js";

const meta: CheckMeta = {
  id: "NSG-RULE-SHADOWED",
  name: "nsg-rule-shadowed",
  title: "An NSG rule can never match",
  severity: "warning",
  category: "nsg",
  summary: "Earlier rules of the same direction decide every flow of this rule, so it never takes effect.",
  references: [
    "https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works",
    "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules",
    "https://learn.microsoft.com/azure/api-management/virtual-network-reference",
    "https://learn.microsoft.com/azure/bastion/bastion-nsg",
    "https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure",
  ],
  // {{opposite}} and {{judgement}} are sentences that follow when they apply (empty otherwise): that the hiding
  // rules have the opposite access, and util/shadow-fixes' judgement of what to do.
  messages: {
    neverMatches:
      "NSG {{nsg}}: {{direction}} rule {{rule}} can never match: {{covering}} {{decide}} all its flows first.{{opposite}}{{judgement}}",
    neverMatchesSomewhere:
      "NSG {{nsg}}: {{direction}} rule {{rule}} never matches in some of the places the NSG applies ({{where}}): {{covering}} {{decide}} its flows first there.{{opposite}}",
    mayNeverMatch:
      "NSG {{nsg}}: {{direction}} rule {{rule}} may never match: {{uncertain}} may take its flows first, which cannot be decided (Unknown).{{opposite}}",
  },
};

const PORTLESS = "it names ports, and how Azure matches port fields on ICMP, ESP and AH flows is not documented";

const label = (r: NormalizedRule) => `${r.ruleName} (priority ${r.priority}, ${r.access})`;

function placeText(ctx: CheckContext, subnets: (Subnet | undefined)[]): string {
  if (subnets[0] === undefined) {
    return "the NSG is attached to no subnet or NIC in the inputs, so it was evaluated without the virtual tags (VirtualNetwork, AzureLoadBalancer, Internet); rules that use them were not judged";
  }
  const names = subnets.map((s) => `${ctx.topology.vnetOf(s!)?.name ?? "?"}/${s!.name}`);
  return `evaluated for subnet${names.length > 1 ? "s" : ""} ${names.join(", ")}`;
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const nsg of ctx.model.networkSecurityGroups) {
      const places: (Subnet | undefined)[] = subnetsWhereNsgApplies(ctx.topology, nsg);
      if (places.length === 0) places.push(undefined);
      const byRule = new Map<SecurityRule, { place: Subnet | undefined; s: Shadowing }[]>();
      // Places whose virtual tags are the same read the NSG the same way: analyse each reading once.
      const results = new Map<string, Shadowing[]>();
      for (const place of places) {
        const key = ctx.engine.placeKey(place);
        let found = results.get(key);
        if (!found) {
          const compiled: CompiledNsg = ctx.engine.compileNsg(nsg, place);
          found = shadowedRules(compiled);
          results.set(key, found);
        }
        for (const s of found) byRule.set(s.rule.rule, [...(byRule.get(s.rule.rule) ?? []), { place, s }]);
      }
      for (const [rule, hits] of byRule) {
        const { s } = hits[0]!;
        const everywhere = hits.length === places.length && hits.every((h) => h.s.kind === "shadowed");
        const covering = [...new Set(hits.flatMap((h) => h.s.covering))];
        const uncertain = [...new Set(hits.flatMap((h) => h.s.uncertain))];
        const opposite = covering.filter((c) => c.access !== s.rule.access);
        const where = placeText(
          ctx,
          hits.map((h) => h.place),
        );
        const opposed = opposite.length
          ? ` ${opposite.map((c) => c.ruleName).join(" and ")} ${opposite.length > 1 ? "have" : "has"} the opposite access: the traffic this rule ${s.rule.access === "Allow" ? "allows is denied" : "denies is allowed"}.`
          : "";
        const about = { nsg: nsg.name, direction: s.direction.toLowerCase(), rule: label(s.rule) };
        const decidedBy = {
          covering: covering.map(label).join(" and "),
          decide: covering.length > 1 ? "decide" : "decides",
        };
        // Only a rule hidden everywhere gets a judgement and a fix (module note of util/shadow-fixes).
        const judged = everywhere ? judgeShadowed(ctx, nsg, rule, hits, covering) : undefined;
        out.push(
          finding(meta, {
            severity: judged?.severity ?? "info",
            ...(everywhere
              ? {
                  messageId: "neverMatches",
                  data: { ...about, ...decidedBy, opposite: opposed, judgement: judged?.text ?? "" },
                }
              : hits.some((h) => h.s.kind === "shadowed")
                ? { messageId: "neverMatchesSomewhere", data: { ...about, where, ...decidedBy, opposite: opposed } }
                : {
                    messageId: "mayNeverMatch",
                    data: { ...about, uncertain: uncertain.map((r) => r.ruleName).join(", "), opposite: opposed },
                  }),
            resource: rule.id,
            src: rule.src,
            evidence: [
              evidenceAt("nsg-rule", `shadowed: ${label(s.rule)}`, rule.src, rule.id),
              ...covering.map((c) => evidenceAt("nsg-rule", `decides first: ${label(c)}`, c.src, c.rule.id)),
              ...uncertain.map((c) =>
                evidenceAt(
                  "unknown",
                  `may match first: ${label(c)}: ${c.unresolved.join("; ") || PORTLESS}`,
                  c.src,
                  c.rule.id,
                ),
              ),
              evidenceAt("place", where, undefined),
              ...(s.portlessLeftOut
                ? [
                    evidenceAt(
                      "assumption",
                      "the rule names ports: its ICMP, ESP and AH flows (no ports) were not judged",
                      undefined,
                    ),
                  ]
                : []),
              ...(judged?.evidence ?? []),
            ],
            changes: judged?.changes ?? [],
          }),
        );
      }
    }
    return out;
  },
});
