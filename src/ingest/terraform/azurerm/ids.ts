/**
 * @module ingest/terraform/azurerm/ids
 * Ingest layer, Terraform: the Azure resource id of an azurerm or azapi resource, built from its arguments the
 * way Azure builds it (`/subscriptions/{sub}/resourceGroups/{rg}/providers/{type}/{name}...`). Terraform only
 * learns an id after apply, but the id is a function of the names, so references between resources
 * (`azurerm_subnet.a.id` in an association) link the same resources a deployment would. The subscription is
 * never known, and the resource group may not be: the placeholders of model/ids stand for them, because ids
 * are compared by type and names alone (model/ids providerKey). A name that is Unknown keeps its placeholder
 * (eval/values), so two ids built from the same unknown name still match.
 */
import { DEFAULT_RESOURCE_GROUP, DEFAULT_SUBSCRIPTION, parseResourceId } from "../../../model/ids.js";
import { isUnknown, unknownValue } from "../../../model/unknown.js";
import { toStringValue, Unknown, type Value, type ValueObject } from "../eval/values.js";

/** How an azurerm type's id is made: its ARM type and the arguments that give each name (parents first). */
interface IdShape {
  armType: string;
  names: string[];
}

/** https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs (each resource's "Import" section). */
export const AZURERM_IDS: Record<string, IdShape> = {
  azurerm_virtual_network: { armType: "Microsoft.Network/virtualNetworks", names: ["name"] },
  azurerm_subnet: { armType: "Microsoft.Network/virtualNetworks/subnets", names: ["virtual_network_name", "name"] },
  azurerm_network_security_group: { armType: "Microsoft.Network/networkSecurityGroups", names: ["name"] },
  azurerm_network_security_rule: {
    armType: "Microsoft.Network/networkSecurityGroups/securityRules",
    names: ["network_security_group_name", "name"],
  },
  azurerm_application_security_group: { armType: "Microsoft.Network/applicationSecurityGroups", names: ["name"] },
  azurerm_route_table: { armType: "Microsoft.Network/routeTables", names: ["name"] },
  azurerm_route: { armType: "Microsoft.Network/routeTables/routes", names: ["route_table_name", "name"] },
  azurerm_virtual_network_peering: {
    armType: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    names: ["virtual_network_name", "name"],
  },
  azurerm_virtual_network_gateway: { armType: "Microsoft.Network/virtualNetworkGateways", names: ["name"] },
  azurerm_local_network_gateway: { armType: "Microsoft.Network/localNetworkGateways", names: ["name"] },
  azurerm_virtual_network_gateway_connection: { armType: "Microsoft.Network/connections", names: ["name"] },
  azurerm_network_interface: { armType: "Microsoft.Network/networkInterfaces", names: ["name"] },
  azurerm_public_ip: { armType: "Microsoft.Network/publicIPAddresses", names: ["name"] },
  azurerm_public_ip_prefix: { armType: "Microsoft.Network/publicIPPrefixes", names: ["name"] },
  azurerm_route_server: { armType: "Microsoft.Network/virtualHubs", names: ["name"] },
  azurerm_network_manager: { armType: "Microsoft.Network/networkManagers", names: ["name"] },
  azurerm_private_endpoint: { armType: "Microsoft.Network/privateEndpoints", names: ["name"] },
  azurerm_private_dns_zone: { armType: "Microsoft.Network/privateDnsZones", names: ["name"] },
  azurerm_private_dns_a_record: { armType: "Microsoft.Network/privateDnsZones/A", names: ["zone_name", "name"] },
  azurerm_private_dns_zone_virtual_network_link: {
    armType: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    names: ["private_dns_zone_name", "name"],
  },
  azurerm_nat_gateway: { armType: "Microsoft.Network/natGateways", names: ["name"] },
  azurerm_api_management: { armType: "Microsoft.ApiManagement/service", names: ["name"] },
  azurerm_api_management_backend: {
    armType: "Microsoft.ApiManagement/service/backends",
    names: ["api_management_name", "name"],
  },
  azurerm_api_management_api: {
    armType: "Microsoft.ApiManagement/service/apis",
    names: ["api_management_name", "name"],
  },
  azurerm_firewall: { armType: "Microsoft.Network/azureFirewalls", names: ["name"] },
  azurerm_firewall_policy: { armType: "Microsoft.Network/firewallPolicies", names: ["name"] },
  azurerm_bastion_host: { armType: "Microsoft.Network/bastionHosts", names: ["name"] },
  azurerm_application_gateway: { armType: "Microsoft.Network/applicationGateways", names: ["name"] },
  azurerm_network_watcher: { armType: "Microsoft.Network/networkWatchers", names: ["name"] },
  azurerm_key_vault: { armType: "Microsoft.KeyVault/vaults", names: ["name"] },
  azurerm_storage_account: { armType: "Microsoft.Storage/storageAccounts", names: ["name"] },
  azurerm_log_analytics_workspace: { armType: "Microsoft.OperationalInsights/workspaces", names: ["name"] },
  azurerm_user_assigned_identity: { armType: "Microsoft.ManagedIdentity/userAssignedIdentities", names: ["name"] },
  azurerm_linux_virtual_machine: { armType: "Microsoft.Compute/virtualMachines", names: ["name"] },
  azurerm_windows_virtual_machine: { armType: "Microsoft.Compute/virtualMachines", names: ["name"] },
  azurerm_virtual_machine: { armType: "Microsoft.Compute/virtualMachines", names: ["name"] },
};

/** Types whose id is their parent's id (an argument) and one segment: Virtual Network Manager children. */
const CHILD_IDS: Record<string, { parent: string; segment: string }> = {
  azurerm_network_manager_network_group: { parent: "network_manager_id", segment: "networkGroups" },
  azurerm_network_manager_static_member: { parent: "network_group_id", segment: "staticMembers" },
  azurerm_network_manager_security_admin_configuration: {
    parent: "network_manager_id",
    segment: "securityAdminConfigurations",
  },
  azurerm_network_manager_admin_rule_collection: {
    parent: "security_admin_configuration_id",
    segment: "ruleCollections",
  },
  azurerm_network_manager_admin_rule: { parent: "admin_rule_collection_id", segment: "rules" },
};

function name(v: Value): string {
  if (v instanceof Unknown) return unknownValue(v.reason);
  const s = toStringValue(v);
  return typeof s === "string" ? s : unknownValue("a name that is not a string");
}

/** The resource group of an id-building argument: the placeholder when it is not known exactly. */
function resourceGroup(v: Value): string {
  const s = v instanceof Unknown ? undefined : toStringValue(v);
  return typeof s === "string" && s.length > 0 && !isUnknown(s) ? s : DEFAULT_RESOURCE_GROUP;
}

/** Joins a full type and its names into an id under `prefix` (`/subscriptions/.../resourceGroups/rg`). */
export function idUnder(prefix: string, armType: string, names: string[]): string {
  const [namespace, ...types] = armType.split("/");
  let id = `${prefix}/providers/${namespace}`;
  types.forEach((t, i) => {
    id += `/${t}/${names[i] ?? ""}`;
  });
  return id;
}

export function groupPrefix(rg: string): string {
  return `/subscriptions/${DEFAULT_SUBSCRIPTION}/resourceGroups/${rg}`;
}

/** The id of an azurerm resource from its arguments, or undefined for a type without a known shape. */
export function azurermId(type: string, attrs: ValueObject): string | undefined {
  if (type === "azurerm_resource_group") return groupPrefix(name(attrs.name ?? null));
  if (type === "azurerm_route_server_bgp_connection" || type === "azurerm_virtual_hub_bgp_connection") {
    const hub = attrs.route_server_id ?? attrs.virtual_hub_id ?? null;
    const base = typeof hub === "string" && parseResourceId(hub) ? hub : undefined;
    return base ? `${base}/bgpConnections/${name(attrs.name ?? null)}` : undefined;
  }
  const below = CHILD_IDS[type];
  if (below) {
    const parent = attrs[below.parent] ?? null;
    const base = typeof parent === "string" && !isUnknown(parent) && parseResourceId(parent) ? parent : undefined;
    return base ? `${base.replace(/\/+$/, "")}/${below.segment}/${name(attrs.name ?? null)}` : undefined;
  }
  const shape = AZURERM_IDS[type];
  if (!shape) return undefined;
  const names = shape.names.map((n) => name(attrs[n] ?? null));
  return idUnder(groupPrefix(resourceGroup(attrs.resource_group_name ?? null)), shape.armType, names);
}

/** `Microsoft.Network/virtualNetworks/subnets@2024-07-01` → the type without its API version. */
export function azapiType(type: Value): string | undefined {
  if (typeof type !== "string" || isUnknown(type)) return undefined;
  const at = type.indexOf("@");
  return at < 0 ? type : type.slice(0, at);
}

/**
 * The id of an azapi resource: a child type below its parent's id (`…/virtualNetworks/v` + `/subnets/s`), a
 * top-level type below a resource group id (`…/resourceGroups/rg/providers/Microsoft.Network/...`). A parent id
 * that is Unknown gives the placeholders of model/ids for what it would have held.
 */
export function azapiId(armType: string, parentId: Value, resourceName: Value): string {
  const n = name(resourceName);
  if (armType.toLowerCase() === "microsoft.resources/resourcegroups") return groupPrefix(n);
  const segments = armType.split("/");
  const parent = typeof parentId === "string" && !isUnknown(parentId) ? parentId.replace(/\/+$/, "") : undefined;
  const parsed = parent ? parseResourceId(parent) : undefined;
  if (segments.length > 2) {
    // A child: its parent's names come from the parent id (or are Unknown).
    const parentType = segments.slice(0, -1).join("/");
    if (parent && parsed && parsed.type.toLowerCase() === parentType.toLowerCase())
      return `${parent}/${segments.at(-1)}/${n}`;
    const reason =
      parentId instanceof Unknown ? parentId.reason : typeof parentId === "string" ? parentId : "parent_id";
    const names = segments.slice(1, -1).map(() => unknownValue(reason.replace(/\//g, "∕")));
    return idUnder(groupPrefix(DEFAULT_RESOURCE_GROUP), armType, [...names, n]);
  }
  if (parent && !parsed && /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/i.test(parent))
    return idUnder(parent, armType, [n]);
  return idUnder(groupPrefix(DEFAULT_RESOURCE_GROUP), armType, [n]);
}

/** The names of an id below its type (`["vnet", "subnet"]`), when the id parses. */
export function namesOfId(id: Value): string[] | undefined {
  if (typeof id !== "string") return undefined;
  return parseResourceId(id)?.names;
}
