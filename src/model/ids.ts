/**
 * @module model/ids
 * ARM resource ids: building, parsing and comparing them. Azure compares ids case-insensitively, and inputs
 * disagree on the subscription and resource group (a template says `[subscription().subscriptionId]`, an export
 * the real GUID), so references are matched first on the whole id and then on the provider path alone.
 */

export const DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
export const DEFAULT_RESOURCE_GROUP = "resourceGroup";

/**
 * Builds `/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}[/{childType}/{childName}...]`
 * from a full type (`Microsoft.Network/virtualNetworks/subnets`) and one name per type segment.
 */
export function buildResourceId(
  fullType: string,
  names: string[],
  subscriptionId = DEFAULT_SUBSCRIPTION,
  resourceGroup = DEFAULT_RESOURCE_GROUP,
): string {
  const [namespace, ...types] = fullType.split("/");
  let path = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${namespace}`;
  types.forEach((t, i) => {
    path += `/${t}/${names[i] ?? ""}`;
  });
  return path;
}

export interface ParsedResourceId {
  subscriptionId?: string;
  resourceGroup?: string;
  /** `Microsoft.Network/virtualNetworks/subnets` */
  type: string;
  /** One name per type segment: `["vnet1", "subnet1"]`. */
  names: string[];
}

/**
 * Parses an ARM id; undefined when it has no `providers/` part. One pass over the segments, lower-casing only
 * those as long as `providers`, `subscriptions` or `resourceGroups` (lower-casing keeps the length of every
 * character that lower-cases to ASCII, so no other segment can equal them): an estate parses hundreds of
 * thousands of ids, and lower-casing every segment was most of the cost (issue 17).
 */
export function parseResourceId(id: string): ParsedResourceId | undefined {
  const parts: string[] = [];
  let providersAt = -1;
  let subAt = -1;
  let rgAt = -1;
  for (let start = 0; start <= id.length; ) {
    let end = id.indexOf("/", start);
    if (end < 0) end = id.length;
    if (end > start) {
      const part = id.slice(start, end);
      const n = part.length;
      if (n === 9) {
        if (part.toLowerCase() === "providers") providersAt = parts.length;
      } else if (n === 13) {
        if (subAt < 0 && part.toLowerCase() === "subscriptions") subAt = parts.length;
      } else if (n === 14) {
        if (rgAt < 0 && part.toLowerCase() === "resourcegroups") rgAt = parts.length;
      }
      parts.push(part);
    }
    start = end + 1;
  }
  if (providersAt < 0 || providersAt + 3 > parts.length) return undefined;
  let type = parts[providersAt + 1]!;
  const names: string[] = [];
  for (let i = providersAt + 2; i < parts.length; i += 2) {
    type += `/${parts[i]!}`;
    names.push(parts[i + 1] ?? "");
  }
  return {
    subscriptionId: subAt >= 0 ? parts[subAt + 1] : undefined,
    resourceGroup: rgAt >= 0 ? parts[rgAt + 1] : undefined,
    type,
    names,
  };
}

/** The exact comparison key: the id lower-cased, without a trailing slash. */
export function idKey(id: string): string {
  return id.toLowerCase().replace(/\/+$/, "");
}

/** The loose comparison key: type and names only, ignoring subscription and resource group. */
export function providerKey(id: string): string {
  const parsed = parseResourceId(id);
  if (!parsed) return idKey(id);
  return `${parsed.type}/${parsed.names.join("/")}`.toLowerCase();
}

/** The last name of an id (`subnet1` for a subnet id), for display. */
export function shortName(id: string): string {
  const parsed = parseResourceId(id);
  if (!parsed) return id;
  return parsed.names[parsed.names.length - 1] ?? id;
}

/** `vnet1/subnet1` for a subnet id, the readable name users type on the command line. */
export function displayName(id: string): string {
  const parsed = parseResourceId(id);
  if (!parsed) return id;
  return parsed.names.join("/");
}

/** Two ids name the same resource (exact match or same provider path). */
export function sameResource(a: string, b: string): boolean {
  return idKey(a) === idKey(b) || providerKey(a) === providerKey(b);
}
