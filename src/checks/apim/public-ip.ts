/**
 * @module checks/apim/public-ip
 * APIM-PUBLIC-IP: a public IP given to an injected instance (publicIpAddressId, per region) must be a Standard
 * SKU, static, IPv4 address in the instance's region; it should carry a DNS name label (normally the instance's
 * name) and, when the instance uses availability zones, cover those zones (apim-requirements §3.2, S4/S6). SKU,
 * allocation, version and region cannot be changed in place, so their fix is a new address; a missing label can
 * be added to the address itself. An id the inputs do not contain gives an info: nothing can be checked.
 */

import type { Change } from "../../model/change.js";
import { displayName } from "../../model/ids.js";
import { isUnknown, unknownReason } from "../../model/unknown.js";
import { defineCheck, evidenceAt, finding } from "../context.js";
import type { CheckMeta, Finding } from "../types.js";
import { dnsLabelChanges, newPublicIpChanges, publicIpProblems } from "../util/public-ip.js";

const meta: CheckMeta = {
  id: "APIM-PUBLIC-IP",
  name: "public-ip",
  title: "The public IP address given to API Management does not meet its requirements",
  severity: "error",
  category: "config",
  summary:
    "A public IP for an injected instance must be Standard SKU, static IPv4, in the same region, with a DNS name label.",
  references: [
    "https://learn.microsoft.com/azure/api-management/api-management-using-with-vnet",
    "https://learn.microsoft.com/azure/api-management/virtual-network-injection-resources",
    "https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses",
  ],
  messages: {
    notInInputs: "The public IP of {{instance}} cannot be checked: public IP {{ip}} is not in the inputs.",
    idUnresolved: "The public IP of {{instance}} cannot be checked: its id is unresolved ({{why}}).",
    notMet: "Public IP {{ip}} of {{instance}} does not meet API Management's requirements: {{problems}}.",
    notMetReplace:
      "Public IP {{ip}} of {{instance}} does not meet API Management's requirements: {{problems}}. SKU, allocation, " +
      "version and region cannot be changed in place: create a new Standard static IPv4 address in the instance's " +
      "region and point the instance at it.",
    unknown: "Cannot tell whether public IP {{ip}} meets API Management's requirements: {{values}} unresolved.",
  },
};

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.placements) {
      const id = p.isPrimary
        ? p.service.publicIpAddressId
        : p.service.additionalLocations.find((l) => l.src === p.src)?.publicIpAddressId;
      if (!id) continue;
      const setting = evidenceAt("resource", `${p.label}: publicIpAddressId ${id}`, p.src, p.service.id);
      const base = { resource: p.service.id, src: p.src, instance: p.label };
      const ip = isUnknown(id) ? undefined : ctx.topology.publicIps.get(id);
      if (!ip) {
        out.push(
          finding(meta, {
            ...base,
            cannotTell: `the public IP of ${p.label}`,
            ...(isUnknown(id)
              ? { messageId: "idUnresolved", data: { instance: p.label, why: unknownReason(id) } }
              : { messageId: "notInInputs", data: { instance: p.label, ip: displayName(id) } }),
            evidence: [setting],
          }),
        );
        continue;
      }
      const { hard, soft, unknown } = publicIpProblems(ip, p);
      const evidence = [
        setting,
        evidenceAt(
          "resource",
          `public IP ${ip.name}: sku ${ip.sku?.name ?? "(none)"}, ${ip.publicIPAllocationMethod ?? "allocation not stated"}, ${ip.publicIPAddressVersion ?? "IPv4"}, ${ip.location ?? "region not stated"}, DNS label ${ip.dnsSettings?.domainNameLabel ?? "(none)"}`,
          ip.src,
          ip.id,
        ),
        ...(ip.sku ? [] : [evidenceAt("assumption", "a public IP without a sku is created as Basic", ip.src)]),
      ];
      if (hard.length || soft.length) {
        const fix: Change[] = hard.length
          ? newPublicIpChanges(ip, p)
          : soft.some((s) => s.includes("DNS"))
            ? dnsLabelChanges(ip, p.service.name.toLowerCase())
            : [];
        out.push(
          finding(meta, {
            severity: hard.length ? "error" : "warning",
            messageId: hard.length ? "notMetReplace" : "notMet",
            data: { ip: ip.name, instance: p.label, problems: [...hard, ...soft].join("; ") },
            resource: ip.id,
            src: ip.src,
            evidence,
            changes: fix,
            instance: p.label,
          }),
        );
      }
      if (unknown.length)
        out.push(
          finding(meta, {
            ...base,
            cannotTell: `whether public IP ${ip.name} meets API Management's requirements`,
            messageId: "unknown",
            data: { ip: ip.name, values: unknown.join(", ") },
            evidence,
          }),
        );
    }
    return out;
  },
});
