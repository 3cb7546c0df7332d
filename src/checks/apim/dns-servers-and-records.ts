/**
 * @module checks/apim/dns-servers-and-records
 * APIM-DNS: name resolution for an instance in a VNet. Custom DNS servers of the VNet (dhcpOptions) must be reachable
 * on 53 over UDP and TCP from the instance's subnet (apim-requirements §1.4, §3.3); Azure DNS (168.63.129.16) is a
 * platform address NSGs do not filter (reference §1.5), so it is not checked. In Internal mode nothing is published
 * in public DNS: when the inputs carry Private DNS zones, one of them linked to the instance's VNet must map the
 * gateway name `<name>.azure-api.net` (apim-requirements §3.3, S10).
 */

import { listOf, vnetDnsServers } from "../../model/addresses.js";
import { type CheckContext, defineCheck, evidenceAt, finding } from "../context.js";
import type { ApimPlacement } from "../placements.js";
import type { CheckMeta, Finding } from "../types.js";
import { gatewayRecordChanges, lookupName, unlinkedZoneCause } from "../util/dns.js";
import { mergeChanges, type PriorityBook } from "../util/fixes.js";
import { combineCauses, reachFrom } from "../util/reach.js";
import { unknownValueClause } from "../util/unknowns.js";

const SERVER_TAIL =
  "be reached on port 53 from subnet {{subnet}}: {{causes}} Without it the instance resolves none of its " +
  "dependencies; after fixing, apply the network configuration so the instance picks the servers up.";

const meta: CheckMeta = {
  id: "APIM-DNS",
  name: "dns-servers-and-records",
  title: "Name resolution for API Management is broken",
  severity: "error",
  category: "dns",
  summary:
    "Custom DNS servers must be reachable on 53 from the API Management subnet; in Internal mode the gateway name needs a private DNS record.",
  references: [
    "https://learn.microsoft.com/azure/api-management/virtual-network-reference",
    "https://learn.microsoft.com/azure/api-management/api-management-using-with-internal-vnet#dns-configuration",
    "https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16",
    "https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links",
  ],
  // {{server}} of serverUnknown is "'<text>' " for a value that is no address, else empty; {{customDns}} is the
  // clause that the VNet's custom DNS servers may answer instead, when it has some.
  messages: {
    serverUnknown: "Cannot tell whether DNS server {{server}}of {{vnet}} can be reached on port 53: {{why}}.",
    serverUnreachable: `Custom DNS server {{server}} ({{vnet}} dhcpOptions) cannot ${SERVER_TAIL}`,
    serverMaybeUnreachable: `Custom DNS server {{server}} ({{vnet}} dhcpOptions) may not ${SERVER_TAIL}`,
    noZoneForGateway:
      "{{service}} is in Internal mode, so nothing publishes {{host}}; the inputs have Private DNS zones ({{zones}}) but " +
      "none holds that name{{customDns}}. Create zone azure-api.net (or {{host}}), link it to {{vnet}} and add an A " +
      "record for the private VIP.",
    gatewayUnresolved:
      "{{service}} is in Internal mode and its gateway name {{host}} does not resolve in {{vnet}}: {{why}}{{customDns}}.",
  },
};

/** 168.63.129.16: Azure DNS, served by the host; NSGs do not apply unless a rule names AzurePlatformDNS. */
const AZURE_DNS = "168.63.129.16";

function serverFindings(ctx: CheckContext, p: ApimPlacement, book: PriorityBook): Finding[] {
  const out: Finding[] = [];
  const vnet = p.vnet!;
  const servers = vnetDnsServers(vnet);
  const texts = servers.values.map((v) => v.text);
  const declared = evidenceAt("vnet", `${vnet.name} dhcpOptions.dnsServers: ${texts.join(", ")}`, vnet.src, vnet.id);
  for (const value of servers.values) {
    const server = value.text.trim();
    if (server === AZURE_DNS) continue;
    if (value.kind !== "prefix") {
      // Unknown, never a pass: the instance resolves nothing if this server cannot be reached.
      const named = value.kind === "invalid" ? `'${value.text}' ` : "";
      out.push(
        finding(meta, {
          cannotTell: `whether DNS server ${named}of ${vnet.name} can be reached on port 53`,
          messageId: "serverUnknown",
          data: { server: named, vnet: vnet.name, why: unknownValueClause(listOf([value]), "it") },
          resource: vnet.id,
          src: value.src,
          evidence: [declared],
          instance: p.label,
        }),
      );
      continue;
    }
    const target = {
      address: server,
      port: 53,
      protocols: ["Udp" as const, "Tcp" as const],
      label: `DNS server ${server}`,
    };
    const { causes, context } = reachFrom(ctx, p, target, book);
    if (causes.length === 0) continue;
    const { main, sentence, evidence, changes } = combineCauses(causes);
    out.push(
      finding(meta, {
        severity: main.severity,
        messageId: main.severity === "error" ? "serverUnreachable" : "serverMaybeUnreachable",
        data: { server, vnet: vnet.name, subnet: p.subnet!.name, causes: sentence },
        resource: main.resource,
        src: main.src ?? vnet.src,
        evidence: [declared, ...evidence, ...context],
        changes,
        instance: p.label,
      }),
    );
  }
  return out;
}

function gatewayRecordFinding(ctx: CheckContext, p: ApimPlacement): Finding | undefined {
  const vnet = p.vnet!;
  const host = `${p.service.name}.azure-api.net`.toLowerCase();
  const custom = vnetDnsServers(vnet).values.some((v) => v.text.trim() !== AZURE_DNS);
  const severity = custom ? "info" : "warning";
  const customDns = custom ? " (the VNet's custom DNS servers may answer for it instead)" : "";
  const zones = ctx.model.privateDnsZones;
  const found = lookupName(zones, host);
  const base = { severity, resource: p.service.id, src: p.service.src, instance: p.label } as const;
  if (!found) {
    return finding(meta, {
      ...base,
      messageId: "noZoneForGateway",
      data: {
        service: p.service.name,
        host,
        zones: zones.map((z) => z.name).join(", "),
        customDns,
        vnet: vnet.name,
      },
      evidence: zones.map((z) => evidenceAt("dns-zone", `private DNS zone ${z.name}`, z.src, z.id)),
    });
  }
  const unlinked = unlinkedZoneCause(found.zone, vnet, host);
  if (found.record && !unlinked) return undefined;
  const missing = found.record ? [] : [`zone ${found.zone.name} has no record ${found.relative}`];
  return finding(meta, {
    ...base,
    messageId: "gatewayUnresolved",
    data: {
      service: p.service.name,
      host,
      vnet: vnet.name,
      why: [...missing, ...(unlinked ? [unlinked.text] : [])].join("; "),
      customDns,
    },
    resource: found.zone.id,
    src: found.record?.src ?? found.zone.src,
    evidence: [
      evidenceAt("dns-zone", `private DNS zone ${found.zone.name}`, found.zone.src, found.zone.id),
      ...(unlinked?.evidence ?? []),
    ],
    changes: mergeChanges([
      found.record ? [] : gatewayRecordChanges(found.zone, found.relative, p.service.name),
      unlinked?.changes ?? [],
    ]),
  });
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    const book = ctx.priorities;
    for (const p of ctx.placements) {
      if (!p.subnet || !p.vnet || p.kind === "none") continue;
      out.push(...serverFindings(ctx, p, book));
      const internal = (p.kind === "classic-injection" && p.mode === "Internal") || p.kind === "v2-injection";
      // The gateway name belongs to the primary region; additional regions have their own regional names.
      if (internal && p.isPrimary && ctx.model.privateDnsZones.length > 0) {
        const f = gatewayRecordFinding(ctx, p);
        if (f) out.push(f);
      }
    }
    return out;
  },
});
