/**
 * @module checks/util/admin-evidence
 * Checks layer: how findings name a Virtual Network Manager security admin rule that decided (or may decide) a
 * flow (reference part 2 §10.3: "checks must evaluate admin rules first and name the admin rule as evidence"):
 * the rule with its access and priority, and the network manager, configuration and rule collection above it,
 * so the reader knows the NSG is not where to change it.
 */
import type { AdminRuleRef } from "../../engine/nsg/admin.js";
import type { LayerResult } from "../../engine/nsg/index.js";
import { evidenceAt } from "../context.js";
import type { Evidence } from "../types.js";

/** `security admin rule deny-3443 (Deny, priority 10) of network manager nm / sac / rc`. */
export function adminRuleLabel(r: AdminRuleRef): string {
  return `security admin rule ${r.ruleName} (${r.access}, priority ${r.priority}) of network manager ${r.networkManager.name}, configuration ${r.securityAdminConfiguration.name}, rule collection ${r.ruleCollection.name}`;
}

/** Evidence for an admin layer: the deciding admin rule, or each that may decide and why; empty for other layers. */
export function adminEvidence(layer: LayerResult | undefined): Evidence[] {
  if (layer?.scope !== "admin") return [];
  const data = (r: AdminRuleRef) => ({
    ruleName: r.ruleName,
    priority: r.priority,
    access: r.access,
    networkManager: r.networkManager.name,
    securityAdminConfiguration: r.securityAdminConfiguration.name,
    ruleCollection: r.ruleCollection.name,
  });
  if (layer.adminRule) {
    const r = layer.adminRule;
    const out = [evidenceAt("admin-rule", `${adminRuleLabel(r)}: ${r.access}`, r.src, r.id, data(r))];
    // Why no NSG fix is offered: no NSG rule is consulted after an admin Deny (reference part 2 §10.2).
    if (r.access === "Deny")
      out.push(
        evidenceAt(
          "admin-rule",
          `no NSG rule can override it: the fix is in network manager ${r.networkManager.name} (change the rule, or allow the flow with a rule of a lower priority number in a configuration committed to the region)`,
          undefined,
        ),
      );
    return out;
  }
  const out = (layer.adminCandidates ?? []).map((r) =>
    evidenceAt("admin-rule", `may decide: ${adminRuleLabel(r)}`, r.src, r.id, data(r)),
  );
  if (layer.detail) out.push(evidenceAt("unknown", layer.detail, undefined));
  return out;
}
