/**
 * @module engine/nsg/platform
 * Engine layer: the platform addresses NSGs do not filter (reference §1.5). 168.63.129.16 (Azure DNS,
 * WireServer, DHCP, health probes) and 169.254.169.254 (IMDS) are served by the host; NSGs do not apply to
 * that traffic unless a rule names one of the platform service tags AzurePlatformDNS, AzurePlatformIMDS or
 * AzurePlatformLKM.
 *
 * Decisions where the reference is silent (documented, never silent in answers: layers.ts marks the layer
 * with the note "platform"):
 * - Only outbound traffic *to* these addresses bypasses the NSG. Inbound health probes *from* 168.63.129.16
 *   are evaluated and match AllowAzureLoadBalancerInBound (reference §1.5, last point).
 * - The exemption is lifted per address and per NSG: a rule of that NSG, in the flow's direction, naming
 *   AzurePlatformDNS lifts it for 168.63.129.16, one naming AzurePlatformIMDS for 169.254.169.254. The
 *   AzurePlatformLKM tag concerns Windows licensing (KMS, port 1688), which uses neither address, so it
 *   lifts neither.
 */
import { AddressSet } from "../ip/address-set.js";
import type { CompiledNsg } from "./compiled.js";
import type { Direction, IpValue } from "./types.js";

export interface PlatformAddress {
  address: string;
  value: number;
  /** The service tag whose use in a rule makes the NSG filter this address. */
  tag: string;
  purpose: string;
}

export const PLATFORM_ADDRESSES: readonly PlatformAddress[] = [
  { address: "168.63.129.16", value: 0xa83f8110, tag: "AzurePlatformDNS", purpose: "Azure DNS, WireServer, DHCP" },
  { address: "169.254.169.254", value: 0xa9fea9fe, tag: "AzurePlatformIMDS", purpose: "Instance Metadata Service" },
];

/** The platform tags of reference §1.5, lower-cased. */
export const PLATFORM_TAGS: readonly string[] = ["azureplatformdns", "azureplatformimds", "azureplatformlkm"];

function namesTag(nsg: CompiledNsg, direction: Direction, tag: string): boolean {
  const wanted = tag.toLowerCase();
  // The order alone holds the rules: building the bitset tables here was half of the report's page data (issue 17).
  return nsg
    .ordered(direction)
    .rules.some((r) => r.tags.some((t) => t.toLowerCase() === wanted || t.toLowerCase().startsWith(`${wanted}.`)));
}

/** The platform address `destination` is, when `nsg` does not filter traffic to it in `direction`. */
export function platformBypass(
  nsg: CompiledNsg,
  direction: Direction,
  destination: IpValue,
): PlatformAddress | undefined {
  if (direction !== "Outbound" || typeof destination !== "number") return undefined;
  const hit = PLATFORM_ADDRESSES.find((p) => p.value === destination);
  return hit && !namesTag(nsg, direction, hit.tag) ? hit : undefined;
}

/** The platform addresses `nsg` does not filter in `direction`, as a set (empty for inbound). */
export function bypassedAddresses(
  nsg: CompiledNsg,
  direction: Direction,
): { set: AddressSet; which: PlatformAddress[] } {
  if (direction !== "Outbound") return { set: AddressSet.EMPTY, which: [] };
  const which = PLATFORM_ADDRESSES.filter((p) => !namesTag(nsg, direction, p.tag));
  return { set: which.length ? AddressSet.parse(...which.map((p) => p.address)) : AddressSet.EMPTY, which };
}

/** The note text for a bypassed layer. */
export function bypassDetail(which: readonly PlatformAddress[]): string {
  const list = which.map((p) => `${p.address} (${p.purpose}; filtered only when a rule uses ${p.tag})`).join(", ");
  return `outbound traffic to ${list} is not filtered by NSGs (reference §1.5)`;
}
