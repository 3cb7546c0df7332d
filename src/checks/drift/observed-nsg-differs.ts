/**
 * @module checks/drift/observed-nsg-differs
 * DRIFT-NSG: the effective security rules Azure printed for a NIC (`az network nic list-effective-nsg`, REST
 * `effectiveNetworkSecurityGroups`: one entry per applied NSG, reference §4.4) against the rules of that NSG in
 * the inputs, compared as multisets in Azure's printed form (util/observed-nsg). A rule added or changed in the
 * portal shows as a row on each side. Also where the entry's association names a subnet whose NSG in the inputs
 * is another one. An entry whose NSG the inputs do not hold is a warning that it was not compared.
 */
import { shortName } from "../../model/ids.js";
import { formatSource } from "../../model/source.js";
import { defineCheck, evidenceAt, finding } from "../context.js";
import type { CheckMeta, Evidence, Finding } from "../types.js";
import { notCompared, sameResourceId } from "../util/observed.js";
import { compareNsgRules, type EffectiveRuleRow, ruleText } from "../util/observed-nsg.js";

const meta: CheckMeta = {
  id: "DRIFT-NSG",
  name: "observed-nsg-differs",
  title: "The observed effective security rules differ from the NSG in the inputs",
  severity: "warning",
  category: "nsg",
  summary: "The effective security rules exported from Azure must be those of the NSG the templates declare.",
  references: [
    "https://learn.microsoft.com/azure/virtual-network/diagnose-network-traffic-filter-problem",
    "https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works",
  ],
  messages: {
    differs:
      "The effective security rules of NSG {{nsg}} observed in {{export}} differ from its rules in the inputs: " +
      "{{onlyComputed}} rules only in the inputs, {{onlyObserved}} only observed. The observed rules are what Azure " +
      "runs: NSG checks that follow the inputs may not hold for what is deployed.",
    associationDiffers:
      "Azure applies NSG {{nsg}} at subnet {{subnet}} (observed in {{export}}), but in the inputs that subnet has " +
      "{{modelNsg}}. The NSG checks follow the inputs and may not hold for what is deployed.",
    asgNotCompared:
      "The effective security rules of NSG {{nsg}} observed in {{export}} equal its rules in the inputs except " +
      "{{rules}}, which are not compared: Azure prints application security groups as addresses the inputs do not give.",
    unplaced: "The effective security rules observed in {{export}} are not compared: {{why}}.",
  },
};

function rowEvidence(side: "computed" | "observed", r: EffectiveRuleRow): Evidence {
  const label = side === "computed" ? "only in the inputs" : "only observed";
  return evidenceAt(`${side}-rule`, `${label}: ${ruleText(r)}`, r.src, undefined, r);
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const observed of ctx.model.observed.effectiveNsgs) {
      for (const group of observed.groups) {
        const where = formatSource(group.src);
        const o = { src: group.src, scope: observed.scope };
        const what = `the effective security rules observed in ${where}`;
        if (!group.networkSecurityGroupId) {
          const why = "the entry names no NSG (a Virtual Network Manager entry is not compared here)";
          out.push(notCompared(meta, o, what, "unplaced", why, { why }));
          continue;
        }
        const nsg = ctx.topology.nsgs.get(group.networkSecurityGroupId);
        if (!nsg) {
          const why = `NSG ${shortName(group.networkSecurityGroupId)} is not in the inputs`;
          out.push(notCompared(meta, o, what, "unplaced", why, { why }));
          continue;
        }
        const observedAt = evidenceAt(
          "observed",
          `effective security rules of ${nsg.name} observed in ${where}`,
          group.src,
        );
        const subnet = group.association.subnetId ? ctx.topology.subnets.get(group.association.subnetId) : undefined;
        const modelNsg = subnet?.networkSecurityGroup?.id;
        if (subnet && !(modelNsg && sameResourceId(modelNsg, nsg.id))) {
          out.push(
            finding(meta, {
              messageId: "associationDiffers",
              data: {
                nsg: nsg.name,
                subnet: subnet.name,
                export: where,
                modelNsg: modelNsg ? `NSG ${shortName(modelNsg)}` : "no NSG",
              },
              resource: subnet.id,
              src: group.src,
              evidence: [
                observedAt,
                evidenceAt("subnet", `subnet ${subnet.name} in the inputs`, subnet.src, subnet.id),
              ],
            }),
          );
        }
        const c = compareNsgRules(nsg, group.rules);
        const skipped = c.notCompared.map((name) =>
          evidenceAt(
            "unknown",
            `${name} is not compared: Azure prints its application security groups as addresses the inputs do not give`,
            undefined,
          ),
        );
        if (c.equal) {
          if (c.notCompared.length === 0) continue;
          out.push(
            finding(meta, {
              cannotTell: `whether every rule of NSG ${nsg.name} is as observed in ${where}`,
              messageId: "asgNotCompared",
              data: { nsg: nsg.name, export: where, rules: c.notCompared.join(", ") },
              resource: nsg.id,
              src: group.src,
              evidence: [observedAt, ...skipped],
            }),
          );
          continue;
        }
        out.push(
          finding(meta, {
            messageId: "differs",
            data: {
              nsg: nsg.name,
              export: where,
              onlyComputed: c.onlyComputed.length,
              onlyObserved: c.onlyObserved.length,
            },
            resource: nsg.id,
            src: group.src,
            evidence: [
              observedAt,
              ...c.onlyComputed.map((r) => rowEvidence("computed", r)),
              ...c.onlyObserved.map((r) => rowEvidence("observed", r)),
              ...skipped,
            ],
          }),
        );
      }
    }
    return out;
  },
});
