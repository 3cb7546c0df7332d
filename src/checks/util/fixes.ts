/**
 * @module checks/util/fixes
 * Fixes a user can paste, in the four forms people deploy with: az CLI, Bicep, Terraform (azurerm) and ARM.
 * The ARM form is a JSON array of resources to add to a template's `resources`; tests apply it to the
 * scenario fixture and check that the finding goes away, so it has to be exactly right.
 */
import { DEFAULT_RESOURCE_GROUP, parseResourceId } from "../../model/ids.js";
import type { NetworkSecurityGroup } from "../../model/resources.js";
import type { Fix } from "../types.js";

/** The Microsoft.Network api-version the fixes are written against. */
export const API_VERSION = "2023-05-01";

/** The resource group of an id, or a placeholder when the input did not say. */
export function resourceGroupOf(id: string): string {
  const rg = parseResourceId(id)?.resourceGroup;
  return rg && rg !== DEFAULT_RESOURCE_GROUP ? rg : "<resource-group>";
}

/** A Terraform identifier from an Azure name. */
export function tfName(name: string): string {
  return name
    .replace(/[^A-Za-z0-9_]/g, "_")
    .replace(/^([0-9])/, "_$1")
    .toLowerCase();
}

/** A Bicep symbolic name from an Azure name. */
export function bicepName(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words
    .map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1)))
    .join("");
  return /^[A-Za-z]/.test(joined) ? joined : `r${joined}`;
}

export interface NsgRuleSpec {
  nsgId: string;
  nsgName: string;
  name: string;
  priority: number;
  direction: "Inbound" | "Outbound";
  access: "Allow" | "Deny";
  protocol: string;
  sourceAddressPrefix: string;
  destinationAddressPrefix: string;
  /** One port, a range, or several (plural form is used when more than one). */
  destinationPorts: string[];
  description?: string;
}

/** Fixes that add one NSG security rule. */
export function nsgRuleFixes(spec: NsgRuleSpec): Fix[] {
  const rg = resourceGroupOf(spec.nsgId);
  const ports = spec.destinationPorts;
  const portProps: Record<string, unknown> =
    ports.length === 1 ? { destinationPortRange: ports[0] } : { destinationPortRanges: ports };
  const properties = {
    ...(spec.description ? { description: spec.description } : {}),
    protocol: spec.protocol,
    sourcePortRange: "*",
    ...portProps,
    sourceAddressPrefix: spec.sourceAddressPrefix,
    destinationAddressPrefix: spec.destinationAddressPrefix,
    access: spec.access,
    priority: spec.priority,
    direction: spec.direction,
  };
  const arm = [
    {
      type: "Microsoft.Network/networkSecurityGroups/securityRules",
      apiVersion: API_VERSION,
      name: `${spec.nsgName}/${spec.name}`,
      properties,
    },
  ];
  const nsgSym = bicepName(spec.nsgName);
  const bicepPorts =
    ports.length === 1
      ? `destinationPortRange: '${ports[0]}'`
      : `destinationPortRanges: [ ${ports.map((p) => `'${p}'`).join(", ")} ]`;
  const tfPorts =
    ports.length === 1
      ? `destination_port_range       = "${ports[0]}"`
      : `destination_port_ranges      = [${ports.map((p) => `"${p}"`).join(", ")}]`;
  return [
    {
      kind: "az-cli",
      text: [
        `az network nsg rule create --resource-group ${rg} --nsg-name ${spec.nsgName} --name ${spec.name}`,
        `  --priority ${spec.priority} --direction ${spec.direction} --access ${spec.access} --protocol ${spec.protocol}`,
        `  --source-address-prefixes ${spec.sourceAddressPrefix} --source-port-ranges '*'`,
        `  --destination-address-prefixes ${spec.destinationAddressPrefix} --destination-port-ranges ${ports.join(" ")}`,
      ].join(" \\\n"),
    },
    {
      kind: "bicep",
      text: [
        `resource ${nsgSym} 'Microsoft.Network/networkSecurityGroups@${API_VERSION}' existing = {`,
        `  name: '${spec.nsgName}'`,
        "}",
        "",
        `resource ${bicepName(spec.name)} 'Microsoft.Network/networkSecurityGroups/securityRules@${API_VERSION}' = {`,
        `  parent: ${nsgSym}`,
        `  name: '${spec.name}'`,
        "  properties: {",
        `    protocol: '${spec.protocol}'`,
        "    sourcePortRange: '*'",
        `    ${bicepPorts}`,
        `    sourceAddressPrefix: '${spec.sourceAddressPrefix}'`,
        `    destinationAddressPrefix: '${spec.destinationAddressPrefix}'`,
        `    access: '${spec.access}'`,
        `    priority: ${spec.priority}`,
        `    direction: '${spec.direction}'`,
        "  }",
        "}",
      ].join("\n"),
    },
    {
      kind: "terraform",
      text: [
        `resource "azurerm_network_security_rule" "${tfName(spec.name)}" {`,
        `  name                         = "${spec.name}"`,
        `  resource_group_name          = "${rg}"`,
        `  network_security_group_name  = "${spec.nsgName}"`,
        `  priority                     = ${spec.priority}`,
        `  direction                    = "${spec.direction}"`,
        `  access                       = "${spec.access}"`,
        `  protocol                     = "${spec.protocol}"`,
        `  source_port_range            = "*"`,
        `  ${tfPorts}`,
        `  source_address_prefix        = "${spec.sourceAddressPrefix}"`,
        `  destination_address_prefix   = "${spec.destinationAddressPrefix}"`,
        "}",
      ].join("\n"),
    },
    { kind: "arm", text: JSON.stringify(arm, null, 2) },
  ];
}

export interface RouteSpec {
  routeTableId: string;
  routeTableName: string;
  name: string;
  addressPrefix: string;
  nextHopType: string;
  nextHopIpAddress?: string;
}

/** Fixes that add one user-defined route. */
export function routeFixes(spec: RouteSpec): Fix[] {
  const rg = resourceGroupOf(spec.routeTableId);
  const properties: Record<string, unknown> = { addressPrefix: spec.addressPrefix, nextHopType: spec.nextHopType };
  if (spec.nextHopIpAddress) properties.nextHopIpAddress = spec.nextHopIpAddress;
  const tableSym = bicepName(spec.routeTableName);
  return [
    {
      kind: "az-cli",
      text:
        `az network route-table route create --resource-group ${rg} --route-table-name ${spec.routeTableName}` +
        ` --name ${spec.name} --address-prefix ${spec.addressPrefix} --next-hop-type ${spec.nextHopType}` +
        (spec.nextHopIpAddress ? ` --next-hop-ip-address ${spec.nextHopIpAddress}` : ""),
    },
    {
      kind: "bicep",
      text: [
        `resource ${tableSym} 'Microsoft.Network/routeTables@${API_VERSION}' existing = {`,
        `  name: '${spec.routeTableName}'`,
        "}",
        "",
        `resource ${bicepName(spec.name)} 'Microsoft.Network/routeTables/routes@${API_VERSION}' = {`,
        `  parent: ${tableSym}`,
        `  name: '${spec.name}'`,
        "  properties: {",
        `    addressPrefix: '${spec.addressPrefix}'`,
        `    nextHopType: '${spec.nextHopType}'`,
        ...(spec.nextHopIpAddress ? [`    nextHopIpAddress: '${spec.nextHopIpAddress}'`] : []),
        "  }",
        "}",
      ].join("\n"),
    },
    {
      kind: "terraform",
      text: [
        `resource "azurerm_route" "${tfName(spec.name)}" {`,
        `  name                = "${spec.name}"`,
        `  resource_group_name = "${rg}"`,
        `  route_table_name    = "${spec.routeTableName}"`,
        `  address_prefix      = "${spec.addressPrefix}"`,
        `  next_hop_type       = "${spec.nextHopType}"`,
        ...(spec.nextHopIpAddress ? [`  next_hop_in_ip_address = "${spec.nextHopIpAddress}"`] : []),
        "}",
      ].join("\n"),
    },
    {
      kind: "arm",
      text: JSON.stringify(
        [
          {
            type: "Microsoft.Network/routeTables/routes",
            apiVersion: API_VERSION,
            name: `${spec.routeTableName}/${spec.name}`,
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
 * The priority for a new rule that must take effect before the rule at `beforePriority` (Azure: 100-4096,
 * unique per direction). Any free priority below the deciding rule works, because no rule below it matched
 * the flow. Before a user rule: the highest free one below it, preferring multiples of 10 (it disturbs the
 * least). Before a default rule (65000+): the next multiple of 10 after the last user rule, so the new rule
 * reads as one more of the user's own. Undefined when every priority is taken.
 */
export function freePriorityBefore(taken: Iterable<number>, beforePriority: number): number | undefined {
  const used = new Set([...taken].filter((p) => Number.isFinite(p)));
  if (beforePriority > 4096) {
    const last = Math.max(90, ...used);
    for (let p = last + 10 - (last % 10); p <= 4096; p += 10) if (!used.has(p)) return p;
  }
  const top = Math.min(beforePriority - 1, 4096);
  for (let p = top - (top % 10); p >= 100; p -= 10) if (!used.has(p)) return p;
  for (let p = top; p >= 100; p--) if (!used.has(p)) return p;
  return undefined;
}

/** Priorities handed out to fixes in one run, so that two fixes for one NSG never take the same one. */
export class PriorityBook {
  private readonly taken = new Map<string, Set<number>>();

  next(nsg: NetworkSecurityGroup, direction: string, before: number): number | undefined {
    const key = `${nsg.id.toLowerCase()}|${direction.toLowerCase()}`;
    let set = this.taken.get(key);
    if (!set) {
      set = new Set(
        nsg.securityRules.filter((r) => r.direction.toLowerCase() === direction.toLowerCase()).map((r) => r.priority),
      );
      this.taken.set(key, set);
    }
    const p = freePriorityBefore(set, before);
    if (p !== undefined) set.add(p);
    return p;
  }
}

/**
 * Several fixes as one per kind, so that a user applies them together: texts joined, ARM arrays concatenated.
 * Lists without any fix are left out (a cause no configuration fixes); a kind is kept only when every other
 * list has it too, since a merged fix that leaves one cause unfixed would not fix the finding.
 */
export function mergeFixes(lists: Fix[][]): Fix[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  const kinds = [...new Set(nonEmpty[0]?.map((f) => f.kind))].filter((k) =>
    nonEmpty.every((l) => l.some((f) => f.kind === k)),
  );
  return kinds.map((kind) => {
    // A list may hold several fixes of one kind (one per resource it changes): all of them are kept.
    const texts = nonEmpty.flatMap((l) => l.filter((f) => f.kind === kind).map((f) => f.text));
    if (kind !== "arm") return { kind, text: texts.join("\n\n") };
    return {
      kind,
      text: JSON.stringify(
        texts.flatMap((t) => JSON.parse(t) as unknown[]),
        null,
        2,
      ),
    };
  });
}
