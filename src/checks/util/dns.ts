/**
 * @module checks/util/dns
 * Checks layer, shared by APIM-BACKEND-UNREACHABLE and APIM-DNS: host names looked up in the Azure Private DNS
 * zones of the inputs (the longest zone that is a suffix of the name holds it; `@` is the zone apex), whether a
 * zone is linked to a VNet (only linked VNets resolve it through Azure DNS), and fixes that add a link or a
 * record (apim-requirements §3.3: Internal mode needs the gateway name mapped to the private VIP).
 */
import { vnetDnsServers } from "../../model/addresses.js";
import { sameResource } from "../../model/ids.js";
import type { PrivateDnsRecordSet, PrivateDnsZone, VirtualNetwork } from "../../model/resources.js";
import { evidenceAt } from "../context.js";
import type { Fix } from "../types.js";
import { bicepName, resourceGroupOf, tfName } from "./fixes.js";
import { armRef, displayId, toBicep } from "./network-fixes.js";
import type { ReachCause } from "./reach.js";

export interface NameLookup {
  zone: PrivateDnsZone;
  /** The record set's name inside the zone (`@` for the apex). */
  relative: string;
  record?: PrivateDnsRecordSet;
}

/** The zone of the inputs that holds `host` (longest suffix), with the record set of that name if any. */
export function lookupName(zones: PrivateDnsZone[], host: string): NameLookup | undefined {
  const name = host.toLowerCase().replace(/\.$/, "");
  let best: PrivateDnsZone | undefined;
  for (const zone of zones) {
    const z = zone.name.toLowerCase();
    if ((name === z || name.endsWith(`.${z}`)) && (!best || z.length > best.name.length)) best = zone;
  }
  if (!best) return undefined;
  const z = best.name.toLowerCase();
  const relative = name === z ? "@" : name.slice(0, name.length - z.length - 1);
  const record = best.records.find(
    (r) => r.name.toLowerCase() === relative && ["A", "AAAA", "CNAME"].includes(r.recordType.toUpperCase()),
  );
  return { zone: best, relative, ...(record ? { record } : {}) };
}

/** True when `zone` has a virtual network link to `vnet`. */
export function zoneLinkedTo(zone: PrivateDnsZone, vnet: VirtualNetwork): boolean {
  return zone.virtualNetworkLinks.some((l) => l.virtualNetwork && sameResource(l.virtualNetwork.id, vnet.id));
}

/**
 * The reason a name of `zone` does not resolve in `vnet` when the zone is not linked to it (an info when the VNet
 * has custom DNS servers, which may resolve it through a link of their own VNet); undefined when linked.
 */
export function unlinkedZoneCause(zone: PrivateDnsZone, vnet: VirtualNetwork, name: string): ReachCause | undefined {
  if (zoneLinkedTo(zone, vnet)) return undefined;
  const custom = vnetDnsServers(vnet).values.length > 0;
  const links = zone.virtualNetworkLinks.map((l) => l.name).join(", ") || "none";
  return {
    severity: custom ? "info" : "warning",
    text: `private DNS zone ${zone.name} is not linked to ${vnet.name}, so Azure DNS there does not resolve ${name}${custom ? " (the VNet's custom DNS servers might)" : ""}`,
    resource: zone.id,
    src: zone.src,
    evidence: [evidenceAt("dns-zone", `zone ${zone.name} links: ${links}`, zone.src, zone.id)],
    fix: zoneLinkFixes(zone, vnet),
  };
}

/** Fixes that link `zone` to `vnet` (resolution only, no auto-registration). */
export function zoneLinkFixes(zone: PrivateDnsZone, vnet: VirtualNetwork): Fix[] {
  const name = `link-${vnet.name}`;
  const properties = { virtualNetwork: { id: armRef(vnet.id) }, registrationEnabled: false };
  const z = bicepName(zone.name);
  return [
    {
      kind: "az-cli",
      text:
        `az network private-dns link vnet create --resource-group ${resourceGroupOf(zone.id)} --zone-name ${zone.name}` +
        ` --name ${name} --virtual-network ${displayId(vnet.id)} --registration-enabled false`,
    },
    {
      kind: "bicep",
      text: [
        `resource ${z} 'Microsoft.Network/privateDnsZones@2020-06-01' existing = {`,
        `  name: '${zone.name}'`,
        "}",
        "",
        `resource ${bicepName(name)} 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {`,
        `  parent: ${z}`,
        `  name: '${name}'`,
        "  location: 'global'",
        `  properties: ${toBicep(properties, "  ")}`,
        "}",
      ].join("\n"),
    },
    {
      kind: "terraform",
      text: [
        `resource "azurerm_private_dns_zone_virtual_network_link" "${tfName(name)}" {`,
        `  name                  = "${name}"`,
        `  resource_group_name   = "${resourceGroupOf(zone.id)}"`,
        `  private_dns_zone_name = "${zone.name}"`,
        `  virtual_network_id    = "${displayId(vnet.id)}"`,
        "}",
      ].join("\n"),
    },
    {
      kind: "arm",
      text: JSON.stringify(
        [
          {
            type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
            apiVersion: "2020-06-01",
            name: `${zone.name}/${name}`,
            location: "global",
            properties,
          },
        ],
        null,
        2,
      ),
    },
  ];
}

/**
 * Fixes that add an A record `relative` in `zone` pointing at the instance's private VIP. Templates do not know
 * the VIP (it is assigned at deployment), so the ARM and Bicep forms read it from the service (`reference()`),
 * and the az form leaves a placeholder.
 */
export function gatewayRecordFixes(zone: PrivateDnsZone, relative: string, serviceName: string): Fix[] {
  const vip = `[reference(resourceId('Microsoft.ApiManagement/service', '${serviceName}'), '2023-05-01-preview').privateIPAddresses[0]]`;
  const properties = { ttl: 3600, aRecords: [{ ipv4Address: vip }] };
  const z = bicepName(zone.name);
  return [
    {
      kind: "az-cli",
      text:
        `az network private-dns record-set a add-record --resource-group ${resourceGroupOf(zone.id)} --zone-name ${zone.name}` +
        ` --record-set-name ${relative} --ipv4-address <private VIP: az apim show -n ${serviceName} --query privateIpAddresses[0]>`,
    },
    {
      kind: "bicep",
      text: [
        `resource ${z} 'Microsoft.Network/privateDnsZones@2020-06-01' existing = {`,
        `  name: '${zone.name}'`,
        "}",
        "",
        `resource ${bicepName(`${relative}-record`)} 'Microsoft.Network/privateDnsZones/A@2020-06-01' = {`,
        `  parent: ${z}`,
        `  name: '${relative}'`,
        `  properties: ${toBicep(properties, "  ")}`,
        "}",
      ].join("\n"),
    },
    {
      kind: "terraform",
      text: [
        `resource "azurerm_private_dns_a_record" "${tfName(relative)}" {`,
        `  name                = "${relative}"`,
        `  zone_name           = "${zone.name}"`,
        `  resource_group_name = "${resourceGroupOf(zone.id)}"`,
        "  ttl                 = 3600",
        `  records             = azurerm_api_management.${tfName(serviceName)}.private_ip_addresses`,
        "}",
      ].join("\n"),
    },
    {
      kind: "arm",
      text: JSON.stringify(
        [
          {
            type: "Microsoft.Network/privateDnsZones/A",
            apiVersion: "2020-06-01",
            name: `${zone.name}/${relative}`,
            properties,
          },
        ],
        null,
        2,
      ),
    },
  ];
}
