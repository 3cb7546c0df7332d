/**
 * @module checks/apim/tier-supports-vnet
 * APIM-SKU-VNET: VNet settings the tier cannot have (apim-requirements §4: classic injection on Developer and
 * Premium; v2 injection on Premium v2; v2 integration on Standard v2 and Premium v2; nothing on Consumption,
 * Basic, Standard, Basic v2), injection and integration mixed up on the v2 tiers (virtualNetworkType Internal is
 * injection, External is integration; the subnet delegation must match: §1.5), and an instance whose subnet the
 * inputs do not contain (then nothing about its network can be checked).
 */

import { displayName } from "../../model/ids.js";
import { howToGive, isUnknown, unknownReason } from "../../model/unknown.js";
import { defineCheck, evidenceAt, type FindingInput, finding } from "../context.js";
import type { MessageData } from "../messages.js";
import { REQUIREMENTS } from "../requirements.js";
import type { CheckMeta, Finding } from "../types.js";
import { virtualNetworkTypeChanges } from "../util/apim-fixes.js";
import { delegationServices, sameService, subnetDelegationChanges } from "../util/subnet.js";
import { tierSupport, tiersWith } from "../util/tiers.js";

const meta: CheckMeta = {
  id: "APIM-SKU-VNET",
  name: "tier-supports-vnet",
  title: "The API Management tier cannot have these virtual network settings",
  severity: "error",
  category: "config",
  summary:
    "VNet injection and integration exist only on some tiers, and on the v2 tiers mode and delegation must agree.",
  references: [
    "https://learn.microsoft.com/azure/api-management/api-management-features",
    "https://learn.microsoft.com/azure/api-management/inject-vnet-v2",
    "https://learn.microsoft.com/azure/api-management/integrate-vnet-outbound",
    "https://learn.microsoft.com/azure/api-management/virtual-network-concepts",
  ],
  // {{give}}: how to give an unresolved value (" (give it with --parameter ...)"), or a default clause.
  messages: {
    modeNone: "{{instance}} names a subnet but its virtualNetworkType is None, so it is not connected to it.",
    tierUnknown:
      "Tier {{tier}} of {{service}} is not in the tier table; whether it can be in a VNet, and which rules apply, is " +
      "Unknown{{give}}.",
    tierHasNoVnet:
      "{{service}} is on the {{tier}} tier, which cannot be in a virtual network, but its virtualNetworkType is {{mode}}. " +
      "VNet injection needs {{injectionTiers}} (or {{v2InjectionTiers}}); outbound VNet integration needs {{integrationTiers}}.",
    v2InternalNeedsInjection:
      "{{service}} is on {{tier}} with virtualNetworkType Internal, which is VNet injection: injection exists only on " +
      "{{v2InjectionTiers}}. {{tier}} supports outbound VNet integration (virtualNetworkType External) with a subnet " +
      "delegated to {{delegation}}.",
    noSubnet:
      "{{instance}} has virtualNetworkType {{mode}} but names no subnet (virtualNetworkConfiguration.subnetResourceId).",
    subnetUnresolved:
      "{{instance}}: its subnet id is unresolved ({{why}}), so nothing about its subnet (NSG, routes, size, delegation) " +
      "can be checked{{give}}.",
    subnetNotInInputs:
      "{{instance}}: its subnet {{subnet}} is not in the inputs, so nothing about its subnet (NSG, routes, size, " +
      "delegation) can be checked{{give}}.",
    delegationMixedUp:
      "{{service}} has virtualNetworkType {{mode}} ({{use}}), which needs subnet {{subnet}} delegated to {{expected}}, " +
      "but it is delegated to {{other}}, the delegation for {{otherUse}}: injection and integration are mixed up. " +
      "Delegate the subnet to {{expected}}, or set virtualNetworkType {{otherMode}} if {{otherUse}} was meant{{note}}.",
  },
};

const { integrationDelegation, injectionDelegation } = REQUIREMENTS.v2;
const NO_VNET =
  "apim-requirements §4 (S28): Consumption, Basic, Standard and Basic v2 have neither VNet injection nor integration";

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.placements) {
      const s = p.service;
      const setting = evidenceAt(
        "resource",
        `${s.name}: sku ${s.sku.name}, virtualNetworkType ${p.mode}${p.subnetId ? `, subnet ${p.subnetId}` : ""}`,
        p.src,
        s.id,
      );
      const report = (input: Partial<FindingInput> & { messageId: string; data: MessageData }) =>
        out.push(finding(meta, { resource: s.id, src: p.src, instance: p.label, evidence: [setting], ...input }));
      const tier = tierSupport(s.sku.name);
      if (p.kind === "none") {
        if (p.subnetId)
          report({
            severity: "info",
            messageId: "modeNone",
            data: { instance: p.label },
          });
      } else if (!tier.known) {
        const name = isUnknown(s.sku.name) ? `(unresolved: ${unknownReason(s.sku.name)})` : s.sku.name;
        const give = isUnknown(s.sku.name) ? howToGive(unknownReason(s.sku.name)) : undefined;
        report({
          cannotTell: `whether tier ${name} of ${s.name} can be in a virtual network`,
          messageId: "tierUnknown",
          data: { tier: name, service: s.name, give: give ? ` (give it with ${give})` : "" },
        });
      } else if (!tier.classicInjection && !tier.v2Injection && !tier.v2Integration) {
        if (p.isPrimary)
          report({
            messageId: "tierHasNoVnet",
            data: {
              service: s.name,
              tier: tier.display,
              mode: String(p.mode),
              injectionTiers: tiersWith("classicInjection"),
              v2InjectionTiers: tiersWith("v2Injection"),
              integrationTiers: tiersWith("v2Integration"),
            },
            evidence: [setting, evidenceAt("resource", NO_VNET, undefined)],
            changes: virtualNetworkTypeChanges(s, "None"),
          });
      } else if (tier.isV2 && p.mode === "Internal" && !tier.v2Injection) {
        report({
          messageId: "v2InternalNeedsInjection",
          data: {
            service: s.name,
            tier: tier.display,
            v2InjectionTiers: tiersWith("v2Injection"),
            delegation: integrationDelegation,
          },
          changes: virtualNetworkTypeChanges(s, "External"),
        });
      } else if (!p.subnetId) {
        report({
          severity: "warning",
          messageId: "noSubnet",
          data: { instance: p.label, mode: String(p.mode) },
        });
      } else if (isUnknown(p.subnetId) || !p.subnet) {
        const give = isUnknown(p.subnetId) ? howToGive(unknownReason(p.subnetId)) : undefined;
        const giveClause = give ? ` (give it with ${give})` : " (give the inputs that declare it)";
        // Unknown, never a pass: every requirement of the subnet is undecided, so this is a warning.
        report({
          cannotTell: `the subnet of ${p.label}`,
          ...(isUnknown(p.subnetId)
            ? {
                messageId: "subnetUnresolved",
                data: { instance: p.label, why: unknownReason(p.subnetId), give: giveClause },
              }
            : {
                messageId: "subnetNotInInputs",
                data: { instance: p.label, subnet: displayName(p.subnetId), give: giveClause },
              }),
        });
      } else if (tier.isV2 && p.vnet) {
        // Mixed up: the subnet carries the other v2 mode's delegation (inject-vnet-v2 / integrate-vnet-outbound).
        const injection = p.kind === "v2-injection";
        const [expected, other] = injection
          ? [injectionDelegation, integrationDelegation]
          : [integrationDelegation, injectionDelegation];
        const services = delegationServices(p.subnet);
        if (services.some((d) => sameService(d, expected)) || !services.some((d) => sameService(d, other))) continue;
        const [mode, otherMode] = injection
          ? ["VNet injection", "integration"]
          : ["outbound VNet integration", "injection"];
        report({
          resource: p.subnet.id,
          src: p.subnet.src,
          messageId: "delegationMixedUp",
          data: {
            service: s.name,
            mode: String(p.mode),
            use: mode,
            subnet: p.subnet.name,
            expected,
            other,
            otherUse: otherMode,
            otherMode: injection ? "External" : "Internal",
            note: tier.v2Injection ? " (Premium v2 cannot switch between the two after creation)" : "",
          },
          evidence: [
            setting,
            evidenceAt(
              "subnet",
              `subnet ${p.subnet.name} delegations: ${services.join(", ")}`,
              p.subnet.src,
              p.subnet.id,
            ),
          ],
          changes: subnetDelegationChanges(p.subnet, p.vnet, [expected]),
        });
      }
    }
    return out;
  },
});
