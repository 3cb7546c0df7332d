/**
 * @module checks/util/dns
 * Checks layer, shared by APIM-BACKEND-UNREACHABLE and APIM-DNS: host names looked up in the Azure Private DNS
 * zones of the inputs (the longest zone that is a suffix of the name holds it; `@` is the zone apex), whether a
 * zone is linked to a VNet (only linked VNets resolve it through Azure DNS), and fixes that add a link or a
 * record (apim-requirements §3.3: Internal mode needs the gateway name mapped to the private VIP).
 */
import { vnetDnsServers } from "../../model/addresses.js";
import type { Change } from "../../model/change.js";
import { sameResource } from "../../model/ids.js";
import type { PrivateDnsRecordSet, PrivateDnsZone, VirtualNetwork } from "../../model/resources.js";
import { evidenceAt } from "../context.js";
import { addGatewayRecord, linkZone } from "../fix/build.js";
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
    changes: zoneLinkChanges(zone, vnet),
  };
}

/** The change that links `zone` to `vnet` (resolution only, no auto-registration). */
export function zoneLinkChanges(zone: PrivateDnsZone, vnet: VirtualNetwork): Change[] {
  return [linkZone(zone, vnet)];
}

/** The change that adds the gateway's A record to `zone`, pointing at the instance's private address. */
export function gatewayRecordChanges(zone: PrivateDnsZone, relative: string, serviceName: string): Change[] {
  return [addGatewayRecord(zone, relative, serviceName)];
}
