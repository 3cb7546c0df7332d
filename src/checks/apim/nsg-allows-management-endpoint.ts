/**
 * @module checks/apim/nsg-allows-management-endpoint
 * APIM-INBOUND-MANAGEMENT: the control plane (Azure portal, ARM, PowerShell) reaches an injected instance on
 * TCP 3443 from the ApiManagement service tag (apim-requirements §1.1 row 2, §3.5). When the subnet's NSG denies
 * it, the portal shows APIs "loading" forever and ARM answers `ManagementApiRequestFailed ... :3443`.
 */
import { defineCheck, finding } from "../context.js";
import { requirementsFor } from "../requirements.js";
import type { CheckMeta, Finding } from "../types.js";
import { adminRuleLabel } from "../util/admin-evidence.js";
import { evaluateRequirement, outcomeEvidence, requirementFix } from "../util/nsg-flows.js";

const meta: CheckMeta = {
  id: "APIM-INBOUND-MANAGEMENT",
  name: "nsg-allows-management-endpoint",
  title: "Management traffic on TCP 3443 from ApiManagement is blocked",
  severity: "error",
  category: "nsg",
  summary: "The NSG of the API Management subnet must allow TCP 3443 from the ApiManagement service tag.",
  references: [
    "https://learn.microsoft.com/azure/api-management/virtual-network-reference",
    "https://github.com/Azure/azure-rest-api-specs/issues/10289",
    "https://learn.microsoft.com/azure/api-management/api-management-using-with-vnet",
  ],
  messages: {
    unknown: "Cannot tell whether TCP 3443 from {{tag}} reaches subnet {{subnet}}: {{why}}.",
    denied:
      "TCP 3443 from {{scope}} to subnet {{subnet}} is denied by {{rule}}. The control plane cannot reach the management " +
      "endpoint: this is what makes the Azure portal show APIs loading forever, with ManagementApiRequestFailed ... " +
      "{{service}}.management.azure-api.net:3443.",
  },
};

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    const [row] = requirementsFor(meta.id);
    for (const p of ctx.placements) {
      if (p.kind !== "classic-injection" || !row) continue;
      const outcome = evaluateRequirement(ctx, p, row);
      if (!outcome || outcome.verdict === "Allow") continue;
      // 3443 is required on every platform and in both modes, so the platform assumption does not matter here.
      const evidence = outcomeEvidence(outcome, p);
      const rule = outcome.layer?.ruleName;
      if (outcome.verdict === "Unknown") {
        out.push(
          finding(meta, {
            cannotTell: `whether TCP 3443 from ${outcome.tagLabel} reaches subnet ${p.subnet?.name}`,
            messageId: "unknown",
            data: {
              tag: outcome.tagLabel,
              subnet: p.subnet?.name ?? "",
              why: outcome.unresolved ?? outcome.layer?.detail ?? "the NSG depends on unresolved values",
            },
            resource: p.nsg?.id ?? p.subnet!.id,
            src: outcome.layer?.src ?? outcome.layer?.adminCandidates?.[0]?.src ?? p.nsg?.src ?? p.subnet!.src,
            evidence,
            instance: p.label,
          }),
        );
        continue;
      }
      const scope = outcome.partial ? `part of ${outcome.tagLabel}` : outcome.tagLabel;
      out.push(
        finding(meta, {
          messageId: "denied",
          data: {
            scope,
            subnet: p.subnet?.name ?? "",
            rule: outcome.layer?.adminRule
              ? adminRuleLabel(outcome.layer.adminRule)
              : `${outcome.layer?.nsg?.name ?? "the NSG"} ${rule ?? ""}` +
                `${outcome.layer?.priority !== undefined ? ` (priority ${outcome.layer.priority})` : ""}`,
            service: p.service.name,
          },
          resource: outcome.layer?.adminRule?.id ?? outcome.layer?.nsg?.id ?? p.subnet!.id,
          src: outcome.layer?.src ?? p.nsg?.src,
          evidence,
          changes: requirementFix(ctx, outcome),
          instance: p.label,
        }),
      );
    }
    return out;
  },
});
