/**
 * @module model/enums
 * The enum values of the fields the tool reads, in Azure's spelling, and how a written value is matched to
 * one: without regard to case, as ARM compares them (reference part 2 §12, "Case sensitivity of enum
 * strings"). A value that is no member is named with the members listed and the nearest one suggested.
 */

/** `KnownVirtualNetworkType` of the APIM REST API [SDK-APIM]. */
export const VIRTUAL_NETWORK_TYPES = ["None", "External", "Internal"] as const;

/** `KnownSkuType` of the APIM REST API [SDK-APIM]; samples write `Basicv2`, matched without regard to case. */
export const APIM_SKUS = [
  "Developer",
  "Standard",
  "Premium",
  "Basic",
  "Consumption",
  "Isolated",
  "BasicV2",
  "StandardV2",
  "PremiumV2",
] as const;

/** `RouteNextHopType` for user routes (reference §2.3). */
export const NEXT_HOP_TYPES = [
  "VirtualNetworkGateway",
  "VnetLocal",
  "Internet",
  "VirtualAppliance",
  "VirtualApplianceEcmp",
  "None",
] as const;

/** `SecurityRuleProtocol`, `SecurityRuleAccess`, `SecurityRuleDirection` (reference §1.1). */
export const RULE_PROTOCOLS = ["Tcp", "Udp", "Icmp", "Esp", "Ah", "*"] as const;
export const RULE_ACCESS = ["Allow", "Deny"] as const;
export const RULE_DIRECTIONS = ["Inbound", "Outbound"] as const;

/** The member `value` names (case and surrounding spaces ignored), in Azure's spelling; undefined for none. */
export function canonicalMember<T extends string>(members: readonly T[], value: string): T | undefined {
  const wanted = value.trim().toLowerCase();
  return members.find((m) => m.toLowerCase() === wanted);
}

/** Edit distance of two short strings (insertions, deletions, substitutions), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** The member nearest to `value` when it is close enough to be a slip (`Intrnal` → `Internal`). */
export function nearestMember<T extends string>(members: readonly T[], value: string): T | undefined {
  const text = value.trim();
  if (text.length > 64) return undefined;
  let best: { member: T; d: number } | undefined;
  for (const member of members) {
    const d = distance(text, member);
    if (!best || d < best.d) best = { member, d };
  }
  return best && best.d <= Math.max(1, Math.floor(best.member.length / 3)) ? best.member : undefined;
}

/** `'Intrnal' is not one of None, External, Internal (did you mean Internal?)`. */
export function notAMember(members: readonly string[], value: string): string {
  const near = nearestMember(members, value);
  return `'${value}' is not one of ${members.join(", ")}${near ? ` (did you mean ${near}?)` : ""}`;
}
