/**
 * @module checks/util/public-ip
 * Checks layer: what is wrong with a public IP address given to API Management (apim-requirements §3.2), and
 * fixes for it. A DNS name label can be added to the address in place (az network public-ip update --dns-name;
 * the ARM form restates the address with the label). SKU, allocation method, IP version and region cannot be
 * changed in place, so that fix is a new Standard static IPv4 address in the instance's region and the instance
 * pointed at it; it has no ARM form, because pointing the instance at it changes the service resource (see
 * checks/util/apim-fixes).
 */

import type { Change } from "../../model/change.js";
import type { PublicIPAddress } from "../../model/resources.js";
import { isUnknown, unknownReason } from "../../model/unknown.js";
import { newPublicIp, ref, setPublicIpLabel, setServiceProperties } from "../fix/build.js";
import type { ApimPlacement } from "../placements.js";

const region = (text: string | undefined) => (text ?? "").toLowerCase().replace(/[\s_-]/g, "");

/**
 * What is wrong with `ip` for `p`: hard problems (a new address is needed) and a missing label or zones (soft),
 * and what could not be read (unknown).
 */
export function publicIpProblems(
  ip: PublicIPAddress,
  p: ApimPlacement,
): { hard: string[]; soft: string[]; unknown: string[] } {
  const hard: string[] = [];
  const soft: string[] = [];
  const unknown: string[] = [];
  const known = (v: string | undefined, what: string) => {
    if (isUnknown(v)) unknown.push(`${what} (${unknownReason(v!)})`);
    return !isUnknown(v);
  };
  const sku = ip.sku?.name;
  if (known(sku, "its SKU") && sku?.toLowerCase() !== "standard")
    hard.push(sku ? `its SKU is ${sku}, not Standard` : "it names no SKU, so Azure makes it a Basic SKU address");
  const alloc = ip.publicIPAllocationMethod;
  if (known(alloc, "its allocation method") && alloc && alloc.toLowerCase() !== "static")
    hard.push(`its allocation method is ${alloc}, not Static`);
  const version = ip.publicIPAddressVersion;
  if (known(version, "its IP version") && version && version.toLowerCase() !== "ipv4")
    hard.push(`it is an ${version} address; API Management takes IPv4`);
  if (
    known(ip.location, "its region") &&
    known(p.location, "the instance's region") &&
    ip.location &&
    p.location &&
    region(ip.location) !== region(p.location)
  )
    hard.push(`it is in ${ip.location}, not in the instance's region ${p.location}`);
  const label = ip.dnsSettings?.domainNameLabel;
  if (known(label, "its DNS name label") && !label) soft.push("it has no DNS name label (dnsSettings.domainNameLabel)");
  const zones = p.isPrimary
    ? p.service.zones
    : p.service.additionalLocations.find((l) => l.location === p.location)?.zones;
  const missing = (zones ?? []).filter((z) => !(ip.zones ?? []).includes(z));
  if (zones?.length && ip.zones?.length && missing.length)
    soft.push(`the instance uses zones ${zones.join(", ")} but the address covers only ${ip.zones.join(", ")}`);
  return { hard, soft, unknown };
}

/** The change that gives `ip` the DNS name label `label`. */
export function dnsLabelChanges(ip: PublicIPAddress, label: string): Change[] {
  return [setPublicIpLabel(ip, label)];
}

/** The changes that make a new Standard static IPv4 address for `p` and point the instance at it. */
export function newPublicIpChanges(ip: PublicIPAddress, p: ApimPlacement): Change[] {
  const name = `${p.service.name}-${p.location.toLowerCase().replace(/\s+/g, "")}-pip`;
  const zones = p.isPrimary ? p.service.zones : undefined;
  const created = newPublicIp(ip.id, name, p.location, p.service.name.toLowerCase(), zones);
  const index = p.service.additionalLocations.findIndex((l) => l.location === p.location);
  const path = p.isPrimary ? "publicIpAddressId" : `additionalLocations[${index}].publicIpAddressId`;
  return [
    created,
    setServiceProperties(p.service, { [path]: ref(created.op === "create" ? created.resource.id : ip.id) }),
  ];
}
