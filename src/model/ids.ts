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

/** Parses an ARM id; undefined when it has no `providers/` part. */
export function parseResourceId(id: string): ParsedResourceId | undefined {
  const parts = id.split("/").filter((p) => p.length > 0);
  const lower = parts.map((p) => p.toLowerCase());
  const providersAt = lower.lastIndexOf("providers");
  if (providersAt < 0 || providersAt + 3 > parts.length) return undefined;
  const subAt = lower.indexOf("subscriptions");
  const rgAt = lower.indexOf("resourcegroups");
  const namespace = parts[providersAt + 1]!;
  const rest = parts.slice(providersAt + 2);
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    types.push(rest[i]!);
    names.push(rest[i + 1] ?? "");
  }
  return {
    subscriptionId: subAt >= 0 ? parts[subAt + 1] : undefined,
    resourceGroup: rgAt >= 0 ? parts[rgAt + 1] : undefined,
    type: [namespace, ...types].join("/"),
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
