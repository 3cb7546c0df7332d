/**
 * @module checks/nsg/nsg-rule-invalid
 * NSG-RULE-INVALID: what Azure refuses in a security rule, and what it accepts but may not read as written
 * (reference §1.1, §1.8, §1.9). The rules themselves are engine/nsg `validateNsg`'s, the one validator of the
 * project: this check turns its diagnostics into findings with the rule's place, Azure's error code, and a fix
 * where one is certain. Errors are what Azure refuses (the run goes on: the refusal is this finding, and the
 * other checks analyse the rest); warnings are what Azure accepts (host bits set, `*` in a port list, an unknown
 * service tag, ...). The info diagnostics (values
 * left unresolved) are not findings: they are not invalid, and every verdict that depends on them says Unknown.
 */

import { validateNsg } from "../../engine/nsg/index.js";
import type { Change } from "../../model/change.js";
import type { Diagnostic } from "../../model/diagnostics.js";
import { parsePrefix } from "../../model/ip.js";
import type { NetworkSecurityGroup, SecurityRule } from "../../model/resources.js";
import { isUnknown } from "../../model/unknown.js";
import { defineCheck, evidenceAt, finding } from "../context.js";
import type { CheckMeta, Finding } from "../types.js";
import { displayId } from "../util/network-fixes.js";
import { changeRuleChanges, nearestFreePriority, type RuleChange } from "../util/rule-fixes.js";

const meta: CheckMeta = {
  id: "NSG-RULE-INVALID",
  name: "nsg-rule-invalid",
  title: "An NSG rule is invalid or may not mean what it says",
  severity: "error",
  category: "nsg",
  summary: "A security rule has a value Azure refuses, or one Azure accepts but may read differently.",
  references: [
    "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules",
    "https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#networking-limits",
  ],
  messages: {
    ruleRefused: "NSG {{nsg}}, rule {{rule}}: {{diagnostic}} Azure refuses to deploy the NSG.",
    ruleQuestionable: "NSG {{nsg}}, rule {{rule}}: {{diagnostic}}",
    nsgRefused: "NSG {{nsg}}: {{diagnostic}} Azure refuses to deploy the NSG.",
    nsgQuestionable: "NSG {{nsg}}: {{diagnostic}}",
  },
};

const canonical = (text: string) => {
  const p = isUnknown(text) ? undefined : parsePrefix(text.trim());
  return p?.hostBitsSet ? p.canonical : text;
};

/** The change that makes Azure read the rule as intended, for the codes where that is certain. */
function changeFor(code: string, nsg: NetworkSecurityGroup, rule: SecurityRule): RuleChange | undefined {
  const taken = () =>
    nsg.securityRules
      .filter((r) => r !== rule && r.direction.toLowerCase() === rule.direction.toLowerCase())
      .map((r) => r.priority);
  switch (code) {
    case "nsg/prefix-host-bits": {
      // Every prefix of the rule with host bits, so that the fixes of several such findings agree.
      const change: RuleChange = {};
      for (const key of ["sourceAddressPrefix", "destinationAddressPrefix"] as const) {
        const text = rule[key];
        if (text && canonical(text) !== text) change[key] = canonical(text);
      }
      for (const key of ["sourceAddressPrefixes", "destinationAddressPrefixes"] as const) {
        const list = rule[key];
        if (list?.some((t) => canonical(t) !== t)) change[key] = list.map(canonical);
      }
      return change;
    }
    case "nsg/SecurityRuleConflict":
    case "nsg/priority-out-of-range": {
      const priority = nearestFreePriority(taken(), rule.priority);
      return priority === undefined ? undefined : { priority };
    }
    case "nsg/SecurityRuleInvalidAddressPrefix": {
      // Only `any` has a certain meaning (`*`, reference §1.9); a malformed CIDR has none.
      const any = (t?: string) => t?.trim().toLowerCase() === "any";
      if (!any(rule.sourceAddressPrefix) && !any(rule.destinationAddressPrefix)) return undefined;
      return {
        ...(any(rule.sourceAddressPrefix) ? { sourceAddressPrefix: "*" } : {}),
        ...(any(rule.destinationAddressPrefix) ? { destinationAddressPrefix: "*" } : {}),
      };
    }
    case "nsg/star-in-port-list":
      return {
        ...(rule.sourcePortRanges?.some((p) => p.trim() === "*") ? { sourcePortRange: "*", sourcePortRanges: [] } : {}),
        ...(rule.destinationPortRanges?.some((p) => p.trim() === "*")
          ? { destinationPortRange: "*", destinationPortRanges: [] }
          : {}),
      };
    case "nsg/description-too-long":
      return { description: rule.description?.slice(0, 140) };
    default:
      return undefined;
  }
}

/** The validator's message (Azure's own wording where known) as a sentence, ids with placeholders. */
function sentence(d: Diagnostic): string {
  const text = displayId(d.message.trim());
  return /[.)]$/.test(text) ? text : `${text}.`;
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    const isServiceTag = (name: string) => ctx.catalog.get(name) !== undefined;
    for (const nsg of ctx.model.networkSecurityGroups) {
      for (const d of validateNsg(nsg, { isServiceTag })) {
        if (d.severity === "info") continue;
        const rule = nsg.securityRules.find((r) => r.src === d.src);
        const change = rule ? changeFor(d.code, nsg, rule) : undefined;
        const fix: Change[] = rule && change ? changeRuleChanges(nsg, rule, change) : [];
        out.push(
          finding(meta, {
            severity: d.severity,
            messageId: `${rule ? "rule" : "nsg"}${d.severity === "error" ? "Refused" : "Questionable"}`,
            data: { nsg: nsg.name, ...(rule ? { rule: rule.name } : {}), diagnostic: sentence(d) },
            resource: rule?.id ?? nsg.id,
            src: d.src ?? nsg.src,
            evidence: [
              evidenceAt("diagnostic", `${d.code}: ${d.message}`, d.src, rule?.id ?? nsg.id, { code: d.code }),
              ...(rule ? [evidenceAt("nsg-rule", `rule ${rule.name} of NSG ${nsg.name}`, rule.src, rule.id)] : []),
            ],
            changes: fix,
          }),
        );
      }
    }
    return out;
  },
});
