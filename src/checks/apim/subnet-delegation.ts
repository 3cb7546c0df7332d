/**
 * @module checks/apim/subnet-delegation
 * APIM-SUBNET-DELEGATION: a classic-tier instance (Developer, Premium) needs a subnet with no delegation
 * ("Delegate subnet to a service" = None: apim-requirements §3.1, S6/S7); a v2 subnet must be delegated to
 * Microsoft.Web/serverFarms for outbound integration (S15) or Microsoft.Web/hostingEnvironments for Premium v2
 * injection (S14). A v2 subnet carrying the other v2 mode's delegation is left to APIM-SKU-VNET, which reports
 * the mix-up of injection and integration; a tier that cannot have the mode at all is also APIM-SKU-VNET's.
 */

import { defineCheck, evidenceAt, finding } from "../context.js";
import type { MessageData } from "../messages.js";
import { REQUIREMENTS } from "../requirements.js";
import type { CheckMeta, Finding } from "../types.js";
import { delegationServices, sameService, subnetDelegationChanges } from "../util/subnet.js";
import { tierSupport } from "../util/tiers.js";

const meta: CheckMeta = {
  id: "APIM-SUBNET-DELEGATION",
  name: "subnet-delegation",
  title: "The API Management subnet has the wrong delegation",
  severity: "error",
  category: "config",
  summary:
    "Classic tiers need an undelegated subnet; v2 tiers need the subnet delegated to the Microsoft.Web service of their mode.",
  references: [
    "https://learn.microsoft.com/azure/api-management/virtual-network-injection-resources",
    "https://learn.microsoft.com/azure/api-management/integrate-vnet-outbound",
    "https://learn.microsoft.com/azure/api-management/inject-vnet-v2",
    "https://learn.microsoft.com/azure/virtual-network/manage-subnet-delegation",
  ],
  messages: {
    classicDelegated:
      "Subnet {{subnet}} is delegated to {{delegations}}, but a {{tier}} instance injected in a VNet needs a subnet with " +
      'no delegation ("Delegate subnet to a service" = None); {{service}} cannot be deployed into it.',
    v2Delegated:
      "Subnet {{subnet}} is delegated to {{delegations}}, but {{tier}} {{use}} (virtualNetworkType {{mode}}) needs it " +
      "delegated to {{expected}}.",
    v2NotDelegated:
      "Subnet {{subnet}} is not delegated, but {{tier}} {{use}} (virtualNetworkType {{mode}}) needs it delegated to " +
      "{{expected}}.",
  },
};

const { integrationDelegation, injectionDelegation } = REQUIREMENTS.v2;

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const p of ctx.placements) {
      if (!p.subnet || !p.vnet || p.kind === "none" || seen.has(p.subnet.id.toLowerCase())) continue;
      const tier = tierSupport(p.service.sku.name);
      const services = delegationServices(p.subnet);
      const subnet = p.subnet;
      const evidence = [
        evidenceAt(
          "resource",
          `${p.service.name}: sku ${p.service.sku.name}, virtualNetworkType ${p.mode}`,
          p.src,
          p.service.id,
        ),
        evidenceAt(
          "subnet",
          `subnet ${subnet.name} delegations: ${services.length ? services.join(", ") : "none"}`,
          subnet.src,
          subnet.id,
        ),
      ];
      let message: { messageId: string; data: MessageData } | undefined;
      let wanted: string[] = [];
      if (p.kind === "classic-injection" && tier.classicInjection) {
        if (services.length === 0) continue;
        message = {
          messageId: "classicDelegated",
          data: { subnet: subnet.name, delegations: services.join(", "), tier: tier.display, service: p.service.name },
        };
      } else if (
        (p.kind === "v2-injection" && tier.v2Injection) ||
        (p.kind === "v2-integration" && tier.v2Integration)
      ) {
        const injection = p.kind === "v2-injection";
        const [expected, other] = injection
          ? [injectionDelegation, integrationDelegation]
          : [integrationDelegation, injectionDelegation];
        if (services.some((d) => sameService(d, expected)) || services.some((d) => sameService(d, other))) continue;
        wanted = [expected];
        const use = injection ? "VNet injection" : "outbound VNet integration";
        const wants = { subnet: subnet.name, tier: tier.display, use, mode: String(p.mode), expected };
        message = services.length
          ? { messageId: "v2Delegated", data: { ...wants, delegations: services.join(", ") } }
          : { messageId: "v2NotDelegated", data: wants };
      }
      if (!message) continue;
      seen.add(subnet.id.toLowerCase());
      out.push(
        finding(meta, {
          ...message,
          resource: subnet.id,
          src: subnet.src,
          evidence,
          changes: subnetDelegationChanges(subnet, p.vnet, wanted),
          instance: p.label,
        }),
      );
    }
    return out;
  },
});
