/**
 * @module checks/apim/nsg-allows-client-traffic
 * APIM-INBOUND-CLIENT: in External mode clients reach the gateway and the portals from the Internet on TCP 443
 * (and 80 when HTTP is used) through the public load balancer (apim-requirements §1.1 row 1). When the subnet's
 * NSG denies 443 from all of the Internet the instance is unreachable from outside: an error. When it lets in
 * only part of the Internet (a corporate range, a CDN), the restriction may well be deliberate: an info that
 * says which part is allowed. Port 80 is shown in brackets in the docs (only when HTTP is used): info.
 */
import { defineCheck, evidenceAt, finding } from "../context.js";
import { requirementsFor } from "../requirements.js";
import type { CheckMeta, Finding } from "../types.js";
import { evaluateRequirement, outcomeEvidence } from "../util/nsg-flows.js";
import {
  denialClause,
  farAddresses,
  HOST_ADDRESSES,
  moreDenyingEvidence,
  ROW_MESSAGES,
  rowFinding,
} from "../util/requirement-findings.js";

const meta: CheckMeta = {
  id: "APIM-INBOUND-CLIENT",
  name: "nsg-allows-client-traffic",
  title: "Client traffic from the Internet to an External instance is blocked",
  severity: "error",
  category: "nsg",
  summary:
    "In External mode the NSG of the API Management subnet must allow TCP 443 (and 80 if HTTP is used) from Internet.",
  references: [
    "https://learn.microsoft.com/azure/api-management/virtual-network-reference",
    "https://learn.microsoft.com/azure/api-management/api-management-using-with-vnet",
  ],
  messages: {
    ...ROW_MESSAGES,
    partlyAllowed:
      "TCP {{ports}} from Internet reaches subnet {{subnet}} only from {{allowed}}{{allowedBy}}; the rest of Internet is " +
      "denied by {{rules}}. Clients elsewhere cannot reach the {{endpoints}}; nothing to do if this restriction is deliberate.",
  },
};

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.placements) {
      if (p.kind !== "classic-injection" || p.mode !== "External") continue;
      for (const row of requirementsFor(meta.id)) {
        const outcome = evaluateRequirement(ctx, p, row);
        if (!outcome || outcome.verdict === "Allow") continue;
        const https = row.id === "client-https";
        // No client comes from the host's virtual IP, which the Internet and VirtualNetwork tags both hold
        // (reference §1.4, §1.5): AllowVnetInBound letting it in is no client access.
        const allowed = farAddresses(outcome, "Allow").subtract(HOST_ADDRESSES);
        if (outcome.verdict === "Deny" && !allowed.isEmpty()) {
          // Some clients get in: report what is allowed, without a fix (the restriction may be deliberate).
          const rules = [
            ...new Set(outcome.decision.parts.filter((x) => x.verdict === "Allow").map((x) => x.ruleName ?? "")),
          ].filter((n) => n !== "");
          out.push(
            finding(meta, {
              severity: "info",
              messageId: "partlyAllowed",
              data: {
                ports: row.ports.join(", "),
                subnet: p.subnet?.name ?? "",
                allowed: allowed.toString(),
                allowedBy: rules.length ? ` (allowed by ${rules.join(", ")})` : "",
                rules: denialClause(outcome),
                endpoints: https ? "gateway and the portals" : "HTTP endpoints",
              },
              resource: outcome.layer?.nsg?.id ?? p.subnet!.id,
              src: outcome.layer?.src ?? p.nsg?.src,
              evidence: [
                ...outcomeEvidence(outcome, p).filter((e) => e.kind !== "addresses"),
                ...moreDenyingEvidence(outcome),
                evidenceAt("addresses", `allowed part of Internet: ${allowed.toString()}`, undefined),
              ],
              instance: p.label,
            }),
          );
          continue;
        }
        const f = rowFinding(meta, ctx, p, outcome, {
          severity: https ? "error" : "info",
          unknownSeverity: https ? "warning" : "info",
          consequence: https
            ? "Clients on the Internet cannot reach the gateway or the developer portal of this External instance."
            : "Clients using plain HTTP cannot reach the gateway; this matters only if HTTP is used (the docs show 80 in brackets).",
        });
        if (f) out.push(f);
      }
    }
    return out;
  },
});
