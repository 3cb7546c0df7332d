/**
 * @module checks/apim/subnet-has-nsg
 * APIM-SUBNET-NSG-MISSING: the subnet of an instance in a VNet has no NSG. For classic injection on stv2 the
 * instance sits behind a Standard load balancer, which is secure by default and accepts no inbound traffic until
 * an NSG is associated (apim-requirements §1.1 note, §1.2 notes); the v2 tiers require an NSG for injection and
 * integration alike (§1.5). The retired stv1 platform used a Basic load balancer and did not need one: info.
 */

import { isUnknown } from "../../model/unknown.js";
import { defineCheck, evidenceAt, finding } from "../context.js";
import { type ApimPlacement, platformNote } from "../placements.js";
import type { CheckMeta, Finding, Severity } from "../types.js";
import { newNsgChanges, newRules, requiredRows } from "../util/nsg-create-fixes.js";

const meta: CheckMeta = {
  id: "APIM-SUBNET-NSG-MISSING",
  name: "subnet-has-nsg",
  title: "The API Management subnet has no network security group",
  severity: "error",
  category: "nsg",
  summary: "The subnet of an API Management instance in a VNet must have an NSG associated.",
  references: [
    "https://learn.microsoft.com/azure/api-management/virtual-network-reference",
    "https://learn.microsoft.com/azure/api-management/inject-vnet-v2",
    "https://learn.microsoft.com/azure/api-management/integrate-vnet-outbound",
  ],
  messages: {
    missingClassic:
      "Subnet {{subnet}} of {{instance}} has no NSG. Its Standard load balancer accepts no inbound traffic without one: " +
      "the gateway, the portals and the management endpoint on 3443 are unreachable.",
    missingV2: "Subnet {{subnet}} of {{instance}} has no NSG. The v2 tiers require one on the subnet.",
    missingStv1:
      "Subnet {{subnet}} of {{instance}} has no NSG. stv1 did not require one, but an NSG with the documented rules is " +
      "still recommended.",
  },
};

function severityOf(p: ApimPlacement): { severity: Severity; why: string } {
  if (p.kind !== "classic-injection") {
    return { severity: "error", why: "the v2 tiers require an NSG on the subnet for injection and integration (§1.5)" };
  }
  if (p.platform === "stv1") {
    return { severity: "info", why: "stv1 used a Basic load balancer; only stv2 requires an NSG (§1.2 notes)" };
  }
  return {
    severity: "error",
    why: "stv2 runs behind a Standard load balancer, which accepts no inbound traffic until an NSG is associated (§1.1 note)",
  };
}

/** A name for the new NSG that no NSG of the inputs has. */
function freshName(ctx: { model: { networkSecurityGroups: { name: string }[] } }, subnet: string): string {
  const taken = new Set(ctx.model.networkSecurityGroups.map((n) => n.name.toLowerCase()));
  let name = `nsg-${subnet}`;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `nsg-${subnet}-${i}`;
  return name;
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.placements) {
      // Without the subnet in the inputs nothing can be said; an NSG reference that is unresolved is not "none".
      if (p.kind === "none" || !p.subnet || !p.vnet) continue;
      if (p.subnet.networkSecurityGroup || isUnknown(p.subnet.id)) continue;
      const { severity, why } = severityOf(p);
      const rows = requiredRows(p);
      const name = freshName(ctx, p.subnet.name);
      out.push(
        finding(meta, {
          severity,
          messageId:
            severity !== "error" ? "missingStv1" : p.kind === "classic-injection" ? "missingClassic" : "missingV2",
          data: { subnet: `${p.vnet.name}/${p.subnet.name}`, instance: p.label },
          resource: p.subnet.id,
          src: p.subnet.src,
          evidence: [
            evidenceAt(
              "subnet",
              `subnet ${p.vnet.name}/${p.subnet.name}: no networkSecurityGroup`,
              p.subnet.src,
              p.subnet.id,
            ),
            evidenceAt("requirement", `severity ${severity}: ${why}`, undefined),
            evidenceAt("assumption", platformNote(p), undefined),
            evidenceAt(
              "fix",
              `the new NSG ${name} holds the rules required for ${p.kind === "classic-injection" ? `${p.mode} mode on ${p.platform}` : "the v2 tiers"}: ${rows.map((r) => r.id).join(", ")}`,
              undefined,
            ),
          ],
          changes: newNsgChanges(p.vnet, p.subnet, name, newRules(rows)),
          instance: p.label,
        }),
      );
    }
    return out;
  },
});
