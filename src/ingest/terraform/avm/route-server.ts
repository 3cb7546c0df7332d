/**
 * @module ingest/terraform/avm/route-server
 * Ingest layer, Terraform: the built-in description of `Azure/avm-res-network-routeserver/azurerm`: an
 * `azapi_resource` virtualHubs (sku Standard, branch-to-branch traffic, routing preference) in the resource
 * group `var.resource_group_resource_id`, its ipConfiguration on `var.route_server_subnet_resource_id` with a
 * Standard static public IP, and an `azurerm_virtual_hub_bgp_connection` per entry of `var.bgp_connections`.
 * Written from the module's source at commit 05b82f5 (2024-07-12); the repository has no tags, so the
 * version a call names cannot be checked against it, and every call says so.
 */
import type { BuiltinModule } from "./index.js";
import { passThrough } from "./pass-through.js";

const MAIN = `
variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "resource_group_resource_id" { type = string }
variable "route_server_subnet_resource_id" { type = string }
variable "bgp_connections" {
  type = map(object({
    name = string
    peer_asn = string
    peer_ip = string
  }))
  default = {}
}
variable "enable_branch_to_branch" {
  type = bool
  default = true
}
variable "hub_routing_preference" {
  type = string
  default = "ExpressRoute"
}
variable "private_ip_allocation_method" {
  type = string
  default = "Dynamic"
}
variable "private_ip_address" {
  type = string
  default = null
}
variable "routeserver_public_ip_name" {
  type = string
  default = null
}
${passThrough(["enable_telemetry", "lock", "role_assignments", "tags"])}

resource "azapi_resource" "route_server_hub" {
  type = "Microsoft.Network/virtualHubs@2023-04-01"
  name = var.name
  location = var.location
  parent_id = var.resource_group_resource_id
  body = {
    properties = {
      sku = "Standard"
      hubRoutingPreference = var.hub_routing_preference
      allowBranchToBranchTraffic = var.enable_branch_to_branch
    }
  }
}

resource "azurerm_public_ip" "route_server_pip" {
  name = var.routeserver_public_ip_name != null ? var.routeserver_public_ip_name : "\${var.name}-pip"
  location = var.location
  resource_group_name = var.resource_group_name
  allocation_method = "Static"
  sku = "Standard"
}

resource "azapi_resource" "route_server_ip_config_dynamic" {
  type = "Microsoft.Network/virtualHubs/ipConfigurations@2023-04-01"
  name = var.name
  parent_id = azapi_resource.route_server_hub.id
  body = {
    properties = {
      subnet = { id = var.route_server_subnet_resource_id }
      publicIPAddress = { id = azurerm_public_ip.route_server_pip.id }
      privateIPAllocationMethod = var.private_ip_allocation_method
      privateIPAddress = lower(var.private_ip_allocation_method) == "static" ? var.private_ip_address : null
    }
  }
}

resource "azurerm_virtual_hub_bgp_connection" "this" {
  for_each = var.bgp_connections
  name = each.value.name
  peer_asn = each.value.peer_asn
  peer_ip = each.value.peer_ip
  virtual_hub_id = azapi_resource.route_server_hub.id
}

output "resource_id" { value = azapi_resource.route_server_hub.id }
output "resource" { value = azapi_resource.route_server_hub }
`;

export const routeServerModule: BuiltinModule[] = [
  {
    source: "Azure/avm-res-network-routeserver/azurerm",
    versions: ["*"],
    files: [{ name: "main.tf", text: MAIN }],
  },
];
